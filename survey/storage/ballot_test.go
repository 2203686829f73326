package storage_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// ballotCounts are respondents per leaf of the fixture tree (k 5, comment k 10): soumu-b and
// hoken-a, hoken-b are below k, shimin-b, shimin-c below the comment size.
var ballotCounts = map[string]int{
	"soumu-a": 12, "soumu-b": 3, "shimin-a": 11, "shimin-b": 6, "shimin-c": 7,
	"madoguchi": 15, "hoken-a": 2, "hoken-b": 2, "kikaku": 9,
}

// ballot is a store path with an open fixture survey and one submitted response per entry of
// ballotCounts, each with a unique marker comment; markers maps each marker to its leaf.
type ballot struct {
	path    string
	st      *storage.Store
	q       *survey.Questionnaire
	markers map[string]string
	used    []string // tokens used
	unused  []string
}

func newBallot(t *testing.T) *ballot {
	t.Helper()
	b := &ballot{path: filepath.Join(t.TempDir(), "ballot.db"), markers: map[string]string{}}
	var err error
	if b.st, err = storage.Open(b.path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // b.st is the store of the end of the test, however often it was reopened
		b.st.Close()
		storagetest.MustCheck(t, b.path)
	})
	b.q = mustOpenSurvey(t, b.st)
	for _, leaf := range slices.Sorted(maps.Keys(ballotCounts)) {
		toks, err := b.st.IssueTokens(b.q.ID, leaf, ballotCounts[leaf]+1)
		if err != nil {
			t.Fatal(err)
		}
		for i, tok := range toks[:ballotCounts[leaf]] {
			r := answered(b.q, "", int8(1+i%5))
			marker := fmt.Sprintf("MARK-%s-%03d", leaf, i)
			r.Comments[0] = marker
			b.markers[marker] = leaf
			if err := b.st.Submit(tok, r); err != nil {
				t.Fatal(err)
			}
			b.used = append(b.used, tok)
		}
		b.unused = append(b.unused, toks[ballotCounts[leaf]])
	}
	return b
}

