package web

import (
	"context"
	"crypto/tls"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/web/admin"
	"staffsurvey/web/answer"
	"staffsurvey/web/page"
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
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed (page.Site.ClientIP).
	TrustedProxies []netip.Prefix
	// AnswerRate and AnswerBurst tune the per-client rate limit of the answer routes
	// (answer.Server.RateLimit): requests a second and the burst; zero means the defaults, a negative
	// AnswerRate no limit.
	AnswerRate  float64
	AnswerBurst int
	// ShippedQuestionnaires names the questionnaire files shipped with the binary and
	// OpenQuestionnaire reads one; the admin page that creates a survey offers them (cmd wires
	// the questionnaires package). Nil offers uploads only.
	ShippedQuestionnaires func() []string
	OpenQuestionnaire     func(name string) ([]byte, error)
	// Now is the clock of sessions, the login throttle and the rate limit; nil means time.Now.
	Now func() time.Time
}

// Body size limits: answer routes carry a few kilobytes at most; admin uploads (questionnaires,
// CSV imports) are larger.
const (
	answerBodyLimit = "256K"
	adminBodyLimit  = "64M"
)

// compress gzips responses of at least a kilobyte to clients that accept it: the answering
// pages (a questionnaire is some 50 KB of HTML, mostly repeated labels) and the static files.
// It skips the API's submissions, whose answers are a few bytes of JSON: the middleware resets
// a compressor for every request it does not skip, whatever the length (a fifth of the
// server's CPU per submission).
var compress = middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024, Skipper: uncompressed})

// uncompressed tells the requests whose answers compress skips.
func uncompressed(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/api/v1/responses"
}

// compressPages gzips the signed-in pages like compress (a report is some 130 KB of HTML),
// but not the downloads: a backup or an export is streamed as it is read (page.Spool) and an
// .xlsx is already compressed, so gzip would only spend the CPU the submit path needs.
var compressPages = middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024, Skipper: isDownload})

// isDownload reports whether a request asks for a file to download rather than a page.
func isDownload(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".xlsx") || p == "/admin/backup"
}

// Server serves the staff and admin pages. Create it with New.
type Server struct {
	site   *page.Site     // what every page shares: templates, errors, headers, client address
	answer *answer.Server // the anonymous side: token entry, questionnaire, JSON API
	admin  *admin.Server  // the signed-in side, and the staff editions
	echo   *echo.Echo
	res    *results.Service // kept for tests that compare pages with the results they show
}

// New builds a server over store, parsing every template once so that a broken template fails
// at start, not on a user's request. It only wires: the answering side gets the three store
// methods it needs, the signed-in side the store and the results service.
func New(store *storage.Store, cfg Config) (*Server, error) {
	site, err := page.NewSite(assets, admin.Funcs(), cfg.Logger)
	if err != nil {
		return nil, err
	}
	site.Secure = cfg.TLS || strings.HasPrefix(strings.ToLower(cfg.BaseURL), "https://")
	site.TrustedProxies = cfg.TrustedProxies
	res := results.New(store)
	s := &Server{site: site, res: res,
		answer: answer.New(store, site, answer.Config{Rate: cfg.AnswerRate, Burst: cfg.AnswerBurst, Now: cfg.Now}),
		admin: admin.New(store, res, site, admin.Config{BaseURL: cfg.BaseURL, Now: cfg.Now,
			ShippedQuestionnaires: cfg.ShippedQuestionnaires, OpenQuestionnaire: cfg.OpenQuestionnaire})}
	s.admin.SetPreview(s.answer.Preview)
	site.Info = s.answer.SurveyInfo
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = site.HandleError
	e.Use(middleware.Recover())
	e.Use(site.SecurityHeaders)
	e.Use(site.AccessLog)
	s.echo = e

	static, _ := fs.Sub(assets, "static")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", cacheStatic(http.FileServer(http.FS(static))))), compress)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	s.answer.Register(e.Group("", middleware.BodyLimit(answerBodyLimit), s.answer.RateLimit, compress))
	s.admin.Register(e.Group("/admin", middleware.BodyLimit(adminBodyLimit), compressPages))
	s.admin.RegisterEditions(e.Group("", s.answer.RateLimit, compress))
	return s, nil
}

// ParseTrustedProxies parses a comma-separated list of CIDR ranges or single addresses (the
// serve --trusted-proxy flag) for Config.TrustedProxies.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) { return page.ParseTrustedProxies(list) }

// Handler returns the server as an http.Handler (for tests with httptest).
func (s *Server) Handler() http.Handler { return s.echo }

// Serve serves on ln until ctx is cancelled, then shuts down gracefully: in-flight requests
// (a submission being written, an export streaming) get up to 30 seconds to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, tlsCert, tlsKey string) error {
	hs := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      2 * time.Minute, // downloads extend their own deadline (page.AllowDownload)
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.site.Log.Handler(), slog.LevelWarn),
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

// cacheStatic lets browsers keep embedded static files for a day.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}
