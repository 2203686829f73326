package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"staffsurvey/internal/demo"
	"staffsurvey/internal/password"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// Test helpers of the admin pages. The answering tests have their own; these are prefixed
// "admin" to keep the two apart.

// adminTestPassword is the password of every user mustAddUser creates.
const adminTestPassword = "correct horse battery"

// mustAddUser stores a user with adminTestPassword, hashed at bcrypt's lowest cost to keep
// the tests quick (password.Check reads the cost from the hash).
func mustAddUser(tb testing.TB, st *storage.Store, name, role string) {
	tb.Helper()
	hash, err := password.HashCheap(adminTestPassword)
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.PutUser(&survey.User{Name: name, Role: role, PasswordHash: hash}); err != nil {
		tb.Fatalf("put user %s: %v", name, err)
	}
}

// mustAddManager stores a manager scoped to sections, with adminTestPassword.
func mustAddManager(tb testing.TB, st *storage.Store, name string, sections ...string) {
	tb.Helper()
	hash, err := password.HashCheap(adminTestPassword)
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.PutUser(&survey.User{Name: name, Role: survey.RoleManager, Sections: sections, PasswordHash: hash}); err != nil {
		tb.Fatal(err)
	}
}

// adminTestUsers adds one user per role, named after the role.
func adminTestUsers(tb testing.TB, st *storage.Store) {
	tb.Helper()
	for _, r := range []string{survey.RoleAdmin, survey.RoleExecutive, survey.RoleManager, survey.RoleAnalyst} {
		mustAddUser(tb, st, r, r)
	}
}

// newAdminTestServer returns a server with a user per role behind a real HTTP listener.
func newAdminTestServer(tb testing.TB, cfg Config) (*Server, *storage.Store, *httptest.Server) {
	tb.Helper()
	st := MustOpenStore(tb)
	s, err := New(st, cfg)
	if err != nil {
		tb.Fatalf("new server: %v", err)
	}
	adminTestUsers(tb, st)
	ts := httptest.NewServer(s.Handler())
	tb.Cleanup(ts.Close)
	return s, st, ts
}

// adminClient is a browser for tests: it keeps cookies, does not follow redirects, and sends
// the session's CSRF token with its forms.
type adminClient struct {
	tb   testing.TB
	base string
	c    *http.Client
	csrf string
}

// adminResponse is a response with its body read.
type adminResponse struct {
	Status int
	Header http.Header
	Body   string
}

