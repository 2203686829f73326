package web

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

func TestAdminCreateSurvey(t *testing.T) {
	shipped := map[string]string{"fixture-shipped": strings.Replace(testQuestionnaireYAML, "id: fixture-2025", "id: fixture-shipped", 1)}
	cfg := Config{
		ShippedQuestionnaires: func() []string { return []string{"fixture-shipped"} },
		OpenQuestionnaire:     func(name string) ([]byte, error) { return []byte(shipped[name]), nil },
	}
	_, st, ts := newAdminTestServer(t, cfg)
	ac := adminLogin(t, ts, "admin")

	form := ac.get("/admin/surveys/new")
	if form.Status != http.StatusOK || !strings.Contains(form.Body, `<option value="fixture-shipped"`) || !strings.Contains(form.Body, `type="file"`) {
		t.Fatalf("new survey form: %d, lacks the shipped option or the file field", form.Status)
	}

	for _, tt := range []struct {
		name     string
		fields   map[string]string
		file     string
		data     string
		status   int
		contains string
	}{
		{"nothing chosen", nil, "", "", http.StatusUnprocessableEntity, "調査票のファイルを選ぶ"},
		{"broken YAML", nil, "broken.yaml", "id: x\nyear: [\n", http.StatusUnprocessableEntity, "broken.yaml:"},
		{"invalid questionnaire names file and line", nil, "bad.yaml",
			strings.Replace(testQuestionnaireYAML, "axis: cohesion", "axis: sideways", 1), http.StatusUnprocessableEntity, "bad.yaml:"},
		{"uploaded", nil, "ok.yaml", strings.Replace(testQuestionnaireYAML, "id: fixture-2025", "id: uploaded-2025", 1), http.StatusSeeOther, ""},
		{"duplicate id", nil, "ok.yaml", strings.Replace(testQuestionnaireYAML, "id: fixture-2025", "id: uploaded-2025", 1), http.StatusConflict, "uploaded-2025"},
		{"shipped", map[string]string{"questionnaire": "fixture-shipped"}, "", "", http.StatusSeeOther, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ac.postMultipart("/admin/surveys", tt.fields, tt.file, []byte(tt.data))
			if r.Status != tt.status || !strings.Contains(r.Body, tt.contains) {
				t.Errorf("status %d; want %d with %q\n%s", r.Status, tt.status, tt.contains, r.Body)
			}
		})
	}
	// The line of the bad axis is named: "bad.yaml:NN:".
	r := ac.postMultipart("/admin/surveys", nil, "bad.yaml", []byte(strings.Replace(testQuestionnaireYAML, "axis: cohesion", "axis: sideways", 1)))
	if !regexp.MustCompile(`bad\.yaml:\d+: `).MatchString(r.Body) {
		t.Errorf("error does not read file:line: …\n%s", r.Body)
	}
	for _, id := range []string{"uploaded-2025", "fixture-shipped"} {
		sv, err := st.Survey(id)
		if err != nil || sv.State != survey.StateDraft {
			t.Errorf("survey %s: %v, %+v; want a draft", id, err, sv)
		}
	}
	svs, _ := st.Surveys()
	if len(svs) != 2 {
		t.Errorf("%d surveys stored; want 2 (nothing from the bad files)", len(svs))
	}
}

