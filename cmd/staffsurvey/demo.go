package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"

	"staffsurvey/questionnaires"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/web"
)

// Demo settings: the shipped questionnaire, how many years, and the seed that makes every
// demo database the same.
const (
	demoQuestionnaire = "kita-2026"
	demoYears         = 6
	demoSeed          = 2026
	demoTokens        = 5
	demoAdmin         = "admin"
)

// seedDemo fills a database without surveys with demo data: the shipped questionnaire's
// surveys for the past years, closed and answered with synthetic responses; the current year
// open, with some responses and a few fresh tokens whose URLs it prints; and an admin login
// (unless users exist already), whose password it prints. A database that has surveys is
// left alone.
func seedDemo(ctx context.Context, st *storage.Store, w io.Writer, baseURL string) error {
	svs, err := st.Surveys()
	if err != nil || len(svs) > 0 {
		return err
	}
	data, err := questionnaires.Open(demoQuestionnaire)
	if err != nil {
		return err
	}
	current, err := survey.Parse(demoQuestionnaire, data)
	if err != nil {
		return err
	}
	years := survey.DemoYears(current, demoYears)
	sizes := survey.DemoSizes(current, demoSeed)
	for i, q := range years {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := st.CreateSurvey(q); err != nil {
			return err
		}
		rs := survey.DemoResponses(q, demoSeed, i, sizes)
		if q == years[len(years)-1] {
			rs = rs[:len(rs)*2/3] // the current survey is still running
		}
		if err := st.Import(q.ID, rs); err != nil {
			return err
		}
		state := survey.StateClosed
		if q == years[len(years)-1] {
			state = survey.StateOpen
		}
		if err := st.SetState(q.ID, state); err != nil {
			return err
		}
		fmt.Fprintf(w, "demo: %s (%d) %s with %d responses\n", q.ID, q.Year, state, len(rs))
	}
	leaf := current.Leaves()[0]
	tokens, err := st.IssueTokens(current.ID, leaf, demoTokens)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "demo: answer URLs for section %s of %s:\n", leaf, current.ID)
	for _, t := range tokens {
		fmt.Fprintf(w, "  %s\n", tokenURL(baseURL, t))
	}
	users, err := st.Users()
	if err != nil || len(users) > 0 {
		return err
	}
	password := randomPassword()
	hash, err := web.HashPassword(password)
	if err != nil {
		return err
	}
	if err := st.PutUser(&survey.User{Name: demoAdmin, Role: survey.RoleAdmin, PasswordHash: hash}); err != nil {
		return err
	}
	fmt.Fprintf(w, "demo: admin login at %s/admin/login — name %s, password %s\n", baseURL, demoAdmin, password)
	return nil
}

func randomPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
