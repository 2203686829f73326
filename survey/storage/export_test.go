package storage

import (
	"crypto/rand"
	"os"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// SetHookAfterOpen lets the tests stop a close between opening the box and destroying the key.
func SetHookAfterOpen(fn func() error) { hookAfterOpen = fn }

// SetHookBeforeCompact lets the tests stop an import between its commit and its compaction.
func SetHookBeforeCompact(fn func() error) { hookBeforeCompact = fn }

// SetSyncDir replaces the directory sync of compaction (nil: the real one) and returns the old.
func SetSyncDir(fn func(string) error) func(string) error {
	old := syncDir
	if fn != nil {
		syncDir = fn
	}
	return old
}

// OpenWithKeyFile opens draft survey id as the version before the custodians did: an AES key
// in <db>.keys/<id>.key and its key check in the database, no ballot box. Only tests write a
// key file now.
func OpenWithKeyFile(s *Store, id string) error {
	dir := KeyDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	key := make([]byte, ballotKeySize)
	rand.Read(key)
	if err := os.WriteFile(s.keyPath(id), key, 0o600); err != nil {
		return err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return err
	}
	check, err := seal(aead, id, []byte(keyCheckText))
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keyCheckName(id), check); err != nil {
			return err
		}
		st.State = survey.StateOpen
		return putState(tx, id, st)
	})
}