func TestAdminLifecycle(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	mustCreateSurvey(t, st, testQuestionnaire(t, "life"), survey.StateDraft)
	ac := adminLogin(t, ts, "admin")

	if r := ac.post("/admin/surveys/life/open", url.Values{csrfField: {""}}); r.Status != http.StatusForbidden {
		t.Errorf("open without CSRF token: %d; want 403", r.Status)
	}
	if r := ac.post("/admin/surveys/life/open", url.Values{csrfField: {"not-the-token-of-this-session-xxxxxxxxxxx"}}); r.Status != http.StatusForbidden {
		t.Errorf("open with a wrong CSRF token: %d; want 403", r.Status)
	}
	if sv, _ := st.Survey("life"); sv.State != survey.StateDraft {
		t.Fatalf("state %s after refused requests; want draft", sv.State)
	}
	if r := ac.post("/admin/surveys/life/open", url.Values{"custodians": {"人事課長\n職員組合代表\n監査担当"}, "threshold": {"2"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("open without confirming the loss: %d; want 422", r.Status)
	}
	r := ac.post("/admin/surveys/life/open", openForm())
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "すべての回答は二度と開けられず") || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("open: %d, Cache-Control %q; want the share sheets, not stored", r.Status, r.Header.Get("Cache-Control"))
	}
	shares := sharesOf(t, r.Body)
	if len(shares) != 3 {
		t.Fatalf("open: %d shares on the sheets; want 3", len(shares))
	}
	if r := ac.post("/admin/surveys/life/open", openForm()); r.Status != http.StatusConflict {
		t.Errorf("open twice (a reload of the sheets): %d; want 409", r.Status)
	}
	page := ac.get("/admin/surveys/life").Body
	for _, name := range []string{"人事課長", "職員組合代表", "監査担当"} {
		if !strings.Contains(page, "<label for=\"share-") || !strings.Contains(page, name) {
			t.Errorf("survey page: no share field for %s", name)
		}
	}
	if r := ac.post("/admin/surveys/life/close", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("close without confirmation: %d; want 422", r.Status)
	}
	typo := []byte(shares[1])
	typo[3] = map[bool]byte{true: 'A', false: 'B'}[typo[3] != 'A']
	for _, tt := range []struct {
		name   string
		shares []string
		want   string
	}{
		{"one share of two", []string{shares[0], "", ""}, "割符が足りません"},
		{"a typo", []string{shares[0], string(typo), ""}, "職員組合代表 の割符: 割符に打ち間違いがあります"},
	} {
		r := ac.post("/admin/surveys/life/close", url.Values{"confirm": {"1"}, "share": tt.shares})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tt.want) {
			t.Errorf("close with %s: %d; want 422 with %q", tt.name, r.Status, tt.want)
		}
		if sv, _ := st.Survey("life"); sv.State != survey.StateOpen {
			t.Fatalf("close with %s: state %s; want still open", tt.name, sv.State)
		}
	}
	if r := ac.post("/admin/surveys/life/close", url.Values{"confirm": {"1"}, "share": {"", shares[2], shares[0]}}); r.Status != http.StatusSeeOther {
		t.Errorf("close: %d; want 303", r.Status)
	}
	if sv, _ := st.Survey("life"); sv.State != survey.StateClosed {
		t.Errorf("state %s; want closed", sv.State)
	}
	if r := ac.post("/admin/surveys/nope/open", openForm()); r.Status != http.StatusNotFound {
		t.Errorf("open unknown survey: %d; want 404", r.Status)
	}
}

func TestAdminIssueTokens(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{BaseURL: "https://survey.example.lg.jp/"})
	mustCreateSurvey(t, st, testQuestionnaire(t, "tok"), survey.StateDraft)
	ac := adminLogin(t, ts, "admin")

	// POST issues and redirects to the batch; GETs show it without issuing again.
	r := ac.post("/admin/surveys/tok/tokens", url.Values{"section": {"soumu-a"}, "count": {"5"}})
	batch := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(batch, "/admin/surveys/tok/batches/") {
		t.Fatalf("issue: %d to %q; want 303 to the batch", r.Status, batch)
	}
	for range 2 { // a reload
		if p := ac.get(batch); p.Status != http.StatusOK || !strings.Contains(p.Body, "https://survey.example.lg.jp/?t=") ||
			p.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("batch page: %d\n%s", p.Status, p.Body)
		}
	}
	r = ac.get(batch + "/tokens.csv")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("CSV tokens: %d %v", r.Status, r.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil || len(rows) != 6 || strings.Join(rows[0], ",") != "token,section,url" {
		t.Fatalf("CSV: %v, %q", err, rows)
	}
	for _, row := range rows[1:] {
		if _, err := survey.ParseToken(row[0]); err != nil || row[1] != "soumu-a" || row[2] != "https://survey.example.lg.jp/?t="+row[0] {
			t.Errorf("row %q", row)
		}
	}
	// Another session (even of the same user) cannot see the batch.
	if r := adminLogin(t, ts, "admin").get(batch); r.Status != http.StatusNotFound {
		t.Errorf("batch from another session: %d; want 404", r.Status)
	}

	r = ac.post("/admin/surveys/tok/tokens", url.Values{"section": {"shimin-b"}, "count": {"11"}})
	slipsBatch := r.Header.Get("Location")
	r = ac.get(slipsBatch + "/slips")
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Security-Policy"), "style-src 'sha256-") {
		t.Fatalf("slips: %d, CSP %q", r.Status, r.Header.Get("Content-Security-Policy"))
	}
	if n := strings.Count(r.Body, `src="data:image/png;base64,`); n != 11 {
		t.Errorf("%d QR images; want 11", n)
	}
	if n := strings.Count(r.Body, `class="sheet"`); n != 2 {
		t.Errorf("%d sheets for 11 slips; want 2", n)
	}

	for _, tt := range []struct {
		name string
		form url.Values
		want int
	}{
		{"not a leaf", url.Values{"section": {"soumu"}, "count": {"3"}, "format": {"csv"}}, http.StatusUnprocessableEntity},
		{"no count", url.Values{"section": {"soumu-a"}, "count": {""}, "format": {"csv"}}, http.StatusUnprocessableEntity},
	} {
		if r := ac.post("/admin/surveys/tok/tokens", tt.form); r.Status != tt.want || !strings.Contains(r.Body, "alert") {
			t.Errorf("%s: %d; want %d with the survey page and a message", tt.name, r.Status, tt.want)
		}
	}
	counts, _ := st.TokenCounts("tok")
	if counts["soumu-a"].Issued != 5 || counts["shimin-b"].Issued != 11 || len(counts) != 2 {
		t.Errorf("token counts %v; want 5 for soumu-a and 11 for shimin-b only", counts)
	}
}

