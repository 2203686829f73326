package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserChiefJourney: a section chief on a 390 px phone signs in, lands on his team view
// — section, activity index, type, strengths, things to work on and the plan button all on the
// first screen — and goes on to his plan; then the same view at 1280 px. No sideways
// scrolling, axe clean. Screenshots: testdata/artifacts/chief-*.png.
func TestBrowserChiefJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	seedDemoSurveys(t, st)
	mustAddManager(t, st, "chief", "hokennenkin")
	b := newBrowser(t, ts.URL)
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn("chief", "/admin", `.team-top`)
	if h := evalIn[string](b, `document.querySelector("h1").textContent`); !strings.Contains(h, "保険年金課") {
		t.Errorf("the chief lands on %q; want 保険年金課's team view", h)
	}
	// The first phone screen holds the essentials.
	for _, sel := range []string{"h1", ".team-score .big", ".team-score .type", "ol.team-list.good li:nth-child(3)", "ol.team-list.todo li:nth-child(3)", ".team-actions a.button"} {
		bottom := evalIn[float64](b, `document.querySelector(`+strconv.Quote(sel)+`).getBoundingClientRect().bottom`)
		if bottom > 844 {
			t.Errorf("%s ends at %.0f px, below the first 844 px phone screen", sel, bottom)
		}
	}
	b.noSideways("team view at 390")
	b.noCharacterLines("team view at 390")
	b.axe("team view at 390")
	b.windowShot("chief-team-390")
	b.screenshot("chief-team-390-full")
	b.check("team view at 390")

	b.newPage("to the plan", `.team-actions a.button`, `h1`)
	if p := evalIn[string](b, `location.pathname + location.search`); !strings.Contains(p, "/plans?section=hokennenkin") {
		t.Errorf("the plan button goes to %q", p)
	}
	b.noSideways("plan at 390")
	b.axe("plan at 390")
	b.windowShot("chief-plan-390")
	b.check("plan at 390")

	b.do("desktop", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(ts.URL+"/admin/team"), chromedp.WaitVisible(chromedp.CSS(`.team-top`)))
	b.noSideways("team view at 1280")
	b.axe("team view at 1280")
	b.screenshot("chief-team-1280")
	b.check("team view at 1280")
}
