package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// End-to-end tests of running the service, with the real binary: a restart keeps admins signed in, the
// client address comes from X-Forwarded-For only behind --trusted-proxy, user add enforces the
// password rules and import into a survey with responses needs --append.

const e2ePassword = "kita-ward-autumn-leaves-7"

var e2eCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// browser is a cookie-keeping client that does not follow redirects.
func newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func getBody(tb testing.TB, c *http.Client, req *http.Request) (int, string) {
	tb.Helper()
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// login signs b in at base as name, sending header xff as X-Forwarded-For when not empty,
// and returns the status of the login POST.
func login(tb testing.TB, b *http.Client, base, name, pass, xff string) int {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/admin/login", nil)
	_, page := getBody(tb, b, req)
	m := e2eCSRF.FindStringSubmatch(page)
	if m == nil {
		tb.Fatalf("no login form:\n%s", page)
	}
	form := url.Values{"name": {name}, "password": {pass}, "_csrf": {m[1]}}
	req, _ = http.NewRequest(http.MethodPost, base+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	code, _ := getBody(tb, b, req)
	return code
}

// TestRestartKeepsSession: an admin signed in before a restart is still signed in after it.
func TestRestartKeepsSession(t *testing.T) {
	c := newCLI(t)
	if _, stderr, err := c.run("short-pass\n", "user", "add", "--name", "admin", "--role", "admin"); err == nil || !strings.Contains(stderr, "12") {
		t.Errorf("user add with 10 characters: %v\n%s", err, stderr)
	}
	if _, stderr, err := c.run("password1234\n", "user", "add", "--name", "admin", "--role", "admin"); err == nil || !strings.Contains(stderr, "よく使われる") {
		t.Errorf("user add with a common password: %v\n%s", err, stderr)
	}
	if _, _, err := c.run(e2ePassword+"\n", "user", "add", "--name", "admin", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	srv := c.serve()
	b := newBrowser()
	if code := login(t, b, srv.url, "admin", e2ePassword, ""); code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	srv.stop(t)
	srv2 := c.serve()
	// The new server listens on another port: carry the cookie over.
	old, _ := url.Parse(srv.url + "/admin")
	now, _ := url.Parse(srv2.url + "/admin")
	b.Jar.SetCookies(now, b.Jar.Cookies(old))
	req, _ := http.NewRequest(http.MethodGet, srv2.url+"/admin", nil)
	if code, _ := getBody(t, b, req); code != http.StatusOK {
		t.Errorf("GET /admin after a restart: %d; want 200, still signed in", code)
	}
	srv2.stop(t)
}

// TestTrustedProxy: behind --trusted-proxy 127.0.0.1/32 the throttle counts the address of
// X-Forwarded-For, so one client's failures do not lock out another behind the same proxy;
// without the flag the header is ignored and everyone behind the proxy shares one count.
func TestTrustedProxy(t *testing.T) {
	c := newCLI(t)
	if _, _, err := c.run(e2ePassword+"\n", "user", "add", "--name", "admin", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	c.fails("--trusted-proxy", "serve", "--trusted-proxy", "10.0.0.0/99")
	c.fails("--base-url", "serve", "--base-url", "survey.ward.local")
	for _, tt := range []struct {
		name   string
		args   []string
		wantOK bool // whether the second client can still sign in
	}{
		{"trusted", []string{"--trusted-proxy", "127.0.0.1/32"}, true},
		{"not trusted", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := c.serve(tt.args...)
			defer srv.stop(t)
			for range 10 {
				login(t, newBrowser(), srv.url, "admin", "wrong-password-here", "198.51.100.1")
			}
			code := login(t, newBrowser(), srv.url, "admin", e2ePassword, "198.51.100.2")
			if ok := code == http.StatusSeeOther; ok != tt.wantOK {
				t.Errorf("second client behind the proxy: %d; want signed in %v", code, tt.wantOK)
			}
		})
	}
}

// TestImportAppend: a second import into a survey with responses needs --append.
func TestImportAppend(t *testing.T) {
	c := newCLI(t)
	c.must("survey", "create", "--file", fixtureDir+"/fixture-2025.yaml")
	csvFile := fixtureDir + "/responses-2025.csv"
	c.must("import", "--survey", "fixture-2025", "--csv", csvFile)
	c.fails("--append", "import", "--survey", "fixture-2025", "--csv", csvFile)
	out := c.must("import", "--survey", "fixture-2025", "--csv", csvFile, "--append")
	if !strings.Contains(out, "imported") {
		t.Errorf("import --append: %q", out)
	}
}

// TestTokensVoid: the unused tokens of a token list are voided from the command line.
func TestTokensVoid(t *testing.T) {
	c := newCLI(t)
	c.openFixture("fixture-2026")
	out := c.must("tokens", "issue", "--survey", "fixture-2026", "--section", "soumu-a", "--count", "3", "--base-url", "https://survey.example.lg.jp")
	file := t.TempDir() + "/tokens.csv"
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := c.must("tokens", "void", "--survey", "fixture-2026", "--csv", file); !strings.HasPrefix(got, "3 of 3") {
		t.Errorf("tokens void: %q", got)
	}
	if got := c.must("tokens", "void", "--survey", "fixture-2026", "--csv", file); !strings.HasPrefix(got, "0 of 3") {
		t.Errorf("tokens void again: %q", got)
	}
	c.fails("token list", "tokens", "void", "--survey", "fixture-2026", "--csv", fixtureDir+"/fixture-2026.yaml")
}
