package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/demo"
	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// drawnLine is one line of a line chart drawn on the server, as the page has it.
type drawnLine struct {
	Name, Colour string
	Dashed       bool
	Values       []string // per year: the score drawn, "-" for a gap
	Points       int      // the points drawn
}

// lineChartOf returns the years and lines of the line chart id on a page, read from its SVG.
func lineChartOf(tb testing.TB, body, id string) (years []string, lines []drawnLine) {
	tb.Helper()
	m := regexp.MustCompile(`(?s)<div class="drawn-chart line-chart" id="` + regexp.QuoteMeta(id) + `".*?</div>`).FindString(body)
	if m == "" {
		tb.Fatalf("no line chart %s", id)
	}
	for _, y := range regexp.MustCompile(`<text class="year"[^>]*>([^<]*)</text>`).FindAllStringSubmatch(m, -1) {
		years = append(years, y[1])
	}
	for _, g := range regexp.MustCompile(`(?s)<g class="series" data-name="([^"]*)" data-colour="([^"]*)" data-values="([^"]*)"( data-dashed="1")?>(.*?)</g>`).FindAllStringSubmatch(m, -1) {
		l := drawnLine{Name: html.UnescapeString(g[1]), Colour: g[2], Dashed: g[4] != "", Values: strings.Split(g[3], ",")}
		l.Points = strings.Count(g[5], `<title>`)
		if len(l.Values) != len(years) {
			tb.Errorf("%s: line %q has %d values for %d years", id, l.Name, len(l.Values), len(years))
		}
		drawn := 0
		for _, v := range l.Values {
			if v != "-" {
				drawn++
			}
		}
		if drawn != l.Points {
			tb.Errorf("%s: line %q has %d values and %d points", id, l.Name, drawn, l.Points)
		}
		lines = append(lines, l)
	}
	return years, lines
}

// drawnChart returns the HTML of the chart id on a page (drawn on the server), failing the
// test when the page has none.
func drawnChart(tb testing.TB, body, id string) string {
	tb.Helper()
	m := regexp.MustCompile(`(?s)<div class="drawn-chart [a-z-]+" id="` + regexp.QuoteMeta(id) + `".*?</figure>`).FindString(body)
	if m == "" {
		tb.Fatalf("no chart %s", id)
	}
	return m
}

// heatCell is a cell of a heatmap as the page has it: a score in a colour band, or a withheld
// mark.
type heatCell struct {
	Text, Title string
	Withheld    bool
}

// heatRow is a row of a heatmap as the page has it.
type heatRow struct {
	Name  string
	Cells []heatCell
}

// heatmapOf returns the columns and rows of the heatmap id on a page.
func heatmapOf(tb testing.TB, body, id string) (cols []string, rows []heatRow) {
	tb.Helper()
	h := drawnChart(tb, body, id)
	head, rest, ok := strings.Cut(h, "<tbody>")
	if !ok {
		tb.Fatalf("%s is not a table", id)
	}
	for _, m := range regexp.MustCompile(`<th scope="col">([^<]*)</th>`).FindAllStringSubmatch(head, -1) {
		cols = append(cols, html.UnescapeString(m[1]))
	}
	cell := regexp.MustCompile(`<td class="([^"]*)" title="([^"]*)">([^<]*)</td>`)
	for _, tr := range regexp.MustCompile(`(?s)<tr><th scope="row">([^<]*)</th>(.*?)</tr>`).FindAllStringSubmatch(rest, -1) {
		row := heatRow{Name: html.UnescapeString(tr[1])}
		for _, c := range cell.FindAllStringSubmatch(tr[2], -1) {
			if c[1] != "withheld" && !strings.HasPrefix(c[1], "heat-") {
				tb.Errorf("%s: a cell of class %q", id, c[1])
			}
			row.Cells = append(row.Cells, heatCell{Text: html.UnescapeString(c[3]), Title: html.UnescapeString(c[2]), Withheld: c[1] == "withheld"})
		}
		if len(row.Cells) != len(cols) {
			tb.Errorf("%s: row %q has %d cells for %d columns", id, row.Name, len(row.Cells), len(cols))
		}
		rows = append(rows, row)
	}
	return cols, rows
}

