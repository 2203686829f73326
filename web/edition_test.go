package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"staffsurvey/analysis"
	"staffsurvey/internal/demo"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
	"staffsurvey/web/page"
)

// publicGet fetches path as a stranger would: a fresh client without cookies.
func publicGet(tb testing.TB, ts *httptest.Server, path string) adminResponse {
	tb.Helper()
	return newAdminClient(tb, ts).get(path)
}

var (
	editionLink = regexp.MustCompile(`href="(https?://[^"]+/s/([A-Za-z0-9_-]{43}))" class="edition-url"`)
	commentBox  = regexp.MustCompile(`name="comment" value="([0-9a-f]{24})"`)
	anyHref     = regexp.MustCompile(`(?i)\b(href|src|action|formaction|srcset)\s*=\s*"([^"]*)"`)
)

// mustPublish publishes an edition of survey id as ac and returns its admin page path and its token.
func mustPublish(tb testing.TB, ac *adminClient, id string) (string, string) {
	tb.Helper()
	r := ac.post("/admin/surveys/"+id+"/editions", nil)
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/surveys/"+id+"/editions/") {
		tb.Fatalf("publish: %d, Location %q\n%s", r.Status, loc, r.Body)
	}
	page := ac.get(loc)
	m := editionLink.FindStringSubmatch(page.Body)
	if page.Status != http.StatusOK || m == nil {
		tb.Fatalf("edition page: %d, link %v\n%s", page.Status, m, page.Body)
	}
	return loc, m[2]
}