// TestAdminVoidBatch: the unused codes of a batch can be voided; they then answer like unknown
// codes and leave the response rate's denominator, and used codes keep their responses.
func TestAdminVoidBatch(t *testing.T) {
	s, st, ts := newAdminTestServer(t, Config{BaseURL: "https://survey.example.lg.jp"})
	q := testQuestionnaire(t, "void")
	mustCreateSurvey(t, st, q, survey.StateOpen)
	ac := adminLogin(t, ts, "admin")
	batch := ac.post("/admin/surveys/void/tokens", url.Values{"section": {"soumu-a"}, "count": {"4"}}).Header.Get("Location")
	rows, _ := csv.NewReader(strings.NewReader(ac.get(batch + "/tokens.csv").Body)).ReadAll()
	if len(rows) != 5 {
		t.Fatalf("CSV rows %d; want 5", len(rows))
	}
	used := rows[1][0]
	r := survey.NewResponse(q, testSection)
	r.Answers[0] = 3
	if err := st.Submit(used, r); err != nil {
		t.Fatal(err)
	}
	if r := ac.post(batch+"/void", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("void without confirm: %d; want 422", r.Status)
	}
	if r := ac.post(batch+"/void", url.Values{"confirm": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("void: %d; want 303", r.Status)
	}
	if p := ac.get(batch); !strings.Contains(p.Body, "3") {
		t.Errorf("batch page does not say how many were voided")
	}
	counts, _ := st.TokenCounts("void")
	if c := counts["soumu-a"]; c.Issued != 1 || c.Used != 1 || c.Voided != 3 {
		t.Errorf("counts %+v; want 1 issued (used), 3 voided", c)
	}
	for _, row := range rows[2:] {
		if _, err := st.Redeemable(row[0]); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("voided token: %v; want not found like an unknown token", err)
		}
		req := httptest.NewRequest(http.MethodGet, "/?t="+row[0], nil)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET /?t=voided: %d; want 404", rec.Code)
		}
	}
	if _, err := st.Redeemable(used); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("used token after voiding: %v; want used", err)
	}
	if sv, _ := st.Survey("void"); sv.Responses != 1 {
		t.Errorf("responses %d; want 1 kept", sv.Responses)
	}
}

