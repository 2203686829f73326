package admin

import (
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"staffsurvey/internal/password"
	"staffsurvey/survey"
)

// adminState is what the admin pages keep between requests: live sessions, the login
// throttle and the analyses of closed surveys, cached by survey id and revision.
type adminState struct {
	sessions *sessionStore
	throttle *throttle
	batches  *batchStore // token batches just issued, until printed (batches.go)
}

// Register registers the admin pages under /admin. Everything but the login form
// needs a session; every state-changing request needs the session's CSRF token; each area
// needs its permission (see rolePermissions).
func (s *Server) Register(g *echo.Group) {
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
	a.POST("/surveys/copy", s.handleSurveyCopy, manage)
	a.GET("/surveys/:id/edit", s.handleSurveyEditForm, manage)
	a.POST("/surveys/:id/edit", s.handleSurveyEdit, manage)
	a.GET("/surveys/:id/preview", s.handleSurveyPreview, manage)
	a.GET("/surveys/:id/questionnaire.yaml", s.handleSurveyYAML, manage)
	a.POST("/surveys/:id/questionnaire", s.handleSurveyReplace, manage)
	a.POST("/surveys/:id/open", s.handleSurveyOpen, manage)
	a.POST("/surveys/:id/close", s.handleSurveyClose, manage)
	a.POST("/surveys/:id/tokens", s.handleTokensIssue, manage)
	a.GET("/surveys/:id/batches/:batch", s.handleBatch, manage)
	a.GET("/surveys/:id/batches/:batch/slips", s.handleBatchSlips, manage)
	a.GET("/surveys/:id/batches/:batch/tokens.csv", s.handleBatchCSV, manage)
	a.POST("/surveys/:id/batches/:batch/void", s.handleBatchVoid, manage)
	a.GET("/backup", s.handleBackup, manage)
	a.GET("/surveys/:id/paper", s.handlePaperForm, manage)
	a.POST("/surveys/:id/paper/check", s.handlePaperCheck, manage)
	a.POST("/surveys/:id/paper", s.handlePaperSeal, manage)
	a.GET("/surveys/:id/review", s.handleReview, manage)
	a.POST("/surveys/:id/review/:comment/redact", s.handleRedact, manage)
	a.POST("/surveys/:id/review/:comment/harmless", s.handleHarmless, manage)
	a.POST("/surveys/:id/review/:comment/withhold", s.handleWithhold, manage)

	// Staff editions of closed surveys (admin): publish, choose suggestions, revoke (edition.go).
	a.POST("/surveys/:id/editions", s.handleEditionPublish, manage)
	a.GET("/surveys/:id/editions/:edition", s.handleEditionForm, manage, s.auditView("comments.view")) // it lists the comments
	a.POST("/surveys/:id/editions/:edition", s.handleEditionUpdate, manage)
	a.POST("/surveys/:id/editions/:edition/revoke", s.handleEditionRevoke, manage)
	a.POST("/surveys/:id/editions/:edition/attributes", s.handleEditionAttributes, manage)

	// Users and the audit log (admin).
	a.GET("/users", s.handleUsers, manage)
	a.POST("/users", s.handleUserAdd, manage)
	a.POST("/users/:name", s.handleUserUpdate, manage)
	a.POST("/users/:name/reset", s.handleUserReset, manage)
	a.GET("/audit", s.handleAudit, manage)
	a.GET("/audit.csv", s.handleAuditCSV, manage)

	// Every user: their own password.
	a.GET("/password", s.handlePasswordForm)
	a.POST("/password", s.handlePasswordChange)

	// Dashboards (admin, manager): a survey with its response rates, never scores.
	a.GET("/surveys/:id", s.handleSurvey, s.require(permRates))
	a.GET("/surveys/:id/reminder", s.handleReminder, s.require(permRates))
	a.GET("/api/rates", s.handleRatesAPI, s.require(permRates))

	// Reports (admin, manager, analyst): closed surveys only.
	reports := s.require(permReports)
	a.GET("/surveys/:id/report", s.handleReport, reports, s.auditView("report.view"))
	a.GET("/surveys/:id/team", s.handleTeam, reports, s.auditView("team.view"))
	a.GET("/team", s.handleTeamHome, reports)
	a.GET("/surveys/:id/comments", s.handleComments, reports, s.auditView("comments.view"))
	a.GET("/trends", s.handleTrends, reports, s.auditView("trends.view"))
	a.GET("/api/report", s.handleReportAPI, reports, s.auditView("report.api"))

	// Action plans of closed surveys: read with reports, written by admin and managers.
	plans := s.require(permPlans)
	a.GET("/surveys/:id/plans", s.handlePlans, reports, s.auditView("plans.view"))
	a.POST("/surveys/:id/plans", s.handlePlanCreate, plans)
	a.POST("/surveys/:id/plans/:plan", s.handlePlanUpdate, plans)
	a.POST("/surveys/:id/plans/:plan/delete", s.handlePlanDelete, plans)

	// Exports (admin, analyst): closed surveys only.
	export := s.require(permExport)
	a.GET("/surveys/:id/export.csv", s.handleExport, export)
	a.GET("/surveys/:id/report.csv", s.handleReportCSV, export, s.auditView("export.report"))
	a.GET("/surveys/:id/export.xlsx", s.handleExportXLSX, export)
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
	ip := s.clientIP(c)
	name, pass := c.FormValue("name"), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	fail := func(status int, msg survey.Text, why string) error {
		s.admin.throttle.fail(ip)
		s.auditAs(c, truncate(name, 64), "login.fail", "", why)
		return s.render(c, status, "admin_login.html", loginPage{Name: name, Next: next, CSRF: s.loginCSRF(c), Error: &msg})
	}
	if !validLoginCSRF(c) {
		return fail(http.StatusForbidden, errCSRF.Message, "csrf")
	}
	u, err := s.store.User(name)
	if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		return err
	}
	if u == nil {
		password.CheckNone(pass) // take as long as for a real user
		return fail(http.StatusUnauthorized, errLogin, "unknown user")
	}
	if !password.Check(u.PasswordHash, pass) {
		return fail(http.StatusUnauthorized, errLogin, "wrong password")
	}
	if u.Disabled {
		return fail(http.StatusUnauthorized, errLogin, "disabled")
	}
	s.admin.throttle.succeed(ip)
	if ck, err := c.Cookie(SessionCookie); err == nil {
		if err := s.admin.sessions.delete(ck.Value); err != nil {
			return err
		}
	}
	id, err := s.admin.sessions.create(u.Name)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, id)
	s.log.Info("admin login", "user", u.Name, "role", u.Role)
	s.auditAs(c, u.Name, "login", "", "")
	if next == "/admin" && survey.Scoped(u.Role) {
		next = "/admin/team" // a section chief lands on his team's results
	}
	if u.MustChangePassword {
		next = "/admin/password"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// truncate shortens s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// handleLogout serves POST /admin/logout: ends the session and returns to the login form.
func (s *Server) handleLogout(c echo.Context) error {
	if id, ok := c.Get("session").(string); ok {
		if err := s.admin.sessions.delete(id); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, "")
	s.audit(c, "logout", "", "")
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}
