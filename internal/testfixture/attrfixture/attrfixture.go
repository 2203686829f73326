// Package attrfixture reads the attributes fixture (testdata/fixtures/attributes: two years of a
// questionnaire with attributes, and their responses) as the survey package does, for the tests
// of every package that works on attribute surveys. It is apart from testfixture, which survey's
// own tests import and which therefore imports no package of this module.
package attrfixture

import (
	"os"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// Year returns the questionnaire and the responses of year ("2025" or "2026") of the fixture.
func Year(tb testing.TB, year string) (*survey.Questionnaire, []*survey.Response) {
	tb.Helper()
	q, err := survey.LoadFile(testfixture.Attributes("attr-" + year + ".yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(testfixture.Attributes("responses-" + year + ".csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rs, err := survey.ReadCSV(q, f)
	if err != nil {
		tb.Fatal(err)
	}
	return q, rs
}
