// Package storagetest opens stores for tests: one helper for every package whose tests need a
// database, so that each of them ends with bbolt's consistency check.
package storagetest

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey/storage"
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
