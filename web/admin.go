package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/internal/password"
	"staffsurvey/survey"
)

// adminState is what the admin pages keep between requests: live sessions, the login
// throttle and the analyses of closed surveys, cached by survey id and revision.
type adminState struct {
	sessions *sessionStore
	throttle *throttle
}

// registerAdminRoutes registers the admin pages under /admin. Everything but the login form
// needs a session; every state-changing request needs the session's CSRF token; each area
// needs its permission (see rolePermissions).
func (s *Server) registerAdminRoutes(g *echo.Group) {
	s.admin = &adminState{sessions: newSessionStore(), throttle: newThrottle()}

	// Signing in and out.
	g.GET("/login", s.handleLoginForm)
	g.POST("/login", s.handleLogin)
	a := g.Group("", s.requireSession, s.checkCSRF)
	a.POST("/logout", s.handleLogout)
	a.GET("", s.handleAdminHome)
	a.GET("/", s.handleAdminHome)

	// Survey office (admin): create, open and close surveys, issue tokens, back up.
	manage := s.require(permManage)
	a.GET("/surveys/new", s.handleSurveyNewForm, manage)
	a.POST("/surveys", s.handleSurveyCreate, manage)
	a.POST("/surveys/:id/open", s.handleSurveyOpen, manage)
	a.POST("/surveys/:id/close", s.handleSurveyClose, manage)
	a.POST("/surveys/:id/tokens", s.handleTokensIssue, manage)
	a.GET("/backup", s.handleBackup, manage)

	// Dashboards (admin, manager): a survey with its response rates, never scores.
	a.GET("/surveys/:id", s.handleSurvey, s.require(permRates))

	// Reports (admin, manager, analyst): closed surveys only.
	reports := s.require(permReports)
	a.GET("/surveys/:id/report", s.handleReport, reports)
	a.GET("/surveys/:id/comments", s.handleComments, reports)
	a.GET("/trends", s.handleTrends, reports)
	a.GET("/api/report", s.handleReportAPI, reports)

	// Exports (admin, analyst): closed surveys only.
	export := s.require(permExport)
	a.GET("/surveys/:id/export.csv", s.handleExport, export)
	a.GET("/surveys/:id/report.csv", s.handleReportCSV, export)
}

// loginPage is the data of admin_login.html.
type loginPage struct {
	Name  string
	Next  string
	CSRF  string
	Error *survey.Text
}

var errLogin = survey.Text{JA: "ユーザー名またはパスワードが違います。", EN: "Wrong user name or password."}

// handleLoginForm serves GET /admin/login: the sign-in form (name, password, hidden _csrf).
func (s *Server) handleLoginForm(c echo.Context) error {
	return s.render(c, http.StatusOK, "admin_login.html",
		loginPage{Next: safeNext(c.QueryParam("next")), CSRF: s.loginCSRF(c)})
}

// handleLogin serves POST /admin/login. The throttle acts first, before the CSRF check and the
// password, so that a client past its failures learns nothing more; then a new session is
// created (a fresh id, never one the browser brought) and the browser is sent on with 303.
func (s *Server) handleLogin(c echo.Context) error {
	if err := s.checkThrottle(c); err != nil {
		return err
	}
	ip := clientIP(c)
	name, pass := c.FormValue("name"), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	fail := func(status int, msg survey.Text) error {
		s.admin.throttle.fail(ip)
		return s.render(c, status, "admin_login.html", loginPage{Name: name, Next: next, CSRF: s.loginCSRF(c), Error: &msg})
	}
	if !validLoginCSRF(c) {
		return fail(http.StatusForbidden, errCSRF.Message)
	}
	u, err := s.store.User(name)
	if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		return err
	}
	if u == nil {
		password.CheckNone(pass) // take as long as for a real user
		return fail(http.StatusUnauthorized, errLogin)
	}
	if !password.Check(u.PasswordHash, pass) {
		return fail(http.StatusUnauthorized, errLogin)
	}
	s.admin.throttle.succeed(ip)
	if ck, err := c.Cookie(sessionCookie); err == nil {
		s.admin.sessions.delete(ck.Value)
	}
	id, _ := s.admin.sessions.create(u.Name)
	s.setSessionCookie(c, id)
	s.log.Info("admin login", "user", u.Name, "role", u.Role)
	return c.Redirect(http.StatusSeeOther, next)
}

// handleLogout serves POST /admin/logout: ends the session and returns to the login form.
func (s *Server) handleLogout(c echo.Context) error {
	if id, ok := c.Get("session").(string); ok {
		s.admin.sessions.delete(id)
	}
	s.setSessionCookie(c, "")
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}
