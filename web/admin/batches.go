package admin

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/slips"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Issuing tokens in the browser is POST-redirect-GET: the POST issues a batch and keeps its
// tokens in this server's memory only — never in the database, where only their hashes are —
// for batchTTL, under a random batch id and for the session that issued it; the GET shows the
// batch (slips, CSV, voiding) as often as needed, and a reload never issues again. After
// batchTTL, or a restart, the tokens are gone for good.

const (
	batchTTL       = 30 * time.Minute
	maxBatches     = 200     // bounds memory: the oldest batch goes first …
	maxBatchTokens = 200_000 // … and when the batches held have more tokens than this
)

// batch is one issue of tokens.
type batch struct {
	session [32]byte // SHA-256 of the issuing session's id
	survey  string
	section string
	base    string // the URL printed on its slips
	tokens  []string
	created time.Time
	voided  int // how many of its tokens were voided, once voided
}

// batchStore holds recent batches. It is safe for concurrent use.
type batchStore struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]*batch
}

func newBatchStore() *batchStore {
	return &batchStore{now: time.Now, m: map[string]*batch{}}
}

// put keeps b and returns its id.
func (bs *batchStore) put(b *batch) string {
	id := randomString(16)
	bs.mu.Lock()
	defer bs.mu.Unlock()
	now := bs.now()
	b.created = now
	var oldest string
	for k, old := range bs.m {
		if now.Sub(old.created) >= batchTTL {
			delete(bs.m, k)
		} else if oldest == "" || old.created.Before(bs.m[oldest].created) {
			oldest = k
		}
	}
	if len(bs.m) >= maxBatches {
		delete(bs.m, oldest)
	}
	bs.m[id] = b
	for {
		total, oldest := 0, ""
		for k, old := range bs.m {
			total += len(old.tokens)
			if k != id && (oldest == "" || old.created.Before(bs.m[oldest].created)) {
				oldest = k
			}
		}
		if total <= maxBatchTokens || oldest == "" {
			return id
		}
		delete(bs.m, oldest)
	}
}

// get returns a copy of batch id of survey if the session issued it and it has not expired.
func (bs *batchStore) get(id, surveyID, session string) (batch, bool) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b := bs.m[id]
	if b == nil || b.survey != surveyID || b.session != sha256.Sum256([]byte(session)) {
		return batch{}, false
	}
	if bs.now().Sub(b.created) >= batchTTL {
		delete(bs.m, id)
		return batch{}, false
	}
	return *b, true
}

// setVoided records that n tokens of batch id were voided.
func (bs *batchStore) setVoided(id string, n int) {
	bs.mu.Lock()
	if b := bs.m[id]; b != nil {
		b.voided = n
	}
	bs.mu.Unlock()
}

var errBatchGone = survey.Errorf(survey.ENOTFOUND,
	"この発行分はもう表示できません（発行したコードは、発行したログイン中の30分間だけサーバーのメモリーに保持し、データベースにはハッシュ値しか残しません）。必要なら新しく発行し、使わないコードは無効にしてください。",
	"This batch can no longer be shown: issued codes are kept in the server's memory only, for 30 minutes and for the session that issued them (the database keeps only their hashes). Issue a new batch if needed.")

// slipTarget is the URL slips and token lists point to, and whether the admin must confirm it
// because it is unset (--base-url) or a loopback address.
func (s *Server) slipTarget(c echo.Context) (string, bool) {
	base := s.baseURL(c)
	return base, s.cfg.BaseURL == "" || slips.IsLoopbackURL(base)
}

// batchPage is the data of admin_batch.html.
type batchPage struct {
	Survey  *survey.Survey
	ID      string
	Section string
	Name    survey.Text
	Count   int
	Base    string
	Voided  int
	Expires time.Time
}

// handleBatch serves GET /admin/surveys/{id}/batches/{batch}: the batch just issued, with its
// slips, its token list and the form that voids its unused codes.
func (s *Server) handleBatch(c echo.Context) error {
	b, ok := s.admin.batches.get(c.Param("batch"), c.Param("id"), sessionID(c))
	if !ok {
		return errBatchGone
	}
	sv, err := s.store.Survey(b.survey)
	if err != nil {
		return err
	}
	p := batchPage{Survey: sv, ID: c.Param("batch"), Section: b.section, Count: len(b.tokens), Base: b.base,
		Voided: b.voided, Expires: b.created.Add(batchTTL)}
	if fs, ok := sv.Questionnaire.Section(b.section); ok {
		p.Name = fs.Name
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return s.render(c, http.StatusOK, "admin_batch.html", p)
}

func sessionID(c echo.Context) string {
	id, _ := c.Get("session").(string)
	return id
}

// handleBatchSlips serves GET /admin/surveys/{id}/batches/{batch}/slips: printable slips of the batch.
func (s *Server) handleBatchSlips(c echo.Context) error {
	b, ok := s.admin.batches.get(c.Param("batch"), c.Param("id"), sessionID(c))
	if !ok {
		return errBatchGone
	}
	if len(b.tokens) > slips.MaxSlips {
		return survey.Errorf(survey.EINVALID, "印刷用の回答用紙は一度に %d 枚までです。CSV を使ってください。",
			"At most %d printed slips at once: use the CSV.", slips.MaxSlips)
	}
	sv, err := s.store.Survey(b.survey)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("Content-Security-Policy", slips.CSP)
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	page.AllowDownload(c)
	c.Response().WriteHeader(http.StatusOK)
	return slips.WriteSlips(c.Response(), sv, b.section, b.tokens, b.base)
}

// handleBatchCSV serves GET /admin/surveys/{id}/batches/{batch}/tokens.csv: the batch as the
// token list CSV (token,section,url).
func (s *Server) handleBatchCSV(c echo.Context) error {
	b, ok := s.admin.batches.get(c.Param("batch"), c.Param("id"), sessionID(c))
	if !ok {
		return errBatchGone
	}
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, page.Attachment(fmt.Sprintf("tokens-%s-%s.csv", b.survey, b.section)))
	page.AllowDownload(c)
	c.Response().WriteHeader(http.StatusOK)
	return slips.WriteTokensCSV(c.Response(), b.section, b.tokens, b.base)
}

// handleBatchVoid serves POST /admin/surveys/{id}/batches/{batch}/void (confirm=1): voids the
// unused codes of the batch. Used codes keep their responses; the count voided is shown.
func (s *Server) handleBatchVoid(c echo.Context) error {
	if c.FormValue("confirm") != "1" {
		return survey.Errorf(survey.EINVALID, "無効にすると元に戻せません。確認のチェックを入れてください。",
			"Voiding cannot be undone: tick the confirmation box first.")
	}
	batchID := c.Param("batch")
	b, ok := s.admin.batches.get(batchID, c.Param("id"), sessionID(c))
	if !ok {
		return errBatchGone
	}
	n, err := s.store.VoidTokens(b.survey, b.tokens)
	if err != nil {
		return err
	}
	s.admin.batches.setVoided(batchID, n)
	s.log.Info("tokens voided", "survey", b.survey, "section", b.section, "count", n)
	s.audit(c, "tokens.void", b.survey, "section="+b.section+" voided="+strconv.Itoa(n)+" of="+strconv.Itoa(len(b.tokens)))
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+b.survey+"/batches/"+batchID)
}
