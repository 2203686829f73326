package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/demo"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
	"staffsurvey/web/page"
)

// planValues is a valid plan form for section with categories.
func planValues(section string, categories ...string) url.Values {
	return url.Values{"section": {section}, "categories": categories, "action": {"毎週15分の係内ミーティングを開く"},
		"due": {"2026-03-31"}, "status": {survey.PlanPlanned}}
}

// planIDOf returns the plan id of a redirect to the plans page (#plan-ID).
func planIDOf(tb testing.TB, r adminResponse) string {
	tb.Helper()
	loc := r.Header.Get("Location")
	_, id, ok := strings.Cut(loc, "#plan-")
	if r.Status != http.StatusSeeOther || !ok {
		tb.Fatalf("status %d, Location %q; want 303 to a plan\n%s", r.Status, loc, r.Body)
	}
	return id
}

// lastAudit returns the newest audit event.
func lastAudit(tb testing.TB, st *storage.Store) storage.AuditEvent {
	tb.Helper()
	events, _, err := st.AuditLog(0, 1)
	if err != nil || len(events) == 0 {
		tb.Fatalf("audit log: %v, %d events", err, len(events))
	}
	return events[0]
}

// planRefusals are plans a manager of shimin may not store, each with the status and what
// the answer must say. Each row is one way a crafted form could try to get past the page.
var planRefusals = []struct {
	name   string
	path   string // "" for the past-2025 plans route
	edit   func(url.Values)
	status int
	want   string
}{
	// Another section, outside the manager's scope.
	{"other section", "", func(v url.Values) { v.Set("section", "soumu-a") }, 403, "権限がありません"},
	// The whole organisation: a manager reads its plans but does not write them.
	{"whole organisation", "", func(v url.Values) { v.Set("section", survey.Root) }, 403, "権限がありません"},
	// A section no survey has.
	{"unknown section", "", func(v url.Values) { v.Set("section", "nowhere") }, 404, "nowhere"},
	// A survey that does not exist.
	{"forged survey", "/admin/surveys/no-such-survey/plans", nil, 404, ""},
	// A survey that is still open: plans answer results.
	{"open survey", "/admin/surveys/open-2026/plans", nil, 409, "回答受付中"},
	{"four categories", "", func(v url.Values) { v["categories"] = []string{"motivation", "cohesion", "citizen", "challenge"} }, 422, "1〜3つ選んで"},
	{"no category", "", func(v url.Values) { v.Del("categories") }, 422, "1〜3つ選んで"},
	{"unknown category", "", func(v url.Values) { v["categories"] = []string{"motivation", "bogus"} }, 422, "bogus"},
	{"twice the same category", "", func(v url.Values) { v["categories"] = []string{"motivation", "motivation"} }, 422, "重複"},
	{"bad date", "", func(v url.Values) { v.Set("due", "31/03/2026") }, 422, "のような日付"},
	{"no action", "", func(v url.Values) { v.Set("action", "  ") }, 422, "取り組む内容を書いて"},
	{"too long action", "", func(v url.Values) { v.Set("action", strings.Repeat("あ", survey.MaxPlanAction+1)) }, 422, "2000 文字以内"},
	{"too long progress", "", func(v url.Values) { v.Set("progress", strings.Repeat("x", survey.MaxPlanProgress+1)) }, 422, "2000 文字以内"},
	{"bad status", "", func(v url.Values) { v.Set("status", "abandoned") }, 422, "のいずれか"},
}

