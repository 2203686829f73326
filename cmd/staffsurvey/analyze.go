package main

import (
	"context"
	"encoding/json"
	"strings"

	"staffsurvey/results"
	"staffsurvey/survey"
)

// surveyIDs is a repeatable --survey flag.
type surveyIDs []string

func (s *surveyIDs) String() string { return strings.Join(*s, ",") }

func (s *surveyIDs) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// runAnalyze prints the report of docs/analysis.md for closed surveys: the ones named with
// --survey, or every closed survey. Results of a survey that is not closed are never shown
// (docs/anonymity.md, rule 6), so naming one is an error rather than a silent skip.
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
			"analyze: give --json, the only output format; usage: %s", usageOf("analyze"))
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()

	rep, err := results.New(st).Report(ctx, ids...)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
