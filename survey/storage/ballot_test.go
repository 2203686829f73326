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
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
	bal "staffsurvey/survey/ballot"
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

// TestSealedWhileOpen: while the survey is open, the file holds no marker, nothing lies beside
// it, and every sealed record has the same size.
func TestSealedWhileOpen(t *testing.T) {
	b := newBallot(t)
	raw := b.raw(t)
	for m := range b.markers {
		if bytes.Contains(raw, []byte(m)) {
			t.Fatalf("marker %s in the file of an open survey", m)
		}
	}
	// Nothing beside the database but the participation key (which hides used marks from a copy
	// of the file and opens no answer): no ballot key file, no key folder (the private key is
	// only in the custodians' shares).
	entries, err := os.ReadDir(filepath.Dir(b.path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(b.path) && e.Name() != filepath.Base(storage.ParticipationKeyPath(b.path)) {
			t.Errorf("%s beside the database of an open survey; want nothing", e.Name())
		}
	}
	// No share's secret part is in the file.
	for _, sh := range storagetest.Shares(b.st, b.q.ID) {
		if bytes.Contains(raw, sh.Y[:16]) {
			t.Fatal("a share is in the database file")
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
	if err := storagetest.CloseSurvey(b.st, b.q.ID); err != nil {
		t.Fatal(err)
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
// survey closed and closing; closing again finishes, without shares.
func TestCloseResumes(t *testing.T) {
	b := newBallot(t)
	storage.SetHookAfterOpen(func() error { return errors.New("crash") })
	err := storagetest.CloseSurvey(b.st, b.q.ID)
	storage.SetHookAfterOpen(nil)
	if err == nil {
		t.Fatal("hooked close: got nil; want the crash")
	}
	sv, _ := b.st.Survey(b.q.ID)
	if sv.State != survey.StateClosed || !sv.Closing {
		t.Fatalf("after the crash: state %s closing %v; want closed and closing", sv.State, sv.Closing)
	}
	// Finishing needs no shares: the box is opened already.
	if err := b.st.FinishClosing(); err != nil {
		t.Fatal(err)
	}
	sv, _ = b.st.Survey(b.q.ID)
	if sv.Closing {
		t.Error("still closing after FinishClosing")
	}
	n := 0
	b.st.EachResponse(b.q.ID, func(*survey.Response) error { n++; return nil })
	if n != len(b.used) {
		t.Errorf("got %d responses; want %d", n, len(b.used))
	}
	if err := storagetest.CloseSurvey(b.st, b.q.ID); survey.ErrorCode(err) != survey.ESTATE {
		t.Errorf("closing a closed survey: got %v; want ESTATE", err)
	}
}

// TestCloseRefusesShares: a close with too few shares, the same share twice, another survey's
// share or an altered one is refused with a message saying why (Japanese first), and changes
// nothing: the survey stays open with its sealed records, byte for byte the same file; the
// right shares close it afterwards, from a fresh process.
func TestCloseRefusesShares(t *testing.T) {
	b := newBallot(t)
	shares := storagetest.Shares(b.st, b.q.ID)
	other := storagetest.MustOpenStore(t)
	oq := mustOpenSurvey(t, other)
	otherShares := storagetest.Shares(other, oq.ID)
	altered := shares[1]
	altered.Y[3] ^= 0x40
	before := b.raw(t)
	tests := []struct {
		name   string
		shares []bal.Share
		want   string // in the Japanese message
	}{
		{"no share", nil, "割符が足りません"},
		{"one of two", shares[:1], "割符が足りません"},
		{"the same share twice", []bal.Share{shares[0], shares[0]}, "2 回入力"},
		{"another survey's share", []bal.Share{shares[0], otherShares[1]}, "別の調査"},
		{"an altered share", []bal.Share{shares[0], altered}, "復元できません"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := b.st.CloseSurvey(b.q.ID, tt.shares)
			var se *survey.Error
			if !errors.As(err, &se) || !strings.Contains(se.Message.JA, tt.want) || se.Message.EN == "" {
				t.Fatalf("got %v; want a message with %q in Japanese and one in English", err, tt.want)
			}
			if sv, _ := b.st.Survey(b.q.ID); sv.State != survey.StateOpen || sv.Closing || sv.Responses != len(b.used) {
				t.Fatalf("after the refused close: %s (closing %v) with %d responses; want open with %d", sv.State, sv.Closing, sv.Responses, len(b.used))
			}
			if !bytes.Equal(b.raw(t), before) {
				t.Fatal("the refused close changed the database file")
			}
		})
	}
	// A typo is found when the share is typed, before any close.
	text := []byte(strings.ReplaceAll(shares[0].String(), "-", ""))
	text[7] = map[bool]byte{true: 'A', false: 'B'}[text[7] != 'A']
	if _, err := b.st.CheckShare(b.q.ID, string(text)); !strings.Contains(survey.ErrorMessage(err).JA, "打ち間違い") {
		t.Errorf("a typo'd share: got %v; want a typo named", err)
	}
	if _, err := b.st.CheckShare(b.q.ID, otherShares[0].String()); !strings.Contains(survey.ErrorMessage(err).JA, "別の調査") {
		t.Errorf("another survey's share: got %v; want it named", err)
	}
	if sh, err := b.st.CheckShare(b.q.ID, strings.ToLower(shares[2].String())); err != nil || sh != shares[2] {
		t.Errorf("the right share in lower case: %v", err)
	}
	b.st.Close()
	st, err := storage.Open(b.path) // a fresh process: nothing in memory
	if err != nil {
		t.Fatal(err)
	}
	b.st = st
	if err := st.CloseSurvey(b.q.ID, []bal.Share{shares[2], shares[0]}); err != nil {
		t.Fatal(err)
	}
	n := 0
	st.EachResponse(b.q.ID, func(*survey.Response) error { n++; return nil })
	if n != len(b.used) {
		t.Errorf("got %d responses; want %d", n, len(b.used))
	}
}

// TestKeyFileSurvey: a survey opened by the version before the custodians, with its AES key
// file beside the database, still takes answers and closes with the file, without shares; the
// file is removed at close. With the file gone, closing fails and changes nothing.
func TestKeyFileSurvey(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	if err := storage.OpenWithKeyFile(st, q.ID); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(storage.KeyDir(st.Path()), q.ID+".key")
	toks, _ := st.IssueTokens(q.ID, "kikaku", 3)
	for i, tok := range toks {
		r := answered(q, "", 3)
		r.Comments[0] = fmt.Sprintf("KEYFILE-MARKER-%d", i)
		if err := st.Submit(tok, r); err != nil {
			t.Fatal(err)
		}
	}
	if bb, err := st.BallotBox(q.ID); err != nil || bb == nil || !bb.KeyFile {
		t.Fatalf("ballot box of a key-file survey: %+v, %v; want KeyFile", bb, err)
	}
	key, _ := os.ReadFile(keyFile)
	os.Remove(keyFile)
	st.Close()
	st = storagetest.MustOpenAt(t, st.Path()) // a fresh process: no key in memory
	if err := st.CloseSurvey(q.ID, nil); survey.ErrorCode(err) != survey.ESTATE {
		t.Fatalf("close without the key file: %v; want ESTATE", err)
	}
	if sv, _ := st.Survey(q.ID); sv.State != survey.StateOpen {
		t.Fatalf("after the failed close: %s; want open", sv.State)
	}
	os.WriteFile(keyFile, key, 0o600)
	if err := st.CloseSurvey(q.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(keyFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("key file after close: %v; want gone", err)
	}
	n := 0
	st.EachResponse(q.ID, func(*survey.Response) error { n++; return nil })
	if n != 3 {
		t.Errorf("got %d responses; want 3", n)
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
// its responses stored unsealed. After the upgrade a new answer is refused (nothing may write
// a key file, and nobody holds shares of it) and leaves its token unused; closing, without
// shares, opens, counts and generalises the stored ones.
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
		if err := tx.Bucket([]byte("meta")).Delete([]byte("ballot-box/" + b.q.ID)); err != nil {
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
	if err := st.Submit(b.unused[0], answered(b.q, "", 3)); survey.ErrorCode(err) != survey.EINTERNAL {
		t.Fatalf("submit after the upgrade: %v; want refused", err)
	}
	if _, err := st.Redeemable(b.unused[0]); err != nil {
		t.Fatalf("token after the refused submission: %v; want unused", err)
	}
	if _, err := os.Stat(storage.KeyDir(b.path)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a key folder after the refused submission: %v", err)
	}
	if err := st.CloseSurvey(b.q.ID, nil); err != nil {
		t.Fatal(err)
	}
	n, found := 0, false
	st.EachResponse(b.q.ID, func(r *survey.Response) error {
		n++
		found = found || r.Comments[0] == "LEGACY-MARKER"
		return nil
	})
	if n != 1 || !found {
		t.Errorf("after close: %d responses, legacy one found %v; want 1, true", n, found)
	}
	own, _ := st.SectionCounts(b.q.ID)
	total := 0
	for _, c := range own {
		total += c
	}
	if total != 1 || own["madoguchi"] != 1 {
		t.Errorf("counts %v; want 1 respondent, madoguchi 1", own)
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
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Delete([]byte("ballot-box/" + q.ID)) })
	db.Close()
	st2, err := storage.Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if err := st2.CloseSurvey(q.ID, nil); err != nil {
		t.Fatalf("close of an upgraded survey with nothing sealed: %v", err)
	}
}

// importMoving imports 60 responses into kikaku and then, appended, two into madoguchi, which
// moves the first 60 up to "all" (see TestImportGeneralised); the first 60 carry markers.
func importMoving(t *testing.T, st *storage.Store, q *survey.Questionnaire) (second error, markers []string) {
	t.Helper()
	var rs []*survey.Response
	for i := range 60 {
		r := answered(q, "kikaku", 3)
		r.Comments[0] = fmt.Sprintf("IMPORT-MARKER-%03d", i)
		markers = append(markers, r.Comments[0])
		rs = append(rs, r)
	}
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	return st.Import(q.ID, []*survey.Response{answered(q, "madoguchi", 3), answered(q, "madoguchi", 3)}), markers
}

// TestImportInterruptedFinishes: an appended import stopped after its commit and before its
// compaction (as by kill -9) leaves the moved records' earlier versions in free pages and
// perhaps a half-written <db>.compact; the next Open compacts, so that neither survives.
func TestImportInterruptedFinishes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "import.db")
	st, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	storage.SetHookBeforeCompact(func() error { return errors.New("crash") })
	err, markers := importMoving(t, st, q)
	storage.SetHookBeforeCompact(nil)
	if err == nil {
		t.Fatal("hooked import: got nil; want the crash")
	}
	st.Close()
	if err := os.WriteFile(path+".compact", []byte("half a compaction"), 0o600); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Count(raw, []byte(markers[0]))
	}
	if n := count(); n < 2 {
		t.Fatalf("before the restart the marker occurs %d times; want the earlier version too (else this test shows nothing)", n)
	}
	st = storagetest.MustOpenAt(t, path)
	if n := count(); n != 1 {
		t.Errorf("after the restart the marker occurs %d times; want 1", n)
	}
	if _, err := os.Stat(path + ".compact"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s.compact after the restart: %v; want gone", path, err)
	}
	sections := map[string]int{}
	st.EachResponse(q.ID, func(r *survey.Response) error { sections[r.Section]++; return nil })
	if sections["all"] != 62 || len(sections) != 1 {
		t.Errorf("after the restart: %v; want all: 62", sections)
	}
}

// TestCompactErrorKeepsStore: when compaction fails after the old file is closed (here the
// directory sync), the store still works: no nil or closed database behind it.
func TestCompactErrorKeepsStore(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	old := storage.SetSyncDir(func(string) error { return errors.New("disk gone") })
	err, _ := importMoving(t, st, q)
	storage.SetSyncDir(old)
	if err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("import with a failing directory sync: %v; want the error", err)
	}
	if sv, err := st.Survey(q.ID); err != nil || sv.Responses != 62 {
		t.Fatalf("after the failed compaction: %v, %v; want the survey with 62 responses", sv, err)
	}
	if _, err := st.IssueTokens(q.ID, "kikaku", 1); err != nil {
		t.Fatalf("a write after the failed compaction: %v", err)
	}
}
