package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestAdminPagesGzip: the signed-in pages are gzipped like the answering pages and the static
// files; the downloads (CSV, backup) are not, for they stream and an .xlsx is compressed already.
func TestAdminPagesGzip(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	get := func(path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := ac.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, path := range []string{"/admin", "/admin/surveys/" + q.ID + "/report", "/admin/users"} {
		if r := get(path); r.StatusCode != 200 || r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: %d, Content-Encoding %q; want 200 gzip", path, r.StatusCode, r.Header.Get("Content-Encoding"))
		}
	}
	for _, path := range []string{"/admin/surveys/" + q.ID + "/export.csv", "/admin/backup"} {
		if r := get(path); r.StatusCode != 200 || r.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: %d, Content-Encoding %q; want 200 without", path, r.StatusCode, r.Header.Get("Content-Encoding"))
		}
	}
}

// TestAuditLogInWords: the audit page names actions in words and folds a run of views of the
// same report by the same person into one row with its count; the CSV keeps every event.
func TestAuditLogInWords(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	for range 5 {
		ac.get("/admin/surveys/" + q.ID + "/report")
	}
	ac.get("/admin/surveys/" + q.ID + "/plans")
	ac.get("/admin/surveys/" + q.ID + "/report")
	page := ac.get("/admin/audit").Body
	for _, want := range []string{"レポートの閲覧", "改善計画の閲覧", "ログイン", "（5 回）"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit page lacks %q", want)
		}
	}
	if n := strings.Count(page, "レポートの閲覧"); n != 2 {
		t.Errorf("%d rows of report views; want 2 (a run of 5 folded, then 1)", n)
	}
	if strings.Contains(page, "<code>report.view</code>") {
		t.Errorf("the audit page shows action codes")
	}
	if csv := ac.get("/admin/audit.csv?bom=0").Body; strings.Count(csv, "report.view") != 6 {
		t.Errorf("the CSV has %d report views; want all 6", strings.Count(csv, "report.view"))
	}
}

// TestUsersSectionPicker: sections are checkboxes in the order of the organisation tree, with
// names, and a manager's chosen ones are ticked; for other roles the picker starts hidden.
func TestUsersSectionPicker(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedClosedSurveys(t, st)
	mustAddManager(t, st, "chief", "hoken")
	page := adminLogin(t, ts, "admin").get("/admin/users").Body
	if strings.Contains(page, `<select name="sections"`) {
		t.Errorf("sections are still a multiple select")
	}
	if !regexp.MustCompile(`<input type="checkbox" name="sections" value="hoken" checked>`).MatchString(page) {
		t.Errorf("the chief's section is not a ticked checkbox")
	}
	// Tree order: the test questionnaire lists soumu before shimin before hoken; the old
	// order by code put hoken first.
	soumu, hoken := strings.Index(page, `value="soumu"`), strings.Index(page, `value="hoken"`)
	if soumu < 0 || hoken < 0 || soumu > hoken {
		t.Errorf("sections not in tree order (soumu at %d, hoken at %d)", soumu, hoken)
	}
	if n := strings.Count(page, `data-role-only="manager" hidden`); n < 3 {
		t.Errorf("%d hidden section pickers; want one per user who is not a manager", n)
	}
}

// TestFirstSignInMessage: a user who must choose a password is told so in words that fit a
// new account as well as a reset one.
func TestFirstSignInMessage(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	u, err := st.User("analyst")
	if err != nil {
		t.Fatal(err)
	}
	u.MustChangePassword = true
	if err := st.PutUser(u); err != nil {
		t.Fatal(err)
	}
	ac := newAdminClient(t, ts)
	login := ac.get("/admin/login")
	ac.post("/admin/login", map[string][]string{"name": {"analyst"}, "password": {adminTestPassword}, csrfField: {formToken(t, login.Body)}})
	page := ac.get("/admin/password").Body
	if strings.Contains(page, "再発行されました") || !strings.Contains(page, "初期パスワード") {
		t.Errorf("the first sign-in message does not fit a new user")
	}
}

// TestEditionPageTitle: an edition's page is titled with its survey, not its internal id.
func TestEditionPageTitle(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedClosedSurveys(t, st)
	ed, err := st.PublishEdition(q.ID, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	page := adminLogin(t, ts, "admin").get("/admin/surveys/" + q.ID + "/editions/" + ed.ID).Body
	h1 := regexp.MustCompile(`(?s)<h1>(.*?)</h1>`).FindStringSubmatch(page)
	if h1 == nil || strings.Contains(h1[1], ed.ID) || !strings.Contains(h1[1], q.Title.JA) {
		t.Errorf("edition page heading %q; want the survey's title and no id", h1)
	}
}
