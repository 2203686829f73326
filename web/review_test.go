package web

import (
	"bytes"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// reviewComments are the comments of seedReviewSurvey: two name a person (one of them
// written twice), the others only posts and places.
var reviewComments = []string{
	"上司の田中課長に相談しにくい雰囲気があります。",
	"上司の田中課長に相談しにくい雰囲気があります。",
	"鈴木さんに業務が集中しているので、分担を見直してほしいです。",
	"課長が忙しそうで、相談するタイミングが難しいです。",
	"北区の窓口は混雑しているので、人員配置を見直してほしいです。",
	"超過勤務が多く、休暇を取りにくいです。",
	"超過勤務を減らすため、業務量の見直しをお願いします。",
	"テレワークの日を増やしてほしいです。",
	"人事評価制度の基準をもっと分かりやすくしてほしいです。",
	"研修の機会が増えて、新しい業務に挑戦しやすくなりました。",
	"係内で気軽に相談できる雰囲気があり、助かっています。",
	"ペーパーレス化を進めて、紙の決裁を減らしてほしいです。",
}

// seedReviewSurvey stores a closed survey of 24 kikaku respondents (one comment group of at
// least min_comment_group_size 10) writing reviewComments, under comment_review: flagged
// (only the finder's suspects wait; TestReviewAll is the default).
func seedReviewSurvey(tb testing.TB, st *storage.Store) *survey.Questionnaire {
	tb.Helper()
	q := testQuestionnaire(tb, "review-2025")
	q.Anonymity.CommentReview = survey.ReviewFlagged
	mustCreateSurvey(tb, st, q, survey.StateDraft)
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
		tb.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		tb.Fatal(err)
	}
	return q
}

// names are the names of reviewComments as they are written (the search page repeats the
// word searched for, so the bare name is not enough): none may be shown or exported before review.
var names = []string{"田中課長", "鈴木さん"}

