package storage

import (
	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// VoidTokens voids the unused tokens among tokens (of survey id): a voided token answers like
// an unknown one everywhere and no longer counts as issued. Used tokens stay used — their
// responses are kept — and unknown ones are skipped. It returns how many were voided; it never
// says which, so that voiding a batch reveals nothing about who answered beyond the count.
func (s *Store) VoidTokens(id string, tokens []string) (int, error) {
	key, err := s.participationKey()
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.update(func(tx *bolt.Tx) error {
		n = 0 // Update does not retry, but keep the function pure
		b := tx.Bucket(bucketTokens).Bucket([]byte(id))
		if b == nil {
			return notFound(id)
		}
		for _, t := range tokens {
			canonical, err := survey.ParseToken(t)
			if err != nil {
				continue
			}
			h := survey.HashToken(canonical)
			v := b.Get(h)
			if v == nil || v[0] != tokenUnused || isUsed(tx, id, usedMark(key, h), v) {
				continue
			}
			nv := append([]byte{tokenVoided}, v[1:]...)
			if err := b.Put(h, nv); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
