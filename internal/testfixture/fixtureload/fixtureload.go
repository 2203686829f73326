// Package fixtureload reads a fixture year — its questionnaire and its responses — as the
// survey package does, for the tests of every package that works on them. It is apart from
// testfixture, which survey's own tests import and which therefore imports no package of this
// module.
package fixtureload

import (
	"os"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// Analysis returns the questionnaire and the responses of year ("2025" or "2026") of the
// analysis fixture (testdata/fixtures/analysis).
func Analysis(tb testing.TB, year string) (*survey.Questionnaire, []*survey.Response) {
	tb.Helper()
	return load(tb, testfixture.Analysis("fixture-"+year+".yaml"), testfixture.Analysis("responses-"+year+".csv"))
}

// Attributes returns the questionnaire and the responses of year ("2025" or "2026") of the
// attributes fixture (testdata/fixtures/attributes: the analysis fixture with attributes).
func Attributes(tb testing.TB, year string) (*survey.Questionnaire, []*survey.Response) {
	tb.Helper()
	return load(tb, testfixture.Attributes("attr-"+year+".yaml"), testfixture.Attributes("responses-"+year+".csv"))
}

// load reads the questionnaire file yaml and the responses file csv.
func load(tb testing.TB, yaml, csv string) (*survey.Questionnaire, []*survey.Response) {
	tb.Helper()
	q, err := survey.LoadFile(yaml)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(csv)
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
