package analysis_test

import (
	"path/filepath"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

func TestExportSection(t *testing.T) {
	q, err := survey.LoadFile(filepath.Join("..", "..", "shared", "fixtures", "analysis", "fixture-2025.yaml"))
	if err != nil {
		t.Skip(err)
	}
	var rs []*survey.Response
	for section, n := range map[string]int{"soumu-a": 10, "soumu-b": 2, "madoguchi": 6} {
		for range n {
			r := survey.NewResponse(q, section)
			r.Answers[0] = 3
			rs = append(rs, r)
		}
	}
	section, ok := analysis.Analyze(q, rs).ExportSection()
	if !ok {
		t.Fatal("root suppressed")
	}
	// soumu-b (2) is below 5; soumu-a is then suppressed by the remainder rule, so both
	// become soumu (12), and nobody can subtract soumu-a from soumu.
	for code, want := range map[string]string{"soumu-a": "soumu", "soumu-b": "soumu", "madoguchi": "madoguchi"} {
		if got := section(code); got != want {
			t.Errorf("section(%s): got %s; want %s", code, got, want)
		}
	}
	if _, ok := analysis.Analyze(q, rs[:3]).ExportSection(); ok {
		t.Error("3 respondents in all: got ok; want the export refused")
	}
}
