package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestBrowserReviewAll checks in Chromium the review under comment_review: all, on comments
// that do not depend on demo data: axe-core finds nothing at 1280 and 390 px, the page does
// not scroll sideways on a phone, the suspects come first and have focus, one key decides (W
// withholds the focused comment, J moves on, P publishes), and a span selected in a comment
// joins the words to hide, which one tap hides. Screenshots go to testdata/artifacts/.
func TestBrowserReviewAll(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	q := testQuestionnaire(t, "browser-review-2025")
	mustCreateSurvey(t, st, q, survey.StateDraft)
	var rs []*survey.Response
	for i := range 24 {
		r := survey.NewResponse(q, "kikaku")
		r.Answers[0] = int8(1 + i%5)
		if i < len(reviewComments) {
			r.Comments[0] = reviewComments[i]
		}
		rs = append(rs, r)
	}
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	review := "/admin/surveys/" + q.ID + "/review"
	left := func(b *browser) int { return evalIn[int](b, `document.querySelectorAll("section.review").length`) }

	b := newBrowser(t, ts.URL)
	b.do("desktop", chromedp.EmulateViewport(1280, 800))
	b.signIn("admin", review, `section.review`)
	if n := left(b); n != 11 {
		t.Fatalf("%d comments to review; want 11", n)
	}
	if focused := evalIn[bool](b, `document.activeElement.matches("section.review.suspect")`); !focused {
		t.Errorf("the first suspect does not have focus")
	}
	b.axe("review at 1280")
	b.screenshot("review-all-1280")
	first := evalIn[string](b, `document.activeElement.id`)
	b.do("withhold with W", chromedp.KeyEvent("w"), chromedp.WaitNotPresent(chromedp.CSS(`#`+first)), chromedp.WaitVisible(chromedp.CSS(`section.notice`)))
	if n := left(b); n != 10 || evalIn[bool](b, `!!document.getElementById("`+first+`")`) {
		t.Errorf("after W: %d left (want 10), the withheld one still listed: %v", n, evalIn[bool](b, `!!document.getElementById("`+first+`")`))
	}
	b.do("move with J and publish with P", chromedp.KeyEvent("j"), chromedp.KeyEvent("j"))
	second := evalIn[string](b, `document.activeElement.id`)
	b.do("publish with P", chromedp.KeyEvent("p"), chromedp.WaitNotPresent(chromedp.CSS(`#`+second)), chromedp.WaitVisible(chromedp.CSS(`section.review`)))
	if n := left(b); n != 9 || evalIn[bool](b, `!!document.getElementById("`+second+`")`) {
		t.Errorf("after J J P: %d left (want 9), the published one still listed", n)
	}

	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`section.review`)))
	if w := evalIn[float64](b, `document.documentElement.scrollWidth`); w > 390 {
		wide := evalIn[[]string](b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 390).map(e => e.tagName + "." + e.className).slice(0, 8)`)
		t.Errorf("the review page is %.0f px wide on a 390 px phone: %q", w, wide)
	}
	b.axe("review at 390")
	b.screenshot("review-all-390")
	// Select a word of the first comment that is not a suspect, as a finger would, then tap
	// "hide and publish".
	target := `document.querySelector("section.review:not(.suspect)")`
	text := evalIn[string](b, target+`.querySelector("blockquote").textContent`)
	word := ""
	for _, w := range []string{"雰囲気", "窓口", "業務", "研修", "休暇", "テレワーク", "人事評価制度", "ペーパーレス化", "課長"} {
		if strings.Contains(text, w) {
			word = w
			break
		}
	}
	if word == "" {
		t.Fatalf("no word to select in %q", text)
	}
	id := evalIn[string](b, target+`.id`)
	evalIn[bool](b, `(function(){
		var bq = document.querySelector("#`+id+` blockquote");
		var node = bq.firstChild, i = node.textContent.indexOf("`+word+`");
		var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + `+strconv.Itoa(len([]rune(word)))+`);
		var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
		bq.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
		return true;
	})()`)
	if got := evalIn[string](b, `document.querySelector("#`+id+` input[name=words]").value`); got != word {
		t.Errorf("the selection gave the words %q; want %q", got, word)
	}
	b.do("hide the selection", chromedp.Click(chromedp.CSS(`#`+id+` button.danger`)), chromedp.WaitNotPresent(chromedp.CSS(`#`+id)), chromedp.WaitVisible(chromedp.CSS(`section.notice`)))
	var stored []string
	st.EachResponse(q.ID, func(r *survey.Response) error {
		if r.Comments[0] == strings.Replace(text, word, "＊＊", -1) {
			stored = append(stored, r.Comments[0])
		}
		return nil
	})
	if len(stored) == 0 {
		t.Errorf("the comment %q was not stored with %q hidden", text, word)
	}
	if n := left(b); n != 8 {
		t.Errorf("after hiding: %d left; want 8", n)
	}
	b.screenshot("review-all-390-after")
	b.check("review all")
}
