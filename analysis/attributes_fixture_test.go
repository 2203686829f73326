package analysis_test

import (
	"encoding/json"
	"os"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture"
	"staffsurvey/internal/testfixture/fixtureload"
)

// withoutReasons drops the reasons of suppressed option groups, which the independent fixture
// does not carry.
func withoutReasons(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["option"]; ok {
			delete(x, "reason")
		}
		for _, y := range x {
			withoutReasons(y)
		}
	case []any:
		for _, y := range x {
			withoutReasons(y)
		}
	}
	return v
}

// TestAttributesFixture holds the option groups, their suppression (rule a, rule b and the
// metric-wise rule within an attribute) and their changes to the independent fixture; the
// cross-partition check must withhold nothing there.
func TestAttributesFixture(t *testing.T) {
	var results []*analysis.SurveyResult
	for _, year := range []string{"2026", "2025"} {
		q, rs := fixtureload.Attributes(t, year)
		res := analysis.Analyze(q, rs)
		t.Logf("%s: disclosure check %v: %d checks, %d by disjoint bases, %d searched, withheld %v",
			q.ID, res.Disclosure.Time, res.Disclosure.Checks, res.Disclosure.Peeled, res.Disclosure.Searched, res.Disclosure.Withheld)
		if len(res.Disclosure.Withheld) > 0 {
			t.Errorf("%s: the check withheld %v; the fixture has nothing to withhold", q.ID, res.Disclosure.Withheld)
		}
		results = append(results, res)
	}
	got := withoutReasons(withoutItems(decode(t, analysis.Build(results...))))
	data, err := os.ReadFile(testfixture.Attributes("expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	var diffs []string
	compareJSON("", want, got, &diffs)
	for i, d := range diffs {
		if i == 30 {
			t.Errorf("... and %d more", len(diffs)-30)
			break
		}
		t.Error(d)
	}
}
