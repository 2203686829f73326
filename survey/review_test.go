package survey_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"staffsurvey/survey"
)

// The review setting and the places: defaults, what a file says, and every bad form with its
// file and line.
func TestReviewAndPlaces(t *testing.T) {
	q, err := survey.Parse("q.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if q.Anonymity.CommentReview != survey.ReviewAll || !q.ReviewsAll() || len(q.Places) != 0 {
		t.Errorf("got review %q, places %v; want all by default and no places", q.Anonymity.CommentReview, q.Places)
	}
	q, err = survey.Parse("q.yaml", []byte(minimal+"anonymity: {comment_review: flagged}\nplaces: [梅田, 中之島, \"天満\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if q.ReviewsAll() || !slices.Equal(q.PlaceNames(), []string{"梅田", "中之島", "天満"}) || q.Places[1].Line != 23 {
		t.Errorf("got review %q, places %v (line %d)", q.Anonymity.CommentReview, q.PlaceNames(), q.Places[1].Line)
	}
	// The stored questionnaire (JSON) keeps both.
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var back survey.Questionnaire
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.ReviewsAll() || !slices.Equal(back.PlaceNames(), q.PlaceNames()) {
		t.Errorf("after JSON: review %q, places %v", back.Anonymity.CommentReview, back.PlaceNames())
	}

	bad := []struct{ name, add, want string }{
		{"unknown review", "anonymity: {comment_review: none}\n", "anonymity.comment_review"},
		{"empty place", "places:\n  - 梅田\n  - \"\"\n", "q.yaml:24: places"},
		{"duplicate place", "places:\n  - 梅田\n  - 天満\n  - 梅田\n", "q.yaml:25: places: 地名 \"梅田\" が重複"},
		{"two words", "places:\n  - 梅田 天満\n", "q.yaml:23: places"},
		{"too long", "places: [" + strings.Repeat("梅", 21) + "]\n", "q.yaml:22: places"},
		{"not a string", "places:\n  - {ja: 梅田}\n", "q.yaml:23:"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := survey.Parse("q.yaml", []byte(minimal+tt.add))
			if err == nil {
				t.Fatal("got no error")
			}
			e, ok := err.(*survey.Error)
			if !ok || e.Code != survey.EINVALID || !strings.Contains(e.Message.JA, tt.want) || e.Message.EN == "" {
				t.Errorf("got %v; want EINVALID containing %q", err, tt.want)
			}
		})
	}
}
