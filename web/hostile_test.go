package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// hostileJSON are submissions an attacker or a broken client might send, each with the status
// it must get. None may store anything or use the token.
var hostileJSON = []struct {
	name        string
	contentType string
	body        string // TOKEN is replaced by a valid unused token
	want        int
}{
	{"huge number", "application/json", `{"token":"TOKEN","answers":{"m1":1e308}}`, 422},
	{"huge integer", "application/json", `{"token":"TOKEN","answers":{"m1":99999999999999999999999}}`, 422},
	{"negative", "application/json", `{"token":"TOKEN","answers":{"m1":-1}}`, 422},
	{"zero on a 1–5 scale", "application/json", `{"token":"TOKEN","answers":{"m1":0}}`, 422},
	{"fraction", "application/json", `{"token":"TOKEN","answers":{"m1":3.5}}`, 422},
	{"number as string", "application/json", `{"token":"TOKEN","answers":{"m1":"4"}}`, 422},
	{"boolean", "application/json", `{"token":"TOKEN","answers":{"m1":true}}`, 422},
	{"unknown item", "application/json", `{"token":"TOKEN","answers":{"m1":3,"x9":3}}`, 422},
	{"outcome as item", "application/json", `{"token":"TOKEN","answers":{"overall":3}}`, 422},
	{"eNPS 11", "application/json", `{"token":"TOKEN","outcomes":{"enps":11}}`, 422},
	{"unknown top-level field", "application/json", `{"token":"TOKEN","answers":{"m1":3},"section":"kikaku"}`, 422},
	{"duplicated field", "application/json", `{"token":"TOKEN","answers":{"m1":1,"m1":5}}`, 422},
	{"duplicated token", "application/json", `{"token":"TOKEN","token":"TOKEN","answers":{"m1":1}}`, 422},
	{"invalid UTF-8 comment", "application/json", "{\"token\":\"TOKEN\",\"answers\":{\"m1\":3},\"comments\":{\"good\":\"\xff\xfe\"}}", 422},
	{"comment over max_length", "application/json", `{"token":"TOKEN","answers":{"m1":3},"comments":{"good":"` + strings.Repeat("あ", 2001) + `"}}`, 422},
	{"10 MB comment", "application/json", `{"token":"TOKEN","answers":{"m1":3},"comments":{"good":"` + strings.Repeat("x", 10<<20) + `"}}`, 413},
	{"array root", "application/json", `[{"token":"TOKEN"}]`, 422},
	{"truncated", "application/json", `{"token":"TOKEN","answers":{"m1":3}`, 422},
	{"trailing data", "application/json", `{"token":"TOKEN","answers":{"m1":3}} {"x":1}`, 422},
	{"empty body", "application/json", ``, 422},
	{"empty answers", "application/json", `{"token":"TOKEN"}`, 422},
	{"token as number", "application/json", `{"token":12345,"answers":{"m1":3}}`, 422},
	{"text/plain", "text/plain", `{"token":"TOKEN","answers":{"m1":3}}`, 415},
	{"form content type", "application/x-www-form-urlencoded", `token=TOKEN&m1=3`, 415},
	{"no content type", "", `{"token":"TOKEN","answers":{"m1":3}}`, 415},
}

func TestHostileJSON(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 1)
	tok := tokens[0]
	for _, tt := range hostileJSON {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/responses", strings.NewReader(strings.ReplaceAll(tt.body, "TOKEN", tok)))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status: got %d; want %d (%s)", rec.Code, tt.want, rec.Body.String())
			}
			if !strings.Contains(rec.Body.String(), `"message"`) || !strings.Contains(rec.Body.String(), `"error"`) {
				t.Fatalf("body %q has no error and message", rec.Body.String())
			}
		})
	}
	if sv, _ := st.Survey(q.ID); sv.Responses != 0 {
		t.Fatalf("%d responses stored by hostile requests; want 0", sv.Responses)
	}
	if _, err := st.Redeemable(tok); err != nil {
		t.Fatalf("token after hostile requests: %v; want unused", err)
	}
}

// hostileForms are form submissions that must be refused with the form re-rendered.
var hostileForms = []struct {
	name string
	form string // TOKEN is replaced by the token
	want int
}{
	{"out of range", "t=TOKEN&m1=6", 422},
	{"negative", "t=TOKEN&m1=-1", 422},
	{"huge", "t=TOKEN&m1=99999999999999999999", 422},
	{"not a number", "t=TOKEN&m1=abc", 422},
	{"duplicated field", "t=TOKEN&m1=1&m1=5", 422},
	{"eNPS out of range", "t=TOKEN&m1=1&enps=11", 422},
	{"invalid UTF-8", "t=TOKEN&m1=1&good=%FF%FE", 422},
	{"comment over max_length", "t=TOKEN&m1=1&good=" + strings.Repeat("%E3%81%82", 2001), 422},
	{"nothing answered", "t=TOKEN", 303}, // to GET /a?t=TOKEN&empty=1, which says so with 422
	{"10 MB comment", "t=TOKEN&m1=1&good=" + strings.Repeat("x", 10<<20), 413},
}

func TestHostileForms(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 1)
	for _, tt := range hostileForms {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/a", strings.NewReader(strings.ReplaceAll(tt.form, "TOKEN", tokens[0])))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status: got %d; want %d", rec.Code, tt.want)
			}
		})
	}
	if sv, _ := st.Survey(q.ID); sv.Responses != 0 {
		t.Fatalf("%d responses stored; want 0", sv.Responses)
	}
}

// TestSecurityHeaders checks the headers every kind of page carries.
func TestSecurityHeaders(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 1)
	for _, path := range []string{"/", "/?t=" + tokens[0], "/a?t=" + tokens[0], "/api/v1/questionnaire?t=" + tokens[0], "/thanks", "/admin/login", "/nope", "/static/app.css", "/healthz"} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s: got %q; want %q", path, k, got, want)
			}
		}
	}
}

// TestNoTokenInLogs drives every kind of route with a token in the path and the query string
// and checks the log has none of it, and no line at all for answering.
func TestNoTokenInLogs(t *testing.T) {
	var logs bytes.Buffer
	st := MustOpenStore(t)
	s, err := New(st, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	_, tokens := mustOpenSurvey(t, st, 3)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tok := tokens[0]
	for _, path := range []string{"/?t=" + tok, "/a?t=" + tok, "/api/v1/questionnaire?t=" + tok, "/admin/login?t=" + tok,
		"/admin/surveys?t=" + tok, "/nope?t=" + tok, "/" + tok, "/admin/" + tok} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	client.PostForm(srv.URL+"/a", url.Values{"t": {tokens[1]}, "m1": {"3"}})
	client.Post(srv.URL+"/api/v1/responses", "application/json", strings.NewReader(fmt.Sprintf(`{"token":%q,"answers":{"m1":3}}`, tokens[2])))
	for _, tok := range tokens {
		if strings.Contains(logs.String(), tok) {
			t.Fatalf("a token is in the log:\n%s", logs.String())
		}
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "path=/a ") || strings.Contains(line, "path=/api/v1/") {
			t.Fatalf("an answering request was logged: %s", line)
		}
	}
	if !strings.Contains(logs.String(), "path=/admin/login") {
		t.Fatalf("admin requests are not logged at all:\n%s", logs.String())
	}
}
