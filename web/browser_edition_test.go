package web

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"staffsurvey/survey"
)

// TestBrowserEdition checks the staff edition (/s/TOKEN) in Chromium, without signing in:
// axe-core finds nothing at 1280 px and on a 390 px phone, where nothing is wider than the
// screen; printed on A4 landscape nothing overflows the page, no column title breaks inside a
// word, the charts are drawn and the whole edition takes at most three pages. Then the admin's side: the
// chooser of suggestions and the survey's page with its editions. Screenshots go to
// testdata/artifacts/edition-*.png and the PDF to edition.pdf.
func TestBrowserEdition(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	s, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	sv, err := st.Survey(id)
	if err != nil {
		t.Fatal(err)
	}
	q := sv.Questionnaire
	for i, sec := range []string{survey.Root, q.OrgTree().Nodes[1].Code} {
		p := &survey.Plan{ID: "plan-" + strconv.Itoa(i), Survey: id, Section: sec, Categories: []string{q.Categories[i].ID, q.Categories[i+1].ID},
			Action: "毎月の課内ミーティングで業務の優先順位を共有し、担当間の応援体制を見直す。", Due: "2027-03-31",
			Status: survey.PlanDoing, Progress: "4月から毎月実施。", Author: "someone", Created: time.Now().UTC()}
		if err := st.PutPlan(p); err != nil {
			t.Fatal(err)
		}
	}
	_, lists, _, err := s.res.Comments(context.Background(), id, survey.Root)
	if err != nil {
		t.Fatal(err)
	}
	var chosen []string
	for _, l := range lists {
		for _, text := range l.Texts {
			if len(chosen) < 5 {
				chosen = append(chosen, survey.CommentID(l.Question, text))
			}
		}
	}
	ed, err := st.PublishEdition(id, "admin", chosen)
	if err != nil {
		t.Fatal(err)
	}
	page := ts.URL + "/s/" + ed.Token

	b := newBrowser(t, ts.URL)
	b.do("edition at 1280", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	b.axe("edition at 1280")
	b.screenshot("edition-1280")
	if n := evalIn[int](b, `document.querySelectorAll("ul.suggestions li").length`); n == 0 {
		t.Errorf("no suggestions shown")
	}
	b.check("edition at 1280")

	b.do("edition at 390", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		wide := evalIn[[]string](b, `Array.from(document.querySelectorAll("main *")).filter(e => e.getBoundingClientRect().right > 391).slice(0, 5).map(e => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 30))`)
		t.Errorf("the edition is %.0f px wide on a 390 px phone: %q", w, wide)
	}
	b.axe("edition at 390")
	b.screenshot("edition-390")
	b.check("edition at 390")

	// Print: A4 landscape is 297 mm − 2 × 10 mm margins = 277 mm ≈ 1047 CSS px of content.
	const pageWidth = 1047
	b.do("edition for print", chromedp.EmulateViewport(pageWidth, 1000), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if bad := evalIn[[]string](b, `Array.from(document.querySelectorAll("main *")).filter(e => {
		const r = e.getBoundingClientRect();
		return r.width > 0 && (r.right > `+strconv.Itoa(pageWidth)+` + 1 || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible");
	}).slice(0, 8).map(e => e.tagName + "." + (typeof e.className === "string" ? e.className : "") + " " + e.getBoundingClientRect().right)`); len(bad) > 0 {
		t.Errorf("elements overflow the printed page: %q", bad)
	}
	// No column title breaks inside a word (活性/度): each is one line, or breaks where it has
	// a space or a ・.
	if broken := evalIn[[]string](b, `Array.from(document.querySelectorAll("table.report-table thead th")).filter(th => {
		const r = document.createRange(); r.selectNodeContents(th);
		const upright = getComputedStyle(th).writingMode.startsWith("vertical");
		const lines = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0 && x.height > 0).map(x => Math.round(upright ? x.left : x.top)));
		return lines.size > 1 && !/[\s・]/.test(th.textContent.trim());
	}).map(th => th.textContent.trim())`); len(broken) > 0 {
		t.Errorf("printed, these column titles break inside a word: %q", broken)
	}
	if n := evalIn[int](b, `document.querySelectorAll("ul.score-bars svg, svg.type-shares").length`); n < 10 {
		t.Errorf("the edition draws %d charts and bars; want the category bars and the types", n)
	}
	b.screenshot("edition-print")
	if pages := b.printPDF("edition"); pages < 1 || pages > 3 {
		t.Errorf("the printed edition has %d pages; want 1 to 3", pages)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	b.check("edition for print")

	// The admin side: the survey's page with its editions, and the chooser of suggestions.
	chooser := "/admin/surveys/" + id + "/editions/" + ed.ID
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("admin", chooser, `form.edition-choose`)
	if n := evalIn[int](b, `document.querySelectorAll("input[name=comment]:checked").length`); n == 0 {
		t.Errorf("the chooser shows none of the chosen suggestions ticked")
	}
	b.axe("suggestion chooser")
	b.screenshot("edition-chooser-1280")
	b.do("survey page", chromedp.Navigate(ts.URL+"/admin/surveys/"+id), chromedp.WaitVisible(chromedp.CSS(`#editions`)))
	b.axe("survey page with editions")
	b.do("survey page at 390", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#editions`)))
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the survey page is %.0f px wide on a 390 px phone", w)
	}
	b.screenshot("edition-survey-390")
	b.check("admin pages")
}
