package web

import (
	"context"
	"crypto/tls"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

//go:embed templates/*.html static
var assets embed.FS

// Config is what a Server needs besides its store.
type Config struct {
	// Logger receives access logs of the admin pages and internal errors. Nil discards.
	Logger *slog.Logger
	// BaseURL is the public URL of the server, printed on token slips. Empty: derived from the request.
	BaseURL string
	// TLS is true when the server is reached over HTTPS; cookies are then marked Secure. A
	// BaseURL starting with https:// has the same effect (TLS ending at a proxy).
	TLS bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed (clientIP).
	TrustedProxies []netip.Prefix
	// AnswerRate and AnswerBurst tune the per-client rate limit of the answer routes
	// (ratelimit.go): requests a second and the burst; zero means the defaults, a negative
	// AnswerRate no limit.
	AnswerRate  float64
	AnswerBurst int
	// ShippedQuestionnaires names the questionnaire files shipped with the binary and
	// OpenQuestionnaire reads one; the admin page that creates a survey offers them (cmd wires
	// the questionnaires package). Nil offers uploads only.
	ShippedQuestionnaires func() []string
	OpenQuestionnaire     func(name string) ([]byte, error)
}

// Body size limits: answer routes carry a few kilobytes at most; admin uploads (questionnaires,
// CSV imports) are larger.
const (
	answerBodyLimit = "256K"
	adminBodyLimit  = "64M"
)

// compress gzips responses of at least a kilobyte to clients that accept it: the answering
// pages (a questionnaire is some 50 KB of HTML, mostly repeated labels) and the static files.
var compress = middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024})

// Server serves the staff and admin pages. Create it with New.
type Server struct {
	store *storage.Store
	cfg   Config
	log   *slog.Logger
	echo  *echo.Echo
	pages map[string]*template.Template
	admin *adminState // sessions, login throttle (admin.go)
	// answerLimit rate-limits the answer routes per client (ratelimit.go).
	answerLimit *rateLimiter
	res         *results.Service // results of closed surveys: the closed-only guard, cached analyses and comments, exports
	claims      reviewClaims     // who reviews which comments now (review.go)
}

// New builds a server over store, parsing every template once so that a broken template fails
// at start, not on a user's request.
func New(store *storage.Store, cfg Config) (*Server, error) {
	s := &Server{store: store, cfg: cfg, log: cfg.Logger, res: results.New(store),
		answerLimit: newRateLimiter(cfg.AnswerRate, cfg.AnswerBurst)}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(discard{}, nil))
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.Recover())
	e.Use(s.securityHeaders)
	e.Use(s.accessLog)
	s.echo = e

	static, _ := fs.Sub(assets, "static")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", cacheStatic(http.FileServer(http.FS(static))))), compress)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	s.registerAnswerRoutes(e.Group("", middleware.BodyLimit(answerBodyLimit), s.rateLimitAnswers, compress))
	s.registerAdminRoutes(e.Group("/admin", middleware.BodyLimit(adminBodyLimit)))
	s.registerEditionRoutes(e.Group("", s.rateLimitAnswers, compress))
	return s, nil
}

// Handler returns the server as an http.Handler (for tests with httptest).
func (s *Server) Handler() http.Handler { return s.echo }

// Serve serves on ln until ctx is cancelled, then shuts down gracefully: in-flight requests
// (a submission being written, an export streaming) get up to 30 seconds to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, tlsCert, tlsKey string) error {
	hs := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      2 * time.Minute, // downloads extend their own deadline (spool.go)
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(tlsCert, tlsKey)
		if err != nil {
			return survey.Errorf(survey.EINVALID, "TLS 証明書と鍵を読めません: %v", "cannot load the TLS certificate and key: %v", err)
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// statusOf maps domain error codes to HTTP statuses: the one table of its kind.
var statusOf = map[string]int{
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

// handleError renders every error a handler returns: JSON for API routes, a page otherwise.
// Internal errors are logged once, without the query string, and shown as a generic message.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code := survey.ErrorCode(err)
	status := statusOf[code]
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
		s.log.Error("request failed", "method", c.Request().Method, "path", redactTokens(c.Request().URL.Path), "err", err)
	}
	lang := langOf(c)
	if wantsJSON(c) {
		c.JSON(status, map[string]string{"error": code, "message": msg.In(lang)})
		return
	}
	if c.Request().Method == http.MethodPost && isAnswerRoute(c.Request().URL.Path) {
		resubmittable(c) // Back to this page must not ask to send the answers again
	}
	s.render(c, status, "error.html", map[string]any{"Status": status, "Message": msg, "Code": code})
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

// securityHeaders sets the headers of every response. Scripts come only from this server
// (charts read their options from JSON blocks, never inline code); no page may be framed; the
// Referer is never sent, so a token in a URL cannot leak to another site.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secure() {
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

// accessLog logs admin requests: method, path without query string, status and duration.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
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
			status = statusOf[survey.ErrorCode(err)]
		}
		s.log.Info("http", "method", c.Request().Method, "path", redactTokens(path), "status", status, "ms", time.Since(start).Milliseconds())
		return err
	}
}

// tokenLike matches anything shaped like a token, so that one pasted into a wrong URL is not logged either.
var tokenLike = regexp.MustCompile(`(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}`)

// redactTokens replaces every token-shaped part of s, and the token of a staff edition's path.
func redactTokens(s string) string {
	s = editionPathLike.ReplaceAllString(s, "/s/[redacted]")
	return tokenLike.ReplaceAllString(s, "[redacted]")
}

// cacheStatic lets browsers keep embedded static files for a day.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
