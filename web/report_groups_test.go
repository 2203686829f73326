package web

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/results/insight"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// A survey with attributes keeps sums, which the store makes with the analysis's aggregation:
// the command wires it at start, the web's tests here.
func init() { storage.SetAggregator(analysis.Aggregate) }

// attrQuestionnaire returns the attributes fixture's questionnaire of year (2025 or 2026).
func attrQuestionnaire(tb testing.TB, year string) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.LoadFile(testfixture.Attributes("attr-" + year + ".yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// mustCloseWith creates q as a draft, imports rs into it and closes it.
func mustCloseWith(tb testing.TB, st *storage.Store, q *survey.Questionnaire, rs []*survey.Response) {
	tb.Helper()
	mustCreateSurvey(tb, st, q, survey.StateDraft)
	if err := st.Import(q.ID, rs); err != nil {
		tb.Fatalf("import %s: %v", q.ID, err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		tb.Fatal(err)
	}
}

// seedAttrSurveys closes both years of the attributes fixture (testdata/fixtures/attributes):
// in 2026 rank=manager is withheld by the remainder rule and employment=reemployed (4 people)
// by rule a; in 2025 the managers are shown but their 組織活性度 is withheld.
func seedAttrSurveys(tb testing.TB, st *storage.Store) *survey.Questionnaire {
	tb.Helper()
	var q *survey.Questionnaire
	for _, year := range []string{"2025", "2026"} {
		var rs []*survey.Response
		q, rs = attrResponses(tb, year)
		mustCloseWith(tb, st, q, rs)
	}
	return q
}

// attrResponses returns the questionnaire and the responses of year of the attributes fixture.
func attrResponses(tb testing.TB, year string) (*survey.Questionnaire, []*survey.Response) {
	return fixtureload.Attributes(tb, year)
}

// questionMeans returns, per question id of q, the mean s(v) (after reversal) over those of rs
// who answered it among its category's respondents — those with the category's score, and for
// a category on an axis those with 組織活性度 — as docs/analysis.md defines it: what a
// comparison would print for the group of rs.
func questionMeans(q *survey.Questionnaire, rs []*survey.Response) map[string]float64 {
	p := float64(q.Scale.Points)
	defined := func(r *survey.Response, c survey.Category, start int) bool {
		answered := 0
		for j := range c.Items {
			if r.Answers[start+j] != survey.NA {
				answered++
			}
		}
		return answered > 0 && answered >= (len(c.Items)+1)/2
	}
	sums, ns := map[string]float64{}, map[string]int{}
	for _, r := range rs {
		active := true
		start := 0
		for _, c := range q.Categories {
			if c.Axis != "" && !defined(r, c, start) {
				active = false
			}
			start += len(c.Items)
		}
		start = 0
		for _, c := range q.Categories {
			if defined(r, c, start) && (c.Axis == "" || active) {
				for j, it := range c.Items {
					if v := r.Answers[start+j]; v != survey.NA {
						x := float64(v)
						if it.Reverse {
							x = p + 1 - x
						}
						sums[it.ID] += (x - 1) / (p - 1) * 100
						ns[it.ID]++
					}
				}
			}
			start += len(c.Items)
		}
	}
	out := map[string]float64{}
	for id, n := range ns {
		out[id] = sums[id] / float64(n)
	}
	return out
}

// leakSurvey is the attack of an option that nearly equals a section: in 2027, 政策推進課
// (kikaku) is 10 managers and 2 staff and nobody else is a manager, so kikaku − managers
// would give those 2 people's answers. Rules a and b within the attribute show the managers
// (10 ≥ k, and the rest of the organisation is large); the cross-partition check must withhold
// them. It returns the questionnaire, the responses and the managers' true results — what
// must appear nowhere.
func leakSurvey(tb testing.TB) (*survey.Questionnaire, []*survey.Response, *analysis.Group) {
	tb.Helper()
	q := attrQuestionnaire(tb, "2026")
	q.ID, q.Year = "attr-2027", 2027
	rng := rand.New(rand.NewPCG(2027, 21))
	person := func(leaf string, rank int8) *survey.Response {
		r := survey.NewResponse(q, leaf)
		for i := range r.Answers {
			r.Answers[i] = int8(1 + rng.IntN(5))
		}
		r.Satisfaction, r.ENPS = int8(1+rng.IntN(5)), int8(rng.IntN(11))
		r.Attributes = []int8{rank, survey.NA, survey.NA}
		return r
	}
	var rs, managers []*survey.Response
	for _, leaf := range q.Leaves() {
		if leaf == "kikaku" {
			for i := range 12 {
				rank := int8(2)
				if i >= 10 {
					rank = 0
				}
				r := person(leaf, rank)
				if rank == 2 {
					managers = append(managers, r)
				}
				rs = append(rs, r)
			}
			continue
		}
		for i := range 8 {
			rs = append(rs, person(leaf, int8(i%2)))
		}
	}
	res := analysis.Analyze(q, rs)
	if g := res.Attribute("rank").Option("manager"); !g.Suppressed || g.Reason != analysis.ReasonCrossPartition {
		tb.Fatalf("the managers are not withheld across partitions: %+v", g)
	}
	// The managers' true numbers: the same people as a survey of their own.
	plain := *q
	plain.Attributes = nil
	var own []*survey.Response
	for _, r := range managers {
		c := *r
		c.Attributes = nil
		own = append(own, &c)
	}
	truth := analysis.Analyze(&plain, own).Group(survey.Root)
	if !truth.Shown() {
		tb.Fatal("the managers' own results are not shown")
	}
	return q, rs, truth
}

// secretNumbers are the managers' true numbers (truth, and more) as a page would print them
// (one decimal), leaving out any that a number the option blocks of the pages show rounds to
// as well — a score or a type's share of a shown option group of docs (report JSON), a gap
// between two of them, an option's change, or one of printed — since a page prints that one
// rightly.
func secretNumbers(tb testing.TB, truth *analysis.Group, more, printed []float64, docs ...string) []string {
	// The managers of 2027 themselves count as not published, whatever the JSON says: the
	// test must catch them if the check ever lets them through.
	secret := func(sr *analysis.SurveyResult, at *analysis.AttributeResult, g *analysis.OptionGroup) bool {
		return sr.ID == "attr-2027" && at.ID == "rank" && g.Option == "manager"
	}
	var xs []*float64
	for _, c := range truth.Categories {
		xs = append(xs, c.Score, c.Favourable, c.SD)
	}
	a := truth.Activity
	xs = append(xs, a.Index, a.Motivation, a.Cohesion, truth.Satisfaction.Score, truth.Satisfaction.Favourable, truth.ENPS.Score,
		&a.Types.Active, &a.Types.WorkFocused, &a.Types.BelongingDependent, &a.Types.Stagnant)
	for i := range more {
		xs = append(xs, &more[i])
	}
	published := map[string]bool{}
	add := func(x float64) { published[fmt.Sprintf("%.1f", math.Abs(x))] = true }
	for _, x := range printed {
		add(x)
	}
	addP := func(x *float64) {
		if x != nil {
			add(*x)
		}
	}
	for _, doc := range docs {
		var rep analysis.Report
		if err := json.Unmarshal([]byte(doc), &rep); err != nil {
			tb.Fatal(err)
		}
		for _, sr := range rep.Surveys {
			for _, at := range sr.Attributes {
				for _, g := range at.Groups {
					if !g.Shown() || secret(sr, at, g) {
						continue
					}
					for _, c := range g.Categories {
						addP(c.Score)
					}
					a := g.Activity
					for _, x := range []*float64{a.Index, a.Motivation, a.Cohesion, g.Satisfaction.Score, g.ENPS.Score} {
						addP(x)
					}
					if a.Types != nil {
						for _, x := range []float64{a.Types.Active, a.Types.WorkFocused, a.Types.BelongingDependent, a.Types.Stagnant} {
							add(x)
						}
					}
				}
				for _, g := range at.Groups {
					for _, h := range at.Groups {
						if !g.Shown() || !h.Shown() || secret(sr, at, g) || secret(sr, at, h) {
							continue
						}
						for k, c := range g.Categories {
							if d := h.Categories[k]; c.Score != nil && d != nil && d.Score != nil {
								add(*d.Score - *c.Score)
							}
						}
						if g.Activity.Index != nil && h.Activity.Index != nil {
							add(*h.Activity.Index - *g.Activity.Index)
						}
					}
				}
			}
		}
		for _, ch := range rep.Changes {
			if ch.Attribute != "" && !(ch.To == 2027 && ch.Attribute == "rank" && ch.Option == "manager") {
				add(ch.Delta)
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if x == nil {
			continue
		}
		s := fmt.Sprintf("%.1f", math.Abs(*x))
		if !published[s] && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// walkNumbers calls fn with every number of a decoded JSON value but counts and years, which
// pages print as integers.
func walkNumbers(v any, fn func(float64)) {
	switch x := v.(type) {
	case float64:
		fn(x)
	case map[string]any:
		for k, y := range x {
			switch k {
			case "n", "year", "from", "to", "min_group_size":
				continue
			}
			walkNumbers(y, fn)
		}
	case []any:
		for _, y := range x {
			walkNumbers(y, fn)
		}
	}
}

// assertNowhere fails when one of the numbers occurs in body as a number of its own.
func assertNowhere(t *testing.T, where, body string, numbers []string) {
	t.Helper()
	for _, n := range numbers {
		if regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(n) + `([^0-9]|$)`).MatchString(body) {
			t.Errorf("%s shows %s, a number of the withheld option group", where, n)
		}
	}
}

// TestReportOptionGroups: the report of a survey with attributes shows every option's metrics,
// the heatmap of options × categories with exactly the published cells, the types per option,
// and the comparison of two options — with the gap only where both publish the metric, and the
// reason when an option is withheld.
func TestReportOptionGroups(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedAttrSurveys(t, st)
	ac := adminLogin(t, ts, "executive")
	page := ac.get("/admin/surveys/" + q.ID + "/report")
	if page.Status != http.StatusOK {
		t.Fatalf("report: %d\n%s", page.Status, page.Body)
	}
	var doc analysis.Report
	if err := json.Unmarshal([]byte(ac.get("/admin/api/report?survey="+q.ID).Body), &doc); err != nil {
		t.Fatal(err)
	}
	res := doc.Surveys[0]
	for _, want := range []string{"属性別の結果（組織全体）", "職層", "年代", "雇用形態", "係員", "再任用職員", "2つの選択肢の比較",
		"組織全体からほかの選択肢を差し引くと",  // rank=manager: the remainder rule
		"匿名性を守る最小人数 5 人に満たない", // employment=reemployed: rule a
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// The changes since last year list sections only: an option's change has no section.
	if strings.Contains(page.Body, "<tr><td></td>") {
		t.Error("a change without a section in the list of significant changes")
	}

	// Heatmap: a row per option somebody chose; every shown cell is the published score, every
	// withheld option or metric a mark without a value.
	_, rows := heatmapOf(t, page.Body, "chart-options-heatmap")
	var groups []*analysis.OptionGroup
	for _, at := range q.Attributes {
		for _, o := range at.Options {
			if g := res.Attribute(at.ID).Option(o.ID); g.N > 0 {
				if want := at.Title.JA + ": " + o.Label.JA; len(groups) < len(rows) && rows[len(groups)].Name != want {
					t.Errorf("heatmap row %d is %v; want %s", len(groups), rows[len(groups)].Name, want)
				}
				groups = append(groups, g)
			}
		}
	}
	if len(rows) != len(groups) {
		t.Fatalf("%d heatmap rows; want %d", len(rows), len(groups))
	}
	keys := []string{analysis.ActivityKey}
	for _, c := range q.Categories {
		keys = append(keys, c.ID)
	}
	value := func(g *analysis.OptionGroup, key string) *float64 {
		if !g.Shown() {
			return nil
		}
		if key == analysis.ActivityKey {
			return g.Activity.Index
		}
		return g.Categories[key].Score
	}
	cells := 0
	for y, r := range rows {
		for x, c := range r.Cells {
			cells++
			want := value(groups[y], keys[x])
			if c.Withheld {
				if want != nil || scoreIn.MatchString(c.Text) || scoreIn.MatchString(c.Title) {
					t.Errorf("heatmap %s × %s is marked %+v but published", r.Name, keys[x], c)
				}
				continue
			}
			if want == nil || !strings.HasPrefix(c.Text, fmt.Sprintf("%.1f", math.Round(*want*10)/10)) {
				t.Errorf("heatmap %s × %s shows %v; published %v", r.Name, keys[x], c.Text, want)
			}
		}
	}
	if cells != len(groups)*len(keys) {
		t.Errorf("%d heatmap cells; want %d", cells, len(groups)*len(keys))
	}

	// Types per option: the shown options with their shares.
	types := drawnChart(t, page.Body, "chart-options-types")
	if n := strings.Count(types, `<li title=`); n == 0 || n >= len(groups) {
		t.Errorf("%d rows of types; want the shown options only", n)
	}
	staff := res.Attribute("rank").Option("staff")
	if want := fmt.Sprintf("%.1f%%", staff.Activity.Types.Active); !strings.Contains(page.Body, want) {
		t.Errorf("the report lacks the staff's share of the active type %s", want)
	}

	// The default comparison is staff against managers, who are withheld: the reason, no gaps.
	if strings.Contains(page.Body, `class="numbers cards compare-table"`) || !strings.Contains(page.Body, "非表示の選択肢とは比較できません") {
		t.Error("a comparison with a withheld option shows gaps, or no notice")
	}
	// Staff against chiefs: every gap is insight.Compare's.
	cmp := ac.get("/admin/surveys/" + q.ID + "/report?attr=rank&a=staff&b=chief")
	if cmp.Status != http.StatusOK || !strings.Contains(cmp.Body, "compare-table") {
		t.Fatalf("staff vs chiefs: %d", cmp.Status)
	}
	state, err := st.Sums(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := analysis.ResultFromState(q, state) // the result with the moments a comparison needs
	if err != nil {
		t.Fatal(err)
	}
	want := insight.Compare(kept, "rank", "staff", "chief")
	if len(want.Gaps) == 0 {
		t.Fatal("no gaps to compare")
	}
	checkComparison(t, q, cmp.Body, want)
	en := ac.get("/admin/surveys/" + q.ID + "/report?attr=rank&a=staff&b=chief&lang=en")
	for _, want := range []string{"Results by attribute (whole organisation)", "Position: Staff", "Two options compared", "A: Staff", "B: Subsection chief",
		"subtracting the other options from the whole organisation", "Gaps question by question", "Overall satisfaction", "Statistical details (for analysts): n and p"} {
		if !strings.Contains(en.Body, want) {
			t.Errorf("the English report lacks %q", want)
		}
	}
	if r := ac.get("/admin/surveys/" + q.ID + "/report?attr=nothing"); r.Status != http.StatusNotFound {
		t.Errorf("an unknown attribute: %d; want 404", r.Status)
	}

	// 2025: managers shown, their activity withheld (the metric-wise remainder rule): the
	// heatmap marks the cell, and the comparison shows no gap for it.
	r25 := ac.get("/admin/surveys/attr-2025/report?attr=rank&a=staff&b=manager&lang=ja")
	row := regexp.MustCompile(`<th scope="row">組織活性度</th>\s*<td class="num" data-label="A: [^"]*">([^<]*)</td><td class="num" data-label="B: [^"]*">([^<]*)</td>\s*<td class="num" data-label="差">([^<]*)</td>`).FindStringSubmatch(r25.Body)
	if row == nil || row[2] != "非表示" || row[3] != "—" {
		t.Errorf("2025 staff vs managers on activity: %q; want the managers hidden and no gap", row)
	}
}

// fmtP is page.FmtP.
func fmtP(p *float64) string {
	if p == nil {
		return "—"
	}
	if *p < 0.001 {
		return "&lt;0.001"
	}
	return fmt.Sprintf("%.3f", *p)
}

// tableRows returns the rows of the table of class class in body: per row its header and its
// cells, as text.
func tableRows(t *testing.T, body, class string) [][]string {
	t.Helper()
	table := regexp.MustCompile(`(?s)<table class="numbers cards ` + class + `">.*?</table>`).FindString(body)
	if table == "" {
		t.Fatalf("no table %s", class)
	}
	tags := regexp.MustCompile(`<[^>]*>`)
	var out [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr[^>]*>\s*<th scope="row">(.*?)</th>(.*?)</tr>`).FindAllStringSubmatch(table, -1) {
		text := func(s string) string { return strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(s, ""))) }
		row := []string{text(tr[1])}
		for _, td := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(tr[2], -1) {
			row = append(row, text(td[1]))
		}
		out = append(out, row)
	}
	return out
}

// checkComparison checks the comparison on a report page against insight.Compare's (want):
// the table everyone sees has every gap, in words and without p; the analysts' fold has their
// n and p, and every question gap, widest first; the list outside it the widest questions.
func checkComparison(t *testing.T, q *survey.Questionnaire, body string, want insight.Comparison) {
	t.Helper()
	titles := map[string]string{analysis.ActivityKey: "組織活性度", analysis.SatisfactionKey: "総合満足度", analysis.ENPSKey: "eNPS"}
	texts := map[string]string{}
	for _, c := range q.Categories {
		titles[c.ID] = c.Title.JA
		for _, it := range c.Items {
			texts[it.ID] = it.Text.JA
		}
	}
	verdict := func(g analysis.OptionGap) string {
		if g.Significant() {
			return "はっきりした差"
		}
		return "差ははっきりしない"
	}
	arrow := func(g analysis.OptionGap) string {
		switch {
		case !g.Significant():
			return ""
		case g.Delta > 0:
			return "▲"
		}
		return "▼"
	}
	main, stats := map[string][]string{}, map[string][]string{}
	for _, r := range tableRows(t, body, "compare-table") {
		main[r[0]] = r[1:]
		if len(r) != 5 {
			t.Errorf("comparison row %q: want measure, A, B, gap and reading", r)
		}
	}
	for _, r := range tableRows(t, body, "compare-stats") {
		stats[r[0]] = r[1:]
	}
	for _, g := range want.Gaps {
		a, b, d := fmtScore(g.A), fmtScore(g.B), arrow(g)+fmtSigned(g.Delta)
		if got, w := main[titles[g.Metric]], []string{a, b, d, verdict(g)}; fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("comparison of %s: %q; want %q", g.Metric, got, w)
		}
		if got, w := stats[titles[g.Metric]], []string{fmt.Sprint(g.NA), fmt.Sprint(g.NB), fmtSigned(g.Delta), strings.ReplaceAll(fmtP(g.P), "&lt;", "<")}; fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("analysts' detail of %s: %q; want %q", g.Metric, got, w)
		}
	}
	if len(main) != 3+len(q.Categories) || len(stats) != len(main) {
		t.Errorf("%d rows of the comparison, %d of its detail; want activity, satisfaction, eNPS and %d categories", len(main), len(stats), len(q.Categories))
	}
	questions := tableRows(t, body, "compare-questions-table")
	if len(questions) != len(want.Questions) {
		t.Fatalf("%d question rows; want %d", len(questions), len(want.Questions))
	}
	for i, g := range want.Questions {
		w := []string{texts[g.Metric] + " " + titles[g.Category], fmt.Sprint(g.NA), fmt.Sprintf("%.1f", g.A), fmt.Sprint(g.NB), fmt.Sprintf("%.1f", g.B),
			fmtSigned(g.Delta), strings.ReplaceAll(fmtP(g.P), "&lt;", "<")}
		if fmt.Sprint(questions[i]) != fmt.Sprint(w) {
			t.Errorf("question row %d: %q; want %q", i, questions[i], w)
		}
	}
	top := regexp.MustCompile(`(?s)<ol class="summary-list compare-questions">(.*?)</ol>`).FindStringSubmatch(body)
	if top == nil {
		t.Fatal("no list of the widest question gaps")
	}
	items := regexp.MustCompile(`(?s)<li><strong>(.*?)</strong>`).FindAllStringSubmatch(top[1], -1)
	if len(items) != min(5, len(want.Questions)) {
		t.Errorf("%d questions listed outside the fold; want %d", len(items), min(5, len(want.Questions)))
	}
	for i, m := range items {
		if g := want.Questions[i]; m[1] != texts[g.Metric] || !strings.Contains(top[1], verdict(g)) {
			t.Errorf("listed question %d: %s; want %s", i, m[1], texts[g.Metric])
		}
	}
	// p and n are the analysts': outside their fold the comparison shows none.
	outside := regexp.MustCompile(`(?s)<details class="analyst">.*?</details>`).ReplaceAllString(body, "")
	if strings.Contains(outside, `data-label="p"`) || strings.Contains(outside, "p = ") || strings.Contains(outside, `data-label="n (A)"`) {
		t.Error("the comparison shows p or n outside the analysts' fold")
	}
}

// TestOptionGroupWithheldEverywhere is the attacker's test of the pages: the 2027 survey's
// managers nearly equal a section (leakSurvey), so the cross-partition check withholds them;
// none of their true numbers (their questions' means too) may appear on the report (its
// heatmap, its tables, its comparison), the staff edition, the trends page, the report JSON
// or the CSV exports — for an executive or a manager — and the pages say why. In 2025 the
// managers are shown but their questions of challenge and boss are withheld: comparing them
// with the staff gives no gap, and no mean, on those questions.
func TestOptionGroupWithheldEverywhere(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedAttrSurveys(t, st)
	q, rs, truth := leakSurvey(t)
	mustCloseWith(t, st, q, rs)
	mustAddManager(t, st, "kikaku-chief", "kikaku")
	ac := adminLogin(t, ts, "admin")

	var docs []string
	for _, id := range []string{"attr-2025", "attr-2026", q.ID} {
		docs = append(docs, ac.get("/admin/api/report?survey="+id).Body)
	}
	docs = append(docs, ac.get("/admin/api/report").Body) // the changes between the years too
	// The comparison of two shown options prints their means and gaps rightly, the questions'
	// too. In 2025 the managers are shown, but not their questions of challenge and boss (the
	// rules on the questions' own counts): staff against managers must show no gap on those.
	// What it prints rightly is computed here from the responses, for what the JSON shows in
	// both groups: their scores, their question means and the gaps.
	q25, rs25 := attrResponses(t, "2025")
	var doc25 analysis.Report
	if err := json.Unmarshal([]byte(docs[0]), &doc25); err != nil {
		t.Fatal(err)
	}
	var staff25, managers25 []*survey.Response
	for _, r := range rs25 {
		switch r.Attribute(0) {
		case 0:
			staff25 = append(staff25, r)
		case 2:
			managers25 = append(managers25, r)
		}
	}
	var printed []float64
	both := func(a, b *float64) {
		if a != nil && b != nil {
			printed = append(printed, *a, *b, *b-*a)
		}
	}
	gs, gm := doc25.Surveys[0].Attribute("rank").Option("staff"), doc25.Surveys[0].Attribute("rank").Option("manager")
	both(gs.Activity.Index, gm.Activity.Index)
	both(gs.Satisfaction.Score, gm.Satisfaction.Score)
	both(gs.ENPS.Score, gm.ENPS.Score)
	ms, mm := questionMeans(q25, staff25), questionMeans(q25, managers25)
	for _, c := range q25.Categories {
		cs, cm := gs.Categories[c.ID], gm.Categories[c.ID]
		both(cs.Score, cm.Score)
		for j, it := range c.Items {
			if cs.Score != nil && cm.Score != nil && cs.Items[j].Favourable != nil && cm.Items[j].Favourable != nil {
				both(ptr(ms[it.ID]), ptr(mm[it.ID]))
			}
		}
	}
	state, err := st.Sums(q25.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept25, err := analysis.ResultFromState(q25, state)
	if err != nil {
		t.Fatal(err)
	}
	c25 := insight.Compare(kept25, "rank", "staff", "manager")
	// Secret beside the 2027 managers' numbers: every question's mean of theirs, and the 2025
	// managers' means of the questions of challenge and boss.
	var managers []*survey.Response
	for _, r := range rs {
		if r.Attributes[0] == 2 {
			managers = append(managers, r)
		}
	}
	var more []float64
	for _, x := range questionMeans(q, managers) {
		more = append(more, x)
	}
	withheld25 := 0
	for _, c := range q25.Categories {
		if c.ID == "challenge" || c.ID == "boss" {
			for _, it := range c.Items {
				more = append(more, questionMeans(q25, managers25)[it.ID])
				withheld25++
			}
		}
	}
	secrets := secretNumbers(t, truth, more, printed, docs...)
	t.Logf("%d of the managers' numbers differ from every published one: %v", len(secrets), secrets)
	if len(secrets) < 8 {
		t.Fatalf("only %d of the managers' numbers differ from every published one: the test would prove little", len(secrets))
	}

	// JSON: the group has its n, its reason and nothing else.
	var doc analysis.Report
	if err := json.Unmarshal([]byte(docs[2]), &doc); err != nil {
		t.Fatal(err)
	}
	g := doc.Surveys[0].Attribute("rank").Option("manager")
	if !g.Suppressed || g.Reason != analysis.ReasonCrossPartition || g.N != 10 || g.Categories != nil || g.Activity != nil || g.Satisfaction != nil || g.ENPS != nil {
		t.Errorf("the managers in the JSON: %+v", g)
	}

	report := ac.get("/admin/surveys/" + q.ID + "/report")
	if report.Status != http.StatusOK || !strings.Contains(report.Body, "所属やほかの属性の結果と組み合わせると") {
		t.Errorf("report: %d, or it does not say why the managers are hidden", report.Status)
	}
	pages := map[string]string{"report": report.Body, "JSON": docs[2]}
	pages["comparison"] = ac.get("/admin/surveys/" + q.ID + "/report?attr=rank&a=chief&b=manager").Body
	// Of the 2025 report, the comparison alone: the rest of that page holds the sections' numbers
	// of 2025, which the 2027 managers' may equal by chance.
	pages["comparison with withheld questions"] = regexp.MustCompile(`(?s)<h3 id="compare-h">.*?</section>`).FindString(
		ac.get("/admin/surveys/attr-2025/report?attr=rank&a=staff&b=manager").Body)
	pages["report CSV"] = ac.get("/admin/surveys/" + q.ID + "/report.csv").Body
	pages["export CSV"] = ac.get("/admin/surveys/" + q.ID + "/export.csv").Body
	pages["trends"] = ac.get("/admin/trends?attribute=rank&metric=activity&metric=boss&metric=talk&metric=citizen").Body
	pages["trends (challenge, motivation)"] = ac.get("/admin/trends?attribute=rank&metric=challenge&metric=motivation&metric=cohesion").Body
	edPath, token := mustPublish(t, ac, q.ID)
	if r := ac.post(edPath+"/attributes", url.Values{"attribute": {"rank", "age"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("tick the attributes: %d\n%s", r.Status, r.Body)
	}
	pages["edition"] = publicGet(t, ts, "/s/"+token).Body
	if !strings.Contains(pages["edition"], "属性別の結果（組織全体）") || !strings.Contains(pages["edition"], "所属やほかの属性の結果と組み合わせると") {
		t.Error("the edition lacks the ticked option groups or the reason the managers are hidden")
	}
	mc := adminLogin(t, ts, "kikaku-chief")
	pages["manager's report"] = mc.get("/admin/surveys/" + q.ID + "/report").Body
	pages["manager's JSON"] = mc.get("/admin/api/report?survey=" + q.ID).Body
	pages["manager's section"] = mc.get("/admin/surveys/" + q.ID + "/report?section=kikaku").Body
	for where, body := range pages {
		assertNowhere(t, where, body, secrets)
	}
	// The heatmap gives the managers' row marks only.
	_, rows := heatmapOf(t, report.Body, "chart-options-heatmap")
	for _, r := range rows {
		for _, c := range r.Cells {
			if r.Name == "職層: 課長代理級以上" && !c.Withheld {
				t.Errorf("a heatmap cell of the withheld managers: %+v", c)
			}
		}
	}
	if !strings.Contains(pages["comparison"], "非表示の選択肢とは比較できません") || strings.Contains(pages["comparison"], "compare-table") {
		t.Error("the comparison with the withheld managers shows gaps")
	}
	// 2025, staff against managers: every question but those of challenge and boss, as
	// insight.Compare has them.
	checkComparison(t, q25, pages["comparison with withheld questions"], c25)
	// The 2025 managers' withheld question means mostly round as some published number does;
	// against what the comparison itself prints rightly, most of them do not.
	rightly := map[string]bool{}
	for _, x := range printed {
		rightly[fmt.Sprintf("%.1f", math.Abs(x))] = true
	}
	var secrets25 []string
	for _, x := range more[len(more)-withheld25:] {
		if s := fmt.Sprintf("%.1f", x); !rightly[s] {
			secrets25 = append(secrets25, s)
		}
	}
	if len(secrets25) < 3 {
		t.Errorf("only %d of the 2025 managers' withheld question means differ from what the comparison prints", len(secrets25))
	}
	assertNowhere(t, "the 2025 comparison", pages["comparison with withheld questions"], secrets25)
	// The managers' motivation and cohesion are withheld too (see seedAttrSurveys): the gaps
	// are those of citizen's 3 questions and talk's 2.
	if len(c25.Questions) != 5 || withheld25 != 7 {
		t.Errorf("%d question gaps between staff and managers in 2025; want the 5 of citizen and talk", len(c25.Questions))
	}
	for _, row := range tableRows(t, pages["comparison with withheld questions"], "compare-questions-table") {
		if strings.Contains(row[0], "チャレンジ精神") || strings.Contains(row[0], "管理監督者の役割") {
			t.Errorf("a question gap of challenge or boss, withheld for the 2025 managers: %q", row)
		}
	}
	// The managers' trend: a mark in 2027, no line point.
	if !regexp.MustCompile(`課長代理級以上</th><td class="num" data-label="2025">[^<]*</td><td class="num" data-label="2026">非表示</td><td class="num" data-label="2027">非表示</td>`).MatchString(pages["trends"]) {
		t.Error("the managers' trend row lacks the marks of 2026 and 2027")
	}
}

// TestEditionOptionGroups: the staff edition shows the option groups of the attributes the
// survey office ticks, the same cells as the report, and nothing of the others; an attribute
// the survey does not have is refused.
func TestEditionOptionGroups(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedAttrSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	edPath, token := mustPublish(t, ac, q.ID)
	if pub := publicGet(t, ts, "/s/"+token); strings.Contains(pub.Body, "属性別の結果") {
		t.Error("an edition shows option groups before any attribute is ticked")
	}
	form := ac.get(edPath)
	for _, id := range []string{"rank", "age", "employment"} {
		if !strings.Contains(form.Body, `name="attribute" value="`+id+`"`) {
			t.Errorf("the edition's page has no box for %s", id)
		}
	}
	if r := ac.post(edPath+"/attributes", url.Values{"attribute": {"rank", "section"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("an unknown attribute: %d; want 422", r.Status)
	}
	if r := ac.post(edPath+"/attributes", url.Values{"attribute": {"employment"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("tick employment: %d", r.Status)
	}
	if form := ac.get(edPath); !strings.Contains(form.Body, `value="employment" checked`) || strings.Contains(form.Body, `value="rank" checked`) {
		t.Error("the boxes do not show the choice")
	}
	pub := publicGet(t, ts, "/s/"+token).Body
	report := ac.get("/admin/surveys/" + q.ID + "/report").Body
	table := regexp.MustCompile(`(?s)<h3 id="attr-employment">.*?</table>`)
	if got, want := table.FindString(pub), table.FindString(report); got == "" || got != want {
		t.Errorf("the edition's employment table differs from the report's:\n%s\n---\n%s", got, want)
	}
	for _, absent := range []string{`id="attr-rank"`, `id="attr-age"`, "chart-options", "compare-table", "<script"} {
		if strings.Contains(pub, absent) {
			t.Errorf("the edition has %q", absent)
		}
	}
}

// TestTrendsOptionGroups: the trends page follows each option of an attribute over the years,
// with the significant changes of option groups, and says which attribute.
func TestTrendsOptionGroups(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedAttrSurveys(t, st)
	ac := adminLogin(t, ts, "executive")
	r := ac.get("/admin/trends")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "属性別の推移") {
		t.Fatalf("trends: %d, or no trends by attribute", r.Status)
	}
	_, lines := lineChartOf(t, r.Body, "chart-trend-options")
	if len(lines) != 3 || lines[0].Name != "係員" {
		t.Errorf("lines %v; want one per rank", len(lines))
	}
	var doc analysis.Report
	if err := json.Unmarshal([]byte(ac.get("/admin/api/report").Body), &doc); err != nil {
		t.Fatal(err)
	}
	pts := doc.OptionTrend("rank", "staff", analysis.ActivityKey)
	for i, p := range pts {
		if p.Score == nil || lines[0].Values[i] != fmt.Sprintf("%.1f", math.Round(*p.Score*10)/10) {
			t.Errorf("staff's activity in %d: %v; want %v", p.Year, lines[0].Values[i], p.Score)
		}
	}
	// Every option change the report JSON calls significant is marked in its cell.
	marked := 0
	for _, ch := range doc.Changes {
		if ch.Attribute != "rank" || ch.Category != analysis.ActivityKey || !ch.Significant() {
			continue
		}
		marked++
		arrow := "▲"
		if ch.Delta < 0 {
			arrow = "▼"
		}
		if !strings.Contains(r.Body, arrow+fmtSigned(ch.Delta)) {
			t.Errorf("the significant change of %s (%+.1f) is not marked", ch.Option, ch.Delta)
		}
	}
	t.Logf("%d significant changes of rank's activity", marked)
	age := ac.get("/admin/trends?attribute=age&metric=boss")
	if age.Status != http.StatusOK || !strings.Contains(age.Body, "50代以上") || !strings.Contains(age.Body, "属性別の推移 — 年代") {
		t.Errorf("trends by age: %d", age.Status)
	}
	if r := ac.get("/admin/trends?attribute=nothing"); r.Status != http.StatusNotFound {
		t.Errorf("an unknown attribute: %d; want 404", r.Status)
	}
}

// fmtScore is page.FmtNum(x, 1, false).
func fmtScore(x float64) string {
	s := fmt.Sprintf("%.1f", math.Abs(x))
	if x < 0 && s != "0.0" {
		return "−" + s
	}
	return s
}

// fmtSigned is page.FmtNum(x, 1, true).
func fmtSigned(x float64) string {
	s := fmt.Sprintf("%.1f", math.Abs(x))
	switch {
	case s == "0.0":
		return s
	case x < 0:
		return "−" + s
	}
	return "+" + s
}

// TestOptionGroupsScopedManager: a manager scoped to a section sees the option groups, which
// are groups of the whole organisation, beside its own sections — and no other section.
func TestOptionGroupsScopedManager(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedAttrSurveys(t, st)
	mustAddManager(t, st, "soumu-chief", "soumu")
	mc := adminLogin(t, ts, "soumu-chief")
	r := mc.get("/admin/surveys/" + q.ID + "/report")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "属性別の結果（組織全体）") {
		t.Fatalf("manager's report: %d, or no option groups", r.Status)
	}
	if strings.Contains(r.Body, "保健福祉課") {
		t.Error("the manager sees another section")
	}
	var doc analysis.Report
	if err := json.Unmarshal([]byte(mc.get("/admin/api/report?survey="+q.ID).Body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Surveys[0].Attributes) != 3 {
		t.Errorf("the manager's JSON has %d attributes", len(doc.Surveys[0].Attributes))
	}
}
