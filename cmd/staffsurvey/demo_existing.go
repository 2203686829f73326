package main

import (
	"fmt"
	"io"

	"staffsurvey/internal/demo"
	"staffsurvey/internal/password"
	"staffsurvey/questionnaires"
	"staffsurvey/slips"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// greetExisting is `serve --demo` on a database that has surveys already: it adds no demo
// data, but says what a newcomer needs again — where to sign in, answer URLs of the open demo
// survey and how to reset the password.
//
// Tokens are stored only as hashes (docs/anonymity.md), so the URLs printed when the database
// was made cannot be shown again. When the database is the demo's own (every demo year is in
// it and the current one is open) it issues demoTokens fresh tokens, one for each of the first
// leaves, and prints their URLs; on any other database it issues nothing and points to the
// survey's admin page, where tokens are issued.
func greetExisting(st *storage.Store, w io.Writer, baseURL, dbPath string, svs []*survey.Survey) error {
	fmt.Fprintf(w, "demo: %s has surveys already, so no demo data is added (delete the file to start afresh)\n", dbPath)
	years, err := demoSurveys()
	if err != nil {
		return err
	}
	now := years[len(years)-1]
	state := map[string]string{}
	for _, sv := range svs {
		state[sv.ID()] = sv.State
	}
	isDemo := state[now.ID] == survey.StateOpen
	for _, q := range years[:len(years)-1] {
		isDemo = isDemo && state[q.ID] == survey.StateClosed
	}
	if isDemo {
		fmt.Fprintf(w, "demo: new answer URLs of %s (earlier ones cannot be shown again: only their hashes are stored):\n", now.ID)
		for _, leaf := range now.Leaves()[:min(demoTokens, len(now.Leaves()))] {
			tokens, err := st.IssueTokens(now.ID, leaf, 1)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %s  (%s)\n", slips.TokenURL(baseURL, tokens[0]), leaf)
		}
	} else {
		for _, sv := range svs {
			if sv.State == survey.StateOpen {
				fmt.Fprintf(w, "demo: %s is open; issue answer URLs on its admin page %s/admin/surveys/%s\n", sv.ID(), baseURL, sv.ID())
			}
		}
	}
	fmt.Fprintf(w, "demo: admin pages at %s/admin/login", baseURL)
	if u, err := st.User(demoAdmin); err == nil && u.Role == survey.RoleAdmin {
		fmt.Fprintf(w, " — name %s, with the password printed when %s was made", demoAdmin, dbPath)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "demo: to set a new password, stop the server first (user add cannot run while it holds the database), then:\n")
	fmt.Fprintf(w, "  echo 'NEW-PASSWORD' | bin/staffsurvey --db %s user add --name %s --role admin\n", dbPath, demoAdmin)
	fmt.Fprintf(w, "  (at least %d characters; bin/staffsurvey is what make run builds, go run ./cmd/staffsurvey works too)\n", password.MinLength)
	return nil
}

// demoSurveys returns the demo's questionnaires, one per year, the open one last.
func demoSurveys() ([]*survey.Questionnaire, error) {
	data, err := questionnaires.Open(demoQuestionnaire)
	if err != nil {
		return nil, err
	}
	current, err := survey.Parse(demoQuestionnaire, data)
	if err != nil {
		return nil, err
	}
	return demo.Years(current, demoYears), nil
}
