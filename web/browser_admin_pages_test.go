package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminPages visits every signed-in page at a 390 px phone and a 1280 px desktop
// size: none is wider than the window (no sideways scrolling), no text runs one character a
// line, axe-core finds nothing, and nothing logs an error. Screenshots go to
// testdata/artifacts/pages-NAME-WIDTH.png. The report has the same checks in TestBrowserReports.
func TestBrowserAdminPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	open, _ := mustOpenSurvey(t, st, 4)
	ed, err := st.PublishEdition(id, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustAddManager(t, st, "chief", "hokennenkin")
	sv := "/admin/surveys/" + id
	pages := []struct{ name, path, wait string }{
		{"home", "/admin", `table.surveys`},
		{"new", "/admin/surveys/new", `h1`},
		{"survey-closed", sv, `h1`},
		{"survey-open", "/admin/surveys/" + open.ID, `table.rates`},
		{"review", sv + "/review", `h1`},
		{"edition-form", sv + "/editions/" + ed.ID, `h1`},
		{"comments", sv + "/comments", `h1`},
		{"plans", sv + "/plans", `h1`},
		{"trends", "/admin/trends", `.line-chart svg.plot`},
		{"team", sv + "/team", `.team-top`},
		{"users", "/admin/users", `table.users`},
		{"audit", "/admin/audit", `table.audit`},
		{"password", "/admin/password", `h1`},
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
			b.do(where, chromedp.Navigate(ts.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
			b.noSideways(where)
			b.noCharacterLines(where)
			b.axe(where)
			// The whole page when it is short enough to shoot quickly, else the first screen.
			if evalIn[float64](b, `document.documentElement.scrollHeight`) < 5000 {
				b.screenshot("pages-" + p.name + "-" + size.name)
			} else {
				b.windowShot("pages-" + p.name + "-" + size.name)
			}
			b.check(where)
		}
	}
	// The login page, signed out.
	b.do("sign out", chromedp.Click(chromedp.CSS(`form.logout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)))
	b.noSideways("login at 390")
	b.axe("login at 390")
	b.screenshot("pages-login-390")
	b.check("login at 390")
}

// noSideways fails the test when the page is wider than the window, naming what sticks out. A
// phone widens its layout viewport to fit a page that is too wide (window.innerWidth grows past
// the screen), so on a phone-sized screen the window is measured against the screen too.
func (b *browser) noSideways(where string) {
	b.t.Helper()
	if evalIn[bool](b, `document.documentElement.scrollWidth <= window.innerWidth && (screen.width >= 600 || window.innerWidth <= screen.width)`) {
		return
	}
	w := evalIn[float64](b, `document.documentElement.scrollWidth`)
	wide := evalIn[[]string](b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > (screen.width >= 600 ? window.innerWidth : Math.min(window.innerWidth, screen.width)) + 1).slice(0, 6).map(e => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 30))`)
	b.t.Errorf("%s: the page is %.0f px wide in a %d px window on a %d px screen: %q", where, w, evalIn[int](b, `window.innerWidth`), evalIn[int](b, `screen.width`), wide)
}

// noCharacterLines fails the test for a heading, cell, label or link that runs one character
// a line: taller than 2.5 lines while narrower than 2.5 characters.
func (b *browser) noCharacterLines(where string) {
	b.t.Helper()
	bad := evalIn[[]string](b, `Array.from(document.querySelectorAll("h1, h2, h3, th, td, label, a, button, .title")).filter(e => {
		const cs = getComputedStyle(e), fs = parseFloat(cs.fontSize), lh = parseFloat(cs.lineHeight) || fs * 1.3;
		const r = e.getBoundingClientRect();
		if (r.width === 0 || e.textContent.trim().length < 3 || cs.display === "inline") return false;
		const lines = (r.height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)) / lh;
		return lines >= 2.5 && r.width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) < 2.5 * fs;
	}).slice(0, 6).map(e => e.tagName + ": " + e.textContent.trim().slice(0, 20))`)
	if len(bad) > 0 {
		b.t.Errorf("%s: one character a line: %s", where, strings.Join(bad, " | "))
	}
}
