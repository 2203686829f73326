package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCodes: on the token entry page a typo is named under the field before the server
// is asked (no request leaves the page), a code typed in full-width lower case with I/O
// confusions opens the questionnaire; a manager's response rates and printable reminder; axe
// finds nothing on these pages at 390 and 1280 px.
func TestBrowserCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	q, tokens := mustOpenSurvey(t, st, 12)
	mustIssueTokens(t, st, q.ID, "soumu-b", 3)
	mustAddManager(t, st, "chief", "soumu-b")
	tok := tokens[0]
	typo := []byte(tok)
	typo[0], typo[1] = typo[1], typo[0]
	if typo[0] == typo[1] {
		typo[0] = map[bool]byte{true: 'A', false: 'B'}[typo[0] != 'A']
	}
	b := newBrowser(t, ts.URL)
	for _, width := range []int{390, 1280} {
		where := fmt.Sprintf("entry page at %d px", width)
		b.do(where,
			chromedp.EmulateViewport(int64(width), 800),
			chromedp.Navigate(ts.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS(`input[name="t"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="t"]`), string(typo)),
		)
		b.mu.Lock()
		before := b.requests
		b.mu.Unlock()
		b.do(where+": send the typo",
			chromedp.Click(chromedp.CSS(`form.token-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#t-error`)),
		)
		time.Sleep(200 * time.Millisecond) // a request the script failed to stop would have left by now
		b.mu.Lock()
		after := b.requests
		b.mu.Unlock()
		if after != before {
			t.Errorf("%s: the typo went to the server (%d requests)", where, after-before)
		}
		msg := evalIn[string](b, `document.getElementById("t-error").textContent`)
		if !strings.Contains(msg, "打ち間違い") {
			t.Errorf("%s: message %q; want the typo named", where, msg)
		}
		if inv := evalIn[string](b, `document.querySelector("input[name=t]").getAttribute("aria-invalid")`); inv != "true" {
			t.Errorf("%s: the field is not marked invalid", where)
		}
		b.axe(where + " with the typo named")
		b.screenshot(fmt.Sprintf("codes-entry-typo-%d", width))
		b.check(where)
	}
	// Full-width, lower case, O for 0 and l for 1: the questionnaire.
	typed := toWide(strings.NewReplacer("0", "o", "1", "l").Replace(strings.ToLower(tok)))
	b.do("a code typed loosely",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="t"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="t"]`), typed),
		chromedp.Click(chromedp.CSS(`form.token-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form#answer-form`)),
	)
	if loc := evalIn[string](b, `location.pathname`); loc != "/a" {
		t.Errorf("a loosely typed code went to %s; want the questionnaire", loc)
	}
	b.check("a code typed loosely")

	// The chief of a three-person team: his team counted within 総務課, a reminder for it.
	b.signIn("chief", "/admin/surveys/"+q.ID, "table.rates")
	for _, width := range []int{390, 1280} {
		where := fmt.Sprintf("chief's rates at %d px", width)
		b.do(where, chromedp.EmulateViewport(int64(width), 800), chromedp.Navigate(ts.URL+"/admin/surveys/"+q.ID), chromedp.WaitVisible(chromedp.CSS("table.rates")))
		body := evalIn[string](b, `document.querySelector("table.rates").textContent`)
		if strings.Contains(body, "市民") {
			t.Errorf("%s: shows another 課", where)
		}
		b.axe(where)
		b.screenshot(fmt.Sprintf("codes-rates-chief-%d", width))
		where = fmt.Sprintf("reminder at %d px", width)
		b.do(where, chromedp.Navigate(ts.URL+"/admin/surveys/"+q.ID+"/reminder?section=soumu-b"), chromedp.WaitVisible(chromedp.CSS("article.reminder")))
		b.axe(where)
		b.screenshot(fmt.Sprintf("codes-reminder-%d", width))
		b.check(where)
	}
}

// toWide writes s as a Japanese input method in full-width mode would.
func toWide(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '!' && r <= '~' {
			r += '！' - '!'
		}
		b.WriteRune(r)
	}
	return b.String()
}
