package demo

import (
	"slices"
	"testing"

	"staffsurvey/questionnaires"
	"staffsurvey/survey"
)

// TestCommentsFitTheirQuestion generates the shipped questionnaire's demo year and checks that
// 「職場の良いところ」 gets only good points and 「改善してほしいこと・区への提案」 only requests
// and suggestions.
func TestCommentsFitTheirQuestion(t *testing.T) {
	data, err := questionnaires.Open("kita-2026")
	if err != nil {
		t.Fatal(err)
	}
	q, err := survey.Parse("kita-2026.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]commentKind{"good": commentGood, "improve": commentImprove}
	for k, c := range q.Comments {
		kind, ok := want[c.ID]
		if !ok {
			t.Fatalf("comment %q: not in this test's table", c.ID)
		}
		if got := kindOf(c); got != kind {
			t.Fatalf("kindOf(%q) = %d; want %d", c.ID, got, kind)
		}
		pool := slices.Concat(demoComments[kind].happy, demoComments[kind].unhappy)
		n := 0
		for _, r := range Responses(q, 2026, 0, nil) {
			if text := r.Comments[k]; text != "" {
				n++
				if !slices.Contains(pool, text) {
					t.Errorf("comment %q: %q is not from its own pool", c.ID, text)
				}
			}
		}
		if n == 0 {
			t.Errorf("comment %q: no comments generated", c.ID)
		}
	}
	// The pools of a kind are the same length, so the kind never changes the random draws.
	for kind, pools := range demoComments {
		if len(pools.happy) != len(pools.unhappy) || len(pools.happy) != len(demoComments[commentEither].happy) {
			t.Errorf("kind %d: pools of %d and %d comments; want %d each", kind, len(pools.happy), len(pools.unhappy), len(demoComments[commentEither].happy))
		}
	}
}
