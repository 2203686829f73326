package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"staffsurvey/slips"
	"staffsurvey/survey"
)

// Browser tests of staff answering, with the shipped kita-2026 questionnaire at a
// phone (390×844) and a desktop (1280×800) size: answers survive a reload and the language
// switch, Back after an error page shows the form, every part can be answered with the
// stepper, sending removes the draft, the pages work without JavaScript, and axe-core finds
// no violation on any answering page. Screenshots go to testdata/artifacts/answer-*.png.

// axePath is axe-core as npm installs it (package.json, devDependencies): for tests only.
const axePath = "../node_modules/axe-core/axe.min.js"

// axe runs axe-core on the page as it is and fails the test for every violation. Without
// node_modules it is skipped, except in CI.
func (b *browser) axe(where string) {
	b.t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") != "" {
			b.t.Fatalf("axe-core is missing (%v): run npm ci", err)
		}
		b.t.Logf("%s: axe-core not installed (npm ci), not checked", where)
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined"`)); !ok {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
			b.t.Fatalf("%s: load axe-core: %v", where, err)
		}
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: axe: %v", where, err)
	}
	for _, v := range violations {
		b.t.Errorf("%s: axe: %s", where, v)
	}
	b.axeRuns++
}

// windowShot saves what the window shows (not the whole page) as testdata/artifacts/name.png.
func (b *browser) windowShot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(artifactsDir+"/"+name+".png", png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// checked counts the chosen answers on the page.
func (b *browser) checked() int {
	b.t.Helper()
	return evalIn[int](b, `document.querySelectorAll("form.answer input[type=radio]:checked").length`)
}

// waitChecked waits until n answers are chosen (a draft is restored after the page loads).
func (b *browser) waitChecked(what string, n int) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	expr := fmt.Sprintf(`document.querySelectorAll("form.answer input[type=radio]:checked").length === %d`, n)
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr)); err != nil {
		b.t.Fatalf("%s: %d answers chosen; want %d", what, b.checked(), n)
	}
}

// visibleQuestions returns the names of the questions of the part on screen.
func (b *browser) visibleQuestions() []string {
	b.t.Helper()
	return evalIn[[]string](b, `Array.from(document.querySelectorAll("section.part:not([hidden]) fieldset.q")).map(f => f.querySelector("input").name)`)
}

// answerVisible answers up to max questions of the part on screen, by clicking labels; it
// returns how many it answered.
func (b *browser) answerVisible(max int) int {
	b.t.Helper()
	n := 0
	var acts []chromedp.Action[chromedp.Void]
	for i, name := range b.visibleQuestions() {
		if n == max {
			break
		}
		v := []string{"4", "5", "3", "4", "na", "2"}[i%6]
		if name == "enps" {
			v = "8"
		}
		acts = append(acts, b.tick(name, v))
		n++
	}
	b.do("answer the part on screen", acts...)
	return n
}

// newPage clicks sel and waits until a new document shows waitSel.
func (b *browser) newPage(what, sel, waitSel string) {
	b.t.Helper()
	b.do(what, chromedp.Evaluate[chromedp.Void](`window.__oldPage = true`), chromedp.Click(chromedp.CSS(sel)))
	expr := fmt.Sprintf(`!window.__oldPage && document.readyState === "complete" && !!document.querySelector(%q)`, waitSel)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
	}
	b.t.Fatalf("%s: no new page with %s", what, waitSel)
}

// next moves to the next part with the stepper's button.
func (b *browser) next() {
	b.t.Helper()
	before := evalIn[string](b, `location.hash`)
	b.do("next part", chromedp.Click(chromedp.CSS(`.stepnav button.next`)),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`location.hash !== %q`, before)))
}

