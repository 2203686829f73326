package answer

import (
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Store is what the answering pages need of the store: a token's ticket, the one-shot
// submission and the list of surveys (for the thresholds and the info of the entry page).
// Nothing here reads a response or a result.
type Store interface {
	// Redeemable checks a token without using it (ENOTFOUND, ECONFLICT, EGONE).
	Redeemable(token string) (*survey.Ticket, error)
	// Submit uses the token and stores the response in one transaction.
	Submit(token string, r *survey.Response) error
	// SubmitWith is Submit for a response made from the token's questionnaire by build,
	// which runs in that transaction once the token is checked.
	SubmitWith(token string, build func(*survey.Questionnaire) (*survey.Response, error)) error
	// Surveys lists every survey, without responses.
	Surveys() ([]*survey.Survey, error)
}

// Server serves the pages staff answer with. Create it with New.
type Server struct {
	store Store
	site  *page.Site
	// answerLimit rate-limits the answer routes per client (ratelimit.go).
	answerLimit *rateLimiter
}

// Config tunes the answering side.
type Config struct {
	// Rate and Burst tune the per-client rate limit (RateLimit): requests a second and the
	// burst; zero means the defaults, a negative Rate no limit.
	Rate  float64
	Burst int
	// Now is the rate limit's clock; nil means time.Now.
	Now func() time.Time
}

// New returns the answering side over store, rendering with site.
func New(store Store, site *page.Site, cfg Config) *Server {
	s := &Server{store: store, site: site, answerLimit: newRateLimiter(cfg.Rate, cfg.Burst)}
	if s.answerLimit != nil && cfg.Now != nil {
		s.answerLimit.now = cfg.Now
	}
	return s
}

// render renders a page of the answering side (page.Site.Render).
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	return s.site.Render(c, status, name, data)
}
