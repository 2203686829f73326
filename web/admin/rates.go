package admin

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// Response rates without watching people (docs/anonymity.md, "Response rates"). The survey
// office (permManage) sees the live counts of every section: it issues and voids the codes.
// Everyone else sees survey.PublishedRates — groups of at least min_group_size issued codes,
// a manager only his own sections — over counts refreshed at most once an hour, so that no
// counter moves while someone answers in front of a chief.

// rateRefresh is how old the counts non-admins see may be before they are taken again.
const rateRefresh = time.Hour

// rateSnapshots keeps, per survey, the token counts as they were when last taken.
type rateSnapshots struct {
	mu  sync.Mutex
	now func() time.Time // Config.Now, nil for time.Now
	m   map[string]rateSnapshot
}

type rateSnapshot struct {
	at     time.Time
	counts map[string]storage.TokenCount
}

// get returns the counts of survey id as of at most rateRefresh ago, taking them anew (with
// take) when the last ones are older.
func (r *rateSnapshots) get(id string, take func() (map[string]storage.TokenCount, error)) (map[string]storage.TokenCount, time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.now != nil {
		now = r.now()
	}
	if snap, ok := r.m[id]; ok && now.Sub(snap.at) < rateRefresh {
		return snap.counts, snap.at, nil
	}
	counts, err := take()
	if err != nil {
		return nil, time.Time{}, err
	}
	if r.m == nil {
		r.m = map[string]rateSnapshot{}
	}
	r.m[id] = rateSnapshot{at: now, counts: counts}
	return counts, now, nil
}

// rateCounts returns the token counts u may see of survey id: live for the survey office, the
// hourly snapshot for everyone else (asOf is then the time it was taken, else zero).
func (s *Server) rateCounts(u adminUser, id string) (counts map[string]storage.TokenCount, asOf time.Time, err error) {
	if u.CanManage() {
		counts, err = s.store.TokenCounts(id)
		return counts, time.Time{}, err
	}
	return s.rates.get(id, func() (map[string]storage.TokenCount, error) { return s.store.TokenCounts(id) })
}

// publishedRates returns the rows of survey q that u may see, from counts.
func publishedRates(u adminUser, q *survey.Questionnaire, counts map[string]storage.TokenCount) []survey.RateRow {
	issued, used := issuedUsed(counts)
	return survey.PublishedRates(q, issued, used, u.Scoped(), u.Sections)
}

// issuedUsed splits counts into issued and used codes per section.
func issuedUsed(counts map[string]storage.TokenCount) (issued, used map[string]int) {
	issued, used = map[string]int{}, map[string]int{}
	for code, tc := range counts {
		issued[code], used[code] = tc.Issued, tc.Used
	}
	return issued, used
}

// rateJSON is the answer of GET /admin/api/rates.
type rateJSON struct {
	Survey  string `json:"survey"`
	Section string `json:"section"`
	// Group is the group whose counts these are: the section itself, or for a section too
	// small to show, the smallest shown group that holds it.
	Group  string `json:"group"`
	Issued int    `json:"issued"`
	Used   int    `json:"used"`
	// AsOf is when the counts were taken (RFC 3339), absent for the survey office's live counts.
	AsOf string `json:"as_of,omitempty"`
}

// handleRatesAPI serves GET /admin/api/rates?survey=ID&section=CODE: the response count of one
// section as the signed-in user may see it. A section outside a manager's own is refused
// (403), like a group too small to show that is not his own.
func (s *Server) handleRatesAPI(c echo.Context) error {
	u := currentUser(c)
	id, code := c.QueryParam("survey"), c.QueryParam("section")
	sv, err := s.store.Survey(id)
	if err != nil {
		return err
	}
	q := sv.Questionnaire
	if err := u.checkSection(q, code); err != nil {
		return err
	}
	counts, asOf, err := s.rateCounts(u, id)
	if err != nil {
		return err
	}
	out := rateJSON{Survey: id, Section: code}
	if !asOf.IsZero() {
		out.AsOf = asOf.UTC().Format(time.RFC3339)
	}
	var rows []survey.RateRow
	if u.CanManage() {
		issued, used := issuedUsed(counts)
		rows = survey.LiveRates(q, issued, used)
	} else {
		rows = publishedRates(u, q, counts)
	}
	r, ok := survey.RateOf(rows, code)
	if !ok {
		return errRatesHidden
	}
	out.Group, out.Issued, out.Used = r.Code, r.Issued, r.Used
	return c.JSON(http.StatusOK, out)
}

var errRatesHidden = survey.Errorf(survey.EFORBIDDEN,
	"この所属の回収状況は表示できません（発行したコードが少ない所属は、それを含む大きな所属の中でだけ数えます）。",
	"This section's response count cannot be shown (a section with few codes issued is counted only within a larger one that holds it).")

// reminderPage is the data of admin_reminder.html: a printable notice for one section that
// reminds everyone, and nobody in particular, to answer.
type reminderPage struct {
	Survey  *survey.Survey
	Section survey.Text
	// DaysLeft is the days until the last day of the survey's period (0: today is the last
	// day), −1 without a period or after it.
	DaysLeft int
	Closes   string
	URL      string // the entry page, where the code on the slip is typed
}

// handleReminder serves GET /admin/surveys/{id}/reminder?section=CODE: a printable, name-free
// reminder for a section of an open survey (「回答期限まであと3日です」), to post or hand round
// instead of chasing individuals. It holds no count and no name; a manager may print it for his
// own sections only (403 otherwise).
func (s *Server) handleReminder(c echo.Context) error {
	u := currentUser(c)
	sv, err := s.store.Survey(c.Param("id"))
	if err != nil {
		return err
	}
	q := sv.Questionnaire
	code := c.QueryParam("section")
	if code == "" {
		code = u.home(q)
	}
	if err := u.checkSection(q, code); err != nil {
		return err
	}
	if sv.State != survey.StateOpen {
		return survey.Errorf(survey.ESTATE, "回答受付中の調査だけ、回答のお願いを印刷できます", "reminders are printed for open surveys only")
	}
	sec, _ := q.Section(code)
	p := reminderPage{Survey: sv, Section: sec.Name, DaysLeft: -1, URL: s.baseURL(c) + "/"}
	if q.Period != nil {
		_, closes := q.Period.Dates()
		now := time.Now().In(time.FixedZone("JST", 9*60*60)) // the period's dates are Japanese calendar days
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if d := int(closes.Sub(today).Hours() / 24); d >= 0 {
			p.DaysLeft, p.Closes = d, q.Period.Closes
		}
	}
	return s.render(c, http.StatusOK, "admin_reminder.html", p)
}
