package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"sync"

	"staffsurvey/internal/demo"
	"staffsurvey/internal/password"
	"staffsurvey/results"
	"staffsurvey/slips"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
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

// demoCustodians are the made-up custodians of the demo's open survey.
var demoCustodians = []string{"人事課長", "職員組合代表", "監査担当"}

// seedDemo fills a database without surveys with demo data: the shipped questionnaire's
// surveys for the past years, closed and answered with synthetic responses; the current year
// open, with some responses and a few fresh tokens whose URLs it prints; and an admin login
// (unless users exist already), whose password it prints. A database that has surveys gets
// no demo data; greetExisting says where to go instead.
func seedDemo(ctx context.Context, st *storage.Store, w io.Writer, baseURL, dbPath string) error {
	svs, err := st.Surveys()
	if err != nil {
		return err
	}
	if len(svs) > 0 {
		return greetExisting(st, w, baseURL, dbPath, svs)
	}
	years, err := demoSurveys()
	if err != nil {
		return err
	}
	sizes := demo.Sizes(years[len(years)-1], demoSeed)
	past, now := years[:len(years)-1], years[len(years)-1]
	for i, q := range past {
		if err := ctx.Err(); err != nil {
			return err
		}
		rs := demo.Responses(q, demoSeed, i, sizes)
		if err := st.CreateSurvey(q); err != nil {
			return err
		}
		if err := st.Import(q.ID, rs); err != nil {
			return err
		}
		if err := st.CloseSurvey(q.ID, nil); err != nil {
			return err
		}
		if i < len(past)-1 { // reviewed in its year; the last closed one waits for the admin
			if err := demoReview(ctx, st, q.ID); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "demo: %s (%d) closed with %d responses\n", q.ID, q.Year, len(rs))
	}
	// The current survey runs: every leaf has a token per staff member and about two in
	// three have answered, through the same path as real staff, so response rates are real.
	if err := st.CreateSurvey(now); err != nil {
		return err
	}
	// Its ballot box's custodians are made up; their shares are printed here — in a demo only,
	// so that `make run` shows the whole cycle: a real server never shows a share twice.
	box, err := st.OpenSurvey(now.ID, storage.Custodians{Names: demoCustodians, Threshold: 2})
	if err != nil {
		return err
	}
	unused := map[string][]string{}
	var jobs []func() error
	for _, r := range demo.Responses(now, demoSeed, len(past), sizes) {
		leaf := r.Section
		if _, ok := unused[leaf]; !ok {
			tokens, err := st.IssueTokens(now.ID, leaf, sizes[leaf])
			if err != nil {
				return err
			}
			unused[leaf] = tokens
		}
		if n := len(unused[leaf]); n > sizes[leaf]/3 {
			tok := unused[leaf][n-1]
			unused[leaf] = unused[leaf][:n-1]
			jobs = append(jobs, func() error { return st.Submit(tok, r) })
		}
	}
	if err := parallel(jobs, 64); err != nil {
		return err
	}
	fmt.Fprintf(w, "demo: %s (%d) open with %d responses\n", now.ID, now.Year, len(jobs))
	fmt.Fprintf(w, "demo: the shares of its ballot box (2 of them close it; a real server never prints them — see README):\n")
	for i, sh := range box.Shares {
		fmt.Fprintf(w, "  %s  %s\n", sh, demoCustodians[i])
	}
	fmt.Fprintf(w, "demo: unused answer URLs of %s:\n", now.ID)
	printed := 0
	for _, leaf := range now.Leaves() {
		for _, t := range unused[leaf] {
			if printed == demoTokens {
				break
			}
			fmt.Fprintf(w, "  %s  (%s)\n", slips.TokenURL(baseURL, t), leaf)
			printed++
		}
	}
	users, err := st.Users()
	if err != nil {
		return err
	}
	if len(users) > 0 {
		fmt.Fprintf(w, "demo: users exist already: sign in at %s/admin/login with yours\n", baseURL)
		return nil
	}
	pass := randomPassword()
	hash, err := password.Hash(pass)
	if err != nil {
		return err
	}
	if err := st.PutUser(&survey.User{Name: demoAdmin, Role: survey.RoleAdmin, PasswordHash: hash}); err != nil {
		return err
	}
	fmt.Fprintf(w, "demo: admin login at %s/admin/login — name %s, password %s\n", baseURL, demoAdmin, pass)
	return nil
}

// parallel runs jobs on n goroutines and returns the first error. Concurrent submissions
// share commits (the store's group commit), so the demo is seeded in well under a second.
func parallel(jobs []func() error, n int) error {
	errs := make(chan error, len(jobs))
	next := make(chan func() error)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for job := range next {
				errs <- job()
			}
		})
	}
	for _, job := range jobs {
		next <- job
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func randomPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// demoReview plays the survey office's review of a past year: every comment in which the
// finder finds no name is published, the suspects are withheld. The last closed year is left
// for the admin to review, so that the demo shows the review page at work.
func demoReview(ctx context.Context, st *storage.Store, id string) error {
	_, rv, err := results.New(st).Review(ctx, id)
	if err != nil {
		return err
	}
	decisions := map[string]string{}
	for _, p := range rv.Pending {
		decisions[p.ID] = survey.DecidePublish
		if p.Suspect() {
			decisions[p.ID] = survey.DecideWithhold
		}
	}
	return st.DecideAll(id, decisions, "demo")
}