// TestPlanWriteScope: a manager writes plans only for the sections of its scope and only on
// closed surveys; every crafted form is refused with the right status, a refused form keeps
// what was typed; create, update and delete are audited; executives and analysts only read.
func TestPlanWriteScope(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	mustCreateSurvey(t, st, testQuestionnaire(t, "open-2026"), survey.StateOpen)
	mustAddManager(t, st, "chief", "shimin")
	mustAddManager(t, st, "hoken-chief", "hoken")
	ac := adminLogin(t, ts, "chief")
	base := "/admin/surveys/" + q.ID + "/plans"

	if r := ac.get(base); r.Status != http.StatusOK || !strings.Contains(r.Body, "計画を追加") {
		t.Fatalf("plans page: %d, or no form", r.Status)
	}
	if e := lastAudit(t, st); e.Action != "plans.view" || e.Target != q.ID || e.User != "chief" { // it shows published numbers
		t.Errorf("audit %+v; want plans.view", e)
	}
	for _, tt := range planRefusals {
		t.Run(tt.name, func(t *testing.T) {
			v := planValues("shimin-a", "motivation", "cohesion")
			v.Set("action", "手入力の内容 <kept>")
			if tt.edit != nil {
				tt.edit(v)
			}
			path := base
			if tt.path != "" {
				path = tt.path
			}
			r := ac.post(path, v)
			if r.Status != tt.status || !strings.Contains(r.Body, tt.want) {
				t.Errorf("status %d; want %d with %q\n%.400s", r.Status, tt.status, tt.want, r.Body)
			}
			if tt.status == 422 && v.Get("action") == "手入力の内容 <kept>" && !strings.Contains(r.Body, "手入力の内容 &lt;kept&gt;") {
				t.Errorf("the refused form lost what was typed")
			}
		})
	}
	if plans, _ := st.Plans(q.ID); len(plans) != 0 {
		t.Fatalf("%d plans stored by refused forms", len(plans))
	}
	if plans, _ := st.Plans("open-2026"); len(plans) != 0 {
		t.Fatalf("a plan on an open survey")
	}

	// Create.
	id := planIDOf(t, ac.post(base, planValues("shimin-a", "motivation", "cohesion")))
	pl, err := st.Plan(q.ID, id)
	if err != nil || pl.Author != "chief" || pl.Section != "shimin-a" || pl.Status != survey.PlanPlanned {
		t.Fatalf("stored plan %+v, %v", pl, err)
	}
	if e := lastAudit(t, st); e.Action != "plan.create" || e.Target != q.ID || e.User != "chief" ||
		!strings.Contains(e.Detail, "section=shimin-a") || !strings.Contains(e.Detail, "plan="+id) || !strings.Contains(e.Detail, "categories=motivation,cohesion") {
		t.Errorf("audit %+v", e)
	}

	// Update: progress and status, and a refused update keeps what was typed.
	upd := planValues("soumu-a", "motivation") // the section of a plan never changes
	upd.Set("status", survey.PlanDoing)
	upd.Set("progress", "4月から実施中")
	if r := ac.post(base+"/"+id, upd); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", r.Status, r.Body)
	}
	pl, _ = st.Plan(q.ID, id)
	if pl.Status != survey.PlanDoing || pl.Progress != "4月から実施中" || pl.Section != "shimin-a" || len(pl.Categories) != 1 || !pl.Updated.After(pl.Created) {
		t.Errorf("updated plan %+v", pl)
	}
	if e := lastAudit(t, st); e.Action != "plan.update" || !strings.Contains(e.Detail, "status=doing") {
		t.Errorf("audit %+v", e)
	}
	bad := planValues("shimin-a", "motivation")
	bad.Set("due", "someday")
	bad.Set("progress", "途中まで")
	if r := ac.post(base+"/"+id, bad); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "途中まで") ||
		!strings.Contains(r.Body, `value="someday"`) || !strings.Contains(r.Body, "<details class=\"plan-edit\" open>") {
		t.Errorf("refused update: %d, or the form lost what was typed", r.Status)
	}
	for _, tt := range []struct {
		name, path string
		want       int
	}{
		{"forged plan id", base + "/00000000-0000-4000-8000-000000000000", 404},
		{"plan of another survey", "/admin/surveys/past-2024/plans/" + id, 404},
	} {
		if r := ac.post(tt.path, upd); r.Status != tt.want {
			t.Errorf("%s: %d; want %d", tt.name, r.Status, tt.want)
		}
	}

	// Another manager, executives and analysts may not change it.
	other := adminLogin(t, ts, "hoken-chief")
	if r := other.post(base+"/"+id, upd); r.Status != http.StatusForbidden {
		t.Errorf("another manager's update: %d; want 403", r.Status)
	}
	if r := other.post(base+"/"+id+"/delete", url.Values{"confirm": {"1"}}); r.Status != http.StatusForbidden {
		t.Errorf("another manager's delete: %d; want 403", r.Status)
	}
	for _, role := range []string{survey.RoleExecutive, survey.RoleAnalyst} {
		rc := adminLogin(t, ts, role)
		if r := rc.get(base); r.Status != http.StatusOK || !strings.Contains(r.Body, "毎週15分") || strings.Contains(r.Body, "計画を追加") {
			t.Errorf("%s reads plans: %d, or is offered the form", role, r.Status)
		}
		if r := rc.post(base, planValues("shimin-a", "motivation")); r.Status != http.StatusForbidden {
			t.Errorf("%s creates a plan: %d; want 403", role, r.Status)
		}
		if r := rc.post(base+"/"+id, upd); r.Status != http.StatusForbidden {
			t.Errorf("%s updates a plan: %d; want 403", role, r.Status)
		}
	}
	// The admin writes for the whole organisation.
	whole := planValues(survey.Root, "citizen")
	whole.Set("action", "全体の計画")
	planIDOf(t, adminLogin(t, ts, "admin").post(base, whole))
	if r := other.get(base + "?section=hoken"); r.Status != http.StatusOK || strings.Contains(r.Body, "4月から実施中") || !strings.Contains(r.Body, "全体の計画") {
		t.Errorf("hoken's manager sees shimin's plan: %d", r.Status)
	}
	if r := other.get(base + "?section=shimin"); r.Status != http.StatusForbidden {
		t.Errorf("hoken's manager asks for shimin: %d; want 403", r.Status)
	}

	// Delete needs the confirmation.
	if r := ac.post(base+"/"+id+"/delete", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("delete without confirm: %d; want 422", r.Status)
	}
	if r := ac.post(base+"/"+id+"/delete", url.Values{"confirm": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.Status)
	}
	if _, err := st.Plan(q.ID, id); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("deleted plan: %v", err)
	}
	if e := lastAudit(t, st); e.Action != "plan.delete" || !strings.Contains(e.Detail, "plan="+id) {
		t.Errorf("audit %+v", e)
	}
}

