package survey_test

import (
	"path/filepath"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// fixtureDir holds the analysis fixture in the repository's testdata/.
var fixtureDir = testfixture.AnalysisDir()

// mustFixture parses fixture-2025.yaml (min_group_size 5).
func mustFixture(tb testing.TB) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.LoadFile(filepath.Join(fixtureDir, "fixture-2025.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}
