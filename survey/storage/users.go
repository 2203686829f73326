package storage

import (
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// PutUser creates or replaces a user.
func (s *Store) PutUser(u *survey.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("put user: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).Put([]byte(u.Name), data)
	})
}

// User returns the user with the given name.
func (s *Store) User(name string) (*survey.User, error) {
	var u *survey.User
	err := s.view(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketUsers).Get([]byte(name))
		if data == nil {
			return survey.Errorf(survey.ENOTFOUND, "ユーザー %q はいません", "no user %q", name)
		}
		u = new(survey.User)
		return json.Unmarshal(data, u)
	})
	return u, err
}

// Users returns every user, by name.
func (s *Store) Users() ([]*survey.User, error) {
	var out []*survey.User
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			u := new(survey.User)
			if err := json.Unmarshal(v, u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}