// TestPlanSuggestions: the page suggests, for a shown group, its weakest categories and its
// significant drops with the published numbers, and for a hidden group nothing but why.
func TestPlanSuggestions(t *testing.T) {
	s, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	ctx := context.Background()
	sv, res, err := s.res.Result(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, prevRes, _ := s.res.Previous(ctx, sv)
	titles := metricTitles(q, "ja")
	var shown, hidden []string
	for _, g := range res.Groups {
		if g.Shown() && g.Section != survey.Root {
			shown = append(shown, g.Section)
		} else if !g.Shown() && g.N > 0 {
			hidden = append(hidden, g.Section)
		}
	}
	if len(shown) == 0 || len(hidden) == 0 {
		t.Fatalf("the seeded surveys need shown and hidden sections: %v %v", shown, hidden)
	}
	for _, sec := range shown {
		body := html.UnescapeString(ac.get("/admin/surveys/" + q.ID + "/plans?section=" + sec).Body)
		list := between(body, `<ul class="suggestions">`, "</ul>")
		g := res.Group(sec)
		low := ""
		for _, c := range q.Categories { // the weakest shown category
			if m := g.Categories[c.ID]; m != nil && m.Score != nil && (low == "" || *m.Score < *g.Categories[low].Score) {
				low = c.ID
			}
		}
		if want := fmt.Sprintf("%s</strong> — スコアが低い <span class=\"num\">%.1f</span>", titles[low], *g.Categories[low].Score); !strings.Contains(list, want) {
			t.Errorf("%s: suggestions lack %q\n%s", sec, want, list)
		}
		for _, ch := range analysis.Changes(prevRes, res) {
			if ch.Section == sec && ch.Significant() && ch.Delta < 0 && ch.Category != analysis.ActivityKey {
				if want := titles[ch.Category] + "</strong> — 2024年度から有意に低下 <span class=\"num\">" + page.FmtNum(&ch.Delta, 1, true); !strings.Contains(list, want) {
					t.Errorf("%s: suggestions lack the drop %q", sec, want)
				}
			}
		}
	}
	for _, sec := range hidden {
		body := ac.get("/admin/surveys/" + q.ID + "/plans?section=" + sec).Body
		if strings.Contains(body, `class="suggestions"`) || strings.Contains(body, `class="reasons"`) || !strings.Contains(body, "提案はできませんが") {
			t.Errorf("%s (hidden) gets suggestions, or no reason", sec)
		}
		if !strings.Contains(body, "計画を追加") {
			t.Errorf("%s (hidden): no plan form", sec)
		}
	}
}

// between returns the text of s between the first from and the next to, or "".
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, to)
	return in
}

