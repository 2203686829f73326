package storage

// OpenReadTransactions is the number of read transactions open now. Nothing should hold one
// while it waits on a client (downloads are spooled first): the stall test checks it.
func (s *Store) OpenReadTransactions() int {
	s.swap.RLock()
	defer s.swap.RUnlock()
	return s.db.Stats().OpenTxN
}
