package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// TestMoveUsedFlags: a database written by an earlier version keeps a used flag in the token's
// record, and no participation key. At the first use of the key the flags become used marks,
// the tokens stay used, and the file (free pages included) no longer holds a flag.
func TestMoveUsedFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	q, err := survey.LoadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	leaf := q.Leaves()[0]
	toks, err := st.IssueTokens(q.ID, leaf, 3)
	if err != nil {
		t.Fatal(err)
	}
	// What the earlier version wrote on use: the flag in the record.
	if err := st.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).Bucket([]byte(q.ID)).Put(survey.HashToken(toks[0]), tokenValue(true, leaf))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenSurvey(q.ID, Custodians{Names: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ParticipationKeyPath(path)); err == nil {
		t.Fatal("a key file before any use")
	}
	if _, err := st.Redeemable(toks[0]); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("a token used under the earlier version: %v; want conflict", err)
	}
	if _, err := st.Redeemable(toks[1]); err != nil {
		t.Fatalf("an unused token: %v", err)
	}
	counts, _ := st.TokenCounts(q.ID)
	if c := counts[leaf]; c.Issued != 3 || c.Used != 1 {
		t.Fatalf("counts: %+v; want 3 issued, 1 used", c)
	}
	st.Close()
	raw, _ := os.ReadFile(path)
	for i := 0; ; {
		j := bytes.Index(raw[i:], survey.HashToken(toks[0]))
		if j < 0 {
			break
		}
		i += j + 32
		if raw[i] != tokenUnused {
			t.Fatalf("the file still holds the earlier version's used flag (state %d)", raw[i])
		}
	}
}
