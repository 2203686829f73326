package web

import (
	"fmt"
	"math"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// What staff are told besides the questions (issue 11): when answers are taken, whom to ask,
// when results come, and how long answering takes. Every answering page — the first page, the
// questionnaire, the thank-you page and every error page — shows the first three, from the
// token's questionnaire when the page knows it, else from the survey staff are most likely
// answering (surveyInfoFor).

// surveyInfo is the period, contact and results of one questionnaire, each optional.
type surveyInfo struct {
	Title   survey.Text // the questionnaire's, to say whose period it is
	Period  *survey.Period
	Contact *survey.Text
	Results *survey.Text
}

// Empty reports whether there is nothing to show.
func (i *surveyInfo) Empty() bool {
	return i == nil || (i.Period == nil && i.Contact == nil && i.Results == nil)
}

func infoOf(q *survey.Questionnaire) *surveyInfo {
	return &surveyInfo{Title: q.Title, Period: q.Period, Contact: q.Contact, Results: q.Results}
}

// ctxInfo is the context key of the *surveyInfo of the token a request carries.
const ctxInfo = "surveyInfo"

// currentQuestionnaire returns the questionnaire staff are most likely answering when the
// request names none (the entry page, the thank-you page, an error about a token that is used
// or whose survey is closed, for which the store says no more): the open survey of the latest
// year, else the survey of the latest year; nil when there is none.
func (s *Server) currentQuestionnaire() *survey.Questionnaire {
	surveys, err := s.store.Surveys()
	if err != nil {
		return nil
	}
	var best *survey.Survey
	better := func(a, b *survey.Survey) bool { // a before b
		if (a.State == survey.StateOpen) != (b.State == survey.StateOpen) {
			return a.State == survey.StateOpen
		}
		return a.Questionnaire.Year > b.Questionnaire.Year
	}
	for _, sv := range surveys {
		if best == nil || better(sv, best) {
			best = sv
		}
	}
	if best == nil {
		return nil
	}
	return best.Questionnaire
}

// surveyInfoFor returns the info of the token's questionnaire when the handler set it, else
// of currentQuestionnaire.
func (s *Server) surveyInfoFor(c echo.Context) *surveyInfo {
	if i, ok := c.Get(ctxInfo).(*surveyInfo); ok {
		return i
	}
	if q := s.currentQuestionnaire(); q != nil {
		return infoOf(q)
	}
	return nil
}

// Seconds per question of the time estimate: a five-point statement is read and answered in
// about ten seconds; a comment, optional, takes a minute when written.
const (
	secondsPerChoice  = 10
	secondsPerComment = 60
)

// estimate is how long a questionnaire takes, and from what.
type estimate struct {
	Minutes  int // rounded up
	Choices  int // Likert items, satisfaction and eNPS
	Comments int
}

func estimateOf(q *survey.Questionnaire) estimate {
	e := estimate{Choices: len(q.QuestionIDs()) - len(q.Comments), Comments: len(q.Comments)}
	secs := e.Choices*secondsPerChoice + e.Comments*secondsPerComment
	e.Minutes = int(math.Ceil(float64(secs) / 60))
	return e
}

// Text says the estimate and how it was made, in both languages.
func (e estimate) Text() survey.Text {
	t := survey.Text{
		JA: fmt.Sprintf("約%d分（選択式 %d問 × 約%d秒", e.Minutes, e.Choices, secondsPerChoice),
		EN: fmt.Sprintf("About %d minutes (%d multiple-choice questions × about %d seconds", e.Minutes, e.Choices, secondsPerChoice),
	}
	if e.Comments > 0 {
		t.JA += fmt.Sprintf("、任意の自由記述 %d問 × 約1分", e.Comments)
		t.EN += fmt.Sprintf(", %d optional comments × about a minute", e.Comments)
	}
	t.JA += "）"
	t.EN += ")"
	return t
}

var weekdaysJA = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// periodText says a period for people: 「2026年12月1日（火）〜12月14日（月）」,
// "Tuesday 1 December 2026 to Monday 14 December 2026".
func periodText(lang string, p *survey.Period) string {
	if p == nil {
		return ""
	}
	opens, closes := p.Dates()
	if lang == "en" {
		return opens.Format("Monday 2 January 2006") + " to " + closes.Format("Monday 2 January 2006")
	}
	ja := func(t time.Time, year bool) string {
		s := fmt.Sprintf("%d月%d日（%s）", int(t.Month()), t.Day(), weekdaysJA[t.Weekday()])
		if year {
			s = fmt.Sprintf("%d年", t.Year()) + s
		}
		return s
	}
	return ja(opens, true) + "〜" + ja(closes, closes.Year() != opens.Year())
}