// TestPlanOnNextReport: next year's report shows last year's plan beside the change in its
// focus categories — the numbers of analysis.Changes and of both published reports — and
// says "hidden" with why for a group suppressed in a year; this year's plans are listed with
// a link to edit them.
func TestPlanOnNextReport(t *testing.T) {
	s, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ctx := context.Background()
	sv, res, err := s.res.Result(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, prevRes, _ := s.res.Previous(ctx, sv)
	var sec string
	for _, ch := range analysis.Changes(prevRes, res) { // a section shown in both years
		if ch.Section != survey.Root {
			sec = ch.Section
			break
		}
	}
	var hidden string
	for _, g := range res.Groups {
		if g.N > 0 && !g.Shown() {
			hidden = g.Section
			break
		}
	}
	ac := adminLogin(t, ts, "admin")
	planIDOf(t, ac.post("/admin/surveys/past-2024/plans", planValues(sec, "motivation", "citizen")))
	planIDOf(t, ac.post("/admin/surveys/past-2024/plans", planValues(hidden, "cohesion")))
	now := url.Values{"section": {sec}, "categories": {"cohesion"}, "action": {"今年度の取り組み"}, "due": {"2027-03-31"}}
	cur := planIDOf(t, ac.post("/admin/surveys/"+q.ID+"/plans", now))

	body := html.UnescapeString(ac.get("/admin/surveys/" + q.ID + "/report?section=" + sec).Body)
	prevBlock := between(body, "前年度の改善計画と結果", "今年度の改善計画")
	if prevBlock == "" {
		t.Fatalf("the report has no block of last year's plans")
	}
	changes := map[string]analysis.Change{}
	for _, ch := range analysis.Changes(prevRes, res) {
		if ch.Section == sec {
			changes[ch.Category] = ch
		}
	}
	for _, cat := range []string{"motivation", "citizen"} {
		ch, ok := changes[cat]
		if !ok {
			t.Fatalf("no change of %s %s", sec, cat)
		}
		row := between(prevBlock, metricTitles(q, "ja")[cat], "</tr>")
		want := []string{
			page.FmtNum(prevRes.Group(sec).Categories[cat].Score, 1, false),
			page.FmtNum(res.Group(sec).Categories[cat].Score, 1, false),
			page.FmtNum(&ch.Delta, 1, true),
			page.FmtP(ch.P),
		}
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("%s %s: row lacks %q\n%s", sec, cat, w, row)
			}
		}
		if ch.Significant() != strings.Contains(row, "有意</strong>") {
			t.Errorf("%s %s: significance %v not shown as such", sec, cat, ch.Significant())
		}
	}
	if !strings.Contains(body, "今年度の取り組み") || !strings.Contains(body, `#plan-`+cur) {
		t.Errorf("this year's plan, or its edit link, is missing")
	}

	// The hidden group: a mark and why, no number.
	hb := ac.get("/admin/surveys/" + q.ID + "/report").Body
	row := between(between(hb, "前年度の改善計画と結果", "今年度の改善計画"), metricTitles(q, "ja")["cohesion"]+"<small", "</tr>")
	g := res.Group(hidden)
	if !strings.Contains(row, page.WithheldMark(res.MinGroupSize, g.N, "ja")) || !strings.Contains(row, html.EscapeString(page.GroupWhy(res.MinGroupSize, g.N, "ja"))) {
		t.Errorf("the hidden group %s: row lacks its mark or why\n%s", hidden, row)
	}
	if strings.Contains(row, "有意") || strings.Contains(row, "data-label=\"変化\">−") || strings.Contains(row, "data-label=\"変化\">+") {
		t.Errorf("the hidden group %s shows a change\n%s", hidden, row)
	}

	// A manager of another subtree does not see these plans on the report.
	mustAddManager(t, st, "kikaku-chief", "kikaku")
	mb := adminLogin(t, ts, "kikaku-chief").get("/admin/surveys/" + q.ID + "/report").Body
	if strings.Contains(mb, "毎週15分") || strings.Contains(mb, "今年度の取り組み") {
		t.Errorf("a manager of kikaku sees another section's plans")
	}
}

