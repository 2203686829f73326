package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

var reviewItemID = regexp.MustCompile(`<section class="card review( suspect)?" id="c-([0-9a-f]+)"`)

var (
	waitingSpan = regexp.MustCompile(`(?s)<span class="waiting">(.*?)</span>`)
	htmlTag     = regexp.MustCompile(`<[^>]*>`)
)

// waitingCount returns what a page says waits for review, without its tags ("" for nothing).
func waitingCount(body string) string {
	m := waitingSpan.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return htmlTag.ReplaceAllString(m[1], "")
}

// TestReviewAll: under comment_review: all (the default) every comment waits: the comments
// page shows none and no theme; the review page lists every distinct comment once, the two
// that name someone first and marked with why, with the progress; publish, hide and withhold
// each take one request and are audited; two reviewers are given different comments; the
// survey page says how many wait; then the comments page shows exactly what was published.
func TestReviewAll(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := testQuestionnaire(t, "review-all-2025")
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
	exec, admin := adminLogin(t, ts, "executive"), adminLogin(t, ts, "admin")
	base := "/admin/surveys/" + q.ID

	page := exec.get(base + "/comments").Body
	for _, text := range reviewComments {
		if strings.Contains(page, text) {
			t.Errorf("the comments page shows a comment nobody decided: %s", text)
		}
	}
	if themeList.FindString(page) != "" {
		t.Errorf("the comments page shows themes of comments nobody decided")
	}
	if r := admin.get(base); strings.Contains(r.Body, "comment_review: flagged") {
		t.Errorf("the survey page warns of comment_review: flagged")
	}
	// The survey page, the review page and the comments page count what waits the same way:
	// 11 distinct comments, 12 as written (one written twice).
	const waiting = "確認待ち 11 件（回答 12 件分。同じ記述はまとめて数えます）"
	for name, path := range map[string]string{"survey": base, "review": base + "/review", "comments": base + "/comments"} {
		if got := waitingCount(admin.get(path).Body); got != waiting {
			t.Errorf("the %s page says %q; want %q", name, got, waiting)
		}
	}

	review := admin.get(base + "/review")
	items := reviewItemID.FindAllStringSubmatch(review.Body, -1)
	if len(items) != 11 || items[0][1] != " suspect" || items[1][1] != " suspect" || items[2][1] != "" {
		t.Fatalf("review page: %d items %v; want 11, the two suspects first", len(items), items)
	}
	for _, want := range []string{"確認済み <strong>0</strong> / 11", "<strong>田中</strong>（「さん」や役職の前の語）", "同じ記述 2 件", `data-key="p"`, `data-key="h"`, `data-key="w"`, "/static/review.js"} {
		if !strings.Contains(review.Body, want) {
			t.Errorf("the review page lacks %q", want)
		}
	}
	// Another reviewer, meanwhile, is not given the same comments.
	mustAddUser(t, st, "admin2", survey.RoleAdmin)
	second := adminLogin(t, ts, "admin2").get(base + "/review").Body
	if n := len(reviewItemID.FindAllString(second, -1)); n != 0 || !strings.Contains(second, "ほかの確認者が作業中 11") {
		t.Errorf("a second reviewer is given %d comments the first holds", n)
	}

	tanaka := survey.CommentID("good", reviewComments[0])
	suzuki := survey.CommentID("good", reviewComments[2])
	plain := survey.CommentID("good", reviewComments[3])
	withheld := survey.CommentID("good", reviewComments[4])
	for _, step := range []struct{ path, want string }{
		{"/review/" + plain + "/harmless", "そのまま公開しました"},
		{"/review/" + withheld + "/withhold", "非公開にしました"},
		{"/review/" + tanaka + "/redact", "2 件の記述"},
	} {
		if body := decide(t, admin, base+step.path, nil); !strings.Contains(body, step.want) {
			t.Fatalf("POST %s: the review page does not say %q", step.path, step.want)
		}
	}
	decide(t, admin, base+"/review/"+suzuki+"/redact", url.Values{"choice": {"1"}, "words": {"分担"}})
	if r := admin.post(base+"/review/"+withheld+"/harmless", nil); r.Status != http.StatusNotFound {
		t.Errorf("publishing a withheld comment: %d; want 404 (it waits no more)", r.Status)
	}
	review = admin.get(base + "/review")
	if !strings.Contains(review.Body, "確認済み <strong>4</strong> / 11") || len(reviewItemID.FindAllString(review.Body, -1)) != 7 {
		t.Errorf("after four decisions the review page does not show 4 of 11 decided and 7 left")
	}
	shown := commentItems(exec.get(base + "/comments").Body)
	want := map[string]bool{reviewComments[3]: true, "上司の＊＊課長に相談しにくい雰囲気があります。": true,
		"鈴木さんに業務が集中しているので、＊＊を見直してほしいです。": true} // the name unticked, one word hidden
	if len(shown) != 4 {
		t.Errorf("comments page shows %q; want the published, the redacted twice and the hidden", shown)
	}
	for _, s := range shown {
		if !want[s] {
			t.Errorf("comments page shows %q, which nobody published", s)
		}
	}
	audit := admin.get("/admin/audit.csv").Body
	for _, action := range []string{"comment.harmless", "comment.withhold", "comment.redact"} {
		if !strings.Contains(audit, action) {
			t.Errorf("the audit log lacks %s", action)
		}
	}
	for _, text := range reviewComments {
		if strings.Contains(audit, text) {
			t.Errorf("the audit log holds a comment")
		}
	}
}

// decide posts a decision of the review page, which must answer 303 to the review page (so
// that a reload does not send it again), and returns that page.
func decide(tb testing.TB, ac *adminClient, path string, form url.Values) string {
	tb.Helper()
	r := ac.post(path, form)
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.Contains(loc, "/review?done=") {
		tb.Fatalf("POST %s: %d, Location %q; want 303 to the review page", path, r.Status, loc)
	}
	page := ac.get(loc)
	if page.Status != http.StatusOK {
		tb.Fatalf("GET %s: %d", loc, page.Status)
	}
	return page.Body
}
