package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// Admin sessions live in the server's memory, keyed by the SHA-256 of a random 256-bit id
// that only the browser holds (in an HttpOnly cookie). Keeping them server-side makes logout
// final and lets the server expire them; a restart signs everyone out, which for a survey
// office is a fair price.
const (
	sessionCookie   = "staffsurvey_admin"
	sessionAbsolute = 8 * time.Hour // a session ends this long after login, active or not
	sessionIdle     = time.Hour     // and this long after its last request
	maxSessions     = 10000
)

// session is one signed-in browser.
type session struct {
	user    string
	csrf    string // the CSRF token of every form of this session
	created time.Time
	seen    time.Time
}

// sessionStore holds the live sessions. It is safe for concurrent use.
type sessionStore struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[[32]byte]*session
}

func newSessionStore() *sessionStore {
	return &sessionStore{now: time.Now, m: map[[32]byte]*session{}}
}

// randomString returns n random bytes, base64url-encoded.
func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (st *sessionStore) expired(s *session, now time.Time) bool {
	return now.Sub(s.created) >= sessionAbsolute || now.Sub(s.seen) >= sessionIdle
}

// create starts a session for user and returns its id, which goes into the cookie.
func (st *sessionStore) create(user string) (string, *session) {
	id := randomString(32)
	now := st.now()
	s := &session{user: user, csrf: randomString(32), created: now, seen: now}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.m) >= maxSessions {
		for k, old := range st.m {
			if st.expired(old, now) {
				delete(st.m, k)
			}
		}
	}
	st.m[sha256.Sum256([]byte(id))] = s
	return id, s
}

// get returns the live session of id and marks it as seen now, or false when there is none or
// it has expired (then it is forgotten).
func (st *sessionStore) get(id string) (session, bool) {
	key := sha256.Sum256([]byte(id))
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.m[key]
	if s == nil {
		return session{}, false
	}
	if st.expired(s, now) {
		delete(st.m, key)
		return session{}, false
	}
	s.seen = now
	return *s, true
}

// delete ends the session of id.
func (st *sessionStore) delete(id string) {
	st.mu.Lock()
	delete(st.m, sha256.Sum256([]byte(id)))
	st.mu.Unlock()
}

// setSessionCookie sets (or, with id "", clears) the session cookie: HttpOnly, SameSite=Lax,
// Secure over TLS, scoped to /admin, and without an expiry date so the browser forgets it when
// it closes; the server expires it anyway.
func (s *Server) setSessionCookie(c echo.Context, id string) {
	ck := &http.Cookie{Name: sessionCookie, Value: id, Path: "/admin", HttpOnly: true,
		Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode}
	if id == "" {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

// requireSession lets requests with a live session through, with the user and the CSRF token
// set for handlers and templates ("user", "csrf"); every other request is sent to the login
// page with 303, remembering where it was going.
func (s *Server) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			if sess, ok := s.admin.sessions.get(ck.Value); ok {
				u, err := s.store.User(sess.user)
				if err == nil {
					c.Set("user", adminUser{Name: u.Name, Role: u.Role, Sections: u.Sections})
					c.Set("csrf", sess.csrf)
					c.Set("session", ck.Value)
					return next(c)
				}
				if survey.ErrorCode(err) != survey.ENOTFOUND {
					return err
				}
				s.admin.sessions.delete(ck.Value) // the user was removed
			}
		}
		target := "/admin/login"
		if r := c.Request(); r.Method == http.MethodGet && r.URL.Path != "/admin" && r.URL.Path != "/admin/" {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
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
