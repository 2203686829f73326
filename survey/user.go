package survey

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// Roles of admin users. admin may do everything; manager sees dashboards and reports;
// analyst sees reports and exports.
const (
	RoleAdmin   = "admin"
	RoleManager = "manager"
	RoleAnalyst = "analyst"
)

// User is a person who signs in to the admin pages. PasswordHash is a slow hash made by the
// caller (the web package), so that this package needs no crypto library.
type User struct {
	Name         string `json:"name"`
	Role         string `json:"role"`
	PasswordHash []byte `json:"password_hash"`
}

var userName = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// Validate checks the name and the role.
func (u *User) Validate() error {
	if !userName.MatchString(u.Name) {
		return Errorf(EINVALID, "ユーザー名 %q は英数字と . _ @ - の1〜64文字にしてください", "user name %q must be 1–64 characters of letters, digits and . _ @ -", u.Name)
	}
	switch u.Role {
	case RoleAdmin, RoleManager, RoleAnalyst:
	default:
		return Errorf(EINVALID, "役割 %q は admin, manager, analyst のいずれかにしてください", "role %q must be admin, manager or analyst", u.Role)
	}
	if len(u.PasswordHash) == 0 {
		return Errorf(EINVALID, "パスワードがありません", "no password")
	}
	return nil
}

// PutUser creates or replaces a user.
func (s *Store) PutUser(u *User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("put user: %w", err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).Put([]byte(u.Name), data)
	})
}

// User returns the user with the given name.
func (s *Store) User(name string) (*User, error) {
	var u *User
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketUsers).Get([]byte(name))
		if data == nil {
			return Errorf(ENOTFOUND, "ユーザー %q はいません", "no user %q", name)
		}
		u = new(User)
		return json.Unmarshal(data, u)
	})
	return u, err
}

// Users returns every user, by name.
func (s *Store) Users() ([]*User, error) {
	var out []*User
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			u := new(User)
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
