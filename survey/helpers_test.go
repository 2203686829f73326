package survey_test

import (
	"path/filepath"
	"testing"

	"staffsurvey/survey"
)

// fixtureDir holds the shared fixture (CI has ../shared beside the checkout).
const fixtureDir = "../../shared/fixtures/analysis"

// mustFixture parses fixture-2025.yaml (min_group_size 5).
func mustFixture(tb testing.TB) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.LoadFile(filepath.Join(fixtureDir, "fixture-2025.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}
