package main

import (
	"fmt"
	"io"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// exportCSV writes survey id's responses as CSV, each section below the minimum group size
// replaced by its nearest shown ancestor (DESIGN.md §5) and comments only where they cannot
// be tied to a section below min_comment_group_size (§2 rule 5). Surveys that are not closed are
// refused: results, raw ones included, appear only after closing (DESIGN.md §2 rule 4).
func exportCSV(st *storage.Store, id string, w io.Writer, opts survey.ExportOptions) error {
	sv, err := st.Survey(id)
	if err != nil {
		return err
	}
	if sv.State != survey.StateClosed {
		state := survey.StateTitle(sv.State)
		return &survey.Error{Code: survey.ESTATE, Message: survey.Text{
			JA: fmt.Sprintf("調査 %q は%sです。結果は調査を終了してから出力できます（staffsurvey survey close %s）", id, state.JA, id),
			EN: fmt.Sprintf("survey %q is %s: results can be exported once it is closed (staffsurvey survey close %s)", id, state.EN, id)}}
	}
	each := func(fn func(*survey.Response) error) error { return st.EachResponse(id, fn) }
	res, err := analysis.Scan(sv.Questionnaire, each)
	if err != nil {
		return err
	}
	section, ok := res.ExportSection()
	if !ok {
		return survey.Errorf(survey.EINVALID, "調査 %q は回答者が %d 人未満のため、匿名性を守るために出力できません", "survey %q has fewer than %d respondents: it cannot be exported without risking anonymity",
			id, sv.Questionnaire.MinGroupSize())
	}
	opts.Section, opts.Comments = section, res.ExportComments()
	cw, err := survey.NewCSVWriter(w, sv.Questionnaire, opts)
	if err != nil {
		return err
	}
	if err := each(cw.Write); err != nil {
		return err
	}
	return cw.Flush()
}
