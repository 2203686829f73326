package storage

import (
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// TestStateMemo: the remembered decoding of a survey's state never stands for a record that is
// not the one stored — after a write rolled back, after a write from outside (the file changed
// behind it), for another survey — and a state with token counts is never shared between reads.
func TestStateMemo(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	get := func(id string) surveyState {
		t.Helper()
		var s surveyState
		if err := st.db.View(func(tx *bolt.Tx) (err error) { s, err = getState(tx, id); return err }); err != nil {
			t.Fatal(err)
		}
		return s
	}
	put := func(id string, s surveyState, fail bool) {
		t.Helper()
		err := st.db.Update(func(tx *bolt.Tx) error {
			if err := putState(tx, id, s); err != nil {
				return err
			}
			if fail {
				return errors.New("roll back")
			}
			return nil
		})
		if (err != nil) != fail {
			t.Fatal(err)
		}
	}
	put("a", surveyState{State: survey.StateOpen, Revision: 1}, false)
	put("b", surveyState{State: survey.StateOpen, Revision: 7}, false)
	if s := get("a"); s.Revision != 1 {
		t.Fatalf("a: revision %d; want 1", s.Revision)
	}
	put("a", surveyState{State: survey.StateOpen, Revision: 2}, true)
	if s := get("a"); s.Revision != 1 {
		t.Fatalf("a after a rolled-back write: revision %d; want 1", s.Revision)
	}
	if err := st.db.Update(func(tx *bolt.Tx) error { // not through putState
		return tx.Bucket(bucketStates).Put([]byte("a"), []byte(`{"state":"closed","revision":3,"responses":5}`))
	}); err != nil {
		t.Fatal(err)
	}
	if s := get("a"); s.State != survey.StateClosed || s.Revision != 3 || s.Responses != 5 {
		t.Fatalf("a written from outside: %+v", s)
	}
	if s := get("b"); s.Revision != 7 {
		t.Fatalf("b: revision %d; want 7", s.Revision)
	}
	put("c", surveyState{State: survey.StateClosed, Tokens: map[string]TokenCount{"x": {Issued: 2}}}, false)
	first := get("c")
	first.Tokens["x"] = TokenCount{Issued: 99}
	if s := get("c"); s.Tokens["x"].Issued != 2 {
		t.Fatalf("c's token counts changed by an earlier reader: %+v", s.Tokens)
	}
}
