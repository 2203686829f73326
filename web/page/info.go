package page

import (
	"fmt"
	"math"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// What staff are told besides the questions : when answers are taken, whom to ask,
// when results come, and how long answering takes. Every answering page — the first page, the
// questionnaire, the thank-you page and every error page — shows the first three, from the
// token's questionnaire when the page knows it, else from the survey staff are most likely
// answering (Site.Info).

// Info is the period, contact and results of one questionnaire, each optional.
type Info struct {
	Title   survey.Text // the questionnaire's, to say whose period it is
	Period  *survey.Period
	Contact *survey.Text
	Results *survey.Text
}

// Empty reports whether there is nothing to show.
func (i *Info) Empty() bool {
	return i == nil || (i.Period == nil && i.Contact == nil && i.Results == nil)
}

// InfoOf returns the info of q.
func InfoOf(q *survey.Questionnaire) *Info {
	return &Info{Title: q.Title, Period: q.Period, Contact: q.Contact, Results: q.Results}
}

// ctxInfo is the context key of the *Info of the token a request carries.
const ctxInfo = "surveyInfo"

// SetInfo makes i what the request's page shows (nil: nothing, not even Site.Info's).
func SetInfo(c echo.Context, i *Info) { c.Set(ctxInfo, i) }

// info returns the info a handler set for the request, else Site.Info's.
func (s *Site) info(c echo.Context) *Info {
	if i, ok := c.Get(ctxInfo).(*Info); ok {
		return i
	}
	if s.Info != nil {
		return s.Info(c)
	}
	return nil
}

// Seconds per question of the time estimate: a five-point statement is read and answered in
// about ten seconds; a comment, optional, takes a minute when written.
const (
	secondsPerChoice  = 10
	secondsPerComment = 60
)

// Estimate is how long a questionnaire takes, and from what.
type Estimate struct {
	Minutes  int // rounded up
	Choices  int // Likert items, satisfaction and eNPS
	Comments int
}

// EstimateOf counts the questions of q.
func EstimateOf(q *survey.Questionnaire) Estimate {
	e := Estimate{Choices: len(q.QuestionIDs()) - len(q.Comments), Comments: len(q.Comments)}
	secs := e.Choices*secondsPerChoice + e.Comments*secondsPerComment
	e.Minutes = int(math.Ceil(float64(secs) / 60))
	return e
}

// Text says the estimate and how it was made, in both languages.
func (e Estimate) Text() survey.Text {
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
