package admin

import (
	"cmp"
	"staffsurvey/analysis"
	"staffsurvey/survey"
	"testing"
)

// TestWithheldMetricMark: a metric that the remainder rule withholds although its own n
// reaches the minimum is marked 「非表示」 (hidden) in the heatmap and the report table, as
// the page explains that mark, not 「n<5」, which would be untrue.
func TestWithheldMetricMark(t *testing.T) {
	q := testQuestionnaire(t, "marks-2025")
	var rs []*survey.Response
	add := func(section string, n int, boss bool) {
		for range n {
			r := survey.NewResponse(q, section)
			for i := range r.Answers {
				r.Answers[i] = 4
			}
			if !boss {
				for i := 12; i < 16; i++ { // b1–b4
					r.Answers[i] = survey.NA
				}
			}
			rs = append(rs, r)
		}
	}
	// soumu's boss score has 8 respondents: soumu-a's 6 and soumu-b's 2. soumu-b's is
	// below 5; soumu-a's is withheld, or soumu's minus soumu-a's would give soumu-b's.
	add("soumu-a", 6, true)
	add("soumu-b", 2, true)
	add("soumu-b", 4, false)
	add("madoguchi", 6, true)
	res := analysis.Analyze(q, rs)
	p, err := buildReportPage(&survey.Survey{Questionnaire: q, State: survey.StateClosed}, res, nil, nil, "ja")
	if err != nil {
		t.Fatal(err)
	}
	names, short := sectionNames(q, "ja"), shortNames(q, "ja")
	const boss = 4 // the fifth category
	heat := p.Chart["chart-heatmap"].Heat
	for _, tt := range []struct {
		section, mark string // mark "" for a score
	}{
		{"soumu-a", "非表示"},
		{"soumu-b", "n<5"},
		{"soumu", ""},
	} {
		for _, row := range p.Table {
			if want := cmp.Or(tt.mark, "75.0"); row.Name == names[tt.section] && row.Cells[boss] != want {
				t.Errorf("table, %s boss: got %q; want %q", tt.section, row.Cells[boss], want)
			}
		}
		got := "?"
		for _, r := range heat.Rows {
			if r.Name == short[tt.section] { // the heatmap labels rows with short names
				if c := r.Cells[boss+1]; c.Band < 0 {
					got = c.Text
				} else {
					got = ""
				}
			}
		}
		if got != tt.mark {
			t.Errorf("heatmap, %s boss: got mark %q; want %q", tt.section, got, tt.mark)
		}
	}
}
