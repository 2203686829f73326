package storage

import (
	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
	"staffsurvey/survey/storage/internal/testpath"
)

// The operations that exist only for tests leave the package through internal/testpath, to
// storagetest, and are no methods of Store.
func init() {
	testpath.Unseal = func(st any, id string, shares []ballot.Share, fn func(*survey.Response) error) error {
		return st.(*Store).unsealAll(id, shares, fn)
	}
	testpath.SubmitAll = func(st any, tokens []string, rs []*survey.Response) error {
		return st.(*Store).submitAll(tokens, rs)
	}
	testpath.OpenReadTransactions = func(st any) int { return st.(*Store).openReadTransactions() }
	testpath.CloseSteps = func(fn func(string)) {
		if fn == nil {
			fn = func(string) {}
		}
		closeStep = fn
	}
}

// closeStep is called at the end of each step of a close with the step's name; benchmarks set
// it (storagetest.CloseSteps) to time the steps on the wall clock and in CPU.
var closeStep = func(string) {}

// openReadTransactions is the number of read transactions open now. Nothing should hold one
// while it waits on a client (downloads are spooled first): web's stall test checks it.
func (s *Store) openReadTransactions() int {
	s.swap.RLock()
	defer s.swap.RUnlock()
	return s.db.Stats().OpenTxN
}
