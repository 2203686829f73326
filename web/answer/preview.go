package answer

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Preview renders the questionnaire page of q for section exactly as staff will see it,
// without a token, for the survey office's editor (the signed-in side serves it; see
// admin.Config.Preview). The page says プレビュー at its top and has no way to send: the form
// has no action and no send button, and app.js keeps nothing in the tab for it.
func (s *Server) Preview(c echo.Context, q *survey.Questionnaire, section string, back string) error {
	page.SetInfo(c, page.InfoOf(q))
	p := newAnswerPage(&survey.Ticket{Survey: &survey.Survey{Questionnaire: q}, Section: section}, "", nil, nil, nil)
	p.DraftKey = "" // nothing is kept in the tab
	p.Preview = &previewView{Back: back, Section: section}
	for _, code := range q.Leaves() {
		fs, _ := q.Section(code)
		p.Preview.Sections = append(p.Preview.Sections, previewSection{Code: code, Name: fs.Name})
	}
	return s.render(c, http.StatusOK, "answer.html", p)
}

// previewView is what the preview adds to the questionnaire page: where the editor is, and a
// choice of the section the page is shown for.
type previewView struct {
	Back     string
	Section  string
	Sections []previewSection
}

type previewSection struct {
	Code string
	Name survey.Text
}
