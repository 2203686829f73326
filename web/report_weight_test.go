package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// reportScriptBudget is the most JavaScript, in bytes as stored (before compression), that a
// page of results may load: the 400 KB for a manager's report on a phone.
const reportScriptBudget = 400_000

// TestReportPageScript: the scripts every page of results loads, summed over its <script src>
// elements from the embedded static files, plain, and as sent gzipped. The pages draw their
// charts on the server and load admin.js alone; a page that drew with echarts would load at
// least 435 KB (its core with one chart type and the grid, minified), over the budget.
func TestReportPageScript(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	ac := adminLogin(t, ts, "admin")
	pages := []struct {
		name, path string
		budget     int
	}{
		{"report", "/admin/surveys/" + id + "/report", reportScriptBudget},
		{"report of a section", "/admin/surveys/" + id + "/report?section=hokennenkin", reportScriptBudget},
		{"report in English", "/admin/surveys/" + id + "/report?lang=en", reportScriptBudget},
		{"trends", "/admin/trends", reportScriptBudget},
		{"trends of a section", "/admin/trends?section=hokennenkin", reportScriptBudget},
		{"trends by attribute", "/admin/trends?attribute=age", reportScriptBudget},
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		r := ac.get(p.path)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", p.name, r.Status)
		}
		srcs := regexp.MustCompile(`<script[^>]* src="([^"]+)"`).FindAllStringSubmatch(r.Body, -1)
		if !strings.Contains(r.Body, `class="drawn-chart`) {
			t.Errorf("%s draws no chart: the page measured is not the one meant", p.name)
		}
		if len(srcs) == 0 {
			t.Fatalf("%s loads no script; want admin.js at least", p.name)
		}
		plain, zipped := 0, 0
		var names []string
		for _, m := range srcs {
			name, ok := strings.CutPrefix(m[1], "/static/")
			if !ok {
				t.Fatalf("%s loads %s, which is not one of the embedded static files", p.name, m[1])
			}
			b, err := fs.ReadFile(static, name)
			if err != nil {
				t.Fatalf("%s loads %s: %v", p.name, m[1], err)
			}
			plain += len(b)
			names = append(names, name)
			zipped += sentGzipped(t, ts.URL+m[1], len(b))
		}
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(r.Body))
		zw.Close()
		t.Logf("%s: %s: %d bytes (%.1f KB) plain, %d bytes (%.1f KB) gzipped; its HTML %d bytes, %d gzipped", p.name, strings.Join(names, " + "),
			plain, float64(plain)/1024, zipped, float64(zipped)/1024, len(r.Body), z.Len())
		if plain > p.budget {
			t.Errorf("%s: its scripts weigh %d bytes; the budget is %d", p.name, plain, p.budget)
		}
	}
}

// sentGzipped fetches url as a browser does and returns the bytes sent, checking that they are
// gzipped and that the file is whole (plain bytes).
func sentGzipped(t *testing.T, url string, plain int) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	// A transport that does not undo gzip by itself, to see the bytes sent.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, _ := io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d", url, resp.StatusCode)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("%s is not sent gzipped", url)
	}
	return int(n)
}
