package storage_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// stateAfter returns the byte that follows each occurrence of h in raw: in a bbolt leaf page a
// key is followed by its value, and a token's value starts with its state. It is what an attacker
// with a hex editor, the slip list and a copy of the file reads, free pages included.
func stateAfter(raw, h []byte) []byte {
	var out []byte
	for i := 0; ; {
		j := bytes.Index(raw[i:], h)
		if j < 0 {
			return out
		}
		i += j + len(h)
		if i < len(raw) {
			out = append(out, raw[i])
		}
	}
}

// TestBackupsHideUsedTokens: backups taken between answers — the web download, a copy of the
// file — never tell which tokens were used, even read byte by byte with every token known: a
// token's record is the same in every copy, before and after its use. Only the per-section
// counts move.
func TestBackupsHideUsedTokens(t *testing.T) {
	st := storagetest.MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	toks, err := st.IssueTokens(q.ID, "madoguchi", 8)
	if err != nil {
		t.Fatal(err)
	}
	var copies [][]byte
	backup := func() {
		var buf bytes.Buffer
		if _, err := st.Backup(&buf); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, buf.Bytes())
	}
	backup()
	for _, tok := range toks[:5] {
		if err := st.Submit(tok, answered(q, "", 4)); err != nil {
			t.Fatal(err)
		}
		backup()
	}
	file, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	copies = append(copies, file)
	for _, tok := range toks {
		h := survey.HashToken(tok)
		var seen []byte
		for i, raw := range copies {
			states := stateAfter(raw, h)
			if len(states) == 0 {
				t.Fatalf("copy %d: token hash not found (the test reads the wrong thing)", i)
			}
			for _, s := range states {
				if seen == nil {
					seen = []byte{s}
				}
				if s != seen[0] {
					t.Errorf("token %s: its record changed between copies (state %d, then %d)", tok, seen[0], s)
				}
			}
		}
		// No other record is keyed by something computable from the token without the key.
		for _, raw := range copies {
			hh := survey.HashToken(string(h))
			if bytes.Contains(raw, hh) {
				t.Errorf("a copy holds SHA-256 of the token's hash")
			}
		}
	}

	// The last copy, restored without the key beside it: counts per section, nothing more.
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, copies[len(copies)-2], 0o600); err != nil {
		t.Fatal(err)
	}
	restored := storagetest.MustOpenAt(t, path)
	counts, err := restored.TokenCounts(q.ID)
	if err != nil || counts["madoguchi"].Issued != 8 || counts["madoguchi"].Used != 5 {
		t.Fatalf("counts of the copy: %v, %v; want 8 issued, 5 used", counts, err)
	}
	for _, tok := range toks {
		if _, err := restored.Redeemable(tok); survey.ErrorCode(err) != survey.EINTERNAL {
			t.Errorf("the copy without the key judged token %s: %v; want no judgement", tok, err)
		}
	}
}

// TestParticipationKey: the key file is made once, mode 0600; used tokens stay used across a
// reopen; a key of another database is refused before any token is judged; closing leaves no
// used mark for the key to find.
func TestParticipationKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	st := storagetest.MustOpenAt(t, path)
	q := mustOpenSurvey(t, st)
	shares := storagetest.Shares(st, q.ID) // the store is reopened below: the custodians keep their shares
	toks, _ := st.IssueTokens(q.ID, "madoguchi", 3)
	if err := st.Submit(toks[0], answered(q, "", 4)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(storage.ParticipationKeyPath(path))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	key, _ := os.ReadFile(storage.ParticipationKeyPath(path))
	st.Close()

	st = storagetest.MustOpenAt(t, path)
	if _, err := st.Redeemable(toks[0]); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("used token after reopen: %v; want conflict", err)
	}
	if n, err := st.VoidTokens(q.ID, toks); n != 2 || err != nil {
		t.Fatalf("void: %d, %v; want the 2 unused ones voided", n, err)
	}
	st.Close()
	if again, _ := os.ReadFile(storage.ParticipationKeyPath(path)); !bytes.Equal(again, key) {
		t.Fatal("the key file changed")
	}

	// Another database's key in its place: refused, nothing judged.
	other := filepath.Join(dir, "b.db")
	ost := storagetest.MustOpenAt(t, other)
	oq := mustOpenSurvey(t, ost)
	otoks, _ := ost.IssueTokens(oq.ID, "madoguchi", 1)
	if err := ost.Submit(otoks[0], answered(oq, "", 4)); err != nil {
		t.Fatal(err)
	}
	ost.Close()
	otherKey, _ := os.ReadFile(storage.ParticipationKeyPath(other))
	if err := os.WriteFile(storage.ParticipationKeyPath(path), otherKey, 0o600); err != nil {
		t.Fatal(err)
	}
	st = storagetest.MustOpenAt(t, path)
	if _, err := st.Redeemable(toks[0]); survey.ErrorCode(err) != survey.EINTERNAL {
		t.Fatalf("with another database's key: %v; want it refused", err)
	}
	st.Close()
	if err := os.WriteFile(storage.ParticipationKeyPath(path), key, 0o600); err != nil {
		t.Fatal(err)
	}

	// Closing counts and forgets: the counts stay, the file no longer holds a used mark.
	st = storagetest.MustOpenAt(t, path)
	if err := st.CloseSurvey(q.ID, shares[:2]); err != nil {
		t.Fatal(err)
	}
	counts, _ := st.TokenCounts(q.ID)
	if c := counts["madoguchi"]; c.Issued != 1 || c.Used != 1 || c.Voided != 2 {
		t.Fatalf("counts after close: %+v; want 1 issued, 1 used, 2 voided", c)
	}
	st.Close()
	raw, _ := os.ReadFile(path)
	for _, tok := range toks {
		mark := hmacOf(key, survey.HashToken(tok))
		if bytes.Contains(raw, mark) {
			t.Errorf("the closed survey's file still holds the used mark of %s", tok)
		}
	}
}

func hmacOf(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}
