package page

import (
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// Site is what every page of the server shares, whichever side serves it: the parsed
// templates, the logger, the error handler, the security headers and the client's address.
// Create it with NewSite.
type Site struct {
	// Log receives access logs of the admin pages and internal errors.
	Log *slog.Logger
	// Secure is true when cookies are marked Secure and HSTS is sent: served over TLS, or behind
	// a proxy that ends TLS for a https:// base URL.
	Secure bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed (ClientIP).
	TrustedProxies []netip.Prefix
	// Info returns the period, contact and results shown on staff pages (every page outside
	// /admin) when a handler has not set them for the request (SetInfo); nil shows none.
	Info func(c echo.Context) *Info

	pages map[string]*template.Template
}

// NewSite parses every page under templates/ of assets once, with funcs besides the shared
// template functions, so that a broken template fails at start, not on a user's request. A nil
// log discards.
func NewSite(assets fs.FS, funcs template.FuncMap, log *slog.Logger) (*Site, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(discard{}, nil))
	}
	s := &Site{Log: log}
	if err := s.parseTemplates(assets, funcs); err != nil {
		return nil, err
	}
	return s, nil
}

// StatusOf maps domain error codes to HTTP statuses: the one table of its kind.
var StatusOf = map[string]int{
	survey.EINVALID:   http.StatusUnprocessableEntity,
	survey.ENOTFOUND:  http.StatusNotFound,
	survey.ECONFLICT:  http.StatusConflict,
	survey.EGONE:      http.StatusGone,
	survey.ESTATE:     http.StatusConflict,
	survey.EBUSY:      http.StatusServiceUnavailable,
	survey.ETOOLARGE:  http.StatusRequestEntityTooLarge,
	survey.EFORBIDDEN: http.StatusForbidden,
	survey.EINTERNAL:  http.StatusInternalServerError,
}

// errorCodeOf maps HTTP statuses of framework errors (no route, body too large) back to codes.
var errorCodeOf = map[int]string{
	http.StatusNotFound:              survey.ENOTFOUND,
	http.StatusRequestEntityTooLarge: survey.ETOOLARGE,
	http.StatusForbidden:             survey.EFORBIDDEN,
	http.StatusUnprocessableEntity:   survey.EINVALID,
	http.StatusBadRequest:            survey.EINVALID,
}

// HandleError renders every error a handler returns (echo's HTTPErrorHandler): JSON for API
// routes, a page otherwise. Internal errors are logged once, without the query string, and
// shown as a generic message.
func (s *Site) HandleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code := survey.ErrorCode(err)
	status := StatusOf[code]
	msg := survey.ErrorMessage(err)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		code = errorCodeOf[status]
		if code == "" {
			code = strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))
		}
		msg = httpMessage(status)
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.Log.Error("request failed", "method", c.Request().Method, "path", RedactTokens(c.Request().URL.Path), "err", err)
	}
	lang := LangOf(c)
	if wantsJSON(c) {
		c.JSON(status, map[string]string{"error": code, "message": lang.Text(msg)})
		return
	}
	if c.Request().Method == http.MethodPost && isAnswerRoute(c.Request().URL.Path) {
		Resubmittable(c) // Back to this page must not ask to send the answers again
	}
	s.Render(c, status, "error.html", map[string]any{"Status": status, "Message": msg, "Code": code})
}

func httpMessage(status int) survey.Text {
	switch status {
	case http.StatusNotFound:
		return survey.Text{JA: "ページが見つかりません。", EN: "Page not found."}
	case http.StatusRequestEntityTooLarge:
		return survey.Text{JA: "送信されたデータが大きすぎます。", EN: "The request is too large."}
	case http.StatusForbidden:
		return survey.Text{JA: "この操作を行う権限がありません。", EN: "You are not allowed to do this."}
	case http.StatusMethodNotAllowed:
		return survey.Text{JA: "この操作はできません。", EN: "Method not allowed."}
	case http.StatusTooManyRequests:
		return survey.Text{JA: "短い時間にアクセスが多すぎます。少し待ってから（Retry-After の秒数のあと）もう一度お試しください。入力した回答はブラウザーの「戻る」で残っています。",
			EN: "Too many requests in a short time. Please wait a little (the seconds of Retry-After) and try again. Your answers are still there with the browser's Back button."}
	}
	if status >= 500 {
		return survey.ErrorMessage(errors.New("internal"))
	}
	return survey.Text{JA: "リクエストが正しくありません。", EN: "Bad request."}
}

func wantsJSON(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/admin/api/") ||
		strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON)
}

// SecurityHeaders sets the headers of every response. Scripts come only from this server
// (charts read their options from JSON blocks, never inline code); no page may be framed; the
// Referer is never sent, so a token in a URL cannot leak to another site.
func (s *Site) SecurityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.Secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// isAnswerRoute reports whether a path belongs to staff answering: those requests carry
// tokens and are never access-logged.
func isAnswerRoute(path string) bool {
	return path == "/" || path == "/a" || path == "/thanks" || strings.HasPrefix(path, "/api/")
}

// AccessLog logs admin requests: method, path without query string, status and duration.
func (s *Site) AccessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		path := c.Request().URL.Path
		if isAnswerRoute(path) || strings.HasPrefix(path, "/static/") || path == "/healthz" {
			return err
		}
		status := c.Response().Status
		var he *echo.HTTPError
		if errors.As(err, &he) {
			status = he.Code
		} else if err != nil {
			status = StatusOf[survey.ErrorCode(err)]
		}
		s.Log.Info("http", "method", c.Request().Method, "path", RedactTokens(path), "status", status, "ms", time.Since(start).Milliseconds())
		return err
	}
}

// tokenLike and codeLike match anything shaped like a token — an earlier version's UUID, or a
// code (4-4-4-5 letters and digits, hyphens optional, typed letters I L O U included) — so
// that one pasted into a wrong URL is not logged either.
var (
	tokenLike = regexp.MustCompile(`(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}`)
	codeLike  = regexp.MustCompile(`(?i)\b(?:[0-9a-z]{4}-?){3}[0-9a-z]{5}\b`)
)

// RedactTokens replaces every token-shaped part of s, and the token of a staff edition's path.
func RedactTokens(s string) string {
	s = editionPathLike.ReplaceAllString(s, "/s/[redacted]")
	s = tokenLike.ReplaceAllString(s, "[redacted]")
	return codeLike.ReplaceAllString(s, "[redacted]")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// editionPathLike matches the path of a staff edition (the signed-in side serves it), whose token must not be logged.
var editionPathLike = regexp.MustCompile(`^/s/[^/]*`)

// NoStore forbids caching the response anywhere: it may hold a token or answers.
func NoStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// Resubmittable lets the browser keep the page rendered for a POST in its history, so that
// Back and Forward show it again instead of asking to send the form again.
func Resubmittable(c echo.Context) {
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-cache")
}

// ctxToken is the context key of the token the layout's language switch must keep.
const ctxToken = "token"

// SetToken remembers the answer token of the request, which the layout's language switch keeps.
func SetToken(c echo.Context, token string) { c.Set(ctxToken, token) }