// scoreIn matches a score (one decimal) in a cell's text or title.
var scoreIn = regexp.MustCompile(`\d+\.\d`)

func TestReportPage(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "executive")
	page := ac.get("/admin/surveys/" + q.ID + "/report")
	if page.Status != http.StatusOK {
		t.Fatalf("report: %d\n%s", page.Status, page.Body)
	}
	if strings.Contains(page.Body, "<script>") || strings.Contains(page.Body, "style=") {
		t.Errorf("inline script or style on the report (the CSP forbids them)")
	}
	for _, id := range []string{"chart-heatmap", "chart-categories", "chart-types", "chart-quadrant", "chart-drivers"} {
		drawnChart(t, page.Body, id)
	}
	for _, want := range []string{"組織活性度", "活性型", "仕事専念型", "帰属依存型", "停滞型", "eNPS", "総合満足度", "ドライバー", "前回からの有意な変化", "n&lt;5", "2024"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("report lacks %q", want)
		}
	}

	// The first year has nothing to compare with.
	first := ac.get("/admin/surveys/past-2024/report")
	if first.Status != http.StatusOK || strings.Contains(first.Body, "前回からの有意な変化") || strings.Contains(first.Body, "▲") {
		t.Errorf("first year's report: %d, or it shows changes", first.Status)
	}

	// The numbers are the analysis package's.
	sv, _ := st.Survey(q.ID)
	res, err := analysis.Scan(q, func(fn func(*survey.Response) error) error { return st.EachResponse(q.ID, fn) })
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`<span class="v">%.1f</span>`, *res.Group(survey.Root).Activity.Index); !strings.Contains(page.Body, want) {
		t.Errorf("report lacks the activity index %s", want)
	}
	_ = sv

	// Heatmap: suppressed groups have marks and no number; shown ones have numbers.
	_, rows := heatmapOf(t, page.Body, "chart-heatmap")
	rowOf := map[string]int{}
	for i, r := range rows {
		rowOf[strings.TrimLeft(r.Name, "　")] = i
	}
	names := shortNames(q, "ja") // the heatmap labels its rows with short names
	shownRows := map[int]bool{}
	marks := map[int]string{}
	for y, r := range rows {
		for _, c := range r.Cells {
			if !c.Withheld {
				shownRows[y] = true
				continue
			}
			marks[y] = c.Text
			if scoreIn.MatchString(c.Text) || scoreIn.MatchString(c.Title) {
				t.Errorf("a suppressed cell carries a value: %+v", c)
			}
		}
	}
	for _, tt := range []struct {
		section string
		mark    string // "" when shown
	}{
		{"soumu-b", "n<5"}, {"hoken-b", "n<5"}, // n < 5
		{"soumu-a", "非表示"}, {"hoken-a", "非表示"}, // hidden by the remainder rule
		{"soumu", ""}, {"shimin-b", ""}, {"all", ""},
	} {
		y, ok := rowOf[names[tt.section]]
		if !ok {
			t.Errorf("heatmap has no row for %s", tt.section)
			continue
		}
		if tt.mark == "" && (!shownRows[y] || marks[y] != "") {
			t.Errorf("%s: shown %v, mark %q; want scores", tt.section, shownRows[y], marks[y])
		}
		if tt.mark != "" && (shownRows[y] || marks[y] != tt.mark) {
			t.Errorf("%s: shown %v, mark %q; want only %q", tt.section, shownRows[y], marks[y], tt.mark)
		}
	}
}

