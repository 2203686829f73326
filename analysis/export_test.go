package analysis_test

import (
	"path/filepath"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

func TestExportSection(t *testing.T) {
	q, err := survey.LoadFile(filepath.Join(fixtureDir, "fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
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

// exportCommentsTests are trees (all → a → a1, a2, a3; b) with min_group_size 5 and the
// given min_comment_group_size, and which leaves' rows may carry their comments in an export.
var exportCommentsTests = []struct {
	name  string
	ck    int            // min_comment_group_size
	sizes map[string]int // respondents per leaf
	want  map[string]bool
}{
	{
		// both sizes 5: every section an export names may show its comments
		name:  "equal sizes",
		ck:    5,
		sizes: map[string]int{"a1": 6, "a2": 6, "b": 6},
		want:  map[string]bool{"a1": true, "a2": true, "b": true},
	},
	{
		// a1 and a2 (6 each) are named in the export but are below 10: their comments
		// would be a small section's; the comments page shows only a's 12 together
		name:  "sections below the comment size",
		ck:    10,
		sizes: map[string]int{"a1": 6, "a2": 6, "b": 12},
		want:  map[string]bool{"a1": false, "a2": false, "b": true},
	},
	{
		// a2 (4) goes to a, and a1 with it by the remainder rule, so the export names a
		// for 10 rows and a3 for 8. The comments page shows a's 18 together: a's 10 in the
		// export would leave a3's 8 by subtraction, so neither may have them
		name:  "export name not a comment group",
		ck:    10,
		sizes: map[string]int{"a1": 6, "a2": 4, "a3": 8, "b": 10},
		want:  map[string]bool{"a1": false, "a2": false, "a3": false, "b": true},
	},
	{
		// the export names a1 (10) and all for a2 (6) and b (3); at 10 a1 is hidden by the
		// remainder rule, so the comments page has only all's 19
		name:  "comment remainder",
		ck:    10,
		sizes: map[string]int{"a1": 10, "a2": 6, "b": 3},
		want:  map[string]bool{"a1": false, "a2": false, "b": false},
	},
	{
		// 9 respondents: exported, but no group reaches 10
		name:  "organisation below the comment size",
		ck:    10,
		sizes: map[string]int{"a1": 5, "b": 4},
		want:  map[string]bool{"a1": false, "b": false},
	},
}

func TestExportComments(t *testing.T) {
	text := func(s string) survey.Text { return survey.Text{JA: s} }
	sections := []survey.Section{
		{Code: "a", Name: text("A"), Children: []survey.Section{{Code: "a1", Name: text("A1")}, {Code: "a2", Name: text("A2")}, {Code: "a3", Name: text("A3")}}},
		{Code: "b", Name: text("B")},
	}
	for _, tt := range exportCommentsTests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQuestionnaire(t, 2025, 5, sections...)
			q.Anonymity.MinCommentGroupSize = tt.ck
			var rs []*survey.Response
			for section, n := range tt.sizes {
				rs = append(rs, repeat(n, answer(section, [7]int8{4, 4, 4, 4, 4, 4, 4}, 4, 9))...)
			}
			res := analysis.Analyze(q, rs)
			section, ok := res.ExportSection()
			if !ok {
				t.Fatal("export refused")
			}
			comments := res.ExportComments()
			for code, want := range tt.want {
				if got := comments(code); got != want {
					t.Errorf("%s (exported as %s): got comments %v; want %v", code, section(code), got, want)
				}
				// Whatever an export writes with a comment, the comments page shows for that name.
				if _, shown := analysis.Comments(q, section(code), rs); comments(code) && !shown {
					t.Errorf("%s: comments exported under %s, whose comments page is refused", code, section(code))
				}
			}
		})
	}
}
