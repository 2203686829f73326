package admin

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/internal/password"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Users of the admin pages, managed in the browser by admins: add (with a generated password
// shown once), change role and sections, disable, reset a password. A new or reset password
// must be changed at the next sign-in. `staffsurvey user add` stays for the first user and for
// recovery.

// roles is the order the user page offers them in.
var roles = []string{survey.RoleAdmin, survey.RoleExecutive, survey.RoleManager, survey.RoleAnalyst}

// roleTitle names a role in both languages.
func roleTitle(role string) survey.Text { return adminUser{Role: role}.RoleTitle() }

// sectionOption is one section code a manager may be scoped to.
type sectionOption struct {
	Code string
	Name survey.Text
}

// usersPage is the data of admin_users.html.
type usersPage struct {
	Users    []userRow
	Roles    []string
	Sections []sectionOption
	Error    *survey.Text
	Notice   *survey.Text
	// Password is a generated password shown this once, for User.
	Password, PasswordUser string
	Form                   struct{ Name, Role string }
}

type userRow struct {
	*survey.User
	RoleTitle survey.Text
	Self      bool
}

// sectionOptions returns every section code of every survey (newest name wins), sorted by code.
func (s *Server) sectionOptions() ([]sectionOption, error) {
	svs, err := s.store.Surveys()
	if err != nil {
		return nil, err
	}
	names := map[string]survey.Text{}
	for _, sv := range svs { // oldest first: later years overwrite names
		for _, n := range sv.Questionnaire.OrgTree().Nodes {
			if n.Code != survey.Root {
				names[n.Code] = n.Name
			}
		}
	}
	out := make([]sectionOption, 0, len(names))
	for code, name := range names {
		out = append(out, sectionOption{Code: code, Name: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

func (s *Server) usersPage(c echo.Context) (*usersPage, error) {
	users, err := s.store.Users()
	if err != nil {
		return nil, err
	}
	secs, err := s.sectionOptions()
	if err != nil {
		return nil, err
	}
	me, _ := c.Get("user").(adminUser)
	p := &usersPage{Roles: roles, Sections: secs}
	p.Form.Role = survey.RoleManager
	for _, u := range users {
		p.Users = append(p.Users, userRow{User: u, RoleTitle: roleTitle(u.Role), Self: u.Name == me.Name})
	}
	return p, nil
}

// renderUsers renders the users page with an error or a notice, and no-store: it may show a
// password.
func (s *Server) renderUsers(c echo.Context, status int, edit func(*usersPage)) error {
	p, err := s.usersPage(c)
	if err != nil {
		return err
	}
	if edit != nil {
		edit(p)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return s.render(c, status, "admin_users.html", p)
}

// userError renders a domain error of a user change on the users page, or returns it.
func (s *Server) userError(c echo.Context, err error, form func(*usersPage)) error {
	code := survey.ErrorCode(err)
	if code != survey.EINVALID && code != survey.ECONFLICT && code != survey.ENOTFOUND {
		return err
	}
	msg := survey.ErrorMessage(err)
	return s.renderUsers(c, page.StatusOf[code], func(p *usersPage) {
		p.Error = &msg
		if form != nil {
			form(p)
		}
	})
}

// handleUsers serves GET /admin/users: every user with role, sections and state; forms to
// add users, change them and reset passwords.
func (s *Server) handleUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, nil)
}

// checkSections validates a manager's scope against the known section codes.
func (s *Server) checkSections(role string, sections []string) ([]string, error) {
	opts, err := s.sectionOptions()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sec := range sections {
		sec = strings.TrimSpace(sec)
		if sec == "" || slices.Contains(out, sec) {
			continue
		}
		if !slices.ContainsFunc(opts, func(o sectionOption) bool { return o.Code == sec }) {
			return nil, survey.Errorf(survey.EINVALID, "所属コード %q はどの調査にもありません", "section code %q is in no survey", sec)
		}
		out = append(out, sec)
	}
	if role == survey.RoleManager && len(out) == 0 {
		return nil, survey.Errorf(survey.EINVALID, "管理職には、見てよい所属を1つ以上選んでください", "choose at least one section a manager may see")
	}
	if role != survey.RoleManager {
		out = nil // only managers are scoped
	}
	sort.Strings(out)
	return out, nil
}

// handleUserAdd serves POST /admin/users (name, role, sections): a new user with a generated
// password, shown once on the page, which must be changed at the first sign-in.
func (s *Server) handleUserAdd(c echo.Context) error {
	name, role := strings.TrimSpace(c.FormValue("name")), c.FormValue("role")
	keep := func(p *usersPage) { p.Form.Name, p.Form.Role = name, role }
	if _, err := s.store.User(name); err == nil {
		return s.userError(c, survey.Errorf(survey.ECONFLICT, "ユーザー %q はすでにいます", "user %q exists already", name), keep)
	}
	form, _ := c.FormParams()
	sections, err := s.checkSections(role, form["sections"])
	if err != nil {
		return s.userError(c, err, keep)
	}
	pass := password.Generate()
	hash, err := password.Hash(pass)
	if err != nil {
		return err
	}
	u := &survey.User{Name: name, Role: role, Sections: sections, PasswordHash: hash, MustChangePassword: true}
	if err := s.store.PutUser(u); err != nil {
		return s.userError(c, err, keep)
	}
	s.audit(c, "user.add", name, "role="+role+sectionsDetail(sections))
	return s.renderUsers(c, http.StatusOK, func(p *usersPage) {
		p.Password, p.PasswordUser = pass, name
	})
}

func sectionsDetail(sections []string) string {
	if len(sections) == 0 {
		return ""
	}
	return " sections=" + strings.Join(sections, ",")
}

// enabledAdminsBut counts the enabled admins other than name: the users who could still manage users.
func (s *Server) enabledAdminsBut(name string) (int, error) {
	users, err := s.store.Users()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range users {
		if u.Name != name && u.Role == survey.RoleAdmin && !u.Disabled {
			n++
		}
	}
	return n, nil
}

// handleUserUpdate serves POST /admin/users/{name} (role, sections, disabled=1): changes a
// user's role, scope or state. Disabling ends the user's sessions. The last enabled admin can
// be neither demoted nor disabled, so that somebody can always manage users.
func (s *Server) handleUserUpdate(c echo.Context) error {
	u, err := s.store.User(c.Param("name"))
	if err != nil {
		return s.userError(c, err, nil)
	}
	role, disabled := c.FormValue("role"), c.FormValue("disabled") == "1"
	form, _ := c.FormParams()
	sections, err := s.checkSections(role, form["sections"])
	if err != nil {
		return s.userError(c, err, nil)
	}
	if (role != survey.RoleAdmin || disabled) && u.Role == survey.RoleAdmin && !u.Disabled {
		n, err := s.enabledAdminsBut(u.Name)
		if err != nil {
			return err
		}
		if n == 0 {
			return s.userError(c, survey.Errorf(survey.EINVALID,
				"%s は最後の管理者です。別の管理者を先に作ってください。", "%s is the last admin: add another admin first.", u.Name), nil)
		}
	}
	changes := []string{}
	if role != u.Role {
		changes = append(changes, "role "+u.Role+"→"+role)
	}
	if !slices.Equal(sections, u.Sections) {
		changes = append(changes, "sections="+strings.Join(sections, ","))
	}
	if disabled != u.Disabled {
		changes = append(changes, map[bool]string{true: "disabled", false: "enabled"}[disabled])
	}
	u.Role, u.Sections, u.Disabled = role, sections, disabled
	if err := s.store.PutUser(u); err != nil {
		return s.userError(c, err, nil)
	}
	if disabled {
		if err := s.admin.sessions.deleteUser(u.Name); err != nil {
			return err
		}
	}
	if len(changes) > 0 {
		s.audit(c, "user.update", u.Name, strings.Join(changes, "; "))
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}

// handleUserReset serves POST /admin/users/{name}/reset: a new generated password,
// shown once; the user's sessions end and the password must be changed at the next sign-in.
func (s *Server) handleUserReset(c echo.Context) error {
	u, err := s.store.User(c.Param("name"))
	if err != nil {
		return s.userError(c, err, nil)
	}
	pass := password.Generate()
	if u.PasswordHash, err = password.Hash(pass); err != nil {
		return err
	}
	u.MustChangePassword = true
	if err := s.store.PutUser(u); err != nil {
		return err
	}
	if err := s.admin.sessions.deleteUser(u.Name); err != nil {
		return err
	}
	s.audit(c, "user.reset", u.Name, "")
	return s.renderUsers(c, http.StatusOK, func(p *usersPage) {
		p.Password, p.PasswordUser = pass, u.Name
	})
}

// passwordPage is the data of admin_password.html.
type passwordPage struct {
	Must  bool
	Error *survey.Text
}

// handlePasswordForm serves GET /admin/password: change one's own password (current, new,
// new again). A user whose password was reset is sent here from every page.
func (s *Server) handlePasswordForm(c echo.Context) error {
	u, err := s.signedIn(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_password.html", passwordPage{Must: u.MustChangePassword})
}

func (s *Server) signedIn(c echo.Context) (*survey.User, error) {
	me, _ := c.Get("user").(adminUser)
	return s.store.User(me.Name)
}

// handlePasswordChange serves POST /admin/password (current, new, confirm): checks the current
// password and the rules of internal/password, stores the new one, ends every session of the
// user (every browser signs in again) and starts a fresh one for this browser.
func (s *Server) handlePasswordChange(c echo.Context) error {
	u, err := s.signedIn(c)
	if err != nil {
		return err
	}
	cur, pass, confirm := c.FormValue("current"), c.FormValue("new"), c.FormValue("confirm")
	fail := func(msg survey.Text) error {
		return s.render(c, http.StatusUnprocessableEntity, "admin_password.html", passwordPage{Must: u.MustChangePassword, Error: &msg})
	}
	if !password.Check(u.PasswordHash, cur) {
		s.audit(c, "password.fail", u.Name, "wrong current password")
		return fail(survey.Text{JA: "現在のパスワードが違います。", EN: "The current password is wrong."})
	}
	if pass != confirm {
		return fail(survey.Text{JA: "新しいパスワードが確認欄と一致しません。", EN: "The new password and its confirmation differ."})
	}
	if pass == cur {
		return fail(survey.Text{JA: "新しいパスワードは現在のものと変えてください。", EN: "Choose a password different from the current one."})
	}
	if strings.Contains(strings.ToLower(pass), strings.ToLower(u.Name)) {
		return fail(survey.Text{JA: "パスワードにユーザー名を含めないでください。", EN: "The password must not contain the user name."})
	}
	if err := password.Validate(pass); err != nil {
		return fail(survey.ErrorMessage(err))
	}
	if u.PasswordHash, err = password.Hash(pass); err != nil {
		return err
	}
	u.MustChangePassword = false
	if err := s.store.PutUser(u); err != nil {
		return err
	}
	if err := s.admin.sessions.deleteUser(u.Name); err != nil {
		return err
	}
	id, err := s.admin.sessions.create(u.Name)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, id)
	s.audit(c, "password.change", u.Name, "")
	return c.Redirect(http.StatusSeeOther, "/admin")
}