func TestEditionPublicPage(t *testing.T) {
	var logs bytes.Buffer
	_, st, ts := newAdminTestServer(t, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	q := seedClosedSurveys(t, st)
	plan := &survey.Plan{ID: "plan-1", Survey: q.ID, Section: "shimin", Categories: []string{q.Categories[0].ID},
		Action: "窓口の朝礼で困りごとを共有する", Due: "2026-03-31", Status: survey.PlanDoing, Progress: "毎週実施中",
		Author: "plan-author-x", Created: time.Now().UTC()}
	if err := st.PutPlan(plan); err != nil {
		t.Fatal(err)
	}
	ac := adminLogin(t, ts, "admin")
	edPath, token := mustPublish(t, ac, q.ID)

	// Choose two of the organisation's comments, and the id of a comment that is not among
	// them (last year's): stored, it must never show.
	form := ac.get(edPath)
	boxes := commentBox.FindAllStringSubmatch(form.Body, -1)
	if len(boxes) < 3 {
		t.Fatalf("the chooser lists %d comments", len(boxes))
	}
	current := map[string]bool{}
	st.EachResponse(q.ID, func(r *survey.Response) error {
		current[r.Comments[0]] = true
		return nil
	})
	var stranger string
	st.EachResponse("past-2024", func(r *survey.Response) error {
		if c := r.Comments[0]; c != "" && !current[c] {
			stranger = c
		}
		return nil
	})
	chosen := url.Values{"comment": {boxes[0][1], boxes[1][1]}}
	if stranger != "" {
		chosen.Add("comment", survey.CommentID("good", stranger))
	}
	if stranger == "" {
		t.Log("no comment of last year is missing this year: the stale-id check is skipped")
	}
	if r := ac.post(edPath, chosen); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", r.Status, r.Body)
	}
	texts := map[string]string{} // id → text, from the chooser
	for _, m := range regexp.MustCompile(`value="([0-9a-f]{24})"[^>]*> <span>([^<]*)</span>`).FindAllStringSubmatch(form.Body, -1) {
		texts[m[1]] = html.UnescapeString(m[2])
	}

	pub := publicGet(t, ts, "/s/"+token)
	if pub.Status != http.StatusOK {
		t.Fatalf("GET /s/TOKEN: %d\n%s", pub.Status, pub.Body)
	}
	for k, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"} {
		if got := pub.Header.Get(k); got != want {
			t.Errorf("%s: %q; want %q", k, got, want)
		}
	}

	// The organisation's numbers are the report JSON's.
	rep := ac.get("/admin/api/report?survey=" + q.ID)
	var doc analysis.Report
	if err := json.Unmarshal([]byte(rep.Body), &doc); err != nil || len(doc.Surveys) != 1 {
		t.Fatalf("report JSON: %v", err)
	}
	res := doc.Surveys[0]
	org := res.Group(survey.Root)
	for _, want := range []string{
		fmt.Sprintf(`<span class="v">%.1f</span>`, *org.Activity.Index),
		fmt.Sprintf(`<span class="v">%.1f</span>`, *org.Activity.Motivation),
		fmt.Sprintf(`<span class="v">%.1f</span>`, *org.Activity.Cohesion),
		fmt.Sprintf(`data-label="スコア">%.1f</td>`, *org.Categories[q.Categories[0].ID].Score),
		"2024年度", "活性型",
	} {
		if !strings.Contains(pub.Body, want) {
			t.Errorf("the edition lacks %q", want)
		}
	}
	// Every group of the report is in the table: a suppressed one marked and without
	// numbers, a shown one with the report's activity index.
	names := sectionNames(q, "ja")
	row := regexp.MustCompile(`(?s)<tr class="depth-\d+( suppressed)?">\s*<th scope="row">([^<]*)(.*?)</tr>`)
	rows := map[string][2]string{}
	for _, m := range row.FindAllStringSubmatch(pub.Body, -1) {
		rows[m[2]] = [2]string{m[1], m[3]}
	}
	suppressed := 0
	for _, g := range res.Groups {
		if g.N == 0 {
			continue
		}
		r, ok := rows[names[g.Section]]
		if !ok {
			t.Errorf("no row for %s", g.Section)
			continue
		}
		if g.Suppressed {
			suppressed++
			if r[0] == "" || !strings.Contains(r[1], `class="mark"`) || strings.Contains(r[1], `data-label="活性度"`) {
				t.Errorf("suppressed %s: %q", g.Section, r)
			}
			continue
		}
		if r[0] != "" {
			t.Errorf("shown %s marked suppressed", g.Section)
		}
		if a := g.Activity; a != nil && a.Index != nil && !strings.Contains(r[1], fmt.Sprintf(`data-label="活性度">%s</td>`, page.FmtNum(a.Index, 1, false))) {
			t.Errorf("%s: activity differs from the report's %.1f: %s", g.Section, *a.Index, r[1])
		}
	}
	if suppressed == 0 {
		t.Errorf("the seeded survey has no suppressed group: the test proves nothing")
	}

	// The plan without its author; the chosen suggestions and nothing else.
	for _, want := range []string{plan.Action, plan.Progress, "実施中", names["shimin"]} {
		if !strings.Contains(pub.Body, html.EscapeString(want)) {
			t.Errorf("the edition lacks the plan's %q", want)
		}
	}
	if strings.Contains(pub.Body, plan.Author) {
		t.Errorf("the edition names the plan's author")
	}
	for _, id := range []string{boxes[0][1], boxes[1][1]} {
		if !strings.Contains(pub.Body, html.EscapeString(texts[id])) {
			t.Errorf("the edition lacks the chosen suggestion %q", texts[id])
		}
	}
	if stranger != "" && strings.Contains(pub.Body, html.EscapeString(stranger)) {
		t.Errorf("a stored id of a comment not in the current list shows: %q", stranger)
	}
	if t2 := texts[boxes[2][1]]; strings.Contains(pub.Body, html.EscapeString(t2)) && t2 != texts[boxes[0][1]] && t2 != texts[boxes[1][1]] {
		t.Errorf("an unchosen comment shows: %q", t2)
	}

	// It links to nothing but itself and its own styles, and runs no script.
	for _, m := range anyHref.FindAllStringSubmatch(pub.Body, -1) {
		if v := m[2]; v != "?lang=ja" && v != "?lang=en" && !strings.HasPrefix(v, "/static/") {
			t.Errorf("the edition has %s=%q", m[1], v)
		}
	}
	if strings.Contains(pub.Body, "<script") || strings.Contains(pub.Body, "<form") {
		t.Errorf("the edition has a script or a form")
	}
	if en := publicGet(t, ts, "/s/"+token+"?lang=en"); en.Status != http.StatusOK || !strings.Contains(en.Body, "Results for all staff") {
		t.Errorf("English edition: %d", en.Status)
	}

	// Revoked, unknown and malformed links get one and the same 404 page.
	if r := ac.post(edPath+"/revoke", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("revoke without confirmation: %d; want 422", r.Status)
	}
	if r := publicGet(t, ts, "/s/"+token); r.Status != http.StatusOK {
		t.Fatalf("an edition revoked without confirmation: %d", r.Status)
	}
	if r := ac.post(edPath+"/revoke", url.Values{"confirm": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	revoked := publicGet(t, ts, "/s/"+token)
	random := publicGet(t, ts, "/s/"+strings.Repeat("A", 43))
	short := publicGet(t, ts, "/s/x")
	if revoked.Status != http.StatusNotFound || random.Status != http.StatusNotFound || short.Status != http.StatusNotFound {
		t.Fatalf("revoked %d, random %d, short %d; want 404", revoked.Status, random.Status, short.Status)
	}
	if revoked.Body != random.Body || random.Body != short.Body {
		t.Errorf("the 404 pages differ")
	}
	for _, m := range anyHref.FindAllStringSubmatch(revoked.Body, -1) {
		if v := m[2]; v != "?lang=ja" && v != "?lang=en" && !strings.HasPrefix(v, "/static/") {
			t.Errorf("the 404 page has %s=%q", m[1], v)
		}
	}
	if revoked.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("404 Cache-Control %q", revoked.Header.Get("Cache-Control"))
	}

	// Neither the log nor the audit log holds the token.
	if strings.Contains(logs.String(), token) {
		t.Errorf("the log holds the token")
	}
	var actions []string
	st.EachAudit(func(e storage.AuditEvent) error {
		if strings.Contains(e.Target+e.Detail, token) {
			t.Errorf("audit event %+v holds the token", e)
		}
		if strings.HasPrefix(e.Action, "edition.") {
			actions = append(actions, e.Action)
		}
		return nil
	})
	if got := strings.Join(actions, " "); got != "edition.revoke edition.update edition.publish" {
		t.Errorf("audit: %q", got)
	}
}

