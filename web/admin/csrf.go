package admin

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// CSRF protection of the admin pages. Signed-in users: every state-changing request must carry
// the session's own token, in the form field _csrf or the header X-CSRF-Token. The login form,
// before any session exists, uses a double-submit token: a random value both in an HttpOnly
// cookie scoped to the login path and in the form, which another site can neither read nor set.
const (
	CSRFField       = "_csrf"
	csrfHeader      = "X-CSRF-Token"
	loginCSRFCookie = "staffsurvey_login_csrf"
)

var errCSRF = survey.Errorf(survey.EFORBIDDEN,
	"フォームの有効期限が切れたか、正しくない送信です。ページを再読み込みしてからやり直してください。",
	"The form has expired or the request is not valid. Reload the page and try again.")

// sameToken compares two tokens in constant time; empty tokens never match.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// requestToken is the CSRF token a request carries.
func requestToken(c echo.Context) string {
	if t := c.Request().Header.Get(csrfHeader); t != "" {
		return t
	}
	return c.FormValue(CSRFField)
}

// checkCSRF rejects state-changing requests whose token is not the session's. It runs after
// requireSession.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		want, _ := c.Get("csrf").(string)
		if !sameToken(requestToken(c), want) {
			return errCSRF
		}
		return next(c)
	}
}

// loginCSRF returns the login form's token, setting its cookie when the browser has none.
func (s *Server) loginCSRF(c echo.Context) string {
	if ck, err := c.Cookie(loginCSRFCookie); err == nil && len(ck.Value) >= 32 {
		return ck.Value
	}
	t := randomString(32)
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: t, Path: "/admin/login", HttpOnly: true,
		Secure: s.secure(), SameSite: http.SameSiteStrictMode})
	return t
}

// validLoginCSRF reports whether a login POST carries the token of its cookie.
func validLoginCSRF(c echo.Context) bool {
	ck, err := c.Cookie(loginCSRFCookie)
	return err == nil && sameToken(c.FormValue(CSRFField), ck.Value)
}
