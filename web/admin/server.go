package admin

import (
	"html/template"
	"io"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/web/page"
)

// What the signed-in side needs of the store, area by area. Each is the consumer's own small
// interface; *storage.Store satisfies them all.

// SessionStore keeps the sessions of signed-in users (session.go).
type SessionStore interface {
	PutSession(hash [32]byte, sess storage.Session) error
	Session(hash [32]byte) (storage.Session, bool, error)
	DeleteSession(hash [32]byte) error
	DeleteSessions(drop func(storage.Session) bool) (int, error)
}

// AccountStore keeps the users and the audit log (admin.go, users.go, audit.go).
type AccountStore interface {
	User(name string) (*survey.User, error)
	Users() ([]*survey.User, error)
	PutUser(u *survey.User) error
	Audit(e storage.AuditEvent) error
	AuditLog(before uint64, limit int) ([]storage.AuditEvent, int, error)
	EachAudit(fn func(storage.AuditEvent) error) error
}

// SurveyStore keeps the surveys and their tokens (admin_surveys.go, batches.go).
type SurveyStore interface {
	Survey(id string) (*survey.Survey, error)
	Surveys() ([]*survey.Survey, error)
	CreateSurvey(q *survey.Questionnaire) error
	UpdateDraft(id string, q *survey.Questionnaire) error
	IssueTokens(id, section string, n int) ([]string, error)
	VoidTokens(id string, tokens []string) (int, error)
	TokenCounts(id string) (map[string]storage.TokenCount, error)
	Backup(w io.Writer) (int64, error)
}

// ReviewStore records the decisions on comments under review (review.go).
type ReviewStore interface {
	Redact(surveyID string, question int, text, redacted string) (int, error)
	MarkHarmless(surveyID, commentID, by string) error
	Decide(surveyID, commentID, decision, by string) error
}

// PlanStore keeps the action plans (plans.go).
type PlanStore interface {
	Plan(surveyID, id string) (*survey.Plan, error)
	Plans(surveyID string) ([]*survey.Plan, error)
	PutPlan(p *survey.Plan) error
	DeletePlan(surveyID, id string) error
}

// EditionStore keeps the staff editions (edition.go).
type EditionStore interface {
	Editions(surveyID string) ([]*survey.Edition, error)
	EditionByToken(token string) (*survey.Edition, error)
	PublishEdition(surveyID, user string, comments []string) (*survey.Edition, error)
	UpdateEdition(surveyID, id string, comments []string) (*survey.Edition, error)
	SetEditionAttributes(surveyID, id string, attributes []string) (*survey.Edition, error)
	RevokeEdition(surveyID, id string) error
}

// PaperStore takes the answers of paper forms exactly as the answering side takes online ones
// (paper_entry.go).
type PaperStore interface {
	Redeemable(token string) (*survey.Ticket, error)
	Submit(token string, r *survey.Response) error
}

// Store is every area's store together: what New takes.
type Store interface {
	SessionStore
	AccountStore
	SurveyStore
	BallotStore
	ReviewStore
	PlanStore
	EditionStore
	PaperStore
}

// Config is what the signed-in side needs besides its store.
type Config struct {
	// BaseURL is the public URL of the server, printed on token slips. Empty: derived from the request.
	BaseURL string
	// ShippedQuestionnaires names the questionnaire files shipped with the binary and
	// OpenQuestionnaire reads one; the page that creates a survey offers them. Nil offers
	// uploads only.
	ShippedQuestionnaires func() []string
	OpenQuestionnaire     func(name string) ([]byte, error)
	// Now is the clock of sessions and the login throttle; nil means time.Now.
	Now func() time.Time
	// Preview renders the answer page of a questionnaire for a section without a token, marked
	// as a preview, with a link back (the answering side's; cmd's web wiring sets it). Nil: no preview.
	Preview func(c echo.Context, q *survey.Questionnaire, section, back string) error
}

// Server serves the signed-in pages under /admin and the staff editions. Create it with New.
type Server struct {
	store  Store
	res    *results.Service // results of closed surveys: the closed-only guard, cached analyses and comments, exports
	cfg    Config
	site   *page.Site
	log    *slog.Logger
	admin  *adminState    // sessions, login throttle, token batches (admin.go)
	rates  *rateSnapshots // the hourly response counts of everyone but the survey office (rates.go)
	claims reviewClaims   // who reviews which comments now (review_claims.go)
}

// New returns the signed-in side over store and res, rendering with site.
func New(store Store, res *results.Service, site *page.Site, cfg Config) *Server {
	st := &adminState{sessions: newSessionStore(store), throttle: newThrottle(), batches: newBatchStore()}
	if cfg.Now != nil {
		st.sessions.now, st.throttle.now = cfg.Now, cfg.Now
	}
	return &Server{store: store, res: res, cfg: cfg, site: site, log: site.Log, admin: st, rates: &rateSnapshots{now: cfg.Now}}
}

// Funcs returns the template functions of the signed-in pages besides page.Funcs.
func Funcs() template.FuncMap {
	return template.FuncMap{
		// roleTitle names a role (the users page).
		"roleTitle": roleTitle,
	}
}

// render renders a signed-in page (page.Site.Render).
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	return s.site.Render(c, status, name, data)
}

// clientIP is the client's address (page.Site.ClientIP).
func (s *Server) clientIP(c echo.Context) string { return s.site.ClientIP(c) }

// SetPreview sets Config.Preview: the wiring makes the answering side after the signed-in one.
func (s *Server) SetPreview(preview func(c echo.Context, q *survey.Questionnaire, section, back string) error) {
	s.cfg.Preview = preview
}
