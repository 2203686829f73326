package answer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The staff answering pages (docs/http.md). They work without JavaScript: plain forms, radio
// buttons styled as large labels, progress counted by CSS counters. Where JavaScript runs,
// static/app.js adds the rest, so that nothing typed is lost: answers kept in the tab's sessionStorage until sent,
// one part at a time with progress, a jump list and a review before sending.
//
// Every page that can carry a token is sent with Cache-Control: no-store, so that a shared PC
// keeps no copy of it — except pages rendered in answer to a POST (the form again after the
// language switch or invalid answers, an error): those are "private, no-cache", because a
// browser cannot show a no-store answer to a POST again and Back would land on its
// "Confirm Form Resubmission" error instead (see resubmittable).
//
// Skipping is allowed: a question left unanswered is stored as 「わからない・該当しない」
// (survey.NA). A submission with nothing answered at all is refused with 422 (see form.go).

// Register registers the staff answering pages and the JSON API (docs/http.md).
func (s *Server) Register(g *echo.Group) {
	g.GET("/", s.handleIndex, page.NoStore)
	g.GET("/a", s.handleAnswerForm, page.NoStore)
	g.POST("/a", s.handleAnswerSubmit, page.NoStore)
	g.GET("/thanks", s.handleThanks, page.NoStore)
	g.POST("/api/v1/responses", s.handleAPISubmit, page.NoStore)
	g.GET("/api/v1/questionnaire", s.handleAPIQuestionnaire, page.NoStore)
}

// redeemable reads a token as typed (survey.ParseToken forgives typing), checks it with the store and returns
// its canonical form and ticket. It remembers a well-formed token for the language switch.
func (s *Server) redeemable(c echo.Context, raw string) (string, *survey.Ticket, error) {
	token, err := survey.ParseToken(raw)
	if err != nil {
		return "", nil, err
	}
	// Set even when the token turns out used or closed, so the error page can be read in the
	// other language.
	page.SetToken(c, token)
	t, err := s.store.Redeemable(token)
	if err != nil {
		return "", nil, err
	}
	page.SetInfo(c, page.InfoOf(t.Survey.Questionnaire))
	return token, t, nil
}

// indexPage is the data of index.html.
type indexPage struct {
	// Token is the canonical token of ?t=, "" on the plain entry page.
	Token   string
	Title   survey.Text // the token's survey
	Section survey.Text // the token's section
	// MinGroup and MinComment are the thresholds promised on the page: the token's survey's,
	// or without a token the smallest of the open surveys' (0 when none is open).
	MinGroup, MinComment int
	// Estimate is the time answering takes (nil without a questionnaire to count).
	Estimate *page.Estimate
	// Typed and Error are the code as typed and what is wrong with it, when an unknown code
	// sends the visitor back to the entry form.
	Typed string
	Error *survey.Text
	// Attrs are the titles of the attributes the token's survey asks (none without a token).
	Attrs []survey.Text
}

// entryPage returns the entry form, with the typed code and its error when err is not nil.
func (s *Server) entryPage(c echo.Context, typed string, err error) error {
	p := indexPage{Typed: typed}
	p.MinGroup, p.MinComment = s.openThresholds()
	if q := s.currentQuestionnaire(); q != nil {
		e := page.EstimateOf(q)
		p.Estimate = &e
	}
	status := http.StatusOK
	if err != nil {
		msg := survey.ErrorMessage(err)
		p.Error = &msg
		status = page.StatusOf[survey.ErrorCode(err)]
		if c.Request().Method == http.MethodPost {
			page.Resubmittable(c)
		}
	}
	return s.render(c, status, "index.html", p)
}

// handleIndex serves GET / (the token entry page) and GET /?t=TOKEN (the URL on slips and
// QR codes): what is stored and what is not, then a form for the token or a button to start.
// An unknown token gives the entry form again with 404, the code as typed and the error; a
// used token 409 and a survey not open 410 give their error pages.
func (s *Server) handleIndex(c echo.Context) error {
	raw := c.QueryParam(tokenField)
	if strings.TrimSpace(raw) == "" {
		return s.entryPage(c, "", nil)
	}
	token, t, err := s.redeemable(c, raw)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return s.entryPage(c, raw, err)
	}
	if err != nil {
		return err
	}
	q := t.Survey.Questionnaire
	sec, _ := q.Section(t.Section)
	e := page.EstimateOf(q)
	p := indexPage{Token: token, Title: q.Title, Section: sec.Name,
		MinGroup: q.MinGroupSize(), MinComment: q.MinCommentGroupSize(), Estimate: &e}
	for _, a := range q.Attributes {
		p.Attrs = append(p.Attrs, a.Title)
	}
	return s.render(c, http.StatusOK, "index.html", p)
}

