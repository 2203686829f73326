package web

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPage is a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// printPDF prints the page as Chromium's print command does, on the paper its CSS asks for
// (@page: A4), saves it as testdata/artifacts/name.pdf (and, when poppler's pdftoppm is
// installed, each page as name-N.png to look at), and returns its number of pages.
func (b *browser) printPDF(name string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	yes := true
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
	if err != nil {
		b.t.Fatalf("print %s: %v", name, err)
	}
	path := filepath.Join(artifactsDir, name+".pdf")
	if err := os.WriteFile(path, res.Data, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if exe, err := exec.LookPath("pdftoppm"); err == nil {
		if out, err := exec.Command(exe, "-r", "60", "-png", path, filepath.Join(artifactsDir, name)).CombinedOutput(); err != nil {
			b.t.Logf("pdftoppm %s: %v %s", path, err, out)
		}
	}
	if !bytes.HasPrefix(res.Data, []byte("%PDF-")) {
		b.t.Fatalf("print %s: not a PDF", name)
	}
	n := len(pdfPage.FindAll(res.Data, -1))
	b.t.Logf("%s: %d pages", path, n)
	return n
}

// inPrint evaluates expr with the page laid out for print (CSS print media) at the width of
// an A4 sheet's printable area, in CSS pixels.
func inPrint[T any](b *browser, width int64, expr string) T {
	b.t.Helper()
	b.do("print width", chromedp.EmulateViewport(width, 1000))
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		b.t.Fatal(err)
	}
	v := evalIn[T](b, expr)
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		b.t.Fatal(err)
	}
	return v
}

// TestBrowserTeamPrint: a chief prints his team view for the team meeting: at most two A4
// pages, the first one holding the summary — activity index, strengths, things to work on —
// and the start of the chart (not just the title), no navigation, and the chart's bars in
// colour. The PDF and its pages as PNG go to testdata/artifacts/team-print*.
func TestBrowserTeamPrint(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	seedDemoSurveys(t, st)
	mustAddManager(t, st, "chief", "hokennenkin")
	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("chief", "/admin", `.team-top`)
	if n := evalIn[int](b, `document.querySelectorAll("ul.score-bars li svg rect.v").length`); n < 10 {
		t.Errorf("the team view draws %d category bars; want every category", n)
	}
	// A4 portrait: 210 mm − 2 × 12 mm margins = 186 mm ≈ 703 CSS px wide, 273 mm ≈ 1032 px high.
	const width, height = 703, 1032
	type layout struct {
		Nav                       bool
		Lists, Chart, ChartBottom float64
	}
	l := inPrint[layout](b, width, `(() => {
		const top = s => document.querySelector(s).getBoundingClientRect().top + scrollY;
		const nav = document.querySelector("nav.admin-nav");
		return {Nav: !!nav && nav.getBoundingClientRect().height > 0,
			Lists: document.querySelector("ol.team-list.todo").getBoundingClientRect().bottom + scrollY,
			Chart: top("ul.score-bars"), ChartBottom: document.querySelector("ul.score-bars").getBoundingClientRect().bottom + scrollY};
	})()`)
	if l.Nav {
		t.Errorf("the menu is printed")
	}
	if l.Lists > height || l.Chart > height {
		t.Errorf("printed, the things to work on end at %.0f px and the chart starts at %.0f px; the first page holds %d px", l.Lists, l.Chart, height)
	}
	if n := b.printPDF("team-print"); n < 1 || n > 2 {
		t.Errorf("the team view prints on %d A4 pages; want 1 or 2", n)
	}
	b.check("team view printed")
}
