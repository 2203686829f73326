package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestBrowserCustodians walks the ballot box's custodians in Chromium: the open form asks for
// the custodians and for the confirmation that the answers are lost without enough shares; the
// share sheets are shown once; on the survey page each share field says at once whether its
// share is typed right (a typo, another survey's share and the same share twice are named);
// two shares close the survey. axe-core finds nothing at 1280 and 390 px, and no page scrolls
// sideways on a phone. Screenshots go to testdata/artifacts/.
func TestBrowserCustodians(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	mustCreateSurvey(t, st, testQuestionnaire(t, "cust"), survey.StateDraft)
	other := testQuestionnaire(t, "cust-other")
	mustCreateSurvey(t, st, other, survey.StateDraft)
	otherBox, err := st.OpenSurvey(other.ID, storagetest.Custodians)
	if err != nil {
		t.Fatal(err)
	}
	page := "/admin/surveys/cust"
	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("admin", page, `form.custodians-open`)
	b.axe("open form at 1280")
	b.screenshot("custodians-open-1280")

	b.do("open with three custodians",
		chromedp.SendKeys(chromedp.CSS(`#custodians`), "人事課長\n職員組合代表\n監査担当"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="confirm_loss"]').click()`),
		chromedp.Click(chromedp.CSS(`form.custodians-open button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.sheet`)),
	)
	shares := evalIn[[]string](b, `Array.from(document.querySelectorAll("p.code")).map(p => p.textContent.replace(/\s/g, ""))`)
	if len(shares) != 3 {
		t.Fatalf("share sheets: %d shares; want 3", len(shares))
	}
	if text := evalIn[string](b, `document.body.innerText`); !strings.Contains(text, "職員組合代表") || !strings.Contains(text, "すべての回答は二度と開けられず") {
		t.Errorf("the sheets lack a custodian's name or the warning")
	}
	if n := evalIn[int](b, `Array.from(document.querySelectorAll("img.qr")).filter(i => i.naturalWidth > 0).length`); n != 3 {
		t.Errorf("%d QR codes drawn; want 3", n)
	}
	b.axe("share sheets at 1280")
	b.screenshot("custodians-sheets-1280")

	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(ts.URL+page), chromedp.WaitVisible(chromedp.CSS(`fieldset.custodians-close`)))
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the survey page is %.0f px wide on a 390 px phone", w)
	}
	typo := []byte(shares[1])
	typo[5] = map[bool]byte{true: 'A', false: 'B'}[typo[5] != 'A']
	said := func(i int) string {
		return evalIn[string](b, fmt.Sprintf(`document.querySelector("#share-%d-status").textContent`, i))
	}
	status := func(i int, text, want string) {
		t.Helper()
		sel := fmt.Sprintf(`#share-%d`, i)
		b.do("type into "+sel,
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)),
			chromedp.SendKeys(chromedp.CSS(sel), text),
		)
		if got := said(i); !strings.Contains(got, want) {
			t.Errorf("share field %d with %.12q…: status %q; want %q", i, text, got, want)
		}
	}
	status(1, string(typo), "打ち間違い")
	status(1, otherBox.Shares[1].String(), "別の調査")
	status(1, shares[0][:20], "あと 45 文字")
	status(1, strings.ToLower(shares[0]), "正しく入力されています")
	status(0, shares[0], "正しく入力されています")
	if got := said(1); !strings.Contains(got, "同じ割符が 2 回") {
		t.Errorf("the same share in fields 0 and 1: field 1 says %q; want it named", got)
	}
	b.axe("close form with a refused share at 390")
	b.screenshot("custodians-refused-390")
	status(1, " ", "")
	status(2, shares[2], "正しく入力されています")
	b.axe("close form at 390")
	b.screenshot("custodians-close-390")
	b.do("close",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('form.close-form input[name="confirm"]').click()`),
		chromedp.Click(chromedp.CSS(`form.close-form button.danger`)),
		chromedp.WaitNotPresent(chromedp.CSS(`fieldset.custodians-close`)),
	)
	if sv, _ := st.Survey("cust"); sv.State != survey.StateClosed {
		t.Errorf("after closing in the browser: %s; want closed", sv.State)
	}
	b.check("custodians")
}
