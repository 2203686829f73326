package storage

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// Group commit. Every submission is a write that must be durable before it is acknowledged,
// and one fsync costs milliseconds, so writes share transactions: they queue to one writer
// goroutine, which commits everything waiting in one transaction and, the moment that commit
// is durable, takes whatever queued meanwhile. No timer: a lone write is committed at once
// (bbolt's DB.Batch waits up to 10 ms for company), and under load the batches grow by
// themselves to what arrives during one commit — and, at a busy hour only, by the writes about
// to join the queue, for which the writer first yields the CPU once (yieldAt).
//
// A write whose function refuses before changing anything (refuse: a used token, an invalid
// response) is answered with its own error once the others are committed in the same
// transaction. A write whose function fails after changing something is answered with its
// own error and the others are committed again without it. A commit that fails (a full disk, an I/O
// error) cannot say which write caused it, so each write of that batch is tried alone and
// fails only if it fails alone.

// writer is the queue of a Store's group commit and its goroutine's state.
type writer struct {
	mu      sync.Mutex
	cond    *sync.Cond // signalled when queue grows or closing is set
	queue   []*write
	closing bool
	done    chan struct{} // closed when the goroutine has committed the last write and ended
	yields  int           // times the writer yielded before taking a batch (yieldAt)

	inFlight atomic.Int32 // groupWrite calls not yet returned: queued, in a batch, or answered
}

// yieldAt is the number of writes in flight (groupWrite calls not yet returned) from which the
// writer yields the CPU once before it takes the next batch. At a busy hour the goroutines it
// has just answered, and those whose requests have been read, are waiting for the CPU: run
// first, they send their responses and join the queue, so the next batch is larger and the
// server commits, and spends, less per submission — about a tenth less at 64 clients
// (BENCHMARKS.md, issue 24). With few writers a yield only starts each commit later: at 16
// clients it cost up to a tenth of the throughput and 0.5 ms on the p50, at 4 clients up to a
// fifth and 0.4 ms. So below yieldAt writers in flight, more than 16 clients ever have, the
// writer never yields.
const yieldAt = 24

// write is one queued write: fn runs inside the batch's transaction and err receives the
// outcome once the transaction is durable (or rolled back).
type write struct {
	fn  func(*bolt.Tx) error
	err chan error
}

// refusal is the error of a write's function that changed nothing in the transaction: the
// batch's other writes go on in it.
type refusal struct{ err error }

func (r refusal) Error() string { return r.err.Error() }
func (r refusal) Unwrap() error { return r.err }

// refuse marks err, returned by a write's function before its first change, as a refusal.
func refuse(err error) error { return refusal{err} }

// unrefused returns the error a refusal carries, or err.
func unrefused(err error) error {
	if r, ok := err.(refusal); ok {
		return r.err
	}
	return err
}

// panicked carries a panic of a write's function from the writer back to its caller.
type panicked struct{ reason any }

func (p panicked) Error() string { return fmt.Sprintf("panic in a store write: %v", p.reason) }

// startWriter starts the store's writer goroutine.
func (s *Store) startWriter() {
	s.w.cond = sync.NewCond(&s.w.mu)
	s.w.done = make(chan struct{})
	go s.runWriter()
}

// stopWriter lets the writer commit what is queued and waits for it to end; later writes fail
// with bolt.ErrDatabaseNotOpen.
func (s *Store) stopWriter() {
	s.w.mu.Lock()
	s.w.closing = true
	s.w.cond.Signal()
	s.w.mu.Unlock()
	<-s.w.done
}

// groupWrite runs fn in a transaction shared with the writes queued at the same time and
// returns when that transaction is durable: nil if fn's changes are committed, fn's error (and
// none of its changes) otherwise. fn may run more than once and must not depend on state from
// an earlier run.
func (s *Store) groupWrite(fn func(*bolt.Tx) error) error {
	w := &write{fn: fn, err: make(chan error, 1)}
	s.w.inFlight.Add(1)
	defer s.w.inFlight.Add(-1)
	s.w.mu.Lock()
	if s.w.closing {
		s.w.mu.Unlock()
		return bolt.ErrDatabaseNotOpen
	}
	s.w.queue = append(s.w.queue, w)
	s.w.cond.Signal()
	s.w.mu.Unlock()
	err := <-w.err
	if p, ok := err.(panicked); ok {
		panic(p.reason)
	}
	return err
}

func (s *Store) runWriter() {
	defer close(s.w.done)
	var batch []*write // the last batch, answered
	for {
		s.w.mu.Lock()
		if s.w.inFlight.Load() >= yieldAt {
			// A busy hour: let the writers just answered send their responses, and the
			// requests already read reach the queue, before this batch is taken.
			s.w.yields++
			s.w.mu.Unlock()
			runtime.Gosched()
			s.w.mu.Lock()
		}
		for len(s.w.queue) == 0 && !s.w.closing {
			s.w.cond.Wait()
		}
		if len(s.w.queue) == 0 {
			s.w.mu.Unlock()
			return
		}
		// The two slices swap roles, so that queueing allocates nothing in the steady state.
		batch, s.w.queue = s.w.queue, batch[:0]
		s.w.mu.Unlock()
		s.swap.RLock() // not across the wait above: a compaction must be able to take the file
		s.commitBatch(batch)
		s.swap.RUnlock()
		clear(batch) // let the answered writes go
	}
}

// commitBatch commits ws in as few transactions as their failures allow and answers each.
func (s *Store) commitBatch(ws []*write) {
	for len(ws) > 0 {
		refused := make([]error, len(ws))
		failed, err := s.commitOnce(ws, refused)
		if failed < 0 {
			if err != nil && len(ws) > 1 {
				// The refused writes too: a token refused as used by a write of this batch
				// is not used if that write fails.
				for i := range ws {
					s.commitBatch(ws[i : i+1])
				}
				return
			}
			for i, w := range ws {
				if err == nil && refused[i] != nil {
					w.err <- refused[i]
				} else {
					w.err <- err
				}
			}
			return
		}
		// ws[failed] failed after changing something: the transaction is rolled back. The writes before it ran on the
		// same state and are committed again without it; the ones after it follow in their own
		// transaction, so that a run of failures costs commits, never a quadratic rerun.
		ws[failed].err <- err
		s.commitBatch(ws[:failed])
		ws = ws[failed+1:]
	}
}

// commitOnce runs ws in one transaction until one fails: it returns that one's index and error
// (everything rolled back), or -1 and the commit's outcome. The errors of the writes that
// refused (changed nothing) go to refused, by index, and the others go on without them.
func (s *Store) commitOnce(ws []*write, refused []error) (int, error) {
	failed := -1
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i, w := range ws {
			err := call(w.fn, tx)
			if r, ok := err.(refusal); ok {
				refused[i] = r.err
				continue
			}
			if err != nil {
				failed = i
				return err
			}
		}
		if !slices.ContainsFunc(refused, func(err error) bool { return err == nil }) {
			return errNothingWritten // every write refused: no commit, no fsync
		}
		if s.failCommit != nil {
			return s.failCommit(tx)
		}
		return nil
	})
	if err == errNothingWritten {
		err = nil
	}
	return failed, err
}

// errNothingWritten rolls back a transaction whose writes all refused.
var errNothingWritten = errors.New("nothing written")

// call runs fn, turning a panic into an error for its caller (groupWrite panics again there)
// so that the writer goes on serving the others.
func call(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicked{p}
		}
	}()
	return fn(tx)
}