func (b *ballot) raw(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(b.path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func (b *ballot) keyFile() string { return filepath.Join(storage.KeyDir(b.path), b.q.ID+".key") }

// TestSealedWhileOpen: while the survey is open, the file holds no marker, and the key file is
// private and outside it.
func TestSealedWhileOpen(t *testing.T) {
	b := newBallot(t)
	raw := b.raw(t)
	for m := range b.markers {
		if bytes.Contains(raw, []byte(m)) {
			t.Fatalf("marker %s in the file of an open survey", m)
		}
	}
	key, err := os.ReadFile(b.keyFile())
	if err != nil || len(key) != 32 {
		t.Fatalf("key file: %d bytes, %v", len(key), err)
	}
	if bytes.Contains(raw, key) {
		t.Fatal("the ballot key is in the database file")
	}
	for _, tt := range []struct {
		path string
		want fs.FileMode
	}{{storage.KeyDir(b.path), fs.ModeDir | 0o700}, {b.keyFile(), 0o600}} {
		fi, err := os.Stat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode() & (fs.ModeDir | fs.ModePerm); got != tt.want {
			t.Errorf("%s: got mode %v; want %v", tt.path, got, tt.want)
		}
	}
	// Every sealed record has the same length: the responses differ only in section and answers.
	b.st.Close()
	db, err := bolt.Open(b.path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sizes := map[int]int{}
	db.View(func(tx *bolt.Tx) error {
		if n := tx.Bucket([]byte("responses")).Bucket([]byte(b.q.ID)).Stats().KeyN; n != 0 {
			t.Errorf("%d open records while the survey is open; want 0", n)
		}
		return tx.Bucket([]byte("ballots")).Bucket([]byte(b.q.ID)).ForEach(func(k, v []byte) error {
			sizes[len(v)]++
			if len(k) != 16 || k[6]>>4 != 4 {
				t.Errorf("sealed record key %x is not a random UUIDv4", k)
			}
			return nil
		})
	})
	if len(sizes) != 1 {
		t.Errorf("sealed record sizes %v; want one size class", sizes)
	}
}

// TestCloseOpensBox: closing opens every response generalised, keeps the true counts,
// destroys the key, leaves each marker once in the file and tokens that say nothing.
func TestCloseOpensBox(t *testing.T) {
	b := newBallot(t)
	if err := b.st.SetState(b.q.ID, survey.StateClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.keyFile()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("key file after close: %v; want gone", err)
	}
	if _, err := os.Stat(b.path + ".compact"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("compaction file left behind: %v", err)
	}
	g := survey.Generalise(b.q, ballotCounts)
	got, want := map[string]int{}, map[string]int{}
	for leaf, n := range ballotCounts {
		want[g.Section(leaf)] += n
	}
	attached := map[string]string{}
	err := b.st.EachResponse(b.q.ID, func(r *survey.Response) error {
		got[r.Section]++
		if r.Comments[0] != "" {
			attached[r.Comments[0]] = r.Section
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored sections %v; want %v", got, want)
	}
	detached := map[string]string{}
	b.st.EachComment(b.q.ID, func(section string, question int, text string) error {
		detached[text] = section
		return nil
	})
	raw := b.raw(t)
	for m, leaf := range b.markers {
		if n := bytes.Count(raw, []byte(m)); n != 1 {
			t.Errorf("marker %s occurs %d times in the file; want 1", m, n)
		}
		sec, att := attached[m]
		if !att {
			sec = detached[m]
		}
		if wantSec, wantAtt := g.Comments(leaf), g.Comments(leaf) == g.Section(leaf); sec != wantSec || att != wantAtt {
			t.Errorf("comment of %s under %s (with its answers: %v); want %s (%v)", leaf, sec, att, wantSec, wantAtt)
		}
	}
	if own, err := b.st.SectionCounts(b.q.ID); err != nil || fmt.Sprint(own) != fmt.Sprint(ballotCounts) {
		t.Errorf("section counts %v, %v; want %v", own, err, ballotCounts)
	}
	// Every token, used or not, gets the same answer; the counts survive.
	for _, tok := range append(append([]string{}, b.used[:3]...), b.unused[:3]...) {
		if _, err := b.st.Redeemable(tok); err != survey.ErrNotOpen {
			t.Errorf("token after close: got %v; want ErrNotOpen", err)
		}
	}
	counts, _ := b.st.TokenCounts(b.q.ID)
	if c := counts["soumu-b"]; c != (storage.TokenCount{Issued: 4, Used: 3}) {
		t.Errorf("token counts of soumu-b: %+v; want 4 issued, 3 used", c)
	}
	b.st.Close()
	db, err := bolt.Open(b.path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if n := tx.Bucket([]byte("ballots")).Bucket([]byte(b.q.ID)).Stats().KeyN; n != 0 {
			t.Errorf("%d sealed records after close; want 0", n)
		}
		return tx.Bucket([]byte("tokens")).Bucket([]byte(b.q.ID)).ForEach(func(k, v []byte) error {
			if v[0] != 2 {
				t.Errorf("token %x still says used=%d after close", k, v[0])
			}
			return nil
		})
	})
}

// TestCloseResumes: a close stopped after the box is opened (as by a crash) leaves the
// survey closed and closing with its key; closing again finishes.
func TestCloseResumes(t *testing.T) {
	b := newBallot(t)
	storage.SetHookAfterOpen(func() error { return errors.New("crash") })
	err := b.st.SetState(b.q.ID, survey.StateClosed)
	storage.SetHookAfterOpen(nil)
	if err == nil {
		t.Fatal("hooked close: got nil; want the crash")
	}
	sv, _ := b.st.Survey(b.q.ID)
	if sv.State != survey.StateClosed || !sv.Closing {
		t.Fatalf("after the crash: state %s closing %v; want closed and closing", sv.State, sv.Closing)
	}
	if _, err := os.Stat(b.keyFile()); err != nil {
		t.Fatalf("key after the crash: %v; want still there", err)
	}
	if err := b.st.FinishClosing(); err != nil {
		t.Fatal(err)
	}
	sv, _ = b.st.Survey(b.q.ID)
	if sv.Closing {
		t.Error("still closing after FinishClosing")
	}
	if _, err := os.Stat(b.keyFile()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("key after finishing: %v; want gone", err)
	}
	n := 0
	b.st.EachResponse(b.q.ID, func(*survey.Response) error { n++; return nil })
	if n != len(b.used) {
		t.Errorf("got %d responses; want %d", n, len(b.used))
	}
	if err := b.st.SetState(b.q.ID, survey.StateClosed); survey.ErrorCode(err) != survey.ESTATE {
		t.Errorf("closing a closed survey: got %v; want ESTATE", err)
	}
}

// TestCloseWithoutKey: with the key file gone, closing fails, changes nothing, and works once
// the key is back.
func TestCloseWithoutKey(t *testing.T) {
	b := newBallot(t)
	key, _ := os.ReadFile(b.keyFile())
	b.st.Close()
	if err := os.Remove(b.keyFile()); err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(b.path) // a fresh process: no key in memory
	if err != nil {
		t.Fatal(err)
	}
	b.st = st
	err = st.SetState(b.q.ID, survey.StateClosed)
	var se *survey.Error
	if !errors.As(err, &se) || se.Code != survey.ESTATE || se.Message.JA == "" || se.Message.EN == "" {
		t.Fatalf("close without key: got %v; want ESTATE with both messages", err)
	}
	if sv, _ := st.Survey(b.q.ID); sv.State != survey.StateOpen || sv.Responses != len(b.used) {
		t.Fatalf("after the failed close: %s with %d responses; want open with %d", sv.State, sv.Responses, len(b.used))
	}
	// Another key of the right size does not open the records: refused, nothing changed.
	if err := os.WriteFile(b.keyFile(), bytes.Repeat([]byte{1}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = storage.Open(b.path); err != nil {
		t.Fatal(err)
	}
	b.st = st
	if err := st.SetState(b.q.ID, survey.StateClosed); !errors.As(err, &se) || se.Code != survey.ESTATE {
		t.Fatalf("close with a wrong key: got %v; want ESTATE", err)
	}
	if sv, _ := st.Survey(b.q.ID); sv.State != survey.StateOpen {
		t.Fatalf("after the wrong key: %s; want open", sv.State)
	}
	// Nor is anything sealed with it: a submission is refused and leaves its token unused.
	if err := st.Submit(b.unused[0], answered(b.q, "", 3)); survey.ErrorCode(err) != survey.EINTERNAL {
		t.Fatalf("submit with a wrong key: got %v; want EINTERNAL", err)
	}
	if _, err := st.Redeemable(b.unused[0]); err != nil {
		t.Fatalf("token after the refused submission: %v; want unused", err)
	}
	if err := os.WriteFile(b.keyFile(), key, 0o600); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = storage.Open(b.path); err != nil {
		t.Fatal(err)
	}
	b.st = st
	if err := st.SetState(b.q.ID, survey.StateClosed); err != nil {
		t.Fatal(err)
	}
	n := 0
	st.EachResponse(b.q.ID, func(*survey.Response) error { n++; return nil })
	if n != len(b.used) {
		t.Errorf("got %d responses; want %d", n, len(b.used))
	}
}

// TestImportGeneralised: imported responses are stored generalised like closed ones, and an
// appended import moves earlier ones up when the new counts hide their group.
func TestImportGeneralised(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	var rs []*survey.Response
	for range 6 {
		rs = append(rs, answered(q, "kikaku", 3))
	}
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	sections := func() map[string]int {
		out := map[string]int{}
		st.EachResponse(q.ID, func(r *survey.Response) error { out[r.Section]++; return nil })
		return out
	}
	// all(6) → kikaku(6): kikaku is shown.
	if got := sections(); got["kikaku"] != 6 || len(got) != 1 {
		t.Fatalf("first import: %v; want kikaku: 6", got)
	}
	// all(8) → kikaku(6), madoguchi(2): madoguchi is hidden, so all's remainder is 2 and
	// kikaku goes too: everything under all.
	if err := st.Import(q.ID, []*survey.Response{answered(q, "madoguchi", 3), answered(q, "madoguchi", 3)}); err != nil {
		t.Fatal(err)
	}
	if got := sections(); got["all"] != 8 || len(got) != 1 {
		t.Fatalf("appended import: %v; want all: 8", got)
	}
	if own, _ := st.SectionCounts(q.ID); own["kikaku"] != 6 || own["madoguchi"] != 2 {
		t.Errorf("counts: %v; want kikaku 6, madoguchi 2", own)
	}
}

// TestUpgradeOpenSurvey: a survey opened by a version without the ballot box has no key and
// its responses stored unsealed. After the upgrade, staff go on answering (the survey gets its
// key at the first submission), and closing opens, counts and generalises old and new alike.
func TestUpgradeOpenSurvey(t *testing.T) {
	b := newBallot(t)
	legacy := answered(b.q, "madoguchi", 2)
	legacy.Comments[0] = "LEGACY-MARKER"
	b.st.Close()
	// Make it look like the old version's file: no key, no key check, one unsealed record.
	if err := os.RemoveAll(storage.KeyDir(b.path)); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(b.path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte("meta")).Delete([]byte("ballot-key-check/" + b.q.ID)); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("ballots")).DeleteBucket([]byte(b.q.ID)); err != nil {
			return err
		}
		data, _ := legacy.MarshalBinary()
		return tx.Bucket([]byte("responses")).Bucket([]byte(b.q.ID)).Put(bytes.Repeat([]byte{9}, 16), data)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	st := storagetest.MustOpenAt(t, b.path)
	b.st = st
	if err := st.Submit(b.unused[0], answered(b.q, "", 3)); err != nil {
		t.Fatalf("submit after the upgrade: %v", err)
	}
	if _, err := os.Stat(b.keyFile()); err != nil {
		t.Fatalf("key after the first sealed submission: %v", err)
	}
	if err := st.SetState(b.q.ID, survey.StateClosed); err != nil {
		t.Fatal(err)
	}
	n, found := 0, false
	st.EachResponse(b.q.ID, func(r *survey.Response) error {
		n++
		found = found || r.Comments[0] == "LEGACY-MARKER"
		return nil
	})
	if n != 2 || !found {
		t.Errorf("after close: %d responses, legacy one found %v; want 2, true", n, found)
	}
	own, _ := st.SectionCounts(b.q.ID)
	total := 0
	for _, c := range own {
		total += c
	}
	if total != 2 || own["madoguchi"] != 1 {
		t.Errorf("counts %v; want 2 respondents, madoguchi 1", own)
	}
}

// TestUpgradeCloseWithoutKey: a survey opened before the ballot box that nobody answered
// since the upgrade has no key at all, and closes all the same.
func TestUpgradeCloseWithoutKey(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	st.Close()
	os.RemoveAll(storage.KeyDir(st.Path()))
	db, err := bolt.Open(st.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Delete([]byte("ballot-key-check/" + q.ID)) })
	db.Close()
	st2, err := storage.Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if err := st2.SetState(q.ID, survey.StateClosed); err != nil {
		t.Fatalf("close of an upgraded survey with nothing sealed: %v", err)
	}
}
