package web

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/web/answer"
	"staffsurvey/web/page"
)

// Tests of running the service: users in the browser, the audit log, sessions in the store, proxies and
// the rate limit of the answer routes.

var shownPassword = regexp.MustCompile(`<code class="password">([^<]+)</code>`)

// TestAdminUsers: an admin adds a manager scoped to sections (a password is shown once and must
// be changed at the first sign-in), changes and disables it; the last admin stays an admin.
func TestAdminUsers(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	mustCreateSurvey(t, st, testQuestionnaire(t, "scope"), survey.StateDraft)
	ac := adminLogin(t, ts, "admin")

	for _, tt := range []struct {
		name string
		form url.Values
	}{
		{"bad name", url.Values{"name": {"田中"}, "role": {"analyst"}}},
		{"bad role", url.Values{"name": {"kato"}, "role": {"boss"}}},
		{"manager without sections", url.Values{"name": {"kato"}, "role": {"manager"}}},
		{"unknown section", url.Values{"name": {"kato"}, "role": {"manager"}, "sections": {"nope"}}},
		{"existing user", url.Values{"name": {"analyst"}, "role": {"analyst"}}},
	} {
		if r := ac.post("/admin/users", tt.form); r.Status < 400 || !strings.Contains(r.Body, "alert") {
			t.Errorf("%s: %d; want an error shown on the page", tt.name, r.Status)
		}
	}

	r := ac.post("/admin/users", url.Values{"name": {"kato"}, "role": {"manager"}, "sections": {"soumu", "hoken-a"}})
	m := shownPassword.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("add: %d, no password shown", r.Status)
	}
	u, err := st.User("kato")
	if err != nil || u.Role != survey.RoleManager || strings.Join(u.Sections, ",") != "hoken-a,soumu" || !u.MustChangePassword {
		t.Fatalf("stored user %+v, %v", u, err)
	}

	// kato signs in and is sent to change the password before anything else.
	kato := newAdminClient(t, ts)
	page := kato.get("/admin/login")
	r = kato.post("/admin/login", url.Values{"name": {"kato"}, "password": {m[1]}, csrfField: {formToken(t, page.Body)}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/password" {
		t.Fatalf("login with the shown password: %d to %q", r.Status, r.Header.Get("Location"))
	}
	if r := kato.get("/admin"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/password" {
		t.Errorf("GET /admin before changing: %d to %q; want the password page", r.Status, r.Header.Get("Location"))
	}
	pw := kato.get("/admin/password")
	kato.csrf = formToken(t, pw.Body)
	for _, tt := range []struct{ name, cur, new, confirm string }{
		{"wrong current", "nope", "kita-ward-autumn-7", "kita-ward-autumn-7"},
		{"mismatch", m[1], "kita-ward-autumn-7", "kita-ward-autumn-8"},
		{"common", m[1], "Password2026!", "Password2026!"},
		{"short", m[1], "short-7", "short-7"},
		{"contains the name", m[1], "kato-is-my-name-1", "kato-is-my-name-1"},
	} {
		if r := kato.post("/admin/password", url.Values{"current": {tt.cur}, "new": {tt.new}, "confirm": {tt.confirm}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "alert") {
			t.Errorf("%s: %d; want 422 with a message", tt.name, r.Status)
		}
	}
	r = kato.post("/admin/password", url.Values{"current": {m[1]}, "new": {"kita-ward-autumn-7"}, "confirm": {"kita-ward-autumn-7"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin" {
		t.Fatalf("change: %d to %q", r.Status, r.Header.Get("Location"))
	}
	if r := kato.get("/admin"); r.Status != http.StatusOK {
		t.Errorf("GET /admin after the change: %d; want 200 (a fresh session)", r.Status)
	}
	if u, _ := st.User("kato"); u.MustChangePassword {
		t.Error("must change password still set")
	}

	// The admin disables kato: kato's session ends at once and kato cannot sign in.
	r = ac.post("/admin/users/kato", url.Values{"role": {"manager"}, "sections": {"soumu"}, "disabled": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d\n%s", r.Status, r.Body)
	}
	if r := kato.get("/admin"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/login") {
		t.Errorf("disabled user's session: %d; want signed out", r.Status)
	}
	again := newAdminClient(t, ts)
	page = again.get("/admin/login")
	if r := again.post("/admin/login", url.Values{"name": {"kato"}, "password": {"kita-ward-autumn-7"}, csrfField: {formToken(t, page.Body)}}); r.Status != http.StatusUnauthorized {
		t.Errorf("disabled user signs in: %d; want 401", r.Status)
	}

	// The last admin can neither be demoted nor disabled.
	for _, form := range []url.Values{{"role": {"analyst"}}, {"role": {"admin"}, "disabled": {"1"}}} {
		if r := ac.post("/admin/users/admin", form); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("last admin %v: %d; want 422", form, r.Status)
		}
	}

	// A reset shows a new password, ends the user's sessions and forces a change.
	analyst := adminLogin(t, ts, "analyst")
	r = ac.post("/admin/users/analyst/reset", nil)
	if shownPassword.FindStringSubmatch(r.Body) == nil {
		t.Fatalf("reset: %d, no password shown", r.Status)
	}
	if r := analyst.get("/admin"); r.Status != http.StatusSeeOther {
		t.Errorf("session after a reset: %d; want signed out", r.Status)
	}

	// Only admins manage users.
	for _, path := range []string{"/admin/users", "/admin/audit", "/admin/audit.csv"} {
		if r := adminLogin(t, ts, "manager").get(path); r.Status != http.StatusForbidden {
			t.Errorf("manager GET %s: %d; want 403", path, r.Status)
		}
	}
}

// TestAdminPasswordChangeEndsOtherSessions: changing one's password signs out every other browser.
func TestAdminPasswordChangeEndsOtherSessions(t *testing.T) {
	_, _, ts := newAdminTestServer(t, Config{})
	a, b := adminLogin(t, ts, "analyst"), adminLogin(t, ts, "analyst")
	a.csrf = formToken(t, a.get("/admin/password").Body)
	r := a.post("/admin/password", url.Values{"current": {adminTestPassword}, "new": {"a-much-better-one-42"}, "confirm": {"a-much-better-one-42"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.Status, r.Body)
	}
	if r := a.get("/admin"); r.Status != http.StatusOK {
		t.Errorf("the browser that changed it: %d; want 200", r.Status)
	}
	if r := b.get("/admin"); r.Status != http.StatusSeeOther {
		t.Errorf("another browser: %d; want signed out", r.Status)
	}
}

// TestSessionsSurviveRestart: a session made by one server is valid in a new server over the
// same store, and the store holds only the hash of the session id.
func TestSessionsSurviveRestart(t *testing.T) {
	s1, st, ts := newAdminTestServer(t, Config{})
	ac := adminLogin(t, ts, "admin")
	ts.Close()
	_ = s1
	s2, err := New(st, Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(s2.Handler())
	defer ts2.Close()
	ac.base = ts2.URL
	u, _ := url.Parse(ts.URL)
	u2, _ := url.Parse(ts2.URL)
	ac.c.Jar.SetCookies(u2, ac.c.Jar.Cookies(&url.URL{Scheme: "http", Host: u.Host, Path: "/admin"}))
	if r := ac.get("/admin"); r.Status != http.StatusOK {
		t.Fatalf("after a restart: %d; want still signed in", r.Status)
	}
	var id string
	for _, ck := range ac.c.Jar.Cookies(&url.URL{Scheme: "http", Host: u2.Host, Path: "/admin"}) {
		if ck.Name == sessionCookie {
			id = ck.Value
		}
	}
	backup := &strings.Builder{}
	if _, err := st.Backup(backup); err != nil {
		t.Fatal(err)
	}
	if id == "" || strings.Contains(backup.String(), id) {
		t.Error("the session id is stored in clear")
	}
}

// TestAuditLog: actions are recorded with user and client, newest first, and no token or
// answer ever appears in the log or its CSV.
func TestAuditLog(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{BaseURL: "https://survey.example.lg.jp"})
	seedClosedSurveys(t, st)
	mustCreateSurvey(t, st, testQuestionnaire(t, "aud"), survey.StateDraft)
	bad := newAdminClient(t, ts)
	page := bad.get("/admin/login")
	bad.post("/admin/login", url.Values{"name": {"mallory"}, "password": {"guess-guess-guess"}, csrfField: {formToken(t, page.Body)}})
	ac := adminLogin(t, ts, "admin")
	batch := ac.post("/admin/surveys/aud/tokens", url.Values{"section": {"soumu-a"}, "count": {"3"}}).Header.Get("Location")
	csvBody := ac.get(batch + "/tokens.csv").Body
	ac.post(batch+"/void", url.Values{"confirm": {"1"}})
	ac.post("/admin/surveys/aud/open", openForm())
	ac.get("/admin/surveys/past-2025/report")
	ac.get("/admin/surveys/past-2025/export.csv")
	ac.get("/admin/backup")

	events, total, err := st.AuditLog(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
		if e.Client == "" || e.Time.IsZero() {
			t.Errorf("event %+v lacks client or time", e)
		}
	}
	want := "backup export report.view survey.open tokens.void tokens.issue login login.fail"
	if got := strings.Join(actions, " "); got != want || total != len(events) {
		t.Errorf("actions, newest first:\n got %s\nwant %s", got, want)
	}
	if events[len(events)-1].User != "mallory" {
		t.Errorf("failed sign-in recorded as %q; want the name tried", events[len(events)-1].User)
	}
	if !strings.Contains(events[4].Detail, "section=soumu-a") || !strings.Contains(events[4].Detail, "voided=3") {
		t.Errorf("void detail %q", events[4].Detail)
	}

	r := ac.get("/admin/audit")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "tokens.issue") {
		t.Errorf("audit page: %d", r.Status)
	}
	r = ac.get("/admin/audit.csv?bom=1")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "\ufeffseq,time,user,client,action,target,detail") {
		t.Errorf("audit CSV: %d %.60q", r.Status, r.Body)
	}
	for _, line := range strings.Split(csvBody, "\n")[1:] {
		if tok, _, ok := strings.Cut(line, ","); ok && (strings.Contains(r.Body, tok) || strings.Contains(ac.get("/admin/audit").Body, tok)) {
			t.Errorf("a token appears in the audit log")
		}
	}
}

// TestClientIP: X-Forwarded-For counts only from a trusted proxy, and then its rightmost
// untrusted hop.
func TestClientIP(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.5")
	if err != nil {
		t.Fatal(err)
	}
	s := &page.Site{TrustedProxies: trusted}
	for _, tt := range []struct {
		name, peer, xff, want string
	}{
		{"no proxy", "203.0.113.9:5000", "", "203.0.113.9"},
		{"untrusted peer's header ignored", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"trusted proxy", "10.1.2.3:443", "198.51.100.1", "198.51.100.1"},
		{"spoofed left part ignored", "10.1.2.3:443", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"chain of trusted proxies", "10.1.2.3:443", "198.51.100.1, 192.168.1.5, 10.9.9.9", "198.51.100.1"},
		{"single trusted address", "192.168.1.5:80", "198.51.100.7", "198.51.100.7"},
		{"garbage hop", "10.1.2.3:443", "198.51.100.1, nonsense", "10.1.2.3"},
		{"no header from a proxy", "10.1.2.3:443", "", "10.1.2.3"},
		{"IPv6 client", "10.1.2.3:443", "2001:db8::1", "2001:db8::1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tt.peer
			if tt.xff != "" {
				req.Header.Set("X-Forwarded-For", tt.xff)
			}
			c := echo.New().NewContext(req, httptest.NewRecorder())
			if got := s.ClientIP(c); got != tt.want {
				t.Errorf("got %s; want %s", got, tt.want)
			}
		})
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("bad CIDR: %v; want EINVALID", err)
	}
	if p, _ := ParseTrustedProxies("::ffff:10.0.0.1"); len(p) != 1 || !p[0].Contains(netip.MustParseAddr("10.0.0.1")) {
		t.Errorf("mapped address: %v", p)
	}
}

// TestSecureBehindProxy: an https base URL means Secure cookies and HSTS without TLS here.
func TestSecureBehindProxy(t *testing.T) {
	_, _, ts := newAdminTestServer(t, Config{BaseURL: "https://survey.example.lg.jp"})
	resp, err := http.Get(ts.URL + "/admin/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS")
	}
	for _, ck := range resp.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s not Secure", ck.Name)
		}
	}
}