// openThresholds returns the smallest anonymity thresholds among the open surveys, the
// numbers the entry page can promise before it knows the token; 0, 0 when none is open.
func (s *Server) openThresholds() (minGroup, minComment int) {
	surveys, err := s.store.Surveys()
	if err != nil {
		return 0, 0
	}
	for _, sv := range surveys {
		if sv.State != survey.StateOpen {
			continue
		}
		q := sv.Questionnaire
		if minGroup == 0 || q.MinGroupSize() < minGroup {
			minGroup = q.MinGroupSize()
		}
		if minComment == 0 || q.MinCommentGroupSize() < minComment {
			minComment = q.MinCommentGroupSize()
		}
	}
	return minGroup, minComment
}

// emptyParam marks GET /a after a submission with nothing answered (handleAnswerSubmit).
const emptyParam = "empty"

// handleAnswerForm serves GET /a?t=TOKEN: the questionnaire of the token's survey for its
// section; with &empty=1, where a submission with nothing answered is sent, the form with
// that error and 422. Without a token it sends the visitor to the entry page; an unknown token (the
// entry form sends what was typed here) gives the entry form again, as for GET /?t=.
func (s *Server) handleAnswerForm(c echo.Context) error {
	raw := c.QueryParam(tokenField)
	if strings.TrimSpace(raw) == "" {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	token, t, err := s.redeemable(c, raw)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return s.entryPage(c, raw, err)
	}
	if err != nil {
		return err
	}
	if c.QueryParam(emptyParam) != "" {
		msg := survey.ErrorMessage(errEmptySubmission)
		return s.render(c, http.StatusUnprocessableEntity, "answer.html", newAnswerPage(t, token, nil, nil, &msg))
	}
	return s.render(c, http.StatusOK, "answer.html", newAnswerPage(t, token, nil, nil, nil))
}

// handleAnswerSubmit serves POST /a (form fields: t, one per question id, one per comment id):
// it stores the response and redirects 303 to /thanks, whose URL carries no token. Invalid
// answers re-render the form with 422, every answer kept and the wrong ones marked; a form
// with nothing answered redirects 303 to GET /a?t=TOKEN&empty=1, which says so with 422. An
// invalid submission leaves the token unused. Token errors as for GET /a.
//
// A form posted with lang=ja or lang=en is the language switch of a browser without
// JavaScript (the header's buttons submit the form): nothing is stored or checked, the form
// comes back in that language with every answer kept.
func (s *Server) handleAnswerSubmit(c echo.Context) error {
	req := c.Request()
	if err := req.ParseForm(); err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) { // the body limit
			return he
		}
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	form := req.PostForm // not req.Form: the query string takes no part in an answer
	token, t, err := s.redeemable(c, form.Get(tokenField))
	if err != nil {
		return err
	}
	page.Resubmittable(c)
	if l, ok := page.ParseLang(form.Get("lang")); ok {
		page.SetLang(c, l)
		p := newAnswerPage(t, token, form, nil, nil)
		return s.render(c, http.StatusOK, "answer.html", p)
	}
	r, fe, err := ParseForm(t.Survey.Questionnaire, form)
	if err == nil {
		err = s.store.Submit(token, r)
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/thanks")
	}
	if survey.ErrorCode(err) != survey.EINVALID {
		return err
	}
	if errors.Is(err, errEmptySubmission) {
		// Nothing to keep: redirect, so that Back and Reload never meet a POST (browsers do
		// not keep a 422 answer to a POST, whatever its cache headers say).
		return c.Redirect(http.StatusSeeOther, "/a?t="+token+"&"+emptyParam+"=1")
	}
	msg := survey.ErrorMessage(err)
	if len(fe) > 0 {
		msg = survey.Text{
			JA: "回答に誤りがある設問があります（" + strconv.Itoa(len(fe)) + " 件）。赤く示した設問を確認してください。",
			EN: strconv.Itoa(len(fe)) + " answer(s) need correcting: see the questions marked in red."}
	}
	return s.render(c, http.StatusUnprocessableEntity, "answer.html", newAnswerPage(t, token, form, fe, &msg))
}

