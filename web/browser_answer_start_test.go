package web

import (
	"testing"

	"github.com/chromedp/chromedp"

	"staffsurvey/survey"
)

// TestBrowserStartAndClear: on a 390 px phone the slip's page shows the start button on the
// first screen, with the whole notice still below it; 「入力を消去」 asks before it wipes the
// answers — refused, nothing is lost; confirmed, everything is cleared.
func TestBrowserStartAndClear(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	q := kitaQuestionnaire(t)
	mustCreateSurvey(t, st, q, survey.StateOpen)
	tok := mustIssueTokens(t, st, q.ID, q.Leaves()[0], 1)[0]
	b := newBrowser(t, ts.URL)
	b.do("slip page at 390", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(ts.URL+"/?t="+tok+"&lang=ja"), chromedp.WaitVisible(chromedp.CSS(`a.button.primary`)))
	if bottom := evalIn[float64](b, `document.querySelector("a.button.primary").getBoundingClientRect().bottom`); bottom > 844 {
		t.Errorf("the start button ends at %.0f px, below the first 844 px screen", bottom)
	}
	if !evalIn[bool](b, `!!document.querySelector("#stored-h") && !!document.querySelector("#ballot-h") && !!document.querySelector("#shown-h")`) {
		t.Errorf("the privacy notice is not complete below the start button")
	}
	b.windowShot("answer-start-390")
	b.axe("slip page at 390")
	b.check("slip page at 390")

	b.do("start", chromedp.Click(chromedp.CSS(`a.button.primary`)), chromedp.WaitVisible(chromedp.CSS(`form.answer.stepper`)))
	n := b.answerVisible(3)
	b.waitChecked("answered", n)
	var asked int
	b.do("refuse to clear", chromedp.Evaluate[chromedp.Void](`window.__asked = 0; window.confirm = () => { window.__asked++; return false; }`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("button.clear").click()`))
	if asked = evalIn[int](b, `window.__asked`); asked != 1 {
		t.Errorf("「入力を消去」 asked %d times; want once", asked)
	}
	if got := b.checked(); got != n {
		t.Errorf("after refusing, %d answers; want %d kept", got, n)
	}
	b.do("confirm clearing", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("button.clear").click()`))
	b.waitChecked("cleared", 0)
	b.check("clear")
}
