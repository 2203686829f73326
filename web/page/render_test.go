package page

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

func TestWithheldMark(t *testing.T) {
	tests := []struct {
		k, n int
		lang string
		want string
	}{
		{10, 3, "ja", "n<10"},   // too few
		{10, 0, "ja", "n<10"},   // nobody answered this metric
		{5, 5, "ja", "非表示"},     // enough, but withheld by the remainder rule
		{5, 27, "en", "hidden"}, // ditto, in English
	}
	for _, tt := range tests {
		if got := WithheldMark(tt.k, tt.n, tt.lang); got != tt.want {
			t.Errorf("WithheldMark(%d, %d, %s): got %q; want %q", tt.k, tt.n, tt.lang, got, tt.want)
		}
	}
}