func TestReportRefusesOpenAndDraft(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q, tokens := mustOpenSurvey(t, st, 6)
	for _, tok := range tokens {
		r := survey.NewResponse(q, testSection)
		r.Answers[0] = 5
		if err := st.Submit(tok, r); err != nil {
			t.Fatal(err)
		}
	}
	mustCreateSurvey(t, st, testQuestionnaire(t, "draft-1"), survey.StateDraft)
	ac := adminLogin(t, ts, "admin")
	for _, id := range []string{q.ID, "draft-1"} {
		for _, path := range []string{"/admin/surveys/" + id + "/report", "/admin/surveys/" + id + "/comments",
			"/admin/surveys/" + id + "/export.csv", "/admin/surveys/" + id + "/report.csv"} {
			if r := ac.get(path); r.Status != http.StatusConflict || !strings.Contains(r.Body, "終了してから") {
				t.Errorf("GET %s: %d; want 409 saying results come after closing", path, r.Status)
			}
		}
		r := ac.get("/admin/api/report?survey=" + id)
		var body map[string]string
		if err := json.Unmarshal([]byte(r.Body), &body); r.Status != http.StatusConflict || err != nil || body["error"] != survey.ESTATE || body["message"] == "" {
			t.Errorf("report API for %s: %d %s; want 409 JSON with a message", id, r.Status, r.Body)
		}
	}
	if r := ac.get("/admin/api/report?survey=nope"); r.Status != http.StatusNotFound {
		t.Errorf("report API, unknown survey: %d", r.Status)
	}
	if r := ac.get("/admin/api/report"); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("report API without survey: %d", r.Status)
	}
	// Trends show closed surveys only: here there are none.
	if r := ac.get("/admin/trends"); r.Status != http.StatusOK || strings.Contains(r.Body, "chart-trend") {
		t.Errorf("trends with no closed survey: %d, has a chart %v", r.Status, strings.Contains(r.Body, "chart-trend"))
	}
}

