package survey

import (
	"regexp"
)

// Roles of admin users. admin may do everything; executive sees every report (the 区長);
// manager sees reports, trends and comments of the sections it is scoped to (Sections) beside
// the whole organisation; analyst sees reports and exports.
const (
	RoleAdmin     = "admin"
	RoleExecutive = "executive"
	RoleManager   = "manager"
	RoleAnalyst   = "analyst"
)

// User is a person who signs in to the admin pages. PasswordHash is a slow hash made by the
// caller (the web package), so that this package needs no crypto library.
type User struct {
	Name         string `json:"name"`
	Role         string `json:"role"`
	PasswordHash []byte `json:"password_hash"`
	// Sections scope a manager: the codes of the sections (with everything below them) whose
	// results it may see. Codes, not names, so that one scope holds across the years.
	Sections []string `json:"sections,omitempty"`
	// MustChangePassword is set when an admin resets the password: every signed-in page sends
	// the user to the change-password page until a new password is chosen.
	MustChangePassword bool `json:"must_change_password,omitempty"`
	// Disabled users cannot sign in; their sessions end when they are disabled. They are kept
	// (not deleted) so that the audit log's names stay meaningful.
	Disabled bool `json:"disabled,omitempty"`
}

var userName = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// Validate checks the name and the role.
func (u *User) Validate() error {
	if !userName.MatchString(u.Name) {
		return Errorf(EINVALID, "ユーザー名 %q は英数字と . _ @ - の1〜64文字にしてください", "user name %q must be 1–64 characters of letters, digits and . _ @ -", u.Name)
	}
	switch u.Role {
	case RoleAdmin, RoleExecutive, RoleManager, RoleAnalyst:
	default:
		return Errorf(EINVALID, "役割 %q は admin, executive, manager, analyst のいずれかにしてください", "role %q must be admin, executive, manager or analyst", u.Role)
	}
	for _, code := range u.Sections {
		if !idPattern.MatchString(code) || code == Root {
			return Errorf(EINVALID, "所属コード %q が正しくありません（英小文字・数字・ハイフン、all は不可）", "section code %q is not valid (lowercase letters, digits and hyphens; not all)", code)
		}
	}
	if len(u.Sections) > 0 && u.Role != RoleManager {
		return Errorf(EINVALID, "所属（--sections）を持てるのは manager だけです", "only a manager has sections (--sections)")
	}
	if len(u.PasswordHash) == 0 {
		return Errorf(EINVALID, "パスワードがありません", "no password")
	}
	return nil
}

// Scoped reports whether the results a user with role sees are limited to its Sections (a
// manager), rather than every section (admin, executive, analyst).
func Scoped(role string) bool { return role == RoleManager }

// InScope reports whether a manager scoped to sections may see the results of section code of
// q: the whole organisation always, and every section in the subtree of one of sections. A
// section code q does not have is out of scope, and so is everything but the whole
// organisation for a manager without sections.
func InScope(q *Questionnaire, sections []string, code string) bool {
	if code == Root {
		return true
	}
	t := q.OrgTree()
	i, ok := t.Index(code)
	if !ok {
		return false
	}
	for _, s := range sections {
		if j, ok := t.Index(s); ok && j <= i && i < t.End[j] {
			return true
		}
	}
	return false
}

// Sees reports whether u may see the results of section code of q (InScope for a manager).
func (u *User) Sees(q *Questionnaire, code string) bool {
	return !Scoped(u.Role) || InScope(q, u.Sections, code)
}
