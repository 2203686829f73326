package storage

import (
	"errors"
	"fmt"
	"path/filepath"
	"staffsurvey/survey/ballot"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// boxShares keeps the custodians' shares of the stores groupCommitSetup opened, for unsealAll.
var boxShares = map[*Store][]ballot.Share{}

// groupCommitSetup opens a store with the fixture survey open and n tokens of one section.
func groupCommitSetup(t *testing.T, n int) (*Store, *survey.Questionnaire, []string) {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	q, err := survey.LoadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	box, err := s.OpenSurvey(q.ID, Custodians{Names: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	boxShares[s] = box.Shares
	toks, err := s.IssueTokens(q.ID, "madoguchi", n)
	if err != nil {
		t.Fatal(err)
	}
	return s, q, toks
}

// submitInOneBatch submits rs[0] alone and, while its commit is held, queues every other
// submission behind it in order, so that they share the next transaction. It returns each
// submission's error and the number of commits tried (the hook's calls).
func submitInOneBatch(t *testing.T, s *Store, toks []string, rs []*survey.Response, fail func(attempt int, tx *bolt.Tx) error) ([]error, int) {
	t.Helper()
	entered, release := make(chan struct{}), make(chan struct{})
	attempts := 0
	s.failCommit = func(tx *bolt.Tx) error {
		attempts++
		if attempts == 1 {
			close(entered)
			<-release
		}
		return fail(attempts, tx)
	}
	defer func() { s.failCommit = nil }()
	errs := make([]error, len(rs))
	var wg sync.WaitGroup
	submit := func(i int) {
		defer wg.Done()
		errs[i] = s.Submit(toks[i], rs[i])
	}
	wg.Add(len(rs))
	go submit(0)
	<-entered
	// One at a time, each queued before the next starts, so that the batch holds them in the
	// order of rs: tests put two uses of one token in it and say which comes first.
	for i := 1; i < len(rs); i++ {
		go submit(i)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			s.w.mu.Lock()
			queued := len(s.w.queue)
			s.w.mu.Unlock()
			if queued == i {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d submissions queued", queued, len(rs)-1)
			}
		}
	}
	close(release)
	wg.Wait()
	return errs, attempts
}

// checkInStep checks that the tokens used are exactly those whose submission succeeded and
// that the ballot box holds one sealed response for each of them: no token used without its
// response, no response without its token.
func checkInStep(t *testing.T, s *Store, q *survey.Questionnaire, toks []string, errs []error) {
	t.Helper()
	stored := 0
	for i, err := range errs {
		_, rerr := s.Redeemable(toks[i])
		switch {
		case err == nil && survey.ErrorCode(rerr) != survey.ECONFLICT:
			t.Errorf("submission %d succeeded but its token is not used: %v", i, rerr)
		case err != nil && rerr != nil:
			t.Errorf("submission %d failed (%v) but its token is used: %v", i, err, rerr)
		}
		if err == nil {
			stored++
		}
	}
	sealed := 0
	if err := s.unsealAll(q.ID, boxShares[s], func(*survey.Response) error { sealed++; return nil }); err != nil {
		t.Fatal(err)
	}
	sv, err := s.Survey(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := s.TokenCounts(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sealed != stored || sv.Responses != stored || counts["madoguchi"].Used != stored {
		t.Errorf("%d submissions succeeded; the box holds %d, the survey counts %d, %d tokens are used",
			stored, sealed, sv.Responses, counts["madoguchi"].Used)
	}
}

// TestGroupCommitFullDisk: a batch whose commit fails (a disk with room for the short answers
// but not for the long comments, simulated by failing every commit that holds a sealed record
// of the 32 KiB class) fails only the submissions that cannot be written alone; the others are
// stored, every token used has its response, and the failed ones can be sent again once
// there is room.
func TestGroupCommitFullDisk(t *testing.T) {
	const n = 40
	s, q, toks := groupCommitSetup(t, n)
	rs := make([]*survey.Response, n)
	long := map[int]bool{}
	for i := range rs {
		r := survey.NewResponse(q, "")
		for j := range r.Answers {
			r.Answers[j] = int8(1 + (i+j)%5)
		}
		if i%5 == 3 {
			r.Comments[0] = strings.Repeat("長い意見", 400) // 4,800 bytes: the 32 KiB class
			long[i] = true
		}
		rs[i] = r
	}
	full := func(_ int, tx *bolt.Tx) error {
		return tx.Bucket(bucketBallots).Bucket([]byte(q.ID)).ForEach(func(_, v []byte) error {
			if len(v) > 8<<10 { // never committed, so it is this transaction's
				return fmt.Errorf("write: %w", syscall.ENOSPC)
			}
			return nil
		})
	}
	errs, attempts := submitInOneBatch(t, s, toks, rs, full)
	for i, err := range errs {
		if long[i] != (err != nil) || err != nil && !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("submission %d (long comment: %v): %v", i, long[i], err)
		}
	}
	// The first alone, the batch of the other 39 failing, then each of them alone.
	if want := 1 + 1 + (n - 1); attempts != want {
		t.Errorf("%d commits tried; want %d", attempts, want)
	}
	checkInStep(t, s, q, toks, errs)

	// Room again: the refused answers go in, and each token still only once.
	for i := range long {
		errs[i] = s.Submit(toks[i], rs[i])
		if errs[i] != nil {
			t.Errorf("sending %d again: %v", i, errs[i])
		}
	}
	checkInStep(t, s, q, toks, errs)
	if err := s.Submit(toks[3], rs[3]); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("sending a stored one a third time: %v; want ECONFLICT", err)
	}
}

// TestGroupCommitTransientFailure: a commit that fails once (an I/O error that does not
// recur) loses nothing: each submission of the batch is tried alone and stored.
func TestGroupCommitTransientFailure(t *testing.T) {
	const n = 12
	s, q, toks := groupCommitSetup(t, n)
	rs := make([]*survey.Response, n)
	for i := range rs {
		rs[i] = survey.NewResponse(q, "")
		rs[i].Answers[0] = 4
	}
	once := func(attempt int, _ *bolt.Tx) error {
		if attempt == 2 { // the batch of the 11 queued
			return fmt.Errorf("write: %w", syscall.EIO)
		}
		return nil
	}
	errs, attempts := submitInOneBatch(t, s, toks, rs, once)
	for i, err := range errs {
		if err != nil {
			t.Errorf("submission %d: %v", i, err)
		}
	}
	if want := 1 + 1 + (n - 1); attempts != want {
		t.Errorf("%d commits tried; want %d", attempts, want)
	}
	checkInStep(t, s, q, toks, errs)
}

// TestGroupCommitRefusedInBatch: writes refused inside a batch (a token sent twice, an invalid
// response) get their own error and cost the others nothing: the batch is committed in one
// transaction without them.
func TestGroupCommitRefusedInBatch(t *testing.T) {
	const n = 10
	s, q, issued := groupCommitSetup(t, n+1)
	rs := make([]*survey.Response, n+2)
	for i := range rs {
		rs[i] = survey.NewResponse(q, "")
		rs[i].Answers[0] = 3
	}
	rs[n+1].Answers[0] = 9 // off the scale, with a token of its own
	toks := append(issued[:n:n], issued[4], issued[n])
	errs, attempts := submitInOneBatch(t, s, toks, rs, func(int, *bolt.Tx) error { return nil })
	// The refused writes changed nothing, so the other eleven queued share one commit.
	if attempts != 2 {
		t.Errorf("%d commits tried; want 2 (the first alone, then the rest in one)", attempts)
	}
	refused := 0
	for i, err := range errs {
		switch {
		case err == nil:
		case survey.ErrorCode(err) == survey.ECONFLICT && (i == 4 || i == n):
			refused++ // one of the two sends of toks[4]
		case survey.ErrorCode(err) == survey.EINVALID && i == n+1:
			refused++
		default:
			t.Errorf("submission %d: %v", i, err)
		}
	}
	if refused != 2 {
		t.Errorf("%d refused; want 2 (the second send of a token, the invalid one)", refused)
	}
	// Per issued token: toks[4] was sent twice and counts as stored if either send was.
	perToken := append(errs[:n:n], errs[n+1])
	if errs[n] == nil {
		perToken[4] = nil
	}
	checkInStep(t, s, q, issued, perToken)
}

// TestGroupCommitRefusedThenFailed: a token sent twice in one batch, the first send with a
// comment the disk has no room for: the second send, refused as used while it shared the
// transaction with the first, is not told so when that transaction fails — tried alone, it is
// stored, and the first gets the disk's error.
func TestGroupCommitRefusedThenFailed(t *testing.T) {
	s, q, issued := groupCommitSetup(t, 3)
	rs := make([]*survey.Response, 4)
	for i := range rs {
		rs[i] = survey.NewResponse(q, "")
		rs[i].Answers[0] = 2
	}
	rs[1].Comments[0] = strings.Repeat("長い意見", 400) // the 32 KiB class: no room for it
	toks := []string{issued[0], issued[1], issued[1], issued[2]}
	full := func(_ int, tx *bolt.Tx) error {
		return tx.Bucket(bucketBallots).Bucket([]byte(q.ID)).ForEach(func(_, v []byte) error {
			if len(v) > 8<<10 {
				return fmt.Errorf("write: %w", syscall.ENOSPC)
			}
			return nil
		})
	}
	errs, _ := submitInOneBatch(t, s, toks, rs, full)
	if errs[0] != nil || !errors.Is(errs[1], syscall.ENOSPC) || errs[2] != nil || errs[3] != nil {
		t.Errorf("errors %v; want nil, ENOSPC, nil, nil", errs)
	}
	checkInStep(t, s, q, issued, []error{errs[0], errs[2], errs[3]})
}

// TestSubmitWith: build runs only for a usable token, with the token's questionnaire; its
// error comes back as it is and leaves the token unused.
func TestSubmitWith(t *testing.T) {
	s, q, toks := groupCommitSetup(t, 2)
	built := 0
	build := func(got *survey.Questionnaire) (*survey.Response, error) {
		built++
		if got.ID != q.ID {
			t.Errorf("built for %q; want %q", got.ID, q.ID)
		}
		r := survey.NewResponse(got, "")
		r.Answers[0] = 5
		return r, nil
	}
	if err := s.SubmitWith(toks[0], build); err != nil {
		t.Fatal(err)
	}
	if err := s.SubmitWith(toks[0], build); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("used token: %v; want ECONFLICT", err)
	}
	if err := s.SubmitWith("0000-0000-0000-0000", build); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown token: %v; want ENOTFOUND", err)
	}
	if built != 1 {
		t.Errorf("build ran %d times; want once (not for a used or unknown token)", built)
	}
	bad := survey.Errorf(survey.EINVALID, "だめ", "bad")
	if err := s.SubmitWith(toks[1], func(*survey.Questionnaire) (*survey.Response, error) { return nil, bad }); err != bad {
		t.Errorf("build's error: %v; want it as it is", err)
	}
	checkInStep(t, s, q, toks, []error{nil, bad})
}

