package web

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEditor makes next year's survey in the browser as the survey office would: copy
// last year's (the shipped questionnaire with five years of demo data), rename a section and
// a question, save, meet a mistake (an empty title) with its message beside the field, and
// look at the preview — at 1280 px and at 390 px, axe-clean, never wider than the window.
// Screenshots: testdata/artifacts/editor-*.png.
func TestBrowserEditor(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	last := seedDemoSurveys(t, st)
	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("admin", "/admin/surveys/new", `form[action="/admin/surveys/copy"]`)
	lastSv, err := st.Survey(last)
	if err != nil {
		t.Fatal(err)
	}
	year := strconv.Itoa(lastSv.Questionnaire.Year)
	next := strings.Replace(last, year, strconv.Itoa(lastSv.Questionnaire.Year+1), 1)
	if next == last {
		t.Fatalf("the demo survey's id %s holds no year", last)
	}
	edit := "/admin/surveys/" + next + "/edit"
	if got := evalIn[string](b, `document.querySelector("select.copy-from").value`); got != last {
		t.Fatalf("the copy form offers %q first; want the latest survey %q", got, last)
	}

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
		look := func(name, where string) {
			t.Helper()
			b.noSideways(where)
			// A phone widens its layout viewport to fit what is too wide, so that the page
			// is no wider than the window even then: the window itself must keep its width.
			if w := evalIn[float64](b, `window.innerWidth`); w != float64(size.width) {
				t.Errorf("%s: the window is %v px wide; want %d (something is too wide for it)", where, w, size.width)
			}
			b.noCharacterLines(where)
			b.axe(where)
			if evalIn[float64](b, `document.documentElement.scrollHeight`) < 5000 {
				b.screenshot("editor-" + name + "-" + size.name)
			} else {
				b.windowShot("editor-" + name + "-" + size.name)
			}
			b.check(where)
		}
		b.do("new page", chromedp.Navigate(ts.URL+"/admin/surveys/new"), chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/surveys/copy"]`)))
		look("new", "new-survey page at "+size.name)
		if size.name == "1280" {
			// The placeholders follow the survey chosen (copy.js).
			b.do("choose an older survey", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("select.copy-from"); s.selectedIndex = 1; s.dispatchEvent(new Event("change")); })()`))
			if got, want := evalIn[string](b, `document.querySelector("#copy input[name=id]").placeholder`), evalIn[string](b, `document.querySelector("select.copy-from").options[1].dataset.id`); got != want || got == next {
				t.Errorf("the id placeholder for the older survey is %q; want %q", got, want)
			}
			b.do("choose the latest again", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("select.copy-from"); s.selectedIndex = 0; s.dispatchEvent(new Event("change")); })()`))
			b.do("copy", chromedp.Click(chromedp.CSS(`form[action="/admin/surveys/copy"] button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`form.editor`)))
			if u := evalIn[string](b, `location.pathname`); u != edit {
				t.Fatalf("after the copy the browser is at %s; want %s", u, edit)
			}
		} else {
			b.do("editor", chromedp.Navigate(ts.URL+edit), chromedp.WaitVisible(chromedp.CSS(`form.editor`)))
		}
		b.windowShot("editor-top-" + size.name)
		b.do("to the sections", chromedp.Evaluate[chromedp.Void](`document.getElementById("h-sections").scrollIntoView()`))
		b.windowShot("editor-sections-" + size.name)
		look("form", "editor at "+size.name)

		// Rename the first section and the first question; save.
		name := "総務課（" + size.name + "で改称）"
		b.do("rename", setValue(`#e-s0-ja`, name), setValue(`#e-t-mot1-ja`, "今の仕事にやりがいを感じる（"+size.name+"）"),
			chromedp.Click(chromedp.CSS(`.editor-save button`)),
			chromedp.WaitVisible(chromedp.CSS(`p.notice[role="status"]`)))
		sv, err := st.Survey(next)
		if err != nil {
			t.Fatal(err)
		}
		if got := sv.Questionnaire.Sections[0]; got.Name.JA != name || got.Code != "soumu" {
			t.Errorf("after saving, the first section is %s %q; want soumu %q", got.Code, got.Name.JA, name)
		}

		// A mistake: the message beside the field, in Japanese then English; nothing stored.
		b.do("empty title", setValue(`#e-title-ja`, ""),
			chromedp.Click(chromedp.CSS(`.editor-save button`)),
			chromedp.WaitVisible(chromedp.CSS(`#editor-error`)))
		b.expectedStatus() // the 422 of the refused form
		msg := evalIn[string](b, `document.querySelector("#f-title .field-error").innerText`)
		if !strings.Contains(msg, "title.ja: 日本語の文言がありません") || !strings.Contains(msg, "the Japanese text is missing") {
			t.Errorf("the title's message: %q", msg)
		}
		if got := evalIn[string](b, `document.querySelector("#e-s0-ja").value`); got != name {
			t.Errorf("the refused form lost the section's name: %q", got)
		}
		b.do("to the error", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
		b.windowShot("editor-error-" + size.name)
		look("error", "editor with an error at "+size.name)

		// The preview, as staff will see it.
		b.do("preview", chromedp.Navigate(ts.URL+"/admin/surveys/"+next+"/preview"), chromedp.WaitVisible(chromedp.CSS(`.preview-note`)))
		if n := evalIn[float64](b, `document.querySelectorAll('button[type="submit"].primary, form[action="/a"]').length`); n != 0 {
			t.Errorf("the preview has %v ways to send", n)
		}
		// textContent: the stepper shows one part at a time, and kita-2026's first part is the
		// attributes, so the edited question is on the page but not on screen.
		if !strings.Contains(evalIn[string](b, `document.body.textContent`), "今の仕事にやりがいを感じる（"+size.name+"）") {
			t.Error("the preview does not show the edited question")
		}
		b.windowShot("editor-preview-" + size.name)
		look("preview", "preview at "+size.name)
	}
}

// setValue sets the value of the field sel as typing would leave it.
func setValue(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event("input", {bubbles: true})); })()`, sel, value))
}
