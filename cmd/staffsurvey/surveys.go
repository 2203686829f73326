package main

import (
	"context"
	"fmt"
	"os"

	"staffsurvey/questionnaires"
	"staffsurvey/survey"
)

// loadQuestionnaire reads a questionnaire file, or a shipped questionnaire by name.
func loadQuestionnaire(file string) (*survey.Questionnaire, error) {
	if _, err := os.Stat(file); err != nil {
		if data, serr := questionnaires.Open(file); serr == nil {
			return survey.Parse(file, data)
		}
	}
	return survey.LoadFile(file)
}

func runSurveyCreate(ctx context.Context, e *env, args []string) error {
	fs := flags("survey create")
	file := fs.String("file", "", "questionnaire YAML file or shipped name")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "file"); err != nil {
		return err
	}
	q, err := loadQuestionnaire(*file)
	if err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreateSurvey(q); err != nil {
		return err
	}
	auditCLI(st, e.Stderr, "survey.create", q.ID, "")
	fmt.Fprintln(e.Stdout, q.ID)
	return nil
}

func runSurveyList(ctx context.Context, e *env, args []string) error {
	if _, err := parse(flags("survey list"), args, 0); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	svs, err := st.Surveys()
	if err != nil {
		return err
	}
	for _, sv := range svs {
		state := sv.State
		if sv.Closing {
			state = "closing" // interrupted while closing: `survey close ID` again finishes it
		}
		fmt.Fprintf(e.Stdout, "%s\t%d\t%s\t%d responses\t%s\n", sv.ID(), sv.Questionnaire.Year, state, sv.Responses, sv.Questionnaire.Title.JA)
	}
	return nil
}
