package web

import (
	"io"
	"net/http"
	"regexp"
	"testing"
)

// TestReportPageScript: the scripts a report page loads (the echarts build of
// web/assets/echarts.js and admin.js), as sent plain and gzipped. The full echarts library was
// 1,034 KB (334 KB gzipped); the build holds only the chart types and components the pages
// use. echarts' core alone (one chart type, one component, the canvas renderer) is 436 KB
// minified, so the plain budget is the build's size with a margin, to catch a component
// added by mistake; the gzipped budget is what a phone downloads.
func TestReportPageScript(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	body := ac.get("/admin/surveys/" + id + "/report").Body
	srcs := regexp.MustCompile(`<script src="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(srcs) < 2 {
		t.Fatalf("the report loads %d scripts; want echarts and admin.js", len(srcs))
	}
	plain, zipped := 0, 0
	for _, m := range srcs {
		for _, enc := range []string{"", "gzip"} {
			req, _ := http.NewRequest("GET", ts.URL+m[1], nil)
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			// A transport that does not ask for or undo gzip by itself, to see the bytes sent.
			resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", m[1], resp.StatusCode)
			}
			if enc == "" {
				plain += int(n)
			} else {
				if resp.Header.Get("Content-Encoding") != "gzip" {
					t.Errorf("%s is not sent gzipped", m[1])
				}
				zipped += int(n)
			}
		}
	}
	t.Logf("report page scripts: %d bytes (%.1f KB) plain, %d bytes (%.1f KB) gzipped", plain, float64(plain)/1024, zipped, float64(zipped)/1024)
	if plain > 600_000 {
		t.Errorf("the report's scripts weigh %d bytes; the budget is 600,000", plain)
	}
	if zipped > 210_000 {
		t.Errorf("the report's scripts weigh %d bytes gzipped; the budget is 210,000", zipped)
	}
}
