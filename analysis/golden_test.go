package analysis_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/demo"
	"staffsurvey/survey"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden pins the whole JSON report of three synthetic years, null fields and all, to
// testdata/demo-report.json: any change to a number, a suppression or the shape shows up as
// a diff to review. Refresh with `go test ./analysis -run Golden -update`.
func TestGolden(t *testing.T) {
	text := func(s string) survey.Text { return survey.Text{JA: s} }
	sections := []survey.Section{
		{Code: "soumu", Name: text("総務課"), Children: []survey.Section{{Code: "soumu-a", Name: text("庶務")}, {Code: "soumu-b", Name: text("人事")}}},
		{Code: "kikaku", Name: text("企画課")},
		{Code: "hoken", Name: text("保健福祉課"), Children: []survey.Section{{Code: "hoken-a", Name: text("福祉")}, {Code: "hoken-b", Name: text("子育て")}}},
	}
	sizes := map[string]int{"soumu-a": 14, "soumu-b": 4, "kikaku": 9, "hoken-a": 12, "hoken-b": 0}
	var results []*analysis.SurveyResult
	for i, q := range demo.Years(newQuestionnaire(t, 2026, 5, sections...), 3) {
		results = append(results, analysis.Analyze(q, demo.Responses(q, 2026, i, sizes)))
	}
	got, err := json.MarshalIndent(analysis.Build(results...), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "demo-report.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	// Numbers may differ in the last bits on other CPUs (fused multiply-add); only differences
	// beyond 1e-6, or of anything but numbers, fail.
	var diffs []string
	compareJSON("", decode(t, json.RawMessage(want)), decode(t, json.RawMessage(got)), &diffs)
	for i, d := range diffs {
		if i == 10 {
			t.Errorf("... and %d more", len(diffs)-10)
			break
		}
		t.Errorf("%s (run with -update if intended)", d)
	}
}
