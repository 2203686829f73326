package storage_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// MustOpenStore opens a store in a temporary directory and checks the database's consistency
// when the test ends (the one helper every package's tests use).
var MustOpenStore = storagetest.MustOpenStore

// mustFixture parses fixture-2025.yaml (min_group_size 5).
func mustFixture(tb testing.TB) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.LoadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// mustOpenSurvey stores the fixture questionnaire as an open survey.
func mustOpenSurvey(tb testing.TB, st *storage.Store) *survey.Questionnaire {
	tb.Helper()
	q := mustFixture(tb)
	if err := st.CreateSurvey(q); err != nil {
		tb.Fatal(err)
	}
	if err := storagetest.OpenSurvey(st, q.ID); err != nil {
		tb.Fatal(err)
	}
	return q
}

func answered(q *survey.Questionnaire, section string, v int8) *survey.Response {
	r := survey.NewResponse(q, section)
	for i := range r.Answers {
		r.Answers[i] = v
	}
	r.Satisfaction, r.ENPS = v, 7
	r.Comments[0] = "朝礼での情報共有が役立っている"
	return r
}

func code(err error) string { return survey.ErrorCode(err) }

func TestLifecycle(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(q); code(err) != survey.ECONFLICT {
		t.Fatalf("second create: got %v; want %s", err, survey.ECONFLICT)
	}
	open := func() error { return storagetest.OpenSurvey(st, q.ID) }
	closeIt := func() error { return storagetest.CloseSurvey(st, q.ID) }
	steps := []struct {
		name string
		do   func() error
		want string // error code, "" for success
	}{
		{"open", open, ""},
		{"open again", open, survey.ESTATE},
		{"close", closeIt, ""},
		{"close again", closeIt, survey.ESTATE},
		{"reopen", open, survey.ESTATE}, // never reopened: results have been seen
	}
	for _, s := range steps {
		if got := code(s.do()); got != s.want {
			t.Errorf("%s: got %q; want %q", s.name, got, s.want)
		}
	}
	if got := code(storagetest.OpenSurvey(st, "nope")); got != survey.ENOTFOUND {
		t.Errorf("unknown survey: got %q; want %q", got, survey.ENOTFOUND)
	}
	sv, err := st.Survey(q.ID)
	if err != nil || sv.State != survey.StateClosed {
		t.Fatalf("got %v, %v; want closed", sv, err)
	}
}

func TestIssueTokens(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	tests := []struct {
		name    string
		section string
		n       int
		want    string
	}{
		{"leaf", "soumu-a", 3, ""},
		{"leaf without children at the top", "madoguchi", 2, ""},
		{"parent section", "soumu", 1, survey.EINVALID},
		{"root", survey.Root, 1, survey.EINVALID},
		{"unknown section", "nope", 1, survey.EINVALID},
		{"zero", "soumu-a", 0, survey.EINVALID},
		{"too many", "soumu-a", survey.MaxTokensPerIssue + 1, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, err := st.IssueTokens(q.ID, tt.section, tt.n)
			if got := code(err); got != tt.want {
				t.Fatalf("got %q; want %q", got, tt.want)
			}
			if err == nil && len(toks) != tt.n {
				t.Fatalf("got %d tokens; want %d", len(toks), tt.n)
			}
		})
	}
	counts, err := st.TokenCounts(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := counts["soumu-a"]; got != (storage.TokenCount{Issued: 3}) {
		t.Errorf("counts: got %+v; want 3 issued", got)
	}
}

