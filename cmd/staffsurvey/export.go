package main

import (
	"io"

	"staffsurvey/survey"
)

// exportCSV writes survey id's responses as CSV. Placeholder for section generalisation,
// which needs the analysis package's suppression.
func exportCSV(st *survey.Store, id string, w io.Writer, opts survey.ExportOptions) error {
	sv, err := st.Survey(id)
	if err != nil {
		return err
	}
	if sv.State == survey.StateOpen {
		return survey.Errorf(survey.ESTATE, "調査 %q は回答受付中です。結果は終了後に出力できます", "survey %q is open: results can be exported once it is closed", id)
	}
	cw, err := survey.NewCSVWriter(w, sv.Questionnaire, opts)
	if err != nil {
		return err
	}
	if err := st.EachResponse(id, cw.Write); err != nil {
		return err
	}
	return cw.Flush()
}
