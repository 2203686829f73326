package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLanguageSwitchKeepsQuery: switching language keeps what the page was showing (a
// report's section, say), and never duplicates lang.
func TestLanguageSwitchKeepsQuery(t *testing.T) {
	s, _ := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin/login?next=%2Fadmin%2Ftrends%3Fsection%3Dsoumu&lang=ja", nil))
	body := rec.Body.String()
	for _, want := range []string{`href="/admin/login?next=%2Fadmin%2Ftrends%3Fsection%3Dsoumu&amp;lang=en"`, `href="/admin/login?next=%2Fadmin%2Ftrends%3Fsection%3Dsoumu&amp;lang=ja"`} {
		if !strings.Contains(body, want) {
			t.Errorf("body does not contain %s", want)
		}
	}
}
