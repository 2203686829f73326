package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCharts: every chart of the report (organisation and a section) and trends pages
// is drawn (on the server) at 390 and 1280 px, no wider than the window, without a console
// error, and the trends legends sit under their charts.
func TestBrowserCharts(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	pages := []struct {
		name, path string
		charts     int
	}{
		{"report", "/admin/surveys/" + id + "/report", 5},
		{"report-section", "/admin/surveys/" + id + "/report?section=hokennenkin", 5},
		{"trends", "/admin/trends", 1},
		{"trends-section", "/admin/trends?section=hokennenkin", 2},
	}
	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("admin", "/admin", `table.surveys`)
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"1280", 1280, 800, false}, {"390", 390, 844, true}} {
		if size.mobile {
			b.do("phone", chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile))
		} else {
			b.do("desktop", chromedp.EmulateViewport(size.width, size.height))
		}
		for _, p := range pages {
			where := p.name + " at " + size.name
			b.do(where, chromedp.Navigate(ts.URL+p.path))
			b.chartsDrawn(where, p.charts)
			if strings.HasPrefix(p.name, "trends") {
				// The legend is under the chart, never over its axis labels.
				overlaps := evalIn[[]string](b, `Array.from(document.querySelectorAll("figure.chart-box")).filter(f =>
					f.querySelector("ul.chart-legend") && f.querySelector("ul.chart-legend").getBoundingClientRect().top <
					f.querySelector("div.drawn-chart").getBoundingClientRect().bottom).map(f => f.querySelector("div.drawn-chart").id)`)
				for _, id := range overlaps {
					t.Errorf("%s: the legend of %s overlaps the chart", where, id)
				}
				if n := evalIn[int](b, `document.querySelectorAll("ul.chart-legend li").length`); n == 0 {
					t.Errorf("%s: no legend", where)
				}
			}
			b.screenshot("charts-" + p.name + "-" + size.name)
			b.check(where)
		}
	}
}
