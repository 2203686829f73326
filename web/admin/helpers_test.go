package admin

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
