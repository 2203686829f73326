package web

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"staffsurvey/web/page"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestBrowserPlanReportEdition goes from results to action plans to the staff edition as its people would, in Chromium: a
// section chief records an action plan on last year's results; this year's report shows it
// beside the change in its focus category, with the published numbers of both years; the
// admin publishes a staff edition and chooses two suggestions; a member of staff, signed in
// to nothing, opens the link and sees the plan with its result and the suggestions, and no
// way into the rest of the site. axe-core checks every page; screenshots go to
// testdata/artifacts/flow-*.png.
func TestBrowserPlanReportEdition(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	s, st, ts := newAdminTestServer(t, Config{})
	years := seedDemoYears(t, st, 3, 5)
	prev, cur := years[0], years[1]
	const section, action = "hokennenkin", "係ごとに月1回、業務の進め方を話し合う場を設ける"
	mustAddManager(t, st, "chief", section)
	b := newBrowser(t, ts.URL)
	// 1. The chief plans, on last year's results, ticking a suggested category by its label.
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("chief", "/admin/surveys/"+prev.ID+"/plans?section="+section, `#new-h`)
	b.do("add a plan",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("fieldset.plan-categories label.check:has(small.reasons)").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`fieldset.plan-categories label.check:has(small.reasons)`)),
		chromedp.SendKeys(chromedp.CSS(`#action-new`), action),
		chromedp.SetValue(chromedp.CSS(`#due-new`), "2026-03-31"),
		chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`li.plan`)),
	)
	b.axe("plans page after adding")
	plans, err := st.Plans(prev.ID)
	if err != nil || len(plans) != 1 || plans[0].Action != action || plans[0].Section != section || len(plans[0].Categories) != 1 {
		t.Fatalf("stored plans %+v, %v; want the chief's one plan with one focus category", plans, err)
	}
	focus := plans[0].Categories[0]

	// 2. This year's report shows it beside the change, with both years' published scores.
	b.do("next year's report", chromedp.Navigate(ts.URL+"/admin/surveys/"+cur.ID+"/report?section="+section), chromedp.WaitVisible(chromedp.CSS(`#prevplans-h`)))
	b.axe("report with last year's plan")
	b.screenshot("flow-report-1280")
	ctx := context.Background()
	_, prevRes, err := s.res.Result(ctx, prev.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, curRes, err := s.res.Result(ctx, cur.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{page.FmtNum(prevRes.Group(section).Categories[focus].Score, 1, false), page.FmtNum(curRes.Group(section).Categories[focus].Score, 1, false)}
	got := evalIn[[]string](b, `Array.from(document.querySelectorAll("section.plan-results article.plan td.num")).slice(0, 2).map(td => td.textContent.trim())`)
	if !slices.Equal(got, want) {
		t.Errorf("the report shows the focus category at %q; want the published %q", got, want)
	}
	if a := evalIn[string](b, `document.querySelector("section.plan-results p.plan-action").textContent`); a != action {
		t.Errorf("the report's plan says %q", a)
	}
	b.check("chief's pages")

	// 3. The admin publishes a staff edition of this year and chooses two suggestions.
	b.do("sign out", chromedp.Click(chromedp.CSS(`form.logout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)))
	b.signIn("admin", "/admin/surveys/"+cur.ID, `#editions`)
	b.do("publish",
		chromedp.Click(chromedp.CSS(`form[action$="/editions"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.edition-choose`)),
	)
	chosen := evalIn[[]string](b, `Array.from(document.querySelectorAll("label.comment-choice span")).slice(0, 2).map(s => s.textContent)`)
	if len(chosen) != 2 {
		t.Fatalf("the chooser offers %d comments; want at least 2", len(chosen))
	}
	b.do("choose two suggestions",
		chromedp.Click(chromedp.CSS(`label.comment-choice:nth-of-type(1)`)),
		chromedp.Click(chromedp.CSS(`label.comment-choice:nth-of-type(2)`)),
		chromedp.Click(chromedp.CSS(`form.edition-choose button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
	)
	b.axe("edition chooser")
	link := evalIn[string](b, `document.querySelector("a.edition-url").href`)
	if !strings.Contains(link, "/s/") {
		t.Fatalf("edition link %q", link)
	}
	b.check("admin's pages")

	// 4. A member of staff opens the link, signed in to nothing.
	for _, vp := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"flow-edition-390", 390, 844, true}, {"flow-edition-1280", 1280, 800, false}} {
		opts := []chromedp.EmulateViewportOption{}
		if vp.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		b.do("staff open "+vp.name,
			chromedp.EmulateViewport(vp.width, vp.height, opts...),
			chromedp.Navigate(link),
			chromedp.WaitVisible(chromedp.CSS(`#prevplans-h`)),
		)
		b.axe(vp.name)
		b.screenshot(vp.name)
		png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(`section.plan-results`)))
		if err != nil {
			t.Fatalf("screenshot of the plan block: %v", err)
		}
		if err := os.WriteFile(filepath.Join(artifactsDir, vp.name+"-plans.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > float64(vp.width) {
			t.Errorf("%s: the edition is %.0f px wide", vp.name, w)
		}
		if a := evalIn[string](b, `document.querySelector("section.plan-results p.plan-action").textContent`); a != action {
			t.Errorf("%s: the edition's plan says %q", vp.name, a)
		}
		if got := evalIn[[]string](b, `Array.from(document.querySelectorAll("section.plan-results article.plan td.num")).slice(0, 2).map(td => td.textContent.trim())`); !slices.Equal(got, want) {
			t.Errorf("%s: the edition shows the focus category at %q; want the report's %q", vp.name, got, want)
		}
		shown := evalIn[[]string](b, `Array.from(document.querySelectorAll("ul.suggestions li")).map(li => li.textContent)`)
		slices.Sort(shown)
		slices.Sort(chosen)
		if !slices.Equal(shown, chosen) {
			t.Errorf("%s: suggestions %q; want the two chosen %q", vp.name, shown, chosen)
		}
		if links := evalIn[[]string](b, `Array.from(document.querySelectorAll("a[href]")).map(a => a.getAttribute("href")).filter(h => !h.startsWith("?lang="))`); len(links) > 0 {
			t.Errorf("%s: the edition links to %q", vp.name, links)
		}
		if strings.Contains(evalIn[string](b, `document.body.innerText`), "chief") {
			t.Errorf("%s: the edition names the plan's author", vp.name)
		}
	}
	b.do("the admin pages stay closed", chromedp.Navigate(ts.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)))
	b.check("staff's pages")
}