func TestEditionAdminRules(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	mustCreateSurvey(t, st, testQuestionnaire(t, "open-2026"), survey.StateOpen)
	for _, role := range []string{survey.RoleManager, survey.RoleAnalyst, survey.RoleExecutive} {
		if r := adminLogin(t, ts, role).post("/admin/surveys/"+q.ID+"/editions", nil); r.Status != http.StatusForbidden {
			t.Errorf("%s publishes: %d; want 403", role, r.Status)
		}
	}
	ac := adminLogin(t, ts, "admin")
	if r := ac.post("/admin/surveys/open-2026/editions", nil); r.Status != http.StatusConflict {
		t.Errorf("publish an open survey: %d; want 409", r.Status)
	}
	if r := ac.post("/admin/surveys/"+q.ID+"/editions/0123456789abcdef/revoke", url.Values{"confirm": {"1"}}); r.Status != http.StatusNotFound {
		t.Errorf("revoke an unknown edition: %d; want 404", r.Status)
	}
	edPath, token := mustPublish(t, ac, q.ID)
	if r := ac.post(edPath, url.Values{"comment": {"zz"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a bad suggestion id: %d; want 422", r.Status)
	}
	// The survey's page lists the edition with its absolute link and the ways to change it.
	page := ac.get("/admin/surveys/" + q.ID)
	for _, want := range []string{"職員向け公開版", ts.URL + "/s/" + token, edPath + "/revoke"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the survey page lacks %q", want)
		}
	}
	if p := adminLogin(t, ts, "executive").get("/admin/surveys/" + q.ID); strings.Contains(p.Body, token) {
		t.Errorf("an executive sees the edition link")
	}
}

// The access log never holds an edition's token, even for a wrong one.
func TestEditionPathRedacted(t *testing.T) {
	if got := page.RedactTokens("/s/abcDEF_-123"); got != "/s/[redacted]" {
		t.Errorf("redact: %q", got)
	}
}

// The edition resolves its choice against the comments as they are now: one flagged for naming
// someone never shows, even with its id stored (as a crafted form could store it); marked
// harmless it shows; redacted it is gone, and so is its id.
func TestEditionFlaggedComment(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := testQuestionnaire(t, "named-2025")
	mustCreateSurvey(t, st, q, survey.StateDraft)
	rs := demo.Responses(q, 7, 0, map[string]int{"kikaku": 12})
	const named, plain = "田中係長に相談しにくいです。", "朝礼での情報共有が役立っています。"
	rs[0].Comments[0], rs[1].Comments[0] = named, plain
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	namedID, plainID := survey.CommentID("good", named), survey.CommentID("good", plain)
	publishUnflagged(t, st, q.ID)
	ed, err := st.PublishEdition(q.ID, "admin", []string{namedID, plainID})
	if err != nil {
		t.Fatal(err)
	}
	page := func() string {
		t.Helper()
		r := publicGet(t, ts, "/s/"+ed.Token)
		if r.Status != http.StatusOK {
			t.Fatalf("edition: %d", r.Status)
		}
		return r.Body
	}
	if body := page(); strings.Contains(body, "田中") || !strings.Contains(body, plain) {
		t.Errorf("flagged: the named comment shows, or the plain one does not")
	}
	if err := st.MarkHarmless(q.ID, namedID, "admin"); err != nil {
		t.Fatal(err)
	}
	if body := page(); !strings.Contains(body, named) {
		t.Errorf("marked harmless: the chosen comment does not show")
	}
	if _, err := st.Redact(q.ID, 0, named, "＊＊に相談しにくいです。"); err != nil {
		t.Fatal(err)
	}
	if body := page(); strings.Contains(body, "相談しにくい") || !strings.Contains(body, plain) {
		t.Errorf("redacted: the comment (or its redaction, never chosen) shows, or the plain one does not")
	}
	if got, _ := st.EditionByToken(ed.Token); slices.Contains(got.Comments, namedID) {
		t.Errorf("the edition keeps the id of the redacted original")
	}
}
