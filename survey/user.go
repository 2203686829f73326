package survey

import (
	"regexp"
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