func TestReportAPI(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "analyst")
	r := ac.get("/admin/api/report?survey=" + q.ID)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("report API: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	acc := analysis.NewAccumulator(q)
	own, err := st.SectionCounts(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if own != nil {
		acc.SetSectionCounts(own)
	}
	if err := st.EachResponse(q.ID, func(r *survey.Response) error { acc.Add(r); return nil }); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(analysis.Build(acc.Result()))
	var got, exp any
	json.Unmarshal([]byte(r.Body), &got)
	json.Unmarshal(want, &exp)
	gb, _ := json.Marshal(got)
	eb, _ := json.Marshal(exp)
	if !bytes.Equal(gb, eb) {
		t.Errorf("report API differs from analysis.Build:\n got %s\nwant %s", gb, eb)
	}
	var doc struct {
		Surveys []struct {
			ID     string `json:"id"`
			Groups []struct {
				Section    string          `json:"section"`
				Suppressed bool            `json:"suppressed"`
				Categories json.RawMessage `json:"categories"`
			} `json:"groups"`
		} `json:"surveys"`
		Changes []any `json:"changes"`
	}
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil || len(doc.Surveys) != 1 || doc.Surveys[0].ID != q.ID || doc.Changes == nil {
		t.Fatalf("shape: %v %+v", err, doc)
	}
	for _, g := range doc.Surveys[0].Groups {
		if g.Suppressed && string(g.Categories) != "null" {
			t.Errorf("suppressed group %s has categories %s", g.Section, g.Categories)
		}
	}
}

func TestReportCacheFollowsRevision(t *testing.T) {
	s, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	n := func() string {
		r := ac.get("/admin/api/report?survey=" + q.ID)
		var doc analysis.Report
		if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(doc.Surveys[0].Groups[0].N)
	}
	if got := n(); got != "82" {
		t.Fatalf("n = %s; want 82", got)
	}
	_, first, _ := s.res.Result(context.Background(), q.ID)
	_, again, _ := s.res.Result(context.Background(), q.ID)
	if first != again {
		t.Errorf("the same revision was analysed twice")
	}
	// An import into the closed survey changes its revision: the report follows.
	if err := st.Import(q.ID, demo.Responses(q, 9, 1, map[string]int{"kikaku": 4})); err != nil {
		t.Fatal(err)
	}
	if got := n(); got != "86" {
		t.Errorf("n after import = %s; want 86", got)
	}
}

func TestTrendsPage(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "executive")
	r := ac.get("/admin/trends")
	if r.Status != http.StatusOK {
		t.Fatalf("trends: %d", r.Status)
	}
	years, lines := lineChartOf(t, r.Body, "chart-trend-org")
	if len(years) != 2 || years[0] != "2024" || years[1] != "2025" {
		t.Errorf("years on the x axis: %v", years)
	}
	// One chosen line by default (the activity index), a few when asked.
	if len(lines) != 1 {
		t.Errorf("%d lines; want the activity index alone", len(lines))
	}
	if !strings.Contains(r.Body, `class="cutoff"`) {
		t.Errorf("the activity index without the cutoff of the active type")
	}
	_, lines = lineChartOf(t, ac.get("/admin/trends?metric=activity&metric=work&metric=motivation&metric=cohesion&metric=talk").Body, "chart-trend-org")
	if len(lines) != 4 {
		t.Errorf("%d lines for five chosen; want at most 4", len(lines))
	}
	if strings.Contains(r.Body, "chart-trend-section") {
		t.Errorf("a section chart without a section picked")
	}
	// The trends page draws its charts itself: it loads no echarts.
	if strings.Contains(r.Body, "echarts") {
		t.Errorf("the trends page loads echarts")
	}

	// A section suppressed every year: no chart, a notice, and marks in the table.
	r = ac.get("/admin/trends?section=soumu-b")
	if strings.Contains(r.Body, `id="chart-trend-section"`) || !strings.Contains(r.Body, "数値を表示できません") {
		t.Errorf("a section without any score gets a chart, or no notice")
	}
	if !strings.Contains(r.Body, "n&lt;5") {
		t.Errorf("trend table of a suppressed section lacks the n<5 mark")
	}
	// A section shown in 2024 and suppressed in 2025: a point, then a gap.
	q24, _ := st.Survey("past-2024")
	if err := st.Import("past-2024", demo.Responses(q24.Questionnaire, 3, 0, map[string]int{"hoken-b": 5})); err != nil {
		t.Fatal(err)
	}
	r = ac.get("/admin/trends?section=hoken-b")
	_, lines = lineChartOf(t, r.Body, "chart-trend-section")
	// line 0 is the organisation overlaid (dashed), 1 the section
	if len(lines) != 2 || !lines[0].Dashed || lines[1].Dashed {
		t.Fatalf("hoken-b's chart: %+v; want the organisation dashed, then the section", lines)
	}
	if d := lines[1].Values; d[0] == "-" || d[1] != "-" {
		t.Errorf("hoken-b activity line %v; want a 2024 point and a 2025 gap", d)
	}
	// A shown section has points.
	r = ac.get("/admin/trends?section=kikaku")
	_, lines = lineChartOf(t, r.Body, "chart-trend-section")
	if d := lines[1].Values; d[0] == "-" || d[1] == "-" {
		t.Errorf("kikaku's activity line has gaps: %v", d)
	}
	if r := ac.get("/admin/trends?section=nowhere"); r.Status != http.StatusNotFound {
		t.Errorf("unknown section: %d; want 404", r.Status)
	}
}

func TestCommentsPage(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	var all []string
	st.EachResponse(q.ID, func(r *survey.Response) error {
		if r.Comments[0] != "" {
			all = append(all, r.Comments[0])
		}
		return nil
	})
	if len(all) < 2 {
		t.Skipf("the demo data has %d comments", len(all))
	}
	ac := adminLogin(t, ts, "executive")
	r := ac.get("/admin/surveys/" + q.ID + "/comments")
	if r.Status != http.StatusOK {
		t.Fatalf("comments: %d", r.Status)
	}
	for _, c := range all {
		if !strings.Contains(r.Body, html.EscapeString(c)) {
			t.Errorf("organisation comments lack %q", c)
		}
	}
	for _, section := range []string{"hoken-b", "soumu-a", "kikaku"} { // 2, 8 (hidden), 20 but < 10 comments' group rule applies
		r := ac.get("/admin/surveys/" + q.ID + "/comments?section=" + section)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", section, r.Status)
		}
		_, ok := analysis.Comments(q, section, storedResponses(t, st, q.ID))
		if shown := !strings.Contains(r.Body, "自由記述を表示できません"); shown != ok {
			t.Errorf("%s: comments shown %v; analysis allows %v", section, shown, ok)
		}
		if !ok && (strings.Contains(r.Body, `class="themes"`) || strings.Contains(r.Body, `class="comments"`)) {
			t.Errorf("%s: a group rule 7 hides shows themes or comments", section)
		}
	}
	if r := ac.get("/admin/surveys/" + q.ID + "/comments?section=nowhere"); r.Status != http.StatusNotFound {
		t.Errorf("unknown section: %d", r.Status)
	}
}