// handleThanks serves GET /thanks, the page after a stored response. It knows nothing of the
// response or its token; its period, contact and results are those of the current survey.
func (s *Server) handleThanks(c echo.Context) error {
	return s.render(c, http.StatusOK, "thanks.html", nil)
}

// answerPage is the data of answer.html.
type answerPage struct {
	Token string
	// DraftKey names the tab's saved draft of this token's answers (draftKey).
	DraftKey string
	// Posted is true when the page shows answers sent with a POST, which win over a draft.
	Posted  bool
	Info    *page.Info
	Minutes int
	// MinGroup and MinComment are the thresholds the privacy details promise.
	MinGroup, MinComment int
	Title                survey.Text
	Section              survey.Text
	Parts                []partView
	// Total is the number of questions the progress bar counts (items and outcomes).
	Total int
	// Error is the message above a re-rendered form; Invalid lists the wrong fields.
	Error   *survey.Text
	Invalid []invalidView
	// Attrs are the titles of the attributes the survey asks, for the privacy details.
	Attrs []survey.Text
	// Preview is set on the survey office's preview of a draft (preview.go): no token, no send.
	Preview *previewView
}

// partView is one card of the form: the attributes, a category, the outcomes or the comments.
type partView struct {
	Anchor     string
	Number, Of int
	Title      survey.Text
	Attributes []attrView
	Questions  []questionView
	Comments   []commentView
}

// attrView is one attribute of the first part: a radio group of its options and
// 「回答しない」, whose value is empty and stores no option.
type attrView struct {
	ID      string
	Title   survey.Text
	Options []optionView
	None    bool // 「回答しない」 is checked
	Error   *survey.Text
}

// questionView is one question with its options. Kind is "likert" or "enps".
type questionView struct {
	ID      string
	Number  int
	Text    survey.Text
	Kind    string
	Options []optionView
	NA      optionView
	Error   *survey.Text
}

type optionView struct {
	Value   string
	Label   survey.Text
	Checked bool
}

type commentView struct {
	ID        string
	Text      survey.Text
	MaxLength int
	Value     string
	Error     *survey.Text
}

// invalidView links the error summary to a wrong field.
type invalidView struct {
	Anchor  string      // the field's element id
	Label   survey.Text // 問3, 自由記述1, or the attribute's title
	Message survey.Text
}

