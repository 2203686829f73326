package main

import (
	"context"
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
	res, err := scanSurvey(context.Background(), st, sv)
	if err != nil {
		return err
	}
	section, ok := res.ExportSection()
	if !ok {
		return survey.Errorf(survey.EINVALID, "調査 %q は回答者が %d 人未満のため、匿名性を守るために出力できません", "survey %q has fewer than %d respondents: it cannot be exported without risking anonymity",
			id, sv.Questionnaire.Anonymity.MinGroupSize)
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

// scanSurvey analyses the stored responses of sv. Their sections are generalised (DESIGN.md
// §2 rule 4): the counts recorded at close give every group its true n and the same
// suppression as ungeneralised data.
func scanSurvey(ctx context.Context, st *storage.Store, sv *survey.Survey) (*analysis.SurveyResult, error) {
	own, err := st.SectionCounts(sv.ID())
	if err != nil {
		return nil, err
	}
	acc := analysis.NewAccumulator(sv.Questionnaire)
	if own != nil {
		acc.SetSectionCounts(own)
	}
	n := 0
	err = st.EachResponse(sv.ID(), func(r *survey.Response) error {
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		acc.Add(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return acc.Result(), nil
}
