package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"staffsurvey/survey"
)

// runPlans prints the action plans of a survey (docs/cli.md), one a line in tab-separated
// columns, or with --csv as CSV for Excel (UTF-8 BOM, CRLF, formula-like cells neutralised):
// section, categories (space-separated ids), action, due, status, progress, author, updated.
// Plans are ordinary records written by managers; nothing in them is about a respondent.
func runPlans(ctx context.Context, e *env, args []string) error {
	fs := flags("plans")
	id := fs.String("survey", "", "survey id")
	asCSV := fs.Bool("csv", false, "CSV for Excel instead of tab-separated lines")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey"); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Survey(*id); err != nil {
		return err
	}
	plans, err := st.Plans(*id)
	if err != nil {
		return err
	}
	rows := [][]string{{"section", "categories", "action", "due", "status", "progress", "author", "updated"}}
	for _, p := range plans {
		rows = append(rows, []string{p.Section, strings.Join(p.Categories, " "), p.Action, p.Due, p.Status, p.Progress,
			p.Author, p.Updated.UTC().Format(time.RFC3339)})
	}
	if !*asCSV {
		for _, r := range rows[1:] {
			for i, cell := range r { // one plan a line: texts may hold tabs and newlines
				r[i] = strings.Join(strings.Fields(cell), " ")
			}
			fmt.Fprintln(e.Stdout, strings.Join(r, "\t"))
		}
		return nil
	}
	w, err := survey.NewExcelCSV(e.Stdout, true)
	if err != nil {
		return err
	}
	for _, r := range rows {
		for i := range r {
			r[i] = survey.SafeCell(r[i])
		}
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
