// Package storagetest opens stores for tests: one helper for every package whose tests need a
// database, so that each of them ends with bbolt's consistency check.
package storagetest

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/internal/testpath"
)

// MustOpenStore opens a store in a fresh temporary directory (st.Path() names the file). When
// the test ends it closes the store — closing it earlier is allowed — and fails the test if the
// file does not pass bbolt's consistency check (tx.Check).
func MustOpenStore(tb testing.TB) *storage.Store {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "test.db")
	st, err := storage.Open(path)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
		MustCheck(tb, path)
	})
	return st
}

// MustCheck opens the closed database file at path read-only and fails the test if it does not
// pass bbolt's consistency check.
func MustCheck(tb testing.TB, path string) {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		tb.Fatalf("database check: open %s: %v", path, err)
	}
	defer db.Close()
	if err := db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}); err != nil {
		tb.Fatalf("database check: %v", err)
	}
}

// MustOpenAt opens the store at path, an existing file (a restored backup, a database a
// binary under test has written) or a new one, and like MustOpenStore closes it and checks the
// file when the test ends.
func MustOpenAt(tb testing.TB, path string) *storage.Store {
	tb.Helper()
	st, err := storage.Open(path)
	if err != nil {
		tb.Fatalf("open store %s: %v", path, err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
		MustCheck(tb, path)
	})
	return st
}

// Custodians are the custodians OpenSurvey names: three, two of whom close.
var Custodians = storage.Custodians{Names: []string{"人事課長", "職員組合代表", "監査担当"}, Threshold: 2}

// issued keeps the shares OpenSurvey was given, per store and survey, for CloseSurvey: in
// tests only — the program itself never keeps a share.
var issued sync.Map // issuedKey → []ballot.Share

type issuedKey struct {
	st *storage.Store
	id string
}

// OpenSurvey opens survey id of st with Custodians and remembers its shares for CloseSurvey.
func OpenSurvey(st *storage.Store, id string) error {
	box, err := st.OpenSurvey(id, Custodians)
	if err != nil {
		return err
	}
	issued.Store(issuedKey{st, id}, box.Shares)
	return nil
}

// Shares returns the shares OpenSurvey was given for survey id of st (nil: none).
func Shares(st *storage.Store, id string) []ballot.Share {
	v, _ := issued.Load(issuedKey{st, id})
	shares, _ := v.([]ballot.Share)
	return shares
}

// CloseSurvey closes survey id of st with the shares OpenSurvey was given (a draft needs none).
func CloseSurvey(st *storage.Store, id string) error {
	shares := Shares(st, id)
	if len(shares) > Custodians.Threshold {
		shares = shares[len(shares)-Custodians.Threshold:]
	}
	return st.CloseSurvey(id, shares)
}

// Unseal calls fn for every sealed response of open survey id of st, opened with the key that
// shares rebuild (or a key file of an earlier version), in random order: what the custodians
// could do together, for tests that check what was stored. No page or command can call it.
func Unseal(st *storage.Store, id string, shares []ballot.Share, fn func(*survey.Response) error) error {
	return testpath.Unseal(st, id, shares, fn)
}

// SubmitAll is st.Submit for many tokens and responses at once (tokens[i] answers rs[i]), in
// one transaction, all or none: it loads large surveys quickly for tests and benchmarks.
func SubmitAll(st *storage.Store, tokens []string, rs []*survey.Response) error {
	return testpath.SubmitAll(st, tokens, rs)
}

// OpenReadTransactions is the number of read transactions st holds open now.
func OpenReadTransactions(st *storage.Store) int { return testpath.OpenReadTransactions(st) }

// CloseSteps makes every close of the process call fn at the end of each of its steps with the
// step's name ("open", "tokens", "commit", "compact", …), so that a benchmark can time them;
// nil stops it. Set it only while no close runs.
func CloseSteps(fn func(step string)) { testpath.CloseSteps(fn) }
