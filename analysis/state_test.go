package analysis_test

import (
	"encoding/json"
	"testing"

	"staffsurvey/analysis"
)

// TestStateAgrees: the report built from the stored state of the attributes fixture (what a
// survey with attributes keeps after close) equals the one from its responses, changes
// between the years (Welch from n, mean and M2) included.
func TestStateAgrees(t *testing.T) {
	var direct, stored []*analysis.SurveyResult
	for _, year := range []string{"2025", "2026"} {
		q, rs := loadAttrFixture(t, year)
		direct = append(direct, analysis.Analyze(q, rs))
		data, err := analysis.Aggregate(q, rs)
		if err != nil {
			t.Fatal(err)
		}
		res, err := analysis.ResultFromState(q, data)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, res)
		if _, err := analysis.ResultFromState(q, data[:len(data)/2]); err == nil {
			t.Error("a truncated state decoded")
		}
	}
	want, _ := json.Marshal(analysis.Build(direct...))
	got, _ := json.Marshal(analysis.Build(stored...))
	if string(got) != string(want) {
		t.Errorf("report from the stored state differs:\n got %.400s\nwant %.400s", got, want)
	}
	for i := range direct {
		if h1, h2 := direct[i].Heatmap(), stored[i].Heatmap(); len(h1.Rows) != len(h2.Rows) || h1.Rows[3].Depth != h2.Rows[3].Depth {
			t.Errorf("heatmaps differ: %+v / %+v", h1.Rows[3], h2.Rows[3])
		}
	}
	if len(analysis.Build(stored...).Changes) != 84 {
		t.Errorf("%d changes; want the fixture's 84", len(analysis.Build(stored...).Changes))
	}
}
