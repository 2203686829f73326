package web

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserReports checks the reports in Chromium, as managers read them: axe-core finds nothing on the
// report, trends and comments pages; on a 390 px phone every table is cards with every number
// inside the screen; the report printed to PDF on A4 landscape overflows nowhere and has no
// one-character lines; a section chief lands on their own section. Screenshots at 390 px,
// 1280 px and print go to testdata/artifacts/.
func TestBrowserReports(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	report := "/admin/surveys/" + id + "/report"
	mustAddManager(t, st, "chief", "hokennenkin")
	b := newBrowser(t, ts.URL)
	login := func(name, next string) {
		b.do("desktop", chromedp.EmulateViewport(1280, 800))
		b.signIn(name, next, `h1`)
	}
	login("admin", report)

	// Desktop.
	b.do("report at 1280", chromedp.Navigate(ts.URL+report), chromedp.WaitVisible(chromedp.CSS(`#chart-heatmap table.heatmap`)))
	b.chartsDrawn("report at 1280", 5)
	b.axe("report at 1280")
	b.screenshot("report-1280")
	if n := evalIn[int](b, `document.querySelectorAll(".summary-list li").length`); n < 2 {
		t.Errorf("summary has %d sentences; want the strengths, weaknesses and more", n)
	}
	b.check("report at 1280")

	// Every chart has a text alternative: an aria-label, and a table or list in its card.
	if bad := evalIn[[]string](b, `Array.from(document.querySelectorAll("div.drawn-chart")).filter(d =>
		!(d.getAttribute("aria-label") || d.querySelector("[aria-label]")) || !d.closest("section").querySelector("table, ol, ul, a[href='#report-table']")).map(d => d.id)`); len(bad) > 0 {
		t.Errorf("charts without a text alternative: %v", bad)
	}

	// A phone: tables are cards, every number inside the screen, no sideways scrolling.
	b.do("report at 390",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#chart-heatmap table.heatmap`)),
	)
	b.chartsDrawn("report at 390", 5)
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		wide := evalIn[[]string](b, `Array.from(document.querySelectorAll("main *")).filter(e => e.getBoundingClientRect().right > 391).slice(0, 5).map(e => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 30))`)
		t.Errorf("the report is %.0f px wide on a 390 px phone: %q", w, wide)
	}
	// The charts' texts are readable on the phone: at least 10 px, after the SVG is scaled to
	// the screen's width (the quadrant's names were 7.8 px).
	if small := evalIn[[]string](b, `Array.from(document.querySelectorAll("div.drawn-chart svg[viewBox] text")).map(t => {
		const svg = t.ownerSVGElement, px = parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
		return px < 10 ? svg.closest("div.drawn-chart").id + " " + t.textContent.trim().slice(0, 12) + ": " + px.toFixed(1) + " px" : "";
	}).filter(s => s).slice(0, 8)`); len(small) > 0 {
		t.Errorf("chart texts under 10 px on a 390 px phone: %q", small)
	}
	if bad := evalIn[[]string](b, `Array.from(document.querySelectorAll("table.cards td")).filter(td => {
		const r = td.getBoundingClientRect(); return r.width === 0 || r.right > window.innerWidth + 0.5; }).map(td => td.textContent.trim()).slice(0, 5)`); len(bad) > 0 {
		t.Errorf("table cells hidden or off the screen on a phone: %q", bad)
	}
	b.axe("report at 390")
	b.screenshot("report-390")
	b.check("report at 390")

	// Print: A4 landscape is 297 mm − 2 × 10 mm margins = 277 mm ≈ 1047 CSS px of content.
	const pageWidth = 1047
	b.do("report for print",
		chromedp.EmulateViewport(pageWidth, 740),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#chart-heatmap table.heatmap`)),
	)
	b.chartsDrawn("report for print", 5)
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	type overflow struct {
		Tag, Class string
		Right      float64
		Scroll     int
		Client     int
	}
	if bad := evalIn[[]overflow](b, `Array.from(document.querySelectorAll("main *")).filter(e => {
		const r = e.getBoundingClientRect();
		return r.width > 0 && (r.right > `+strconv.Itoa(pageWidth)+` + 1 || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible");
	}).slice(0, 8).map(e => ({Tag: e.tagName, Class: e.className && e.className.baseVal === undefined ? e.className : "", Right: e.getBoundingClientRect().right, Scroll: e.scrollWidth, Client: e.clientWidth}))`); len(bad) > 0 {
		t.Errorf("elements overflow the printed page: %+v", bad)
	}
	// No heading or table header breaks one character a line: none is taller than 3 lines
	// while narrower than 4 characters.
	if bad := evalIn[[]string](b, `Array.from(document.querySelectorAll("h1, h2, th")).filter(e => {
		const cs = getComputedStyle(e), lh = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.3;
		const r = e.getBoundingClientRect();
		const lines = (r.height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)) / lh;
		return r.width > 0 && lines >= 2.5 && r.width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) < 2.5 * parseFloat(cs.fontSize);
	}).map(e => e.textContent.trim().slice(0, 20))`); len(bad) > 0 {
		t.Errorf("one character a line in print: %q", bad)
	}
	b.screenshot("report-print")
	res, err := chromedp.Call(b.ctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(true)})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	pdf := res.Data
	os.WriteFile(filepath.Join(artifactsDir, "report.pdf"), pdf, 0o644)
	pages := bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
	// The report with every per-question result open: about 20 pages; far more means
	// something prints a line a page or overflows into extra sheets.
	if pages < 1 || pages > 24 {
		t.Errorf("the printed report has %d pages; want 1 to 24", pages)
	}
	t.Logf("printed report: %d A4 landscape pages, %d bytes", pages, len(pdf))
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	b.check("report for print")

	// Trends and comments.
	b.do("trends", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(ts.URL+"/admin/trends?section=kumin"),
		chromedp.WaitVisible(chromedp.CSS(`#chart-trend-section-live[data-drawn] canvas`)))
	b.chartsDrawn("trends", 2)
	b.axe("trends")
	b.do("trends at 390", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#chart-trend-section-live[data-drawn] canvas`)))
	b.chartsDrawn("trends at 390", 2)
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the trends page is %.0f px wide on a 390 px phone", w)
	}
	b.screenshot("trends-390")
	b.do("trends at 1280 again", chromedp.EmulateViewport(1280, 800))
	b.do("comments", chromedp.Navigate(ts.URL+"/admin/surveys/"+id+"/comments"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	b.axe("comments")
	b.screenshot("comments-1280")
	b.check("trends and comments")

	// A section chief lands on their own section.
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	login("chief", report)
	b.do("chief's report", chromedp.WaitVisible(chromedp.CSS(`.focus-cards`))) // login went on to it
	if h := evalIn[string](b, `document.querySelector("#summary-h").textContent`); !bytes.Contains([]byte(h), []byte("保険年金課")) {
		t.Errorf("the chief lands on %q; want 保険年金課", h)
	}
	b.axe("chief's report")
	b.do("chief's report at 390", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`.focus-cards`)))
	b.screenshot("report-chief-390")
	b.check("chief's report")
}

func ptr[T any](v T) *T { return &v }
