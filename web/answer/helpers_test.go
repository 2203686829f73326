package answer

import (
	"fmt"
	"net/url"
	"os"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// testQuestionnaire returns a fresh copy of the test questionnaire
// (testdata/fixtures/analysis/fixture-2025.yaml at the repository root) with the given id:
// 6 categories, 18 items (ch2 reverse-keyed), the outcomes overall and enps, one comment "good",
// min_group_size 5, min_comment_group_size 10.
func testQuestionnaire(tb testing.TB, id string) *survey.Questionnaire {
	tb.Helper()
	data, err := os.ReadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	q, err := survey.Parse("fixture-2025.yaml", data)
	if err != nil {
		tb.Fatalf("parse test questionnaire: %v", err)
	}
	q.ID = id
	return q
}

const testSurveyID = "fixture-2025"
const testSection = "soumu-a"

// validAnswers is a complete, valid form of the test questionnaire.
func validAnswers() url.Values {
	v := url.Values{}
	for i, id := range []string{"m1", "m2", "m3", "i1", "i2", "i3", "c1", "c2", "c3", "ch1", "ch2", "ch3", "b1", "b2", "b3", "b4", "t1", "t2"} {
		v.Set(id, []string{"1", "2", "3", "4", "5", "na"}[i%6])
	}
	v.Set("overall", "4")
	v.Set("enps", "8")
	v.Set("good", "朝礼が短くなって良い。\r\n窓口の応援体制を続けてほしい。")
	return v
}

// apiBody is a valid JSON submission with token.
func apiBody(token string) string {
	return fmt.Sprintf(`{"token": %q, "answers": {"m1": 4, "m2": null, "ch2": 1}, "outcomes": {"overall": 4, "enps": 8}, "comments": {"good": "よい職場"}}`, token)
}
