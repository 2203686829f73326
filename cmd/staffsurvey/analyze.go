package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// analyzeUsage repeats the usage line of commands["analyze"] for the missing --json message.
const analyzeUsage = "analyze [--survey ID]... --json"

// surveyIDs is a repeatable --survey flag.
type surveyIDs []string

func (s *surveyIDs) String() string { return strings.Join(*s, ",") }

func (s *surveyIDs) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// runAnalyze prints the report of DESIGN.md §6 for closed surveys: the ones named with
// --survey, or every closed survey. Results of a survey that is not closed are never shown
// (DESIGN.md §2 rule 4), so naming one is an error rather than a silent skip.
func runAnalyze(ctx context.Context, e *env, args []string) error {
	fs := flags("analyze")
	var ids surveyIDs
	fs.Var(&ids, "survey", "survey id (repeatable; default: every closed survey)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if !*asJSON {
		return survey.Errorf(survey.EINVALID, "analyze: 出力形式 --json を指定してください\n使い方: %s",
			"analyze: give --json, the only output format; usage: %s", analyzeUsage)
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()

	var svs []*survey.Survey
	if len(ids) == 0 {
		all, err := st.Surveys()
		if err != nil {
			return err
		}
		for _, sv := range all {
			if sv.State == survey.StateClosed {
				svs = append(svs, sv)
			}
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		sv, err := st.Survey(id)
		if err != nil {
			return err
		}
		if sv.State != survey.StateClosed {
			return &survey.Error{Code: survey.ESTATE, Message: survey.Text{
				JA: fmt.Sprintf("調査 %q は%sです。結果は調査を終了してから分析できます（staffsurvey survey close %s）", id, survey.StateTitle(sv.State).JA, id),
				EN: fmt.Sprintf("survey %q is %s: only closed surveys are analysed (staffsurvey survey close %s)", id, sv.State, id)}}
		}
		svs = append(svs, sv)
	}

	// One survey per core at a time, as analysis.ScanAll does; scanSurvey also applies the
	// section counts recorded at close.
	results := make([]*analysis.SurveyResult, len(svs))
	errs := make([]error, len(svs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, sv := range svs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = scanSurvey(ctx, st, sv)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
	}
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(analysis.Build(results...))
}
