package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserReview checks in Chromium the comments page with its themes and the review of
// comments that may name a person: axe-core finds nothing at 1280 and 390 px, neither page
// scrolls sideways on a phone, a theme filters the list, and hiding a name takes one click
// and leaves one comment fewer to review; the comparison of the less and the more satisfied
// fits a phone and passes axe-core. Screenshots go to testdata/artifacts/.
func TestBrowserReview(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	review, comments := "/admin/surveys/"+id+"/review", "/admin/surveys/"+id+"/comments"
	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("admin", review, `h1`)
	waiting := evalIn[int](b, `document.querySelectorAll("section.review").length`)
	if waiting == 0 {
		t.Fatalf("the demo data has no comment to review")
	}
	if marks := evalIn[[]string](b, `Array.from(document.querySelectorAll("blockquote.comment mark")).map(m => m.textContent)`); len(marks) < waiting {
		t.Errorf("names marked: %q; want one or more in each of %d comments", marks, waiting)
	}
	b.axe("review at 1280")
	b.screenshot("review-1280")

	b.do("review at 390", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`section.review`)))
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the review page is %.0f px wide on a 390 px phone", w)
	}
	b.axe("review at 390")
	b.screenshot("review-390")
	preview := evalIn[string](b, `document.querySelector("section.review .preview").textContent`)
	b.do("hide the first comment's names",
		chromedp.Click(chromedp.CSS(`section.review form button.danger`)),
		chromedp.WaitVisible(chromedp.CSS(`section.notice`)),
	)
	if left := evalIn[int](b, `document.querySelectorAll("section.review").length`); left != waiting-1 {
		t.Errorf("%d comments wait after one was redacted; want %d", left, waiting-1)
	}
	b.check("review")

	b.do("comments at 390", chromedp.Navigate(ts.URL+comments), chromedp.WaitVisible(chromedp.CSS(`ul.themes`)))
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the comments page is %.0f px wide on a 390 px phone", w)
	}
	if shown := evalIn[string](b, `document.querySelector("main").innerText`); !strings.Contains(shown, preview) {
		t.Errorf("the redacted comment %q is not shown on the comments page", preview)
	}
	b.axe("comments at 390")
	b.screenshot("comments-themes-390")
	term := evalIn[string](b, `document.querySelector("ul.themes a").firstChild.textContent.trim()`)
	count := evalIn[string](b, `document.querySelector("ul.themes a .count").textContent`)
	b.do("filter by a theme", chromedp.Click(chromedp.CSS(`ul.themes a`)), chromedp.WaitVisible(chromedp.CSS(`ul.themes a[aria-current]`)))
	if got := evalIn[int](b, `document.querySelector("ul.themes a[aria-current]").closest("section").querySelectorAll("ul.comments li").length`); count != strconv.Itoa(got) {
		t.Errorf("theme %s says %s comments; the filtered list has %d", term, count, got)
	}
	b.axe("comments filtered")
	b.check("comments")

	// The comparison of the less and the more satisfied: a table that fits a phone.
	cmp := seedCompareSurvey(t, st)
	b.do("comparison at 390", chromedp.Navigate(ts.URL+"/admin/surveys/"+cmp.ID+"/comments"), chromedp.WaitVisible(chromedp.CSS(`table.compare`)))
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the comments page with a comparison is %.0f px wide on a 390 px phone", w)
	}
	if rows := evalIn[int](b, `document.querySelectorAll("table.compare tbody tr").length`); rows != 2 {
		t.Errorf("the comparison has %d rows; want 2", rows)
	}
	b.axe("comparison at 390")
	b.screenshot("comments-compare-390")
	b.do("comparison at 1280", chromedp.EmulateViewport(1280, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`table.compare`)))
	b.axe("comparison at 1280")
	b.screenshot("comments-compare-1280")
	b.check("comparison")
}
