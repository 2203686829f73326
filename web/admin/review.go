package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/jatext"
	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The review of comments that may name a person (docs/anonymity.md, "Names in comments"):
// they are shown and exported nowhere until an admin redacts the names (the originals then
// gone from the file) or marks the comment harmless. Both are in the audit log, which holds
// neither the text nor the names.

// reviewPage is the data of admin_review.html.
type reviewPage struct {
	Survey   *survey.Survey
	Items    []reviewItem
	Notice   *survey.Text
	Error    *survey.Text
	Allowed  bool // the organisation may show comments at all
	Question map[string]survey.Text
}

type reviewItem struct {
	results.Flagged
	Parts   []textPart    // the text, names marked
	Preview string        // the text as it would be stored redacted
	Why     []survey.Text // per name, why it was found, for people
}

// nameWhy says for people why jatext took a word for a name (jatext.Span.Why).
func nameWhy(why string) survey.Text {
	switch why {
	case "人名":
		return survey.Text{JA: "辞書にある人名", EN: "a personal name in the dictionary"}
	case "敬称":
		return survey.Text{JA: "「さん」や役職の前の語", EN: "before an honorific or a title"}
	case "再出":
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

// renderReview renders the review page of survey id with a notice or an error.
func (s *Server) renderReview(c echo.Context, status int, id string, edit func(*reviewPage)) error {
	sv, flagged, err := s.res.Flagged(c.Request().Context(), id)
	if err != nil {
		return err
	}
	_, _, allowed, err := s.res.Comments(c.Request().Context(), id, survey.Root)
	if err != nil {
		return err
	}
	p := &reviewPage{Survey: sv, Allowed: allowed, Question: map[string]survey.Text{}}
	for _, cm := range sv.Questionnaire.Comments {
		p.Question[cm.ID] = cm.Text
	}
	for _, f := range flagged {
		item := reviewItem{Flagged: f, Parts: markSpans(f.Text, f.Names), Preview: f.Redacted(nil)}
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
// may name a person, each with its names marked, a preview of the redaction and the two
// decisions.
func (s *Server) handleReview(c echo.Context) error {
	return s.renderReview(c, http.StatusOK, c.Param("id"), nil)
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
	_, f, err := s.res.FlaggedComment(c.Request().Context(), id, c.Param("comment"))
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
	notice := survey.Text{JA: fmt.Sprintf("%d 件の記述で名前を「%s」に置き換えました。元の記述はデータベースから消去されています。", n, jatext.Redaction),
		EN: fmt.Sprintf("The name was replaced by %s in %d comments; the original is gone from the database.", jatext.Redaction, n)}
	return s.renderReview(c, http.StatusOK, id, func(p *reviewPage) { p.Notice = &notice })
}

// handleHarmless serves POST /admin/surveys/{id}/review/{comment}/harmless: the comment is
// shown and exported as written.
func (s *Server) handleHarmless(c echo.Context) error {
	id := c.Param("id")
	_, f, err := s.res.FlaggedComment(c.Request().Context(), id, c.Param("comment"))
	if err != nil {
		return s.reviewError(c, err)
	}
	if err := s.store.MarkHarmless(id, f.ID, currentUser(c).Name); err != nil {
		return s.reviewError(c, err)
	}
	s.audit(c, "comment.harmless", id, "question="+f.Question+" id="+f.ID)
	notice := survey.Text{JA: "記述を「問題なし」とし、表示・出力するようにしました。", EN: "The comment was marked harmless: it is shown and exported."}
	return s.renderReview(c, http.StatusOK, id, func(p *reviewPage) { p.Notice = &notice })
}
