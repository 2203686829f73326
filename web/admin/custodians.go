package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/slips"
	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
	"staffsurvey/survey/storage"
)

// Opening and closing a survey with its ballot box's custodians (docs/anonymity.md, rule 3):
// opening names them and shows their share sheets once; closing takes their shares, each
// checked on its own so that a typo or another survey's share is named with its custodian.

// BallotStore opens and closes surveys with their ballot boxes (custodians.go).
type BallotStore interface {
	OpenSurvey(id string, c storage.Custodians) (*ballot.Box, error)
	CloseSurvey(id string, shares []ballot.Share) error
	BallotBox(id string) (*storage.BallotBox, error)
	CheckShare(id, text string) (ballot.Share, error)
}

// handleSurveyOpen serves POST /admin/surveys/{id}/open (custodians: one name per line,
// threshold, confirm_loss=1): draft → open. The response is the custodians' printable share
// sheets, shown this once and kept nowhere: a reload posts again and is refused, the survey
// being open.
func (s *Server) handleSurveyOpen(c echo.Context) error {
	id := c.Param("id")
	if c.FormValue("confirm_loss") != "1" {
		return survey.Errorf(survey.EINVALID, "必要な人数の割符がそろわなければ回答が失われることを確認するチェックを入れてください。",
			"Tick the box confirming that the answers are lost if fewer shares than needed come back.")
	}
	var names []string
	for _, line := range strings.Split(c.FormValue("custodians"), "\n") {
		if n := strings.TrimSpace(line); n != "" {
			names = append(names, n)
		}
	}
	t, err := strconv.Atoi(strings.TrimSpace(c.FormValue("threshold")))
	if err != nil {
		return survey.Errorf(survey.EINVALID, "開票に必要な人数を数字で入力してください。", "Give the number of shares needed as a number.")
	}
	box, err := s.store.OpenSurvey(id, storage.Custodians{Names: names, Threshold: t})
	if err != nil {
		return err
	}
	s.log.Info("survey state", "survey", id, "state", survey.StateOpen)
	s.audit(c, "survey.open", id, strconv.Itoa(t)+" of "+strconv.Itoa(len(names))+" custodians: "+strings.Join(names, ", "))
	sv, err := s.store.Survey(id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("Content-Security-Policy", slips.SheetsCSP)
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	return slips.WriteShareSheets(c.Response(), sv, names, box)
}

// handleSurveyClose serves POST /admin/surveys/{id}/close (confirm=1, and for a survey with a
// ballot box one share field per custodian, any of them filled): open or draft → closed.
// Every share is checked on its own first; then the shares must rebuild the box's key, or
// nothing changes. Closing cannot be undone, and only then do results appear.
func (s *Server) handleSurveyClose(c echo.Context) error {
	id := c.Param("id")
	if c.FormValue("confirm") != "1" {
		return survey.Errorf(survey.EINVALID, "終了すると再開できません。確認のチェックを入れてから終了してください。",
			"Closing cannot be undone: tick the confirmation box first.")
	}
	box, err := s.store.BallotBox(id)
	if err != nil {
		return err
	}
	var shares []ballot.Share
	if box != nil && !box.KeyFile {
		form, err := c.FormParams()
		if err != nil {
			return err
		}
		var ja, en []string
		for i, text := range form["share"] {
			if strings.TrimSpace(text) == "" {
				continue
			}
			name := strconv.Itoa(i + 1)
			if i < len(box.Custodians) {
				name = box.Custodians[i]
			}
			sh, err := s.store.CheckShare(id, text)
			if err != nil {
				m := survey.ErrorMessage(err)
				ja, en = append(ja, name+" の割符: "+m.JA), append(en, name+"'s share: "+m.EN)
				continue
			}
			shares = append(shares, sh)
		}
		if len(ja) > 0 {
			return &survey.Error{Code: survey.EINVALID, Message: survey.Text{
				JA: strings.Join(ja, " ／ ") + " 何も変更していません。", EN: strings.Join(en, " / ") + " Nothing was changed."}}
		}
	}
	if err := s.store.CloseSurvey(id, shares); err != nil {
		return err
	}
	s.log.Info("survey state", "survey", id, "state", survey.StateClosed)
	s.audit(c, "survey.close", id, "")
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+id)
}