// newAnswerPage builds the questionnaire page for ticket t. values, when not nil, are the
// posted answers to show again; fe marks the wrong ones; msg is the message above the form.
func newAnswerPage(t *survey.Ticket, token string, values url.Values, fe fieldErrors, msg *survey.Text) answerPage {
	q := t.Survey.Questionnaire
	sec, _ := q.Section(t.Section)
	p := answerPage{Token: token, DraftKey: draftKey(token), Posted: values != nil, Title: q.Title, Section: sec.Name, Error: msg,
		Info: page.InfoOf(q), Minutes: page.EstimateOf(q).Minutes,
		MinGroup: q.MinGroupSize(), MinComment: q.MinCommentGroupSize()}
	na := q.Scale.NotApplicable
	errOf := func(id string) *survey.Text {
		if m, ok := fe[id]; ok {
			return &m
		}
		return nil
	}
	question := func(id string, text survey.Text, kind string, lo, hi int, label func(int) survey.Text) questionView {
		p.Total++
		qv := questionView{ID: id, Number: p.Total, Text: text, Kind: kind, Error: errOf(id),
			NA: optionView{Value: naValue, Label: na, Checked: values.Get(id) == naValue}}
		for v := lo; v <= hi; v++ {
			s := strconv.Itoa(v)
			qv.Options = append(qv.Options, optionView{Value: s, Label: label(v), Checked: values.Get(id) == s})
		}
		if qv.Error != nil {
			n := strconv.Itoa(qv.Number)
			p.Invalid = append(p.Invalid, invalidView{Anchor: "q-" + id, Label: survey.Text{JA: "問" + n, EN: "Q" + n}, Message: *qv.Error})
		}
		return qv
	}
	scaleLabel := func(v int) survey.Text {
		t := survey.Text{JA: q.Scale.Labels.JA[v-1]}
		if len(q.Scale.Labels.EN) == len(q.Scale.Labels.JA) {
			t.EN = q.Scale.Labels.EN[v-1]
		}
		return t
	}
	number := func(v int) survey.Text { s := strconv.Itoa(v); return survey.Text{JA: s, EN: s} }
	points := q.Scale.Points
	if len(q.Attributes) > 0 {
		p.Parts = append(p.Parts, aboutPart(q, values, errOf, &p))
	}
	for _, c := range q.Categories {
		part := partView{Anchor: "cat-" + c.ID, Title: c.Title}
		for _, it := range c.Items {
			part.Questions = append(part.Questions, question(it.ID, it.Text, "likert", 1, points, scaleLabel))
		}
		p.Parts = append(p.Parts, part)
	}
	if o := q.Outcomes; o.Satisfaction != nil || o.ENPS != nil {
		part := partView{Anchor: "outcomes", Title: survey.Text{JA: "総合評価", EN: "Overall"}}
		if o.Satisfaction != nil {
			part.Questions = append(part.Questions, question(o.Satisfaction.ID, o.Satisfaction.Text, "likert", 1, points, scaleLabel))
		}
		if o.ENPS != nil {
			part.Questions = append(part.Questions, question(o.ENPS.ID, o.ENPS.Text, "enps", 0, 10, number))
		}
		p.Parts = append(p.Parts, part)
	}
	if len(q.Comments) > 0 {
		part := partView{Anchor: "comments", Title: survey.Text{JA: "自由記述（任意）", EN: "Comments (optional)"}}
		for i, c := range q.Comments {
			cv := commentView{ID: c.ID, Text: c.Text, MaxLength: c.MaxLength, Value: values.Get(c.ID), Error: errOf(c.ID)}
			if cv.Error != nil {
				n := strconv.Itoa(i + 1)
				p.Invalid = append(p.Invalid, invalidView{Anchor: "q-" + c.ID, Label: survey.Text{JA: "自由記述" + n, EN: "Comment " + n}, Message: *cv.Error})
			}
			part.Comments = append(part.Comments, cv)
		}
		p.Parts = append(p.Parts, part)
	}
	for i := range p.Parts {
		p.Parts[i].Number, p.Parts[i].Of = i+1, len(p.Parts)
	}
	return p
}

// aboutPart is the first part of a questionnaire with attributes: each attribute with its
// options and 「回答しない」, as posted in values; it adds the attributes' errors to p.Invalid
// and their titles to p.Attrs.
func aboutPart(q *survey.Questionnaire, values url.Values, errOf func(string) *survey.Text, p *answerPage) partView {
	part := partView{Anchor: "about", Title: survey.Text{JA: "あなたについて（任意）", EN: "About you (optional)"}}
	for _, a := range q.Attributes {
		field := attrField(a.ID)
		posted, sent := values[field]
		chosen := func(v string) bool { return sent && len(posted) == 1 && posted[0] == v }
		av := attrView{ID: a.ID, Title: a.Title, None: chosen(""), Error: errOf(field)}
		for _, o := range a.Options {
			av.Options = append(av.Options, optionView{Value: o.ID, Label: o.Label, Checked: chosen(o.ID)})
		}
		if av.Error != nil {
			p.Invalid = append(p.Invalid, invalidView{Anchor: "a-" + a.ID, Label: a.Title, Message: *av.Error})
		}
		p.Attrs = append(p.Attrs, a.Title)
		part.Attributes = append(part.Attributes, av)
	}
	return part
}

// draftKey is the sessionStorage key under which app.js keeps the answers typed for token:
// a hash, so that the token itself is not written to the browser's storage, and salted, so
// that it is not the hash the store keeps of the token either. Two tokens never share a key.
func draftKey(token string) string {
	h := sha256.Sum256([]byte("staffsurvey draft\x00" + token))
	return "staffsurvey-draft-" + hex.EncodeToString(h[:16])
}