// TestReviewFlow: comments that name a person are in no page and no export until an admin
// decides; a redaction removes the name from the file itself; a harmless mark shows the
// comment as written; both are audited without the text; only admins review.
func TestReviewFlow(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedReviewSurvey(t, st)
	exec, analyst, admin := adminLogin(t, ts, "executive"), adminLogin(t, ts, "analyst"), adminLogin(t, ts, "admin")
	base := "/admin/surveys/" + q.ID

	// Nowhere before review: the comments page (with its themes and a search for the name),
	// and every export.
	leaks := func(when string, wantShown map[string]bool) {
		t.Helper()
		pages := map[string]string{
			"comments":        exec.get(base + "/comments").Body,
			"search 田中":       exec.get(base + "/comments?q=" + url.QueryEscape("田中")).Body,
			"export wide":     analyst.get(base + "/export.csv?format=wide").Body,
			"export long":     analyst.get(base + "/export.csv?format=long").Body,
			"export wide bom": analyst.get(base + "/export.csv?format=wide&bom=1").Body,
		}
		for _, name := range names {
			for page, body := range pages {
				want := wantShown[name]
				if page == "search 田中" { // shows only comments with 田中
					want = want && strings.Contains(name, "田中")
				}
				if got := strings.Contains(body, name); got != want {
					t.Errorf("%s: %s shows %s: %v; want %v", when, page, name, got, want)
				}
			}
		}
	}
	leaks("before review", nil)
	if r := admin.get(base); !strings.Contains(r.Body, "comment_review: flagged") {
		t.Errorf("the survey page does not warn that only the finder's suspects are reviewed")
	}
	const waiting = "確認待ち 2 件（回答 3 件分。同じ記述はまとめて数えます）" // one written twice
	if r := admin.get(base); waitingCount(r.Body) != waiting {
		t.Errorf("the survey page does not tell the admin that 2 comments (3 as written) wait for review")
	}
	page := exec.get(base + "/comments")
	if !strings.Contains(page.Body, "人名を含む可能性があるため") || waitingCount(page.Body) != waiting {
		t.Errorf("the comments page does not say that 3 comments wait for review")
	}
	if strings.Contains(page.Body, base+"/review") {
		t.Errorf("the comments page offers the review to an executive")
	}
	for _, want := range []string{"超過勤務 <span class=\"count\">2", "見直し <span class=\"count\">2"} { // themes, with the number of comments
		if !strings.Contains(page.Body, want) {
			t.Errorf("the comments page has no theme %s", want)
		}
	}
	for _, name := range names {
		if strings.Contains(themeList.FindString(page.Body), name[:len("田中")]) {
			t.Errorf("a theme holds the name %s", name)
		}
	}
	term := commentItems(exec.get(base + "/comments?question=good&term=" + url.QueryEscape("超過勤務")).Body)
	if len(term) != 2 || !strings.HasPrefix(term[0], "超過勤務") || !strings.HasPrefix(term[1], "超過勤務") { // a theme is not marked: it is a base form
		t.Errorf("the theme 超過勤務 shows %q; want its two comments", term)
	}
	search := commentItems(exec.get(base + "/comments?q=" + url.QueryEscape("超過勤務　休暇")).Body) // every word, a full-width space between
	if len(search) != 1 || search[0] != "<mark>超過勤務</mark>が多く、<mark>休暇</mark>を取りにくいです。" {
		t.Errorf("searching 超過勤務 and 休暇 gives %q; want the one comment with both", search)
	}

	// Only admins review.
	for _, ac := range []*adminClient{exec, analyst, adminLogin(t, ts, "manager")} {
		if r := ac.get(base + "/review"); r.Status != http.StatusForbidden {
			t.Errorf("review page for a non-admin: %d; want 403", r.Status)
		}
	}
	review := admin.get(base + "/review")
	if review.Status != http.StatusOK {
		t.Fatalf("review page: %d", review.Status)
	}
	ids := regexp.MustCompile(`/review/([0-9a-f]+)/redact`).FindAllStringSubmatch(review.Body, -1)
	if len(ids) != 2 || !strings.Contains(review.Body, "<mark>田中</mark>") || !strings.Contains(review.Body, "<mark>鈴木</mark>") {
		t.Fatalf("review page lists %d comments (want 2) or lacks the marked names:\n%s", len(ids), review.Body)
	}
	tanaka, suzuki := survey.CommentID("good", reviewComments[0]), survey.CommentID("good", reviewComments[2])

	// A forged id, a missing CSRF token, a non-admin: refused, nothing changed.
	if r := admin.post(base+"/review/0123456789abcdef01234567/redact", nil); r.Status != http.StatusNotFound {
		t.Errorf("redact an unknown comment: %d; want 404", r.Status)
	}
	if r := admin.post(base+"/review/"+tanaka+"/redact", url.Values{csrfField: {"forged"}}); r.Status != http.StatusForbidden {
		t.Errorf("redact without the CSRF token: %d; want 403", r.Status)
	}
	if r := exec.post(base+"/review/"+tanaka+"/harmless", nil); r.Status != http.StatusForbidden {
		t.Errorf("an executive marks harmless: %d; want 403", r.Status)
	}
	leaks("after refused requests", nil)

	// Harmless: shown and exported as written.
	if body := decide(t, admin, base+"/review/"+suzuki+"/harmless", nil); !strings.Contains(body, "そのまま公開しました") {
		t.Fatalf("harmless: no notice")
	}
	leaks("after 鈴木 was cleared", map[string]bool{"鈴木さん": true})

	// Redact: the name is gone from every page, export and the file.
	if body := decide(t, admin, base+"/review/"+tanaka+"/redact", nil); !strings.Contains(body, "2 件の記述") {
		t.Fatalf("redact: no notice\n%s", body)
	}
	leaks("after 田中 was hidden", map[string]bool{"鈴木さん": true})
	if body := exec.get(base + "/comments").Body; strings.Count(body, html.EscapeString("上司の＊＊課長に相談しにくい雰囲気があります。")) != 2 {
		t.Errorf("the comments page lacks the redacted comment twice")
	}
	raw, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("田中")) {
		t.Errorf("the database file still holds the hidden name")
	}
	if r := admin.get(base + "/review"); !strings.Contains(r.Body, "確認待ちの記述はありません") {
		t.Errorf("the review page still lists comments after both were decided")
	}

	// Audited, without the text or the names.
	audit := admin.get("/admin/audit.csv").Body
	rows, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(audit, "\ufeff"))).ReadAll()
	actions := map[string]int{}
	for _, row := range rows {
		for _, cell := range row {
			actions[cell]++
		}
	}
	if actions["comment.redact"] != 1 || actions["comment.harmless"] != 1 {
		t.Errorf("audit log actions %v; want one comment.redact and one comment.harmless", actions)
	}
	for _, name := range names {
		if strings.Contains(audit, name) {
			t.Errorf("the audit log holds the name %s", name)
		}
	}
	if strings.Contains(audit, tanaka) {
		t.Errorf("the audit log holds the id of the redacted original")
	}
}

// TestRedactChosenWords: the admin hides only the names ticked and further words given.
func TestRedactChosenWords(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedReviewSurvey(t, st)
	admin := adminLogin(t, ts, "admin")
	id := survey.CommentID("good", reviewComments[2])
	decide(t, admin, "/admin/surveys/"+q.ID+"/review/"+id+"/redact", url.Values{"choice": {"1"}, "words": {"業務、分担"}})
	var got []string
	st.EachResponse(q.ID, func(r *survey.Response) error {
		if strings.Contains(r.Comments[0], "見直して") && strings.Contains(r.Comments[0], "集中") {
			got = append(got, r.Comments[0])
		}
		return nil
	})
	if want := "鈴木さんに＊＊が集中しているので、＊＊を見直してほしいです。"; len(got) != 1 || got[0] != want {
		t.Errorf("stored %q; want [%s] (the name unticked, the two words hidden)", got, want)
	}
}

var (
	themeList    = regexp.MustCompile(`(?s)<ul class="themes">.*?</ul>`)
	commentsUL   = regexp.MustCompile(`(?s)<ul class="comments">(.*?)</ul>`)
	commentEntry = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
)

// commentItems returns the comments listed on a comments page, unescaped.
func commentItems(body string) []string {
	var out []string
	for _, l := range commentsUL.FindAllStringSubmatch(body, -1) {
		for _, m := range commentEntry.FindAllStringSubmatch(l[1], -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
	}
	return out
}
