package answer

import (
	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/web/page"
)

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

// SurveyInfo returns the info of currentQuestionnaire, which staff pages show when the
// request names no token (page.Site.Info).
func (s *Server) SurveyInfo(c echo.Context) *page.Info {
	if q := s.currentQuestionnaire(); q != nil {
		return page.InfoOf(q)
	}
	return nil
}
