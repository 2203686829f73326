package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The clerk's data entry of paper forms (slips.WritePaper prints them). Built for speed with the
// keyboard only: the code, then one digit per item in the order printed on the form, then the
// outcomes and the comments; Enter goes on to a check page that shows the form as entered, laid
// out by the numbers on the paper, to compare before sealing; Enter there seals it. Sealing is
// store.Submit, exactly as an online answer: the token used once, the response sealed in the
// same transaction, nothing about who entered it or when. The audit log records that a clerk
// opened the data entry of a survey, never a form, a code or a time per form.

// paperEntry is what a clerk typed for one form.
type paperEntry struct {
	Code         string
	Answers      string // one character per item: 1..points, 0 or - for not answered
	Satisfaction string
	ENPS         string
	Comments     []string
	// Attrs holds, per attribute, the number ticked on the paper: 1 for its first option, 0
	// or "" for 「回答しない」.
	Attrs []string
}

// paperEntryPage is the data of admin_paper.html.
type paperEntryPage struct {
	Survey *survey.Survey
	Entry  paperEntry
	Error  *survey.Text
	// Check is the form as entered, question by question, when it is ready to be sealed.
	Check   []paperCheck
	Section survey.Text
	Sealed  bool // the form before was sealed
	Items   int
	Points  int
}

// paperCheck is one question of the check page: its number on the paper and the value entered.
type paperCheck struct {
	N     int
	Label string
	Value string
}

func (s *Server) paperPage(c echo.Context) (*paperEntryPage, error) {
	sv, err := s.store.Survey(c.Param("id"))
	if err != nil {
		return nil, err
	}
	if sv.State != survey.StateOpen {
		return nil, survey.Errorf(survey.ESTATE, "回答受付中の調査だけ、紙の回答を入力できます", "paper forms are entered for open surveys only")
	}
	q := sv.Questionnaire
	return &paperEntryPage{Survey: sv, Items: q.NumItems(), Points: q.Scale.Points,
		Entry: paperEntry{Comments: make([]string, len(q.Comments)), Attrs: make([]string, len(q.Attributes))}}, nil
}

// handlePaperForm serves GET /admin/surveys/{id}/paper: the data-entry form (?sealed=1 after a
// form was sealed).
func (s *Server) handlePaperForm(c echo.Context) error {
	p, err := s.paperPage(c)
	if err != nil {
		return err
	}
	p.Sealed = c.QueryParam("sealed") == "1"
	if !p.Sealed {
		s.audit(c, "paper.entry", p.Survey.ID(), "") // that a clerk enters forms; never which
	}
	return s.render(c, http.StatusOK, "admin_paper.html", p)
}

// handlePaperCheck serves POST /admin/surveys/{id}/paper/check: the entered form, checked, laid
// out for comparing with the paper; refused (422) with the form kept when it cannot be a form.
func (s *Server) handlePaperCheck(c echo.Context) error {
	p, err := s.paperPage(c)
	if err != nil {
		return err
	}
	p.Entry = readPaperEntry(c, p.Survey.Questionnaire)
	if c.FormValue("edit") == "1" {
		return s.render(c, http.StatusOK, "admin_paper.html", p)
	}
	_, r, section, err := s.paperResponse(p.Survey, p.Entry)
	if err != nil {
		return s.paperRefused(c, p, err)
	}
	p.Section = section
	q := p.Survey.Questionnaire
	for i, a := range q.Attributes {
		chosen := "–"
		if v := r.Attributes[i]; v != survey.NA {
			o := a.Options[v]
			chosen = strconv.Itoa(int(v)+1) + " " + o.Label.JA
		}
		p.Check = append(p.Check, paperCheck{Label: a.Title.JA, Value: chosen})
	}
	for i, v := range r.Answers {
		p.Check = append(p.Check, paperCheck{N: i + 1, Value: valueText(v)})
	}
	n := len(r.Answers)
	if q.Outcomes.Satisfaction != nil {
		n++
		p.Check = append(p.Check, paperCheck{N: n, Label: "満足度 Satisfaction", Value: valueText(r.Satisfaction)})
	}
	if q.Outcomes.ENPS != nil {
		n++
		p.Check = append(p.Check, paperCheck{N: n, Label: "eNPS", Value: valueText(r.ENPS)})
	}
	return s.render(c, http.StatusOK, "admin_paper.html", p)
}

