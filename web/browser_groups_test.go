package web

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// elementShot saves the element sel as testdata/artifacts/name.png.
func (b *browser) elementShot(name, sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(artifactsDir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserOptionGroups checks the option groups (属性別) in Chromium: on the report at
// 1280 px and on a 390 px phone the option heatmap and the types per option draw, the tables
// are cards with every cell inside the screen, nothing scrolls sideways and axe-core finds
// nothing; a person picks two options and compares them; the trends by attribute and the staff
// edition with an attribute ticked pass the same checks. Screenshots go to testdata/artifacts/.
func TestBrowserOptionGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedAttrSurveys(t, st)
	report := "/admin/surveys/" + q.ID + "/report"
	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("admin", report, `h1`)

	phone := func(where string) {
		t.Helper()
		if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
			wide := evalIn[[]string](b, `Array.from(document.querySelectorAll("main *")).filter(e => e.getBoundingClientRect().right > 391).slice(0, 5).map(e => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 30))`)
			t.Errorf("%s is %.0f px wide on a 390 px phone: %q", where, w, wide)
		}
		if bad := evalIn[[]string](b, `Array.from(document.querySelectorAll("table.cards td")).filter(td => {
			const r = td.getBoundingClientRect(); return r.width === 0 || r.right > window.innerWidth + 0.5; }).map(td => td.textContent.trim()).slice(0, 5)`); len(bad) > 0 {
			t.Errorf("%s: table cells hidden or off the screen on a phone: %q", where, bad)
		}
	}

	for _, size := range []struct {
		name string
		w, h int
		opts []chromedp.EmulateViewportOption
	}{{"1280", 1280, 800, nil}, {"390", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}}} {
		where := "report at " + size.name
		b.do(where, chromedp.EmulateViewport(int64(size.w), int64(size.h), size.opts...), chromedp.Navigate(ts.URL+report),
			chromedp.WaitVisible(chromedp.CSS(`#chart-options-heatmap table.heatmap`)))
		b.chartsDrawn(where, 7)
		if size.w == 390 {
			phone(where)
		}
		b.axe(where)
		b.elementShot("report-groups-"+size.name, `section#groups`)
		b.check(where)
	}

	// The comparison, as a person makes it: choose 係長級 as B and press the button.
	b.do("compare",
		chromedp.SetValue(chromedp.CSS(`select[name=b]`), "chief"),
		chromedp.Click(chromedp.CSS(`#compare-h ~ form button`)),
		chromedp.WaitVisible(chromedp.CSS(`table.compare-table`)),
	)
	if u := evalIn[string](b, `location.search`); !strings.Contains(u, "b=chief") || !strings.Contains(u, "a=staff") {
		t.Errorf("the comparison went to %q", u)
	}
	if n := evalIn[int](b, `document.querySelectorAll("table.compare-table tbody tr").length`); n != 3+len(q.Categories) {
		t.Errorf("the comparison has %d rows; want the activity index, satisfaction, eNPS and %d categories", n, len(q.Categories))
	}
	// A chief reads the gaps in words and the widest questions; p and n wait in the analysts'
	// fold, closed, which opens on a tap.
	if n := evalIn[int](b, `document.querySelectorAll("ol.compare-questions li").length`); n != 5 {
		t.Errorf("%d questions listed; want the 5 widest gaps", n)
	}
	if v := evalIn[bool](b, `(() => { const d = document.querySelector("table.compare-stats").closest("details"); return d && !d.open && d.querySelector("table.compare-questions-table") !== null })()`); !v {
		t.Error("the comparison's n and p are not in a closed fold with the questions' table")
	}
	pVisible := `Array.from(document.querySelectorAll("#groups th, #groups td")).some(e => e.checkVisibility() && e.textContent.trim() === "p")`
	if evalIn[bool](b, pVisible) {
		t.Error("a p column is visible before the analysts' fold is opened")
	}
	phone("the comparison")
	b.axe("the comparison at 390")
	b.elementShot("report-compare-390", `table.compare-table`)
	b.elementShot("report-compare-questions-390", `ol.compare-questions`)
	b.do("open the analysts' fold", chromedp.Click(chromedp.CSS(`#groups details.analyst > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`table.compare-questions-table`)))
	if !evalIn[bool](b, pVisible) {
		t.Error("the opened analysts' fold shows no p")
	}
	phone("the comparison's fold")
	b.axe("the comparison's fold at 390")
	b.elementShot("report-compare-fold-390", `#groups details.analyst`)
	b.do("the comparison at 1280", chromedp.EmulateViewport(1280, 800), chromedp.WaitVisible(chromedp.CSS(`table.compare-questions-table`)))
	b.axe("the comparison at 1280")
	b.elementShot("report-compare-1280", `#groups details.analyst`)
	b.check("the comparison")

	// Trends by attribute.
	for _, size := range []struct {
		name string
		w, h int
		opts []chromedp.EmulateViewportOption
	}{{"1280", 1280, 800, nil}, {"390", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}}} {
		where := "trends by attribute at " + size.name
		b.do(where, chromedp.EmulateViewport(int64(size.w), int64(size.h), size.opts...),
			chromedp.Navigate(ts.URL+"/admin/trends?attribute=age&metric=activity&metric=boss"),
			chromedp.WaitVisible(chromedp.CSS(`#chart-trend-options svg.plot`)))
		b.chartsDrawn(where, 2)
		if size.w == 390 {
			phone(where)
		}
		b.axe(where)
		b.elementShot("trends-groups-"+size.name, `section#option-trends`)
		b.check(where)
	}

	// The staff edition with 職層 and 雇用形態 ticked, on a phone.
	ac := adminLogin(t, ts, "admin")
	edPath, token := mustPublish(t, ac, q.ID)
	if r := ac.post(edPath+"/attributes", url.Values{"attribute": {"rank", "employment"}}); r.Status != 303 {
		t.Fatalf("tick the attributes: %d", r.Status)
	}
	b.do("edition at 390", chromedp.Navigate(ts.URL+"/s/"+token), chromedp.WaitVisible(chromedp.CSS(`#attr-employment`)))
	phone("the edition")
	b.axe("edition at 390")
	b.elementShot("edition-groups-390", `section.option-groups`)
	b.do("edition's page at 1280", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(ts.URL+edPath), chromedp.WaitVisible(chromedp.CSS(`#edition-groups`)))
	b.axe("edition's page at 1280")
	b.check("the edition")
}