// TestAdminIssueNeedsReachableBase: without --base-url (or with a loopback one) slips are
// issued only when the admin confirms the URL shown on the form.
func TestAdminIssueNeedsReachableBase(t *testing.T) {
	for _, base := range []string{"", "http://127.0.0.1:8080", "http://localhost:8080"} {
		_, st, ts := newAdminTestServer(t, Config{BaseURL: base})
		mustCreateSurvey(t, st, testQuestionnaire(t, "tok"), survey.StateDraft)
		ac := adminLogin(t, ts, "admin")
		page := ac.get("/admin/surveys/tok")
		if !strings.Contains(page.Body, `name="confirm_base"`) || !strings.Contains(page.Body, "/?t=") {
			t.Errorf("base %q: the form neither shows the URL nor asks for confirmation", base)
		}
		r := ac.post("/admin/surveys/tok/tokens", url.Values{"section": {"soumu-a"}, "count": {"2"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "alert") {
			t.Errorf("base %q without confirmation: %d; want 422 with a message", base, r.Status)
		}
		r = ac.post("/admin/surveys/tok/tokens", url.Values{"section": {"soumu-a"}, "count": {"2"}, "confirm_base": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Errorf("base %q confirmed: %d; want 303", base, r.Status)
		}
		if c, _ := st.TokenCounts("tok"); c["soumu-a"].Issued != 2 {
			t.Errorf("base %q: issued %d; want 2", base, c["soumu-a"].Issued)
		}
	}
}

func TestAdminResponseRates(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q, tokens := mustOpenSurvey(t, st, 8) // 8 tokens for soumu-a
	mustIssueTokens(t, st, q.ID, "soumu-b", 2)
	for _, tok := range tokens[:3] {
		r := survey.NewResponse(q, testSection)
		r.Answers[0] = 4
		if err := st.Submit(tok, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range []string{survey.RoleAdmin, survey.RoleManager} {
		ac := adminLogin(t, ts, role)
		page := ac.get("/admin/surveys/" + q.ID)
		if page.Status != http.StatusOK {
			t.Fatalf("%s: %d", role, page.Status)
		}
		// soumu-a 3/8 = 38%, soumu (its parent) 3/10 = 30%, the organisation likewise. A manager
		// without sections sees the organisation only (TestManagerRates has the rest), and would
		// not see soumu-a anyway: with soumu-b's two codes it would give soumu-b's count away.
		for _, want := range []string{`<progress max="8" value="3">38%</progress>`, `<progress max="10" value="3">30%</progress>`} {
			if !strings.Contains(page.Body, want) && (role == survey.RoleAdmin || strings.Contains(want, `"10"`)) {
				t.Errorf("%s: rates page lacks %s", role, want)
			}
		}
		if role == survey.RoleManager && strings.Contains(page.Body, `<progress max="8"`) {
			t.Errorf("manager: sees soumu-a's count")
		}
		if strings.Contains(page.Body, "/report") {
			t.Errorf("%s: an open survey's page links to a report", role)
		}
		if (role == survey.RoleAdmin) != strings.Contains(page.Body, "回答用コードの発行") {
			t.Errorf("%s: token form shown %v", role, !(role == survey.RoleAdmin))
		}
	}
}

func TestAdminHomeListsSurveys(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedClosedSurveys(t, st)
	mustOpenSurvey(t, st, 4)
	ac := adminLogin(t, ts, "manager")
	page := ac.get("/admin")
	for _, want := range []string{"past-2024", "past-2025", testSurveyID, "回答受付中", "終了", "82"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "export.csv") || strings.Contains(page.Body, "/admin/surveys/new") {
		t.Errorf("a manager is offered exports or survey creation")
	}
}

func TestAdminBackup(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedClosedSurveys(t, st)
	r := adminLogin(t, ts, "admin").get("/admin/backup")
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("backup: %d %v", r.Status, r.Header)
	}
	path := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(path, []byte(r.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	restored := storagetest.MustOpenAt(t, path)
	defer restored.Close()
	svs, err := restored.Surveys()
	if err != nil || len(svs) != 2 || svs[1].Responses != 82 {
		t.Errorf("backup holds %d surveys (%v); want both with their responses", len(svs), err)
	}
}

// openForm is the form that opens a survey on the admin page: three custodians, two of whom
// close it. (A fresh one each time: post adds the session's CSRF token to it.)
func openForm() url.Values {
	return url.Values{"custodians": {"人事課長\n職員組合代表\n監査担当"}, "threshold": {"2"}, "confirm_loss": {"1"}}
}

// sharesOf returns the shares printed on share sheets, in order.
func sharesOf(tb testing.TB, sheets string) []string {
	tb.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`<p class="code">(.*?)</p>`).FindAllStringSubmatch(sheets, -1) {
		out = append(out, regexp.MustCompile(`<[^>]+>|\s`).ReplaceAllString(m[1], ""))
	}
	return out
}
