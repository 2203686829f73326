package web

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"staffsurvey/survey"
)

// TestBrowserPlans checks action plans in Chromium: a section chief adds a plan through the
// page (a suggested category ticked by its label, the date picker's value, the action typed),
// axe-core finds nothing on the plans page and on the report with last year's plan, and on a
// 390 px phone neither page scrolls sideways. Screenshots go to testdata/artifacts/.
func TestBrowserPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	years := seedDemoYears(t, st, 3, 5)
	prev, cur := years[0], years[1]
	const section = "hokennenkin"
	at := time.Now().UTC()
	if err := st.PutPlan(&survey.Plan{ID: survey.NewPlanID(), Survey: prev.ID, Section: section,
		Categories: []string{prev.Categories[0].ID, prev.Categories[1].ID}, Action: "係ごとに月1回、業務の進め方を話し合う場を設ける",
		Due: "2026-03-31", Status: survey.PlanDone, Progress: "12回実施", Author: "chief", Created: at, Updated: at}); err != nil {
		t.Fatal(err)
	}
	mustAddManager(t, st, "chief", section)
	plans := "/admin/surveys/" + cur.ID + "/plans"
	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("chief", plans, `#new-h`)
	b.axe("plans at 1280")
	b.screenshot("plans-1280")
	if n := evalIn[int](b, `document.querySelectorAll("ul.suggestions li").length`); n == 0 {
		t.Errorf("no suggestions for %s", section)
	}

	// Add a plan as a person would: tick the first suggested category by its label.
	b.do("add a plan",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("fieldset.plan-categories label.check:has(small.reasons)").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`fieldset.plan-categories label.check:has(small.reasons)`)),
		chromedp.SendKeys(chromedp.CSS(`#action-new`), "朝礼で今月の重点を共有する"),
		chromedp.SetValue(chromedp.CSS(`#due-new`), "2027-03-31"),
		chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`li.plan`)),
	)
	if got := evalIn[string](b, `document.querySelector("li.plan p.plan-action").textContent`); got != "朝礼で今月の重点を共有する" {
		t.Errorf("the new plan says %q", got)
	}
	b.check("plans at 1280")

	for _, page := range []struct{ name, path, wait string }{
		{"plans", plans, `li.plan`},
		{"report-plans", "/admin/surveys/" + cur.ID + "/report", `#prevplans-h`},
	} {
		b.do(page.name+" at 390",
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Navigate(ts.URL+page.path),
			chromedp.WaitVisible(chromedp.CSS(page.wait)),
		)
		if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
			wide := evalIn[[]string](b, `Array.from(document.querySelectorAll("main *")).filter(e => e.getBoundingClientRect().right > 391).slice(0, 5).map(e => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 30))`)
			t.Errorf("%s is %.0f px wide on a 390 px phone: %q", page.name, w, wide)
		}
		b.axe(page.name + " at 390")
		b.screenshot(page.name + "-390")
		if page.name == "report-plans" { // the block itself, for a reader of the artifacts
			png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(`section.plan-results`)))
			if err != nil {
				t.Fatalf("screenshot of the plans block: %v", err)
			}
			if err := os.WriteFile(filepath.Join(artifactsDir, "report-plans-block-390.png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b.check(page.name + " at 390")
	}
}