// seedTrend stores two closed surveys, "trend-2030" and "trend-2031", five demo years apart
// with three times adminSizes, so that some sections change significantly (shimin-a drops in
// motivation, shimin-c rises in most categories); it returns the results of both.
func seedTrend(tb testing.TB, s *Server, st *storage.Store) (prev, cur *analysis.SurveyResult) {
	tb.Helper()
	sizes := map[string]int{}
	for k, v := range adminSizes {
		sizes[k] = 3 * v
	}
	for i, id := range []string{"trend-2030", "trend-2031"} {
		q := testQuestionnaire(tb, id)
		q.Year = 2030 + i
		mustCreateSurvey(tb, st, q, survey.StateDraft)
		if err := st.Import(q.ID, demo.Responses(q, 7, 5*i, sizes)); err != nil {
			tb.Fatal(err)
		}
		if err := storagetest.CloseSurvey(st, q.ID); err != nil {
			tb.Fatal(err)
		}
	}
	ctx := context.Background()
	sv, cur, err := s.res.Result(ctx, "trend-2031")
	if err != nil {
		tb.Fatal(err)
	}
	_, prev, err = s.res.Previous(ctx, sv)
	if err != nil || prev == nil {
		tb.Fatalf("previous of trend-2031: %v", err)
	}
	return prev, cur
}

// TestPlanSignificantChange: a significant drop is suggested with its number, and a plan's
// focus category that changed significantly is shown as such on next year's report.
func TestPlanSignificantChange(t *testing.T) {
	s, st, ts := newAdminTestServer(t, Config{})
	prev, cur := seedTrend(t, s, st)
	q := testQuestionnaire(t, "trend-2031")
	titles := metricTitles(q, "ja")
	var drop, rise *analysis.Change
	for _, ch := range analysis.Changes(prev, cur) {
		if ch.Section == survey.Root || ch.Category == analysis.ActivityKey || !ch.Significant() {
			continue
		}
		if ch.Delta < 0 && drop == nil {
			drop = &ch
		}
		if ch.Delta > 0 && rise == nil {
			rise = &ch
		}
	}
	if drop == nil || rise == nil {
		t.Fatalf("the trend data need a significant drop and rise of a section")
	}
	ac := adminLogin(t, ts, "admin")

	body := html.UnescapeString(ac.get("/admin/surveys/trend-2031/plans?section=" + drop.Section).Body)
	want := fmt.Sprintf("%s</strong> — 2030年度から有意に低下 <span class=\"num\">%s（p = %s）", titles[drop.Category], page.FmtNum(&drop.Delta, 1, true), page.FmtP(drop.P))
	if !strings.Contains(between(body, `<ul class="suggestions">`, "</ul>"), want) {
		t.Errorf("suggestions for %s lack %q", drop.Section, want)
	}

	planIDOf(t, ac.post("/admin/surveys/trend-2030/plans", planValues(rise.Section, rise.Category)))
	body = html.UnescapeString(ac.get("/admin/surveys/trend-2031/report?section=" + rise.Section).Body)
	row := between(between(body, "前年度の改善計画と結果", "今年度の改善計画"), titles[rise.Category], "</tr>")
	if want := "▲" + page.FmtNum(&rise.Delta, 1, true) + " 有意</strong>"; !strings.Contains(row, want) || !strings.Contains(row, page.FmtP(rise.P)) {
		t.Errorf("%s %s: row lacks %q or p %s\n%s", rise.Section, rise.Category, want, page.FmtP(rise.P), row)
	}
}