// TestAnswerRateLimit: a burst passes, then 429 with Retry-After and a message in both
// languages; other clients are not affected, and the bucket refills.
func TestAnswerRateLimit(t *testing.T) {
	now := time.Now()
	s, err := New(MustOpenStore(t), Config{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	get := func(ip string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = ip + ":1234"
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}
	for i := range answer.DefaultBurst {
		if rec := get("198.51.100.1"); rec.Code == http.StatusTooManyRequests {
			t.Fatalf("request %d of the burst: 429", i+1)
		}
	}
	rec := get("198.51.100.1")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" ||
		!strings.Contains(rec.Body.String(), "アクセスが多すぎます") {
		t.Errorf("past the burst: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := get("198.51.100.2"); rec.Code == http.StatusTooManyRequests {
		t.Error("another client was limited")
	}
	now = now.Add(time.Second)
	for i := range int(answer.DefaultRate) {
		if rec := get("198.51.100.1"); rec.Code == http.StatusTooManyRequests {
			t.Errorf("request %d a second later: 429", i+1)
		}
	}
	if rec := get("198.51.100.1"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("past the rate: %d; want 429", rec.Code)
	}
	// A whole office behind one address answering at once: 100 people × 4 requests over ten
	// minutes never waits.
	now = now.Add(time.Hour)
	for i := range 400 {
		now = now.Add(600 * time.Second / 400)
		if rec := get("198.51.100.3"); rec.Code == http.StatusTooManyRequests {
			t.Fatalf("office request %d: 429", i+1)
		}
	}
}

// FuzzClientIP: whatever X-Forwarded-For says, the client address is the peer or an address
// the header names, and never a trusted proxy unless every hop is one.
func FuzzClientIP(f *testing.F) {
	f.Add("10.1.2.3", "198.51.100.1, 10.9.9.9")
	f.Add("203.0.113.9", "1.2.3.4")
	f.Add("10.0.0.1", ",,, ::1, garbage")
	trusted, _ := ParseTrustedProxies("10.0.0.0/8")
	s := &page.Site{TrustedProxies: trusted}
	isTrusted := func(addr string) bool {
		a, err := netip.ParseAddr(addr)
		return err == nil && trusted[0].Contains(a.Unmap())
	}
	f.Fuzz(func(t *testing.T, peer, xff string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = peer + ":1"
		req.Header.Set("X-Forwarded-For", xff)
		got := s.ClientIP(echo.New().NewContext(req, httptest.NewRecorder()))
		host, _, err := net.SplitHostPort(req.RemoteAddr)
		if err != nil {
			host = req.RemoteAddr
		}
		if got == host {
			return
		}
		if !isTrusted(host) {
			t.Fatalf("untrusted peer %q: client %q from the header", host, got)
		}
		for _, hop := range strings.Split(xff, ",") {
			if a, err := netip.ParseAddr(strings.TrimSpace(hop)); err == nil && a.Unmap().String() == got {
				return
			}
		}
		t.Fatalf("client %q is neither the peer %q nor an address of %q", got, host, xff)
	})
}

// FuzzParseTrustedProxies: the flag's parser never panics, and what it accepts is masked.
func FuzzParseTrustedProxies(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "192.168.1.5, ::1", "", "1.2.3.4/40", "fe80::/10,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		ps, err := ParseTrustedProxies(list)
		if err != nil {
			return
		}
		for _, p := range ps {
			if p != p.Masked() {
				t.Errorf("%v not masked", p)
			}
		}
	})
}
