package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/jatext"
	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The review of comments (docs/anonymity.md, "Names in comments"): under comment_review: all
// every comment of a closed survey waits for a person — publish, hide words, or withhold —
// and is shown and exported nowhere until then; under flagged, only the finder's suspects do.
// The page is built for reading a few hundred comments in an hour: the suspects first with
// what was found and why, identical comments once, one key or one tap per decision, any
// selected span hidden, progress, and the work shared between reviewers (review_claims.go).
// Every decision is in the audit log, which holds neither the text nor the names.

// reviewBatch is how many comments one page of the review shows.
const reviewBatch = 25

// reviewPage is the data of admin_review.html.
type reviewPage struct {
	Survey   *survey.Survey
	Items    []reviewItem
	Notice   *survey.Text
	Error    *survey.Text
	Allowed  bool // the organisation may show comments at all
	Question map[string]survey.Text
	// Decided, Total and Left are distinct comments; Others of the left are held by other
	// reviewers right now.
	Decided, Total, Left, Others int
	Suspects                     int             // of the left, how many the finder flagged
	Waiting                      results.Waiting // the left, distinct (Left) and as written
}

// Percent is how much of the review is done, 0–100.
func (p *reviewPage) Percent() int {
	if p.Total == 0 {
		return 100
	}
	return p.Decided * 100 / p.Total
}

type reviewItem struct {
	results.Pending
	Parts   []textPart    // the text, what the finder found marked
	Preview string        // the text as it would be stored redacted
	Why     []survey.Text // per span found, why, for people
}

// nameWhy says for people why jatext took a word for a name (jatext.Span.Why).
func nameWhy(why string) survey.Text {
	switch why {
	case jatext.WhyName:
		return survey.Text{JA: "辞書にある人名", EN: "a personal name in the dictionary"}
	case jatext.WhyTitled:
		return survey.Text{JA: "「さん」や役職の前の語", EN: "before an honorific or a title"}
	case jatext.WhyInitial:
		return survey.Text{JA: "役職や「さん」の前のイニシャル", EN: "an initial before a title or an honorific"}
	case jatext.WhyLatin:
		return survey.Text{JA: "ローマ字の名前", EN: "a name in Latin letters"}
	case jatext.WhyRole:
		return survey.Text{JA: "役割で個人が特定されるおそれ", EN: "may identify a person by role"}
	case jatext.WhyAgain:
		return survey.Text{JA: "同じ記述の中で名前とされた語", EN: "a word taken for a name elsewhere in the comment"}
	}
	return survey.Text{JA: why, EN: why}
}

// textPart is a piece of a comment, marked when it looks like a name (the review) or is a word
// searched for (the comments page).
type textPart struct {
	Text string
	Mark bool
}

// markSpans cuts text into parts, spans (in order, not overlapping) marked.
func markSpans(text string, spans []jatext.Span) []textPart {
	var out []textPart
	last := 0
	for _, s := range spans {
		if s.Start < last {
			continue
		}
		if s.Start > last {
			out = append(out, textPart{Text: text[last:s.Start]})
		}
		out = append(out, textPart{Text: text[s.Start:s.End], Mark: true})
		last = s.End
	}
	if last < len(text) {
		out = append(out, textPart{Text: text[last:]})
	}
	return out
}