func TestExportCSV(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "analyst")

	r := ac.get("/admin/surveys/" + q.ID + "/export.csv?format=wide&bom=0")
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), q.ID+"-wide.csv") {
		t.Fatalf("export: %d %v", r.Status, r.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(survey.Header(q), ",") || len(rows) != 83 {
		t.Fatalf("header %v, %d rows; want the §5 header and 82 responses", rows[0], len(rows)-1)
	}
	count := map[string]int{}
	for _, row := range rows[1:] {
		count[row[2]]++
	}
	// soumu-a/b and hoken-a/b are suppressed: their rows carry the parent section.
	want := map[string]int{"soumu": 11, "shimin-a": 12, "shimin-b": 6, "shimin-c": 7, "madoguchi": 15, "hoken": 11, "kikaku": 20}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Errorf("rows per section %v; want %v", count, want)
	}

	r = ac.get("/admin/surveys/" + q.ID + "/export.csv?format=long&bom=1")
	if !strings.HasPrefix(r.Body, "\xef\xbb\xbfsurvey,year,section,respondent,question,value\r\n") {
		t.Errorf("long export with BOM starts %q", r.Body[:min(60, len(r.Body))])
	}
	for _, bad := range []string{"?format=tall", "?bom=yes"} {
		if r := ac.get("/admin/surveys/" + q.ID + "/export.csv" + bad); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("export %s: %d; want 422", bad, r.Status)
		}
	}
}

func TestExportRefusesTinySurvey(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := testQuestionnaire(t, "tiny")
	mustCreateSurvey(t, st, q, survey.StateDraft)
	if err := st.Import(q.ID, demo.Responses(q, 1, 0, map[string]int{"kikaku": 3})); err != nil {
		t.Fatal(err)
	}
	storagetest.CloseSurvey(st, q.ID)
	ac := adminLogin(t, ts, "admin")
	for _, path := range []string{"/admin/surveys/tiny/export.csv", "/admin/surveys/tiny/report.csv"} {
		if r := ac.get(path); r.Status != http.StatusConflict || !strings.Contains(r.Body, "匿名性") {
			t.Errorf("%s: %d; want 409 explaining anonymity", path, r.Status)
		}
	}
	if r := ac.get("/admin/surveys/tiny/report"); r.Status != http.StatusOK || !strings.Contains(r.Body, "表示できません") || strings.Contains(r.Body, "chart-heatmap") {
		t.Errorf("report of a tiny survey: %d; want a page without charts saying it cannot be shown", r.Status)
	}
}