func newAdminClient(tb testing.TB, ts *httptest.Server) *adminClient {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	return &adminClient{tb: tb, base: ts.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (ac *adminClient) do(req *http.Request) adminResponse {
	ac.tb.Helper()
	resp, err := ac.c.Do(req)
	if err != nil {
		ac.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ac.tb.Fatal(err)
	}
	return adminResponse{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func (ac *adminClient) get(path string) adminResponse {
	ac.tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, ac.base+path, nil)
	return ac.do(req)
}

// post sends form to path, with the session's CSRF token unless form sets _csrf itself.
func (ac *adminClient) post(path string, form url.Values) adminResponse {
	ac.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[csrfField]; !ok && ac.csrf != "" {
		form.Set(csrfField, ac.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, ac.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return ac.do(req)
}

// postMultipart sends fields and one file as multipart/form-data.
func (ac *adminClient) postMultipart(path string, fields map[string]string, fileName string, file []byte) adminResponse {
	ac.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if _, ok := fields[csrfField]; !ok {
		mw.WriteField(csrfField, ac.csrf)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, ac.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return ac.do(req)
}

var csrfValue = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formToken returns the _csrf value of the first form of a page.
func formToken(tb testing.TB, body string) string {
	tb.Helper()
	m := csrfValue.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no _csrf field in page:\n%s", body)
	}
	return m[1]
}

// adminLogin signs a new client in as name and returns it, ready to post forms.
func adminLogin(tb testing.TB, ts *httptest.Server, name string) *adminClient {
	tb.Helper()
	ac := newAdminClient(tb, ts)
	page := ac.get("/admin/login")
	r := ac.post("/admin/login", url.Values{"name": {name}, "password": {adminTestPassword}, csrfField: {formToken(tb, page.Body)}})
	// A manager lands on the team view (/admin/team); everyone else on the survey list.
	if loc := r.Header.Get("Location"); r.Status != http.StatusSeeOther || loc != "/admin" && loc != "/admin/team" {
		tb.Fatalf("login %s: status %d, Location %q; want 303 to /admin\n%s", name, r.Status, r.Header.Get("Location"), r.Body)
	}
	home := ac.get("/admin")
	if home.Status != http.StatusOK {
		tb.Fatalf("GET /admin after login: %d", home.Status)
	}
	ac.csrf = formToken(tb, home.Body)
	return ac
}

// adminSizes are the respondents per leaf section of the seeded surveys. With the test
// questionnaire's min_group_size of 5, soumu-b (3) and hoken-b (2) are suppressed.
var adminSizes = map[string]int{"soumu-a": 8, "soumu-b": 3, "shimin-a": 12, "shimin-b": 6, "shimin-c": 7,
	"madoguchi": 15, "hoken-a": 9, "hoken-b": 2, "kikaku": 20}

// seedClosedSurveys stores two closed surveys of the test questionnaire, "past-2024" and
// "past-2025", with synthetic responses of adminSizes, and returns the later one.
func seedClosedSurveys(tb testing.TB, st *storage.Store) *survey.Questionnaire {
	tb.Helper()
	var q *survey.Questionnaire
	for i, year := range []int{2024, 2025} {
		q = testQuestionnaire(tb, "past-"+strconv.Itoa(year))
		q.Year = year
		mustCreateSurvey(tb, st, q, survey.StateDraft)
		if err := st.Import(q.ID, demo.Responses(q, 7, i, adminSizes)); err != nil {
			tb.Fatalf("import %s: %v", q.ID, err)
		}
		if err := storagetest.CloseSurvey(st, q.ID); err != nil {
			tb.Fatal(err)
		}
		publishUnflagged(tb, st, q.ID)
	}
	return q
}

func TestAdminRedirectsToLogin(t *testing.T) {
	_, _, ts := newAdminTestServer(t, Config{})
	ac := newAdminClient(t, ts)
	for _, tt := range []struct {
		path, want string
	}{
		{"/admin", "/admin/login"},
		{"/admin/trends", "/admin/login?next=%2Fadmin%2Ftrends"},
		{"/admin/surveys/x/report", "/admin/login?next=%2Fadmin%2Fsurveys%2Fx%2Freport"},
		{"/admin/api/report?survey=x", "/admin/login?next=%2Fadmin%2Fapi%2Freport%3Fsurvey%3Dx"},
		{"/admin/no-such-page", "/admin/login?next=%2Fadmin%2Fno-such-page"},
	} {
		r := ac.get(tt.path)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != tt.want {
			t.Errorf("GET %s: %d to %q; want 303 to %q", tt.path, r.Status, r.Header.Get("Location"), tt.want)
		}
	}
	if r := ac.post("/admin/surveys", nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/login" {
		t.Errorf("POST /admin/surveys: %d to %q; want 303 to /admin/login", r.Status, r.Header.Get("Location"))
	}
}

func TestAdminLoginLogout(t *testing.T) {
	_, _, ts := newAdminTestServer(t, Config{})
	ac := newAdminClient(t, ts)
	page := ac.get("/admin/login")
	if page.Status != http.StatusOK {
		t.Fatalf("GET /admin/login: %d", page.Status)
	}
	for _, field := range []string{`name="name"`, `name="password"`, `type="password"`, `name="_csrf"`} {
		if !strings.Contains(page.Body, field) {
			t.Errorf("login form lacks %s", field)
		}
	}
	token := formToken(t, page.Body)

	bad := ac.post("/admin/login", url.Values{"name": {"admin"}, "password": {"wrong password"}, csrfField: {token}})
	if bad.Status != http.StatusUnauthorized || !strings.Contains(bad.Body, "パスワードが違います") {
		t.Errorf("wrong password: %d; want 401 with a message", bad.Status)
	}
	unknown := ac.post("/admin/login", url.Values{"name": {"nobody"}, "password": {adminTestPassword}, csrfField: {token}})
	if unknown.Status != http.StatusUnauthorized || !strings.Contains(unknown.Body, "パスワードが違います") {
		t.Errorf("unknown user: %d; want 401 with the same message", unknown.Status)
	}

	ok := ac.post("/admin/login", url.Values{"name": {"admin"}, "password": {adminTestPassword}, csrfField: {token},
		"next": {"/admin/trends"}})
	if ok.Status != http.StatusSeeOther || ok.Header.Get("Location") != "/admin/trends" {
		t.Fatalf("login: %d to %q; want 303 to /admin/trends", ok.Status, ok.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range (&http.Response{Header: ok.Header}).Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/admin" || session.Secure {
		t.Errorf("session cookie %+v; want HttpOnly, SameSite=Lax, Path=/admin, not Secure without TLS", session)
	}
	home := ac.get("/admin")
	if home.Status != http.StatusOK || !strings.Contains(home.Body, "ログアウト") {
		t.Fatalf("GET /admin signed in: %d", home.Status)
	}
	ac.csrf = formToken(t, home.Body)

	out := ac.post("/admin/logout", nil)
	if out.Status != http.StatusSeeOther || out.Header.Get("Location") != "/admin/login" {
		t.Errorf("logout: %d to %q; want 303 to /admin/login", out.Status, out.Header.Get("Location"))
	}
	// The old session id is dead even if a browser (or a thief) still sends it.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/admin", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session.Value})
	if r := newAdminClient(t, ts).do(req); r.Status != http.StatusSeeOther {
		t.Errorf("old session after logout: %d; want 303 to the login", r.Status)
	}
}

func TestAdminSecureCookieOverTLS(t *testing.T) {
	_, _, ts := newAdminTestServer(t, Config{TLS: true})
	ac := newAdminClient(t, ts)
	page := ac.get("/admin/login")
	r := ac.post("/admin/login", url.Values{"name": {"admin"}, "password": {adminTestPassword}, csrfField: {formToken(t, page.Body)}})
	found := false
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == sessionCookie {
			found = true
			if !c.Secure {
				t.Errorf("session cookie over TLS is not Secure")
			}
		}
	}
	if !found {
		t.Fatalf("no session cookie: %d", r.Status)
	}
}

func TestAdminLoginNeedsCSRF(t *testing.T) {
	_, _, ts := newAdminTestServer(t, Config{})
	ac := newAdminClient(t, ts)
	ac.get("/admin/login") // sets the cookie half
	for _, tt := range []struct {
		name  string
		token string
	}{
		{"missing", ""},
		{"wrong", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ac.post("/admin/login", url.Values{"name": {"admin"}, "password": {adminTestPassword}, csrfField: {tt.token}})
			if r.Status != http.StatusForbidden {
				t.Errorf("status %d; want 403", r.Status)
			}
			if r := ac.get("/admin"); r.Status != http.StatusSeeOther {
				t.Errorf("signed in without a CSRF token")
			}
		})
	}
}

func TestAdminLoginThrottle(t *testing.T) {
	now := time.Now()
	_, _, ts := newAdminTestServer(t, Config{Now: func() time.Time { return now }})
	ac := newAdminClient(t, ts)
	token := formToken(t, ac.get("/admin/login").Body)
	for i := 0; i < loginMaxFailures; i++ {
		r := ac.post("/admin/login", url.Values{"name": {"admin"}, "password": {"guess " + strconv.Itoa(i)}, csrfField: {token}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d; want 401", i+1, r.Status)
		}
	}
	// Past the limit the throttle answers first: before the CSRF check, before the password.
	for _, tt := range []struct {
		name string
		form url.Values
	}{
		{"right password", url.Values{"name": {"admin"}, "password": {adminTestPassword}, csrfField: {token}}},
		{"no CSRF token", url.Values{"name": {"admin"}, "password": {"x"}}},
	} {
		r := newAdminClient(t, ts).post("/admin/login", tt.form)
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s: %d (Retry-After %q); want 429 with Retry-After", tt.name, r.Status, r.Header.Get("Retry-After"))
		}
	}
	now = now.Add(loginWindow + time.Second)
	r := ac.post("/admin/login", url.Values{"name": {"admin"}, "password": {adminTestPassword}, csrfField: {token}})
	if r.Status != http.StatusSeeOther {
		t.Errorf("after the window: %d; want 303", r.Status)
	}
}

func TestAdminLoginThrottleCountsCSRFFailures(t *testing.T) {
	_, _, ts := newAdminTestServer(t, Config{})
	ac := newAdminClient(t, ts)
	var last int
	for i := 0; i <= loginMaxFailures; i++ {
		last = ac.post("/admin/login", url.Values{"name": {"admin"}, "password": {"x"}}).Status
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("request %d without a CSRF token: %d; want 429", loginMaxFailures+1, last)
	}
}

func TestAdminSessionExpiry(t *testing.T) {
	for _, tt := range []struct {
		name    string
		steps   []time.Duration // time between requests
		wantOut bool
	}{
		{"active within the idle limit", []time.Duration{50 * time.Minute, 50 * time.Minute}, false},
		{"idle too long", []time.Duration{sessionIdle + time.Minute}, true},
		{"active but past the absolute limit", []time.Duration{50 * time.Minute, 50 * time.Minute, 50 * time.Minute,
			50 * time.Minute, 50 * time.Minute, 50 * time.Minute, 50 * time.Minute, 50 * time.Minute, 50 * time.Minute, 50 * time.Minute}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Now()
			_, _, ts := newAdminTestServer(t, Config{Now: func() time.Time { return now }})
			ac := adminLogin(t, ts, "admin")
			status := http.StatusOK
			for _, d := range tt.steps {
				now = now.Add(d)
				if status = ac.get("/admin").Status; status != http.StatusOK {
					break
				}
			}
			if got := status == http.StatusSeeOther; got != tt.wantOut {
				t.Errorf("last status %d; signed out %v, want %v", status, got, tt.wantOut)
			}
		})
	}
}

// roleCases is the roles matrix (rolePermissions), request by request: admin may do everything,
// manager sees dashboards and reports, analyst sees reports and exports.
var roleCases = []struct {
	method, path            string
	admin, manager, analyst int
}{
	{"GET", "/admin", 200, 200, 200},
	{"GET", "/admin/surveys/new", 200, 403, 403},
	{"GET", "/admin/surveys/past-2025", 200, 200, 403},
	{"GET", "/admin/surveys/past-2025/report", 200, 200, 200},
	{"GET", "/admin/surveys/past-2025/comments", 200, 200, 200},
	{"GET", "/admin/surveys/past-2025/plans", 200, 200, 200},
	{"GET", "/admin/trends", 200, 200, 200},
	{"GET", "/admin/api/report?survey=past-2025", 200, 200, 200},
	{"GET", "/admin/surveys/past-2025/export.csv", 200, 403, 200},
	{"GET", "/admin/surveys/past-2025/report.csv", 200, 403, 200},
	{"GET", "/admin/backup", 200, 403, 403},
	{"POST", "/admin/surveys/{draft}/open", 422, 403, 403}, // 422: allowed, but no custodians named
}

func TestAdminRoles(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedClosedSurveys(t, st)
	for _, role := range []string{survey.RoleAdmin, survey.RoleManager, survey.RoleAnalyst} {
		ac := adminLogin(t, ts, role)
		draft := "draft-" + role // each role gets its own draft to try to open
		mustCreateSurvey(t, st, testQuestionnaire(t, draft), survey.StateDraft)
		for _, tt := range roleCases {
			want := map[string]int{survey.RoleAdmin: tt.admin, survey.RoleManager: tt.manager, survey.RoleAnalyst: tt.analyst}[role]
			path := strings.ReplaceAll(tt.path, "{draft}", draft)
			var r adminResponse
			if tt.method == "POST" {
				r = ac.post(path, nil)
			} else {
				r = ac.get(path)
			}
			if r.Status != want {
				t.Errorf("%s %s %s: %d; want %d", role, tt.method, path, r.Status, want)
			}
		}
	}
}

// TestManagerScope: a manager scoped to shimin sees shimin's subtree beside the whole
// organisation — in the report API, the report, trends and comments pages and their pickers —
// and gets 403 for any other section.
func TestManagerScope(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedClosedSurveys(t, st)
	hash, err := password.HashCheap(adminTestPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutUser(&survey.User{Name: "chief", Role: survey.RoleManager, Sections: []string{"shimin"}, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	ac := adminLogin(t, ts, "chief")

	r := ac.get("/admin/api/report?survey=past-2025")
	if r.Status != http.StatusOK {
		t.Fatalf("api: %d", r.Status)
	}
	var doc struct {
		Surveys []struct {
			Groups []struct{ Section string }
		}
		Changes []struct{ Section string }
	}
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range doc.Surveys[0].Groups {
		got = append(got, g.Section)
	}
	if want := []string{"all", "shimin", "shimin-a", "shimin-b", "shimin-c"}; !slices.Equal(got, want) {
		t.Errorf("api groups %v; want %v", got, want)
	}

	for _, tt := range []struct {
		path string
		want int
	}{
		{"/admin/surveys/past-2025/report", 200},
		{"/admin/surveys/past-2025/report?section=shimin-a", 200},
		{"/admin/surveys/past-2025/report?section=all", 200},
		{"/admin/surveys/past-2025/report?section=soumu", 403},
		{"/admin/surveys/past-2025/comments?section=shimin", 200},
		{"/admin/surveys/past-2025/comments?section=hoken", 403},
		{"/admin/trends?section=shimin-b", 200},
		{"/admin/trends?section=kikaku", 403},
	} {
		if r := ac.get(tt.path); r.Status != tt.want {
			t.Errorf("GET %s: %d; want %d", tt.path, r.Status, tt.want)
		}
	}
	// Navigation never offers another section: no option, link or row names one.
	for _, path := range []string{"/admin/surveys/past-2025/report", "/admin/trends", "/admin/surveys/past-2025/comments"} {
		body := ac.get(path).Body
		for _, other := range []string{"soumu", "madoguchi", "hoken", "kikaku"} {
			if strings.Contains(body, `"`+other) || strings.Contains(body, "="+other) {
				t.Errorf("%s offers %q", path, other)
			}
		}
	}
}
