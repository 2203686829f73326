package admin

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// permission is something a role may do on the admin pages.
type permission int

const (
	// permManage: create, open and close surveys, issue tokens, download backups.
	permManage permission = iota
	// permRates: see the response-rate dashboard of a survey.
	permRates
	// permReports: see reports, trends, comments and the report API of closed surveys.
	permReports
	// permExport: download responses and report tables as CSV.
	permExport
	// permPlans: write action plans (plans.go) — a manager only for its own sections.
	// Reading them needs permReports.
	permPlans
)

// rolePermissions is the roles matrix of the admin pages, each role seeing only what its work needs: admin may do everything,
// executive (the 区長) sees dashboards and every report, manager sees dashboards and the
// reports of its own sections (scope.go), analyst sees reports and exports. Admin and
// manager write action plans (a manager for its own sections only); whoever sees reports
// reads them.
var rolePermissions = map[string]map[permission]bool{
	survey.RoleAdmin:     {permManage: true, permRates: true, permReports: true, permExport: true, permPlans: true},
	survey.RoleExecutive: {permRates: true, permReports: true},
	survey.RoleManager:   {permRates: true, permReports: true, permPlans: true},
	survey.RoleAnalyst:   {permReports: true, permExport: true},
}

// adminUser is the signed-in user as handlers and templates see it (.Extra.user).
type adminUser struct {
	Name string
	Role string
	// Sections scope a manager (survey.User.Sections).
	Sections []string
}

func (u adminUser) can(p permission) bool { return rolePermissions[u.Role][p] }

// CanManage, CanRates, CanReports and CanExport tell templates which links to offer.
func (u adminUser) CanManage() bool  { return u.can(permManage) }
func (u adminUser) CanRates() bool   { return u.can(permRates) }
func (u adminUser) CanReports() bool { return u.can(permReports) }
func (u adminUser) CanExport() bool  { return u.can(permExport) }
func (u adminUser) CanPlans() bool   { return u.can(permPlans) }

// RoleTitle names the role for the page header.
func (u adminUser) RoleTitle() survey.Text {
	switch u.Role {
	case survey.RoleAdmin:
		return survey.Text{JA: "管理者", EN: "admin"}
	case survey.RoleExecutive:
		return survey.Text{JA: "幹部", EN: "executive"}
	case survey.RoleManager:
		return survey.Text{JA: "管理職", EN: "manager"}
	case survey.RoleAnalyst:
		return survey.Text{JA: "分析担当", EN: "analyst"}
	}
	return survey.Text{JA: u.Role}
}

var errForbidden = survey.Errorf(survey.EFORBIDDEN,
	"この操作を行う権限がありません。", "Your role may not do this.")

// require returns middleware that lets the request through only when the signed-in user's
// role has permission p, and answers 403 otherwise. It runs after requireSession.
func (s *Server) require(p permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := c.Get("user").(adminUser)
			if !ok || !u.can(p) {
				return errForbidden
			}
			return next(c)
		}
	}
}

// Login throttling, so that passwords cannot be guessed at speed: a client with LoginMaxFailures failed logins within
// LoginWindow gets 429 until the window ends, before any other check of its request.
const (
	LoginMaxFailures = 10
	LoginWindow      = time.Minute
)

// throttle counts failed logins per client address in fixed windows.
type throttle struct {
	mu    sync.Mutex
	now   func() time.Time
	fails map[string]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

func newThrottle() *throttle {
	return &throttle{now: time.Now, fails: map[string]*failWindow{}}
}

// blocked reports whether client has used up its failures in the current window, and how long
// until it may try again.
func (t *throttle) blocked(client string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.fails[client]
	if w == nil {
		return false, 0
	}
	left := LoginWindow - t.now().Sub(w.start)
	if left <= 0 {
		delete(t.fails, client)
		return false, 0
	}
	return w.n >= LoginMaxFailures, left
}

// fail records a failed login of client.
func (t *throttle) fail(client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.fails) > 10000 { // bound memory under a spray of addresses
		for k, w := range t.fails {
			if now.Sub(w.start) >= LoginWindow {
				delete(t.fails, k)
			}
		}
	}
	w := t.fails[client]
	if w == nil || now.Sub(w.start) >= LoginWindow {
		w = &failWindow{start: now}
		t.fails[client] = w
	}
	w.n++
}

// succeed forgets the failures of client.
func (t *throttle) succeed(client string) {
	t.mu.Lock()
	delete(t.fails, client)
	t.mu.Unlock()
}

// checkThrottle answers 429 with Retry-After when the client must wait.
func (s *Server) checkThrottle(c echo.Context) error {
	if blocked, left := s.admin.throttle.blocked(s.clientIP(c)); blocked {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(left.Seconds())+1))
		return echo.NewHTTPError(http.StatusTooManyRequests)
	}
	return nil
}