func TestBrowserAnswering(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	q := kitaQuestionnaire(t)
	mustCreateSurvey(t, st, q, survey.StateOpen)
	section := q.Leaves()[0]
	tokens := mustIssueTokens(t, st, q.ID, section, 6)
	used := tokens[5]
	r := survey.NewResponse(q, section)
	r.Answers[0] = 4
	if err := st.Submit(used, r); err != nil {
		t.Fatal(err)
	}
	closed := mustTokenInState(t, st, "closed-2025", survey.StateClosed)
	// The first part asks the attributes (職層, 年代, 雇用形態): radio groups that are not
	// questions, counted neither in the progress nor in the review.
	attrs := len(q.Attributes)
	if attrs == 0 {
		t.Fatal("kita-2026 asks no attributes")
	}
	parts := 1 + len(q.Categories) + 2
	questions := q.NumItems() + 2
	// what each size chooses in the first part ("" is 「回答しない」), and the stored choice
	choices := map[string][][2]string{
		"390":  {{"attr:level", "staff"}, {"attr:age", ""}, {"attr:employment", "fiscal-year"}},
		"1280": {{"attr:level", "manager"}, {"attr:age", "50s"}, {"attr:employment", ""}},
	}
	stored := map[string][]int8{"390": {2, survey.NA, 1}, "1280": {0, 3, survey.NA}}
	b := newBrowser(t, ts.URL)
	start := time.Now()

	for i, vp := range []struct {
		name string
		w, h int64
		opts []chromedp.EmulateViewportOption
	}{
		{"390", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}},
		{"1280", 1280, 800, nil},
	} {
		tok, tokErr := tokens[2*i], tokens[2*i+1]
		at := func(s string) string { return s + " at " + vp.name }

		// The entry page, and an unknown code typed into it: back with the code kept.
		b.do(at("entry page"), chromedp.EmulateViewport(vp.w, vp.h, vp.opts...),
			chromedp.Navigate(ts.URL+"/?lang=ja"), chromedp.WaitVisible(chromedp.CSS(`#t`)))
		b.screenshot("answer-entry-" + vp.name)
		b.axe(at("entry page"))
		typo := "１２３４５６７８ 1234 4123 8123 123456789abc"
		b.do(at("type an unknown code"), chromedp.SendKeys(chromedp.CSS(`#t`), typo),
			chromedp.Click(chromedp.CSS(`.token-form button`)), chromedp.WaitVisible(chromedp.CSS(`#t-error`)))
		if v := evalIn[string](b, `document.querySelector("#t").value`); v != typo {
			t.Errorf("%s: the code as typed is %q; want %q kept", vp.name, v, typo)
		}
		b.expectedStatus()
		b.screenshot("answer-unknown-code-" + vp.name)
		b.axe(at("unknown code"))

		// The slip URL, then the questionnaire.
		b.do(at("slip URL"), chromedp.Navigate(ts.URL+"/?t="+tok), chromedp.WaitVisible(chromedp.CSS(`a.button.primary`)))
		b.screenshot("answer-index-" + vp.name)
		b.axe(at("first page"))
		b.do(at("start"), chromedp.Click(chromedp.CSS(`a.button.primary`)), chromedp.WaitVisible(chromedp.CSS(`form.answer.stepper`)))
		if n := evalIn[int](b, `document.querySelectorAll("section.part:not([hidden])").length`); n != 1 {
			t.Errorf("%s: %d parts on screen; want 1 (the stepper)", vp.name, n)
		}
		if !evalIn[bool](b, `!document.querySelector("#about").hidden && document.querySelectorAll("#about fieldset.attr").length === 3`) {
			t.Errorf("%s: the first part on screen is not the three attributes", vp.name)
		}
		var ticks []chromedp.Action[chromedp.Void]
		for _, c := range choices[vp.name] {
			ticks = append(ticks, b.tick(c[0], c[1]))
		}
		b.do(at("the attributes"), ticks...)
		if got := evalIn[string](b, `document.querySelector(".progress").getAttribute("aria-valuenow")`); got != "0" {
			t.Errorf("%s: the attributes count as %s answered questions; want 0", vp.name, got)
		}
		b.screenshot("answer-step1-" + vp.name)
		b.windowShot("answer-step1-window-" + vp.name)
		b.axe(at("part 1"))

		// Ten answers, over three parts; a reload finds them.
		answered := 0
		for answered < 10 {
			answered += b.answerVisible(10 - answered)
			if answered < 10 {
				b.next()
			}
		}
		b.waitChecked(at("ten answers"), 10+attrs)
		if got := evalIn[string](b, `document.querySelector(".progress").getAttribute("aria-valuenow")`); got != "10" {
			t.Errorf("%s: progressbar aria-valuenow %q; want 10", vp.name, got)
		}
		b.screenshot("answer-ten-" + vp.name)
		b.do(at("reload"), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`form.answer.stepper`)))
		b.waitChecked(at("after reload"), 10+attrs)
		if n := evalIn[int](b, `document.querySelectorAll("section.part:not([hidden]) input:checked").length`); n == 0 {
			t.Errorf("%s: after reload the part on screen is not the one being answered", vp.name)
		}

		// The language switch keeps them.
		b.newPage(at("switch to English"), `header button.lang-switch[value="en"]`, `html[lang="en"] form.answer.stepper`)
		b.waitChecked(at("in English"), 10+attrs)
		b.do(at("open the jump list"), chromedp.Click(chromedp.CSS(`details.jump > summary`)))
		b.screenshot("answer-en-jump-" + vp.name)
		b.axe(at("English with the jump list open"))
		b.newPage(at("back to Japanese"), `header button.lang-switch[value="ja"]`, `html[lang="ja"] form.answer.stepper`)
		b.waitChecked(at("in Japanese again"), 10+attrs)
		for _, c := range choices[vp.name] {
			if !evalIn[bool](b, fmt.Sprintf(`document.querySelector(%q).checked`, fmt.Sprintf("input[name='%s'][value='%s']", c[0], c[1]))) {
				t.Errorf("%s: %s=%q not kept in the draft through reload and language switch", vp.name, c[0], c[1])
			}
		}

		if vp.name == "390" {
			// Every part on the phone with the stepper, axe on each, then the review.
			b.do(at("first part"), chromedp.Click(chromedp.CSS(`details.jump > summary`)),
				chromedp.Click(chromedp.CSS(`details.jump li:first-child a`)),
				chromedp.WaitVisible(chromedp.CSS(`#about`)))
			for p := 1; p <= parts; p++ {
				b.answerVisible(100)
				if p == parts-1 {
					b.do(at("eNPS in view"), chromedp.Evaluate[chromedp.Void](`document.querySelector("#q-enps").scrollIntoView({block: "center"})`))
					b.windowShot("answer-enps-window-" + vp.name)
				}
				if p == parts {
					b.do(at("comment"), chromedp.SendKeys(chromedp.CSS(`textarea[name="good"]`), "ブラウザから回答しました。"))
				}
				b.axe(at(fmt.Sprintf("part %d", p)))
				b.next()
			}
			b.waitChecked(at("all parts"), questions+attrs)
			b.do(at("review"), chromedp.WaitVisible(chromedp.CSS(`#review`)))
			if s := evalIn[string](b, `document.querySelector(".review-summary").textContent`); !strings.Contains(s, "すべての設問に回答しました") {
				t.Errorf("%s: review says %q; want every question answered", vp.name, s)
			}
		} else {
			// Straight to the review with questions still open: it lists them.
			b.do(at("to the review"), chromedp.Evaluate[chromedp.Void](`location.hash = "#review"`), chromedp.WaitVisible(chromedp.CSS(`#review`)))
			// Open: every part but the two answered in full, the comments and the attributes.
			if n := evalIn[int](b, `document.querySelectorAll(".review-list li").length`); n != parts-4 {
				t.Errorf("%s: review lists %d parts with open questions; want %d", vp.name, n, parts-4)
			}
		}
		b.screenshot("answer-review-" + vp.name)
		b.axe(at("review"))
		before := len(storedResponses(t, st, q.ID))
		b.newPage(at("send"), `section.send button[type="submit"]`, `section.thanks`)
		rs := storedResponses(t, st, q.ID)
		if n := len(rs); n != before+1 {
			t.Errorf("%s: %d responses stored; want %d", vp.name, n, before+1)
		}
		if !slices.ContainsFunc(rs, func(r *survey.Response) bool { return slices.Equal(r.Attributes, stored[vp.name]) }) {
			t.Errorf("%s: no stored response has the attributes %v", vp.name, stored[vp.name])
		}
		if n := evalIn[int](b, `Object.keys(sessionStorage).filter(k => k.startsWith("staffsurvey-draft-")).length`); n != 0 {
			t.Errorf("%s: %d drafts left in sessionStorage after sending; want 0", vp.name, n)
		}
		b.screenshot("answer-thanks-" + vp.name)
		b.axe(at("thanks"))
		b.check(at("answering"))

		// Nothing answered, sent twice: Back after the second error page shows the first with its form.
		b.do(at("empty form"), chromedp.Navigate(ts.URL+"/a?t="+tokErr+"#review"), chromedp.WaitVisible(chromedp.CSS(`#review`)))
		b.newPage(at("send nothing"), `section.send button[type="submit"]`, `section.alert`)
		b.expectedStatus()
		b.screenshot("answer-error-" + vp.name)
		b.axe(at("error: nothing answered"))
		b.do(at("to the review again"), chromedp.Evaluate[chromedp.Void](`location.hash = "#review"`), chromedp.WaitVisible(chromedp.CSS(`#review`)))
		b.newPage(at("send nothing again"), `section.send button[type="submit"]`, `section.alert`)
		b.do(at("back after the error page"), chromedp.NavigateBack(), chromedp.Sleep(time.Second))
		b.screenshot("answer-back-after-error-" + vp.name)
		if !evalIn[bool](b, `!!document.querySelector("form.answer.stepper") && location.pathname === "/a"`) {
			t.Fatalf("%s: Back after the error page shows %s %q; want the form", vp.name, evalIn[string](b, `location.href`), evalIn[string](b, `document.title`))
		}
		b.expectedStatus()
		b.check(at("back after the error page"))

		// The error pages: a used code, a closed survey.
		b.do(at("used code"), chromedp.Navigate(ts.URL+"/a?t="+used), chromedp.WaitVisible(chromedp.CSS(`section.error`)))
		b.screenshot("answer-used-" + vp.name)
		b.axe(at("used code"))
		b.do(at("closed survey"), chromedp.Navigate(ts.URL+"/a?t="+closed), chromedp.WaitVisible(chromedp.CSS(`section.error`)))
		b.screenshot("answer-closed-" + vp.name)
		b.axe(at("closed survey"))
		b.do(at("back from an error page"), chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`section.error`)))
		b.expectedStatus()
		b.check(at("error pages"))
	}

	// Without JavaScript: one page, the switch posts the answers and keeps them, details open in place.
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	b.do("no JS: the form", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(ts.URL+"/a?t="+tokens[4]),
		chromedp.WaitVisible(chromedp.CSS(`form.answer`)))
	if n := evalIn[int](b, `document.querySelectorAll("section.part:not([hidden])").length`); n != parts {
		t.Errorf("no JS: %d parts on the page; want all %d", n, parts)
	}
	b.do("no JS: answer three and an attribute", b.tick("mot1", "5"), b.tick("mot2", "na"), b.tick("enps", "10"), b.tick("attr:age", ""),
		chromedp.Click(chromedp.CSS(`details.about > summary`)))
	if open := evalIn[bool](b, `document.querySelector("details.about").open`); !open {
		t.Errorf("no JS: the details did not open in place")
	}
	b.newPage("no JS: switch", `header button.lang-switch[value="en"]`, `html[lang="en"] form.answer`)
	b.waitChecked("no JS, in English", 4)
	if !evalIn[bool](b, `document.querySelector("input[name='attr:age'][value='']").checked`) {
		t.Errorf("no JS: 「回答しない」 not kept through the language switch")
	}
	b.screenshot("answer-nojs-en-1280")
	b.windowShot("answer-nojs-en-window-1280")
	// Back to the form (the lang cookie now says English), then Forward to the page the switch
	// posted: shown again from the browser's cache with its answers, not resubmitted.
	b.do("no JS: back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`form.answer`)))
	b.do("no JS: forward", chromedp.NavigateForward(), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] form.answer`)))
	b.waitChecked("no JS, forward again", 4)
	// axe needs scripts; the page stays as it was loaded, without app.js.
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	if evalIn[bool](b, `document.documentElement.classList.contains("js")`) {
		t.Errorf("no JS: app.js ran")
	}
	b.axe("no JS, in English")
	b.check("without JavaScript")
	// Printed slips of kita-2026: period, contact and results, the privacy note in 9 pt, all
	// within the slip at A4.
	slips := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", slips.CSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		sv := &survey.Survey{Questionnaire: q, State: survey.StateOpen}
		if err := slips.WriteSlips(w, sv, section, []string{tokens[0], tokens[1], tokens[2], tokens[3], tokens[4], tokens[5]}, ts.URL); err != nil {
			t.Error(err)
		}
	}))
	defer slips.Close()
	b.host = strings.TrimPrefix(slips.URL, "http://")
	b.do("slips", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(slips.URL), chromedp.WaitVisible(chromedp.CSS(`section.slip img.qr`)))
	if over := evalIn[[]float64](b, `Array.from(document.querySelectorAll("section.slip")).map(s => s.scrollHeight - s.clientHeight).filter(d => d > 1)`); len(over) != 0 {
		t.Errorf("slips overflow their box by %v px", over)
	}
	if fs := evalIn[string](b, `getComputedStyle(document.querySelector(".anon")).fontSize`); fs != "12px" {
		t.Errorf("the privacy note is %s; want 9pt (12px)", fs)
	}
	b.screenshot("answer-slips-1280")
	b.check("slips")

	t.Logf("answering browser test: %d axe runs, took %v", b.axeRuns, time.Since(start).Round(time.Millisecond))
}

// Arrow keys move through the options of a question on the phone; the option they focus is
// scrolled clear of the sticky progress bar.
func TestBrowserArrowKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	q := kitaQuestionnaire(t)
	mustCreateSurvey(t, st, q, survey.StateOpen)
	tok := mustIssueTokens(t, st, q.ID, q.Leaves()[0], 1)[0]
	b := newBrowser(t, ts.URL)
	// Arrow keys move through the options of a question on the phone; the focused option is
	// never hidden behind the sticky progress bar.
	b.do("arrow keys", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(ts.URL+"/a?t="+tok+"#cat-management"), chromedp.WaitVisible(chromedp.CSS(`#cat-management`)), chromedp.Sleep(500*time.Millisecond),
		// The first option just above the bar, as after scrolling down by hand.
		chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector("input[name=mgr2][value='1']");
			i.focus({preventScroll: true});
			window.scrollBy(0, i.closest("label").getBoundingClientRect().bottom - document.querySelector(".progress").getBoundingClientRect().top); })()`))
	for k := 0; k < 12; k++ {
		key := kb.ArrowDown
		if k >= 6 {
			key = kb.ArrowUp
		}
		b.do("press an arrow key", chromedp.KeyEvent(key), chromedp.Sleep(150*time.Millisecond))
		if hidden := evalIn[bool](b, `(() => { const l = document.activeElement.closest("label").getBoundingClientRect();
			const p = document.querySelector(".progress").getBoundingClientRect();
			return l.bottom > p.top + 1 || l.top < 0; })()`); hidden {
			b.screenshot("answer-arrow-keys-390")
			t.Errorf("after %d arrow keys the focused option %s is behind the progress bar or above the window", k+1, evalIn[string](b, `document.activeElement.value`))
			break
		}
	}
	b.check("arrow keys")

}
