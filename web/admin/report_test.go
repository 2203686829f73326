package admin

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
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

// chartOption returns the ECharts option of chart id in a page body.
func chartOption(tb testing.TB, body, id string) map[string]any {
	tb.Helper()
	re := regexp.MustCompile(`<script type="application/json" id="` + regexp.QuoteMeta(id) + `-option">(.*?)</script>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no options for chart %s", id)
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		tb.Fatalf("chart %s options are not JSON: %v\n%s", id, err, m[1])
	}
	return opt
}

// seriesData returns the data of series i of an option.
func seriesData(tb testing.TB, opt map[string]any, i int) []map[string]any {
	tb.Helper()
	series, _ := opt["series"].([]any)
	if i >= len(series) {
		tb.Fatalf("no series %d", i)
	}
	var out []map[string]any
	for _, d := range series[i].(map[string]any)["data"].([]any) {
		out = append(out, d.(map[string]any))
	}
	return out
}