// TestGroupCommitYield: the writer yields before a batch only when yieldAt writes or more are
// in flight. With fewer writers than that — a quiet hour — it never does, however they
// interleave (a writer answered may be queued again before the writer looks), so a lone
// submission's commit starts as soon as it can; with yieldAt queued behind a commit, it does.
func TestGroupCommitYield(t *testing.T) {
	yields := func(s *Store) int {
		s.w.mu.Lock()
		defer s.w.mu.Unlock()
		return s.w.yields
	}

	const writers, each = yieldAt - 1, 3
	s, q, toks := groupCommitSetup(t, writers*each)
	var wg sync.WaitGroup
	errs := make([]error, len(toks))
	for w := range writers {
		wg.Go(func() {
			for i := w * each; i < (w+1)*each; i++ {
				r := survey.NewResponse(q, "")
				r.Answers[0] = 4
				errs[i] = s.Submit(toks[i], r)
			}
		})
	}
	wg.Wait()
	checkInStep(t, s, q, toks, errs)
	if n := yields(s); n != 0 {
		t.Errorf("%d writers in flight: the writer yielded %d times; want never", writers, n)
	}

	s, q, toks = groupCommitSetup(t, yieldAt+1)
	rs := make([]*survey.Response, len(toks))
	for i := range rs {
		rs[i] = survey.NewResponse(q, "")
		rs[i].Answers[0] = 4
	}
	errs, _ = submitInOneBatch(t, s, toks, rs, func(int, *bolt.Tx) error { return nil })
	checkInStep(t, s, q, toks, errs)
	// Before taking the yieldAt queued, and perhaps again after answering them, if they have
	// not all returned by then.
	if n := yields(s); n < 1 {
		t.Errorf("%d writes queued behind a commit: the writer never yielded", yieldAt)
	}
}

// TestGroupCommitClose: Close commits what is queued; a write after it fails cleanly.
func TestGroupCommitClose(t *testing.T) {
	s, q, toks := groupCommitSetup(t, 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(toks[0], survey.NewResponse(q, "")); !errors.Is(err, bolt.ErrDatabaseNotOpen) {
		t.Fatalf("Submit after Close: %v; want %v", err, bolt.ErrDatabaseNotOpen)
	}
}