func TestReportCSV(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	r := ac.get("/admin/surveys/" + q.ID + "/report.csv")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "\xef\xbb\xbfsection,name,parent,depth,n,suppressed,") {
		t.Fatalf("report CSV: %d %q", r.Status, r.Body[:min(80, len(r.Body))])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\xef\xbb\xbf"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(q.Tree())+1 {
		t.Errorf("%d rows; want one per group (%d) and the header", len(rows), len(q.Tree()))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, row := range rows[1:] {
		if row[col["suppressed"]] == "1" {
			for _, h := range []string{"activity_index", "motivation_score", "satisfaction_score", "enps_score"} {
				if row[col[h]] != "" {
					t.Errorf("suppressed %s has %s = %q", row[0], h, row[col[h]])
				}
			}
		}
		if row[0] == "all" && row[col["activity_index"]] == "" {
			t.Errorf("the organisation has no activity index")
		}
	}
	// The CSV publishes the numbers of the report JSON and nothing else (docs/analysis.md, "Suppression" (c) is
	// checked on that JSON by analysis' auditor): every cell is its JSON value, or empty for null.
	var doc struct {
		Surveys []struct {
			ID     string           `json:"id"`
			Groups []map[string]any `json:"groups"`
		} `json:"surveys"`
	}
	if err := json.Unmarshal([]byte(ac.get("/admin/api/report?survey="+q.ID).Body), &doc); err != nil || len(doc.Surveys) != 1 {
		t.Fatalf("report API: %v", err)
	}
	field := func(g map[string]any, path ...string) any {
		var v any = g
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		}
		return v
	}
	paths := map[string][]string{"n": {"n"}, "activity_n": {"activity", "n"}, "activity_index": {"activity", "index"},
		"motivation": {"activity", "motivation"}, "cohesion": {"activity", "cohesion"}, "type": {"activity", "type"},
		"type_active": {"activity", "types", "active"}, "type_work_focused": {"activity", "types", "work-focused"},
		"type_belonging_dependent": {"activity", "types", "belonging-dependent"}, "type_stagnant": {"activity", "types", "stagnant"},
		"satisfaction_n": {"satisfaction", "n"}, "satisfaction_score": {"satisfaction", "score"}, "satisfaction_favourable": {"satisfaction", "favourable"},
		"enps_n": {"enps", "n"}, "enps_score": {"enps", "score"}}
	for _, c := range q.Categories {
		for _, f := range []string{"n", "score", "favourable", "sd", "ci_low", "ci_high", "alpha"} {
			paths[c.ID+"_"+f] = []string{"categories", c.ID, f}
		}
	}
	checked := 0
	for i, row := range rows[1:] {
		g := doc.Surveys[0].Groups[i]
		for h, path := range paths {
			cell, v := row[col[h]], field(g, path...)
			want := ""
			switch v := v.(type) {
			case float64:
				x, err := strconv.ParseFloat(cell, 64)
				if err != nil || math.Abs(x-v) > 0.5e-4+1e-9 { // the CSV has 4 decimals
					t.Errorf("%s %s: CSV %q; JSON %v", row[0], h, cell, v)
				}
				checked++
				continue
			case string:
				want = v
			}
			if cell != want {
				t.Errorf("%s %s: CSV %q; JSON %v", row[0], h, cell, v)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no number compared")
	}
}

// TestExportXLSXAndCodebook: the web offers the workbook and the codebook that the command
// line writes, to the roles that may export.
func TestExportXLSXAndCodebook(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "analyst")
	r := ac.get("/admin/surveys/" + q.ID + "/export.xlsx")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") || !strings.Contains(r.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: %d %q", r.Status, r.Header.Get("Content-Disposition"))
	}
	r = ac.get("/admin/surveys/" + q.ID + "/export.csv?format=codebook")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "kind,id,text_ja,") {
		t.Fatalf("codebook: %d %.60q", r.Status, r.Body)
	}
	if r := adminLogin(t, ts, "executive").get("/admin/surveys/" + q.ID + "/export.xlsx"); r.Status != http.StatusForbidden {
		t.Errorf("executive xlsx: %d; want 403", r.Status)
	}
}

// TestImportedLabelled: a survey with responses but no issued token was imported; the list,
// its page and its report say so instead of showing a response rate of nothing.
func TestImportedLabelled(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	for _, path := range []string{"/admin", "/admin/surveys/" + q.ID, "/admin/surveys/" + q.ID + "/report"} {
		if r := ac.get(path); !strings.Contains(r.Body, "取り込み") {
			t.Errorf("%s does not say the survey was imported", path)
		}
	}
	// The report says why each hidden row is hidden, with the remedy.
	body := ac.get("/admin/surveys/" + q.ID + "/report").Body
	for _, want := range []string{"人未満", "差し引く", "統合", "用語の説明", "設問別の結果", "強み"} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
