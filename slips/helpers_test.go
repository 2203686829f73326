package slips

import (
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

// withInfo returns the test questionnaire with a period, a contact and a results note.
func withInfo(tb testing.TB, id string) *survey.Questionnaire {
	tb.Helper()
	q := testQuestionnaire(tb, id)
	q.Period = &survey.Period{Opens: "2026-12-01", Closes: "2026-12-14"}
	q.Contact = &survey.Text{JA: "総務課 人事担当 内線1234", EN: "HR, ext. 1234"}
	q.Results = &survey.Text{JA: "結果は2月に公開します", EN: "Results in February"}
	return q
}
