package web

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestExportWithholdsSmallSectionComments: the test questionnaire shows numbers from 5
// respondents but comments only from 10 (docs/anonymity.md, rule 7). soumu-a and soumu-b (6 each)
// are named in the responses CSV, so their comments must not be in it: the comments page
// shows them only as soumu's 12, and neither section's comments may be had apart.
func TestExportWithholdsSmallSectionComments(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := testQuestionnaire(t, "comments-2025")
	mustCreateSurvey(t, st, q, survey.StateDraft)
	var rs []*survey.Response
	for section, n := range map[string]int{"soumu-a": 6, "soumu-b": 6, "madoguchi": 12} {
		for i := range n {
			r := survey.NewResponse(q, section)
			r.Answers[0] = 4
			r.Comments[0] = fmt.Sprintf("%s の意見 %d", section, i)
			rs = append(rs, r)
		}
	}
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	ac := adminLogin(t, ts, "analyst")
	for _, section := range []string{"soumu-a", "soumu-b"} {
		if r := ac.get("/admin/surveys/" + q.ID + "/comments?section=" + section); !strings.Contains(r.Body, "自由記述を表示できません") {
			t.Fatalf("comments page of %s: shown; the test needs it refused", section)
		}
	}
	tests := []struct {
		format   string
		comments func(row []string) []string // the comments of a row
	}{
		{"wide", func(row []string) []string {
			if c := row[len(row)-1]; c != "" {
				return []string{c}
			}
			return nil
		}},
		{"long", func(row []string) []string {
			if row[4] == "good" {
				return []string{row[5]}
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			r := ac.get("/admin/surveys/" + q.ID + "/export.csv?format=" + tt.format)
			if r.Status != http.StatusOK {
				t.Fatalf("export: %d", r.Status)
			}
			rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{} // comments per exported section
			for _, row := range rows[1:] {
				for _, c := range tt.comments(row) {
					got[row[2]]++
					if !strings.HasPrefix(c, row[2]+" ") {
						t.Errorf("comment %q under section %s", c, row[2])
					}
				}
			}
			if want := map[string]int{"madoguchi": 12}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("comments per section %v; want %v", got, want)
			}
		})
	}
}

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
	heat := chartOption(t, fmt.Sprintf(`<div class="chart" id="chart-heatmap"></div><script type="application/json" id="chart-heatmap-option">%s</script>`,
		p.Chart["chart-heatmap"].Option), "chart-heatmap")
	rows := heat["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
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
		y := -1
		for i, r := range rows {
			if r == short[tt.section] { // the heatmap labels rows with short names
				y = i
			}
		}
		got := ""
		for _, d := range seriesData(t, heat, 1) { // the marks
			if v := d["value"].([]any); int(v[0].(float64)) == boss+1 && int(v[1].(float64)) == y {
				got = v[3].(string)
			}
		}
		if got != tt.mark {
			t.Errorf("heatmap, %s boss: got mark %q; want %q", tt.section, got, tt.mark)
		}
	}
}
