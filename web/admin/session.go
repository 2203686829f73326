package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// Admin sessions are kept in the store (storage.Session), keyed by the SHA-256 of a random
// 256-bit id that only the browser holds (in an HttpOnly cookie): the database file alone
// cannot sign anyone in, a restart signs nobody out, logout is final and the server expires
// sessions itself.
const (
	SessionCookie   = "staffsurvey_admin"
	sessionAbsolute = 8 * time.Hour // a session ends this long after login, active or not
	SessionIdle     = time.Hour     // and this long after its last request
	// sessionTouch is how stale the stored last-seen time may get before a request rewrites
	// it: the idle limit is kept to within this, without a write per request.
	sessionTouch = time.Minute
)

// session is one signed-in browser.
type session struct {
	user    string
	csrf    string // the CSRF token of every form of this session
	created time.Time
	seen    time.Time
}

// sessionStore keeps sessions in the store. It is safe for concurrent use.
type sessionStore struct {
	st  SessionStore
	now func() time.Time
}

func newSessionStore(st SessionStore) *sessionStore {
	return &sessionStore{st: st, now: time.Now}
}

// randomString returns n random bytes, base64url-encoded.
func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func expired(s storage.Session, now time.Time) bool {
	return now.Sub(s.Created) >= sessionAbsolute || now.Sub(s.Seen) >= SessionIdle
}

// create starts a session for user and returns its id, which goes into the cookie. Expired
// sessions of every user are dropped on the way.
func (st *sessionStore) create(user string) (string, error) {
	id := randomString(32)
	now := st.now()
	if _, err := st.st.DeleteSessions(func(s storage.Session) bool { return expired(s, now) }); err != nil {
		return "", err
	}
	err := st.st.PutSession(sha256.Sum256([]byte(id)), storage.Session{User: user, CSRF: randomString(32), Created: now, Seen: now})
	return id, err
}

// get returns the live session of id and marks it as seen now, or false when there is none or
// it has expired (then it is forgotten).
func (st *sessionStore) get(id string) (session, bool, error) {
	key := sha256.Sum256([]byte(id))
	now := st.now()
	s, ok, err := st.st.Session(key)
	if err != nil || !ok {
		return session{}, false, err
	}
	if expired(s, now) {
		return session{}, false, st.st.DeleteSession(key)
	}
	if now.Sub(s.Seen) >= sessionTouch {
		s.Seen = now
		if err := st.st.PutSession(key, s); err != nil {
			return session{}, false, err
		}
	}
	return session{user: s.User, csrf: s.CSRF, created: s.Created, seen: s.Seen}, true, nil
}

// delete ends the session of id.
func (st *sessionStore) delete(id string) error {
	return st.st.DeleteSession(sha256.Sum256([]byte(id)))
}

// deleteUser ends every session of user: after a password change, a reset, or disabling.
func (st *sessionStore) deleteUser(user string) error {
	_, err := st.st.DeleteSessions(func(s storage.Session) bool { return s.User == user })
	return err
}

// setSessionCookie sets (or, with id "", clears) the session cookie: HttpOnly, SameSite=Lax,
// Secure over TLS, scoped to /admin, and without an expiry date so the browser forgets it when
// it closes; the server expires it anyway.
func (s *Server) setSessionCookie(c echo.Context, id string) {
	ck := &http.Cookie{Name: SessionCookie, Value: id, Path: "/admin", HttpOnly: true,
		Secure: s.secure(), SameSite: http.SameSiteLaxMode}
	if id == "" {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

// secure reports whether cookies are marked Secure (page.Site.Secure).
func (s *Server) secure() bool { return s.site.Secure }

// requireSession lets requests with a live session through, with the user and the CSRF token
// set for handlers and templates ("user", "csrf"); every other request is sent to the login
// page with 303, remembering where it was going.
func (s *Server) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
			sess, ok, err := s.admin.sessions.get(ck.Value)
			if err != nil {
				return err
			}
			if ok {
				u, err := s.store.User(sess.user)
				if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
					return err
				}
				if err == nil && !u.Disabled {
					c.Set("user", adminUser{Name: u.Name, Role: u.Role, Sections: u.Sections})
					c.Set("csrf", sess.csrf)
					c.Set("session", ck.Value)
					if u.MustChangePassword && !passwordChangeAllowed(c) {
						return c.Redirect(http.StatusSeeOther, "/admin/password")
					}
					return next(c)
				}
				if err := s.admin.sessions.delete(ck.Value); err != nil { // the user was removed or disabled
					return err
				}
			}
		}
		target := "/admin/login"
		if r := c.Request(); r.Method == http.MethodGet && r.URL.Path != "/admin" && r.URL.Path != "/admin/" {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// passwordChangeAllowed reports whether a request may go on while its user must change the
// password: the change-password page itself and signing out.
func passwordChangeAllowed(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/admin/password" || p == "/admin/logout"
}

// safeNext returns next when it is a path on the admin pages, and /admin otherwise, so that
// the login form cannot be made to redirect to another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/admin"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/admin"
	}
	return next
}
