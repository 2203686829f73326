package main

import (
	"context"
	"fmt"
	"io"

	"staffsurvey/questionnaires"
	"staffsurvey/survey"
)

// demoQuestionnaire is the shipped questionnaire the demo is built on.
const demoQuestionnaire = "kita-2026"

// seedDemo fills a database without surveys with the shipped questionnaire as an open survey
// and prints a few answer URLs. A database that has surveys is left alone.
func seedDemo(ctx context.Context, st *survey.Store, w io.Writer, url string) error {
	svs, err := st.Surveys()
	if err != nil || len(svs) > 0 {
		return err
	}
	data, err := questionnaires.Open(demoQuestionnaire)
	if err != nil {
		return err
	}
	q, err := survey.Parse(demoQuestionnaire, data)
	if err != nil {
		return err
	}
	if err := st.CreateSurvey(q); err != nil {
		return err
	}
	if err := st.SetState(q.ID, survey.StateOpen); err != nil {
		return err
	}
	leaf := q.Leaves()[0]
	tokens, err := st.IssueTokens(q.ID, leaf, 5)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "demo: survey %s is open; answer URLs for section %s:\n", q.ID, leaf)
	for _, t := range tokens {
		fmt.Fprintf(w, "  %s\n", tokenURL(url, t))
	}
	return nil
}
