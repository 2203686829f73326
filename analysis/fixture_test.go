package analysis_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture"
	"staffsurvey/internal/testfixture/fixtureload"
)

// fixtureDir holds the fixture computed independently of this package (docs/analysis.md);
// testdata/README.md says where it comes from.
var fixtureDir = testfixture.AnalysisDir()

func TestFixture(t *testing.T) {
	var results []*analysis.SurveyResult
	for _, year := range []int{2026, 2025} { // Build must sort by year
		q, rs := fixtureload.Analysis(t, fmt.Sprint(year))
		results = append(results, analysis.Analyze(q, rs))
	}
	got := withoutItems(decode(t, analysis.Build(results...)))
	data, err := os.ReadFile(filepath.Join(fixtureDir, "expected.json"))
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

// withoutItems drops the per-question results (categories' "items") from a decoded report:
// the independent fixture predates them, so they are held to their definition by the
// differencing auditor instead, which recomputes every published share from its model
// (audit.items), and by TestItems.
func withoutItems(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["score"]; ok {
			delete(x, "items")
		}
		for _, y := range x {
			withoutItems(y)
		}
	case []any:
		for _, y := range x {
			withoutItems(y)
		}
	}
	return v
}

// decode round-trips v through JSON, as the command line prints it.
func decode(tb testing.TB, v any) any {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// compareJSON appends to diffs every difference between decoded JSON values: numbers to 1e-6,
// the same keys in objects, lists of the same length in the same order.
func compareJSON(path string, want, got any, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v; want an object", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			wv, wok := w[k]
			gv, gok := g[k]
			switch {
			case !gok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: missing; want %v", path, k, wv))
			case !wok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: got %v; want no such key", path, k, gv))
			default:
				compareJSON(path+"."+k, wv, gv, diffs)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v; want a list of %d", path, got, len(w)))
			return
		}
		for i := range w {
			name := fmt.Sprint(i)
			if m, ok := w[i].(map[string]any); ok {
				for _, k := range []string{"id", "section", "category"} {
					if s, ok := m[k].(string); ok {
						name += "=" + s
					}
				}
			}
			compareJSON(fmt.Sprintf("%s[%s]", path, name), w[i], g[i], diffs)
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-6 {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v; want %v", path, got, w))
		}
	default:
		if want != got {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v; want %v", path, got, want))
		}
	}
}