func TestSubmit(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	toks, err := st.IssueTokens(q.ID, "soumu-a", 3)
	if err != nil {
		t.Fatal(err)
	}
	bad := answered(q, "", 4)
	bad.Answers[0] = 9
	if got := code(st.Submit(toks[0], bad)); got != survey.EINVALID {
		t.Fatalf("invalid: got %q; want %q", got, survey.EINVALID)
	}
	// The invalid submission left the token unused.
	if _, err := st.Redeemable(toks[0]); err != nil {
		t.Fatalf("after invalid submit: %v", err)
	}
	if err := st.Submit(toks[0], answered(q, "ignored", 4)); err != nil {
		t.Fatal(err)
	}
	if got := code(st.Submit(toks[0], answered(q, "", 4))); got != survey.ECONFLICT {
		t.Fatalf("reuse: got %q; want %q", got, survey.ECONFLICT)
	}
	if got := code(st.Submit("not-a-token", answered(q, "", 4))); got != survey.ENOTFOUND {
		t.Fatalf("malformed: got %q; want %q", got, survey.ENOTFOUND)
	}
	if got := code(st.Submit(survey.NewToken(), answered(q, "", 4))); got != survey.ENOTFOUND {
		t.Fatalf("unknown: got %q; want %q", got, survey.ENOTFOUND)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	if got := code(st.Submit(toks[1], answered(q, "", 4))); got != survey.EGONE {
		t.Fatalf("closed: got %q; want %q", got, survey.EGONE)
	}
	// One respondent in the whole organisation: closing generalises the section to the root
	// (docs/anonymity.md, rule 4); the recorded counts keep the token's section.
	var n int
	err = st.EachResponse(q.ID, func(r *survey.Response) error {
		n++
		if r.Section != survey.Root {
			t.Errorf("section: got %q; want %q", r.Section, survey.Root)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("got %d responses, %v; want 1", n, err)
	}
	if own, err := st.SectionCounts(q.ID); err != nil || len(own) != 1 || own["soumu-a"] != 1 {
		t.Errorf("section counts: got %v, %v; want soumu-a: 1", own, err)
	}
	counts, _ := st.TokenCounts(q.ID)
	if got := counts["soumu-a"]; got != (storage.TokenCount{Issued: 3, Used: 1}) {
		t.Errorf("counts: got %+v; want 3 issued, 1 used", got)
	}
}

// TestSubmitRace sends the same token from many goroutines at once: exactly one wins.
func TestSubmitRace(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	toks, err := st.IssueTokens(q.ID, "shimin-a", 20)
	if err != nil {
		t.Fatal(err)
	}
	var ok, used atomic.Int32
	var wg sync.WaitGroup
	for _, tok := range toks {
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch err := st.Submit(tok, answered(q, "", 3)); code(err) {
				case "":
					ok.Add(1)
				case survey.ECONFLICT:
					used.Add(1)
				default:
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	if ok.Load() != 20 || used.Load() != 20*15 {
		t.Fatalf("got %d stored, %d refused; want 20 and %d", ok.Load(), used.Load(), 20*15)
	}
	sv, _ := st.Survey(q.ID)
	if sv.Responses != 20 {
		t.Fatalf("got %d responses; want 20", sv.Responses)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	good := answered(q, "soumu-a", 2)
	bad := answered(q, "soumu", 2) // not a leaf
	if got := code(st.Import(q.ID, []*survey.Response{good, bad})); got != survey.EINVALID {
		t.Fatalf("got %q; want %q", got, survey.EINVALID)
	}
	if sv, _ := st.Survey(q.ID); sv.Responses != 0 {
		t.Fatalf("got %d stored after a failed import; want 0", sv.Responses)
	}
	if err := st.Import(q.ID, []*survey.Response{good}); err != nil {
		t.Fatal(err)
	}
	storagetest.OpenSurvey(st, q.ID)
	if got := code(st.Import(q.ID, []*survey.Response{good})); got != survey.ESTATE {
		t.Fatalf("import into open: got %q; want %q", got, survey.ESTATE)
	}
}

func TestOpenBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	st := storagetest.MustOpenAt(t, path)
	defer st.Close()
	// bbolt's flock is per open file description, so a second Open in the same process
	// contends like another process would.
	if _, err := storage.Open(path); code(err) != survey.EBUSY {
		t.Fatalf("got %v; want %s", err, survey.EBUSY)
	}
}

func TestBackup(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	toks, _ := st.IssueTokens(q.ID, "madoguchi", 1)
	if err := st.Submit(toks[0], answered(q, "", 5)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := st.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	restored := storagetest.MustOpenAt(t, path)
	defer restored.Close()
	sv, err := restored.Survey(q.ID)
	if err != nil || sv.Responses != 1 {
		t.Fatalf("restored: got %v, %v; want 1 response", sv, err)
	}
	// Without the participation key the copy cannot tell a used token from an unused one, so
	// it takes no answer at all rather than a second one from the same token.
	if err := restored.Submit(toks[0], answered(q, "", 5)); code(err) != survey.EINTERNAL || !strings.Contains(err.Error(), "participation key") {
		t.Fatalf("token after restore without the key: got %v; want the missing key named", err)
	}
	if _, err := os.Stat(storage.ParticipationKeyPath(path)); err == nil {
		t.Fatal("a copy without the key made a new one")
	}
	key, err := os.ReadFile(storage.ParticipationKeyPath(st.Path()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(storage.ParticipationKeyPath(path), key, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := code(restored.Submit(toks[0], answered(q, "", 5))); got != survey.ECONFLICT {
		t.Fatalf("token after restore with the key: got %q; want used", got)
	}
}

// TestNoLinkInFile reads the raw database after real use and checks that no token, token
// hash or time sits in or beside a response record.
func TestNoLinkInFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "anon.db")
	st := storagetest.MustOpenAt(t, path)
	q := mustOpenSurvey(t, st)
	toks, _ := st.IssueTokens(q.ID, "soumu-b", 5)
	for _, tok := range toks {
		if err := st.Submit(tok, answered(q, "", 4)); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		if bytes.Contains(raw, []byte(tok)) {
			t.Fatalf("token %s found in the database file", tok)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("responses")).Bucket([]byte(q.ID))
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 16 || k[6]>>4 != 4 {
				t.Errorf("response key %x is not a random UUIDv4", k)
			}
			var r survey.Response
			if err := r.UnmarshalBinary(v); err != nil {
				return err
			}
			// Re-encoding what we decoded gives back the record byte for byte: it holds
			// nothing but the section, the answers and the comments.
			again, _ := r.MarshalBinary()
			if !bytes.Equal(again, v) {
				t.Errorf("record %x holds more than section, answers and comments", k)
			}
			for _, tok := range toks {
				if bytes.Contains(v, []byte(tok)) {
					t.Errorf("record holds a token")
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// The token bucket holds hashes with a used flag and a section: no time.
	err = db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("tokens")).Bucket([]byte(q.ID)).ForEach(func(k, v []byte) error {
			if len(k) != 32 || string(v[1:]) != "soumu-b" || v[0] > 1 {
				t.Errorf("token record %x=%q holds more than a used flag and the section", k, v)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestResponseEncoding(t *testing.T) {
	q := mustFixture(t)
	r := answered(q, "hoken-a", 2)
	r.Answers[3] = survey.NA
	r.ENPS = 0
	r.Comments[0] = ""
	data, err := r.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got survey.Response
	got.Survey = q.ID
	if err := got.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if err := got.Validate(q); err != nil {
		t.Fatal(err)
	}
	if got.Section != r.Section || !bytes.Equal(int8s(got.Answers), int8s(r.Answers)) || got.ENPS != 0 || got.Comments[0] != "" {
		t.Fatalf("got %+v; want %+v", got, *r)
	}
	for i := range data {
		var x survey.Response
		if err := x.UnmarshalBinary(data[:i]); err == nil {
			t.Fatalf("truncated record of %d bytes decoded without error", i)
		}
	}
}

func int8s(xs []int8) []byte {
	b := make([]byte, len(xs))
	for i, x := range xs {
		b[i] = byte(x)
	}
	return b
}

func TestErrorMessages(t *testing.T) {
	err := error(survey.Errorf(survey.ENOTFOUND, "調査 %q はありません", "no survey %q", "x"))
	var e *survey.Error
	if !errors.As(err, &e) || e.Message.JA != `調査 "x" はありません` {
		t.Fatalf("got %v", err)
	}
	if got := survey.ErrorMessage(errors.New("disk on fire")).JA; got == "disk on fire" {
		t.Fatal("internal detail leaked into a user message")
	}
}