// renderReview renders the review page of survey id with a notice or an error: the next
// comments waiting that no other reviewer holds, held for this reviewer.
func (s *Server) renderReview(c echo.Context, status int, id string, edit func(*reviewPage)) error {
	sv, rv, err := s.res.Review(c.Request().Context(), id)
	if err != nil {
		return err
	}
	_, _, allowed, err := s.res.Comments(c.Request().Context(), id, survey.Root)
	if err != nil {
		return err
	}
	p := &reviewPage{Survey: sv, Allowed: allowed, Question: map[string]survey.Text{},
		Decided: rv.Decided, Total: rv.Total, Left: len(rv.Pending), Waiting: rv.Waiting()}
	for _, cm := range sv.Questionnaire.Comments {
		p.Question[cm.ID] = cm.Text
	}
	ids := make([]string, len(rv.Pending))
	at := map[string]results.Pending{}
	for i, f := range rv.Pending {
		ids[i], at[f.ID] = f.ID, f
		if f.Suspect() {
			p.Suspects++
		}
	}
	mine, others := s.claims.take(id, currentUser(c).Name, ids, reviewBatch, time.Now())
	p.Others = others
	for _, cid := range mine {
		f := at[cid]
		item := reviewItem{Pending: f, Parts: markSpans(f.Text, f.Names), Preview: f.Redacted(nil)}
		for _, n := range f.Names {
			item.Why = append(item.Why, nameWhy(n.Why))
		}
		p.Items = append(p.Items, item)
	}
	if edit != nil {
		edit(p)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return s.render(c, status, "admin_review.html", p)
}

// handleReview serves GET /admin/surveys/{id}/review: the comments of a closed survey that
// wait for a decision, the finder's suspects first, each with what was found marked, a
// preview of the redaction and the three decisions; ?done=publish|withhold|redact&n=N says
// what the decision before did.
func (s *Server) handleReview(c echo.Context) error {
	notice := reviewNotice(c.QueryParam("done"), c.QueryParam("n"))
	return s.renderReview(c, http.StatusOK, c.Param("id"), func(p *reviewPage) { p.Notice = notice })
}

// reviewDone answers a decision with a redirect to the review page, which says what was done:
// a reload then shows the next comments instead of sending the decision again.
func (s *Server) reviewDone(c echo.Context, id, done string, n int) error {
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/surveys/%s/review?done=%s&n=%d", url.PathEscape(id), done, n))
}

// reviewNotice is the notice of a decision just made (reviewDone), nil for none.
func reviewNotice(done, count string) *survey.Text {
	n, _ := strconv.Atoi(count)
	var t survey.Text
	switch done {
	case "publish":
		t = survey.Text{JA: "記述をそのまま公開しました。", EN: "The comment was published as written."}
	case "withhold":
		t = survey.Text{JA: "記述を非公開にしました。どこにも表示・出力されません。", EN: "The comment was withheld: it is shown and exported nowhere."}
	case "redact":
		t = survey.Text{JA: fmt.Sprintf("%d 件の記述で語を「%s」に置き換えて公開しました。元の記述はデータベースから消去されています。", n, jatext.Redaction),
			EN: fmt.Sprintf("The words were replaced by %s in %d comments, which are published; the original is gone from the database.", jatext.Redaction, n)}
	default:
		return nil
	}
	return &t
}

// reviewError shows a domain error of a review on the review page, or returns it.
func (s *Server) reviewError(c echo.Context, err error) error {
	code := survey.ErrorCode(err)
	if code != survey.EINVALID && code != survey.ENOTFOUND {
		return err
	}
	msg := survey.ErrorMessage(err)
	return s.renderReview(c, page.StatusOf[code], c.Param("id"), func(p *reviewPage) { p.Error = &msg })
}

// handleRedact serves POST /admin/surveys/{id}/review/{comment}/redact (hide: the names to
// hide, by default every name found; words: further words to hide, separated by commas or
// spaces): the comment, in every response that has it, with those replaced by ＊＊, and the
// file compacted so that the original is gone.
func (s *Server) handleRedact(c echo.Context) error {
	id := c.Param("id")
	_, f, err := s.res.PendingComment(c.Request().Context(), id, c.Param("comment"))
	if err != nil {
		return s.reviewError(c, err)
	}
	form, _ := c.FormParams()
	if _, chosen := form["choice"]; chosen { // the form says which names to hide
		var keep []jatext.Span
		for _, sp := range f.Names {
			if slices.Contains(form["hide"], fmt.Sprint(sp.Start)) {
				keep = append(keep, sp)
			}
		}
		f.Names = keep
	}
	words := strings.FieldsFunc(c.FormValue("words"), func(r rune) bool { return r == ',' || r == '、' || r == '，' || r == ' ' || r == '　' })
	redacted := f.Redacted(words)
	n, err := s.store.Redact(id, f.Index, f.Text, redacted)
	if err != nil {
		return s.reviewError(c, err)
	}
	s.audit(c, "comment.redact", id, fmt.Sprintf("question=%s comments=%d", f.Question, n))
	return s.reviewDone(c, id, "redact", n)
}

// handleHarmless serves POST /admin/surveys/{id}/review/{comment}/harmless (publish): the
// comment is shown and exported as written.
func (s *Server) handleHarmless(c echo.Context) error {
	id := c.Param("id")
	_, f, err := s.res.PendingComment(c.Request().Context(), id, c.Param("comment"))
	if err != nil {
		return s.reviewError(c, err)
	}
	if err := s.store.MarkHarmless(id, f.ID, currentUser(c).Name); err != nil {
		return s.reviewError(c, err)
	}
	s.audit(c, "comment.harmless", id, "question="+f.Question+" id="+f.ID)
	return s.reviewDone(c, id, "publish", 1)
}

// handleWithhold serves POST /admin/surveys/{id}/review/{comment}/withhold: the comment is
// never shown, exported or counted in a theme.
func (s *Server) handleWithhold(c echo.Context) error {
	id := c.Param("id")
	_, f, err := s.res.PendingComment(c.Request().Context(), id, c.Param("comment"))
	if err != nil {
		return s.reviewError(c, err)
	}
	if err := s.store.Decide(id, f.ID, survey.DecideWithhold, currentUser(c).Name); err != nil {
		return s.reviewError(c, err)
	}
	s.audit(c, "comment.withhold", id, "question="+f.Question+" id="+f.ID)
	return s.reviewDone(c, id, "withhold", 1)
}
