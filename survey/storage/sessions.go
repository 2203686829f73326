package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Sessions of the admin pages are kept here so that a restart signs nobody out. The key is the
// SHA-256 of the session id, which only the browser holds: the file alone cannot sign anyone in.

var bucketSessions = []byte("sessions") // sha256(session id) → Session JSON

// Session is one signed-in browser.
type Session struct {
	User    string    `json:"user"`
	CSRF    string    `json:"csrf"` // the CSRF token of every form of this session
	Created time.Time `json:"created"`
	Seen    time.Time `json:"seen"`
}

// PutSession stores (or replaces) the session under the hash of its id.
func (s *Store) PutSession(hash [32]byte, sess Session) error {
	data, err := json.Marshal(sess)
	if err != nil {
		return fmt.Errorf("put session: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSessions)
		if err != nil {
			return err
		}
		return b.Put(hash[:], data)
	})
}

// Session returns the session stored under hash, and false when there is none.
func (s *Store) Session(hash [32]byte) (Session, bool, error) {
	var sess Session
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		if b == nil {
			return nil
		}
		v := b.Get(hash[:])
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &sess)
	})
	return sess, found, err
}

// DeleteSession forgets the session stored under hash.
func (s *Store) DeleteSession(hash [32]byte) error {
	return s.update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSessions); b != nil {
			return b.Delete(hash[:])
		}
		return nil
	})
}

// DeleteSessions forgets every session for which drop returns true (the sessions of one user
// when its password changes, or expired ones), and returns how many it dropped.
func (s *Store) DeleteSessions(drop func(Session) bool) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		if b == nil {
			return nil
		}
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var sess Session
			if json.Unmarshal(v, &sess) != nil || drop(sess) {
				keys = append(keys, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	return n, err
}