// handlePaperSeal serves POST /admin/surveys/{id}/paper: seals the checked form like an online
// answer → 303 to the entry form. A form whose code was used — entered before, or answered
// online — is refused (409), and nothing is stored.
func (s *Server) handlePaperSeal(c echo.Context) error {
	p, err := s.paperPage(c)
	if err != nil {
		return err
	}
	p.Entry = readPaperEntry(c, p.Survey.Questionnaire)
	token, r, _, err := s.paperResponse(p.Survey, p.Entry)
	if err == nil {
		err = s.store.Submit(token, r)
	}
	if err != nil {
		return s.paperRefused(c, p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+p.Survey.ID()+"/paper?sealed=1")
}

// paperRefused renders the entry form again with err and what was typed.
func (s *Server) paperRefused(c echo.Context, p *paperEntryPage, err error) error {
	code := survey.ErrorCode(err)
	if code == survey.EINTERNAL {
		return err
	}
	msg := survey.ErrorMessage(err)
	if err == survey.ErrTokenUsed {
		msg = survey.Text{JA: "この回答用コードはすでに使われています（入力済みの用紙か、オンラインで回答済み）。何も保存していません。",
			EN: "This answer code has been used already (a form entered before, or an online answer). Nothing was stored."}
	}
	p.Error = &msg
	status := page.StatusOf[code]
	if status == 0 || status == http.StatusNotFound {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, "admin_paper.html", p)
}

// readPaperEntry reads the entry form of a form of q.
func readPaperEntry(c echo.Context, q *survey.Questionnaire) paperEntry {
	e := paperEntry{Code: c.FormValue("code"), Answers: c.FormValue("answers"),
		Satisfaction: strings.TrimSpace(c.FormValue("satisfaction")), ENPS: strings.TrimSpace(c.FormValue("enps")),
		Comments: make([]string, len(q.Comments)), Attrs: make([]string, len(q.Attributes))}
	for i := range e.Comments {
		e.Comments[i] = c.FormValue(fmt.Sprintf("comment%d", i))
	}
	for i, a := range q.Attributes {
		e.Attrs[i] = strings.TrimSpace(c.FormValue(survey.AttrColumnPrefix + a.ID))
	}
	return e
}

// paperResponse turns an entry into the token and the response it stands for, checked against
// the questionnaire and the token's survey and section.
func (s *Server) paperResponse(sv *survey.Survey, e paperEntry) (string, *survey.Response, survey.Text, error) {
	q := sv.Questionnaire
	token, err := survey.ParseToken(e.Code)
	if err != nil {
		return "", nil, survey.Text{}, err
	}
	t, err := s.store.Redeemable(token)
	if err != nil {
		return "", nil, survey.Text{}, err
	}
	if t.Survey.ID() != sv.ID() {
		return "", nil, survey.Text{}, survey.Errorf(survey.EINVALID, "この回答用コードは別の調査のものです", "this answer code belongs to another survey")
	}
	r := survey.NewResponse(q, t.Section)
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' {
			return -1
		}
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, e.Answers)
	if len(digits) != len(r.Answers) {
		return "", nil, survey.Text{}, survey.Errorf(survey.EINVALID, "設問 1〜%d の答えを1問1文字で入力してください（入力は %d 文字）",
			"type one character for each of questions 1 to %d (you typed %d)", len(r.Answers), len(digits))
	}
	for i, ch := range digits {
		switch {
		case ch == '0' || ch == '-':
		case ch >= '1' && int(ch-'0') <= q.Scale.Points:
			r.Answers[i] = int8(ch - '0')
		default:
			return "", nil, survey.Text{}, survey.Errorf(survey.EINVALID, "設問 %d: %q は答えではありません（1〜%d、無回答は 0）",
				"question %d: %q is not an answer (1 to %d, 0 for none)", i+1, string(ch), q.Scale.Points)
		}
	}
	var perr error
	if r.Satisfaction, perr = optionalValue(e.Satisfaction, 1, q.Scale.Points); perr != nil {
		return "", nil, survey.Text{}, perr
	}
	if r.ENPS, perr = optionalValue(e.ENPS, 0, 10); perr != nil {
		return "", nil, survey.Text{}, perr
	}
	copy(r.Comments, e.Comments)
	for i := range q.Attributes {
		a := &q.Attributes[i]
		v, err := optionalValue(e.Attrs[i], 1, len(a.Options))
		if err != nil {
			return "", nil, survey.Text{}, &survey.Error{Code: survey.EINVALID, Message: survey.Text{
				JA: fmt.Sprintf("「%s」: %q は選択肢の番号ではありません（1〜%d、回答しないは 0 か空欄）", a.Title.JA, e.Attrs[i], len(a.Options)),
				EN: fmt.Sprintf("%q: %q is not the number of an option (1 to %d; 0 or empty for prefer not to say)", a.Title.In("en"), e.Attrs[i], len(a.Options))}}
		}
		if v != survey.NA {
			r.Attributes[i] = v - 1
		}
	}
	if err := r.Validate(q); err != nil {
		return "", nil, survey.Text{}, err
	}
	sec, _ := q.Section(t.Section)
	return token, r, sec.Name, nil
}

// optionalValue reads a number from lo to hi, "" (or 0 below lo) for not answered.
func optionalValue(s string, lo, hi int) (int8, error) {
	if s == "" || s == "-" {
		return survey.NA, nil
	}
	v, err := strconv.Atoi(s)
	if err == nil && v == 0 && lo > 0 {
		return survey.NA, nil
	}
	if err != nil || v < lo || v > hi {
		return 0, survey.Errorf(survey.EINVALID, "%q は %d〜%d の数ではありません", "%q is not a number from %d to %d", s, lo, hi)
	}
	return int8(v), nil
}

// valueText is how the check page shows a value.
func valueText(v int8) string {
	if v == survey.NA {
		return "–"
	}
	return strconv.Itoa(int(v))
}
