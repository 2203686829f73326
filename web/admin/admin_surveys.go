package admin

import (
	"crypto/sha256"
	"io"
	"net/http"
	"staffsurvey/results"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/web/page"
)

// surveyRow is one survey in the list of admin_home.html.
type surveyRow struct {
	ID         string
	Year       int
	Title      survey.Text
	State      string
	StateTitle survey.Text
	Responses  int
	Issued     int
	Rate       string // used ÷ issued tokens as a whole percentage, "" without tokens
	// Imported: responses without a single issued token — imported, so no response rate.
	Imported bool
}

// handleAdminHome serves GET /admin: every survey with its state, response count and overall
// response rate, and the actions the user's role allows.
func (s *Server) handleAdminHome(c echo.Context) error {
	svs, err := s.store.Surveys()
	if err != nil {
		return err
	}
	rows := make([]surveyRow, 0, len(svs))
	for i := len(svs) - 1; i >= 0; i-- { // newest first
		sv := svs[i]
		row := surveyRow{ID: sv.ID(), Year: sv.Questionnaire.Year, Title: sv.Questionnaire.Title,
			State: sv.State, StateTitle: survey.StateTitle(sv.State), Responses: sv.Responses}
		counts, _, err := s.rateCounts(currentUser(c), sv.ID())
		if err != nil {
			return err
		}
		used := 0
		for _, tc := range counts {
			row.Issued += tc.Issued
			used += tc.Used
		}
		row.Rate = percent(used, row.Issued)
		row.Imported = row.Issued == 0 && row.Responses > 0
		if !currentUser(c).CanManage() && sv.State == survey.StateOpen {
			// Not live, and not below min_group_size codes (rates.go).
			row.Responses = used
			if row.Issued < sv.Questionnaire.MinGroupSize() {
				row.Responses, row.Issued, row.Rate = 0, 0, ""
			}
		}
		rows = append(rows, row)
	}
	return s.render(c, http.StatusOK, "admin_home.html", map[string]any{"Surveys": rows})
}

// percent formats a ÷ b as a whole percentage, or "" when b is 0.
func percent(a, b int) string {
	if b == 0 {
		return ""
	}
	return strconv.Itoa((a*100+b/2)/b) + "%"
}

// newSurveyPage is the data of admin_survey_new.html.
type newSurveyPage struct {
	Shipped  []string
	Selected string
	Error    *survey.Text
	// Surveys can be copied as next year's (editor.go): newest first, with the copy form's
	// fields and its error.
	Surveys                    []copyChoice
	CopyFrom, CopyID, CopyYear string
	CopyError                  *survey.Text
}

// copyChoice is a survey the copy form offers, with the id and year its copy would get.
type copyChoice struct {
	ID       string
	Title    survey.Text
	Year     int
	NextID   string
	NextYear int
}

// newSurveyPage returns the new-survey page with the surveys to copy, the newest (selected) first.
func (s *Server) newSurveyPage() (*newSurveyPage, error) {
	svs, err := s.store.Surveys()
	if err != nil {
		return nil, err
	}
	p := &newSurveyPage{Shipped: s.shippedQuestionnaires()}
	for i := len(svs) - 1; i >= 0; i-- {
		q := svs[i].Questionnaire
		p.Surveys = append(p.Surveys, copyChoice{ID: q.ID, Title: q.Title, Year: q.Year,
			NextID: suggestedID(q.ID, q.Year, q.Year+1), NextYear: q.Year + 1})
	}
	if len(p.Surveys) > 0 {
		p.CopyFrom = p.Surveys[0].ID
	}
	return p, nil
}

func (s *Server) shippedQuestionnaires() []string {
	if s.cfg.ShippedQuestionnaires == nil || s.cfg.OpenQuestionnaire == nil {
		return nil
	}
	return s.cfg.ShippedQuestionnaires()
}

// handleSurveyNewForm serves GET /admin/surveys/new: create a survey as a copy of a stored one
// (to edit in the browser, editor.go), from a shipped questionnaire or from an uploaded YAML file.
func (s *Server) handleSurveyNewForm(c echo.Context) error {
	p, err := s.newSurveyPage()
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_survey_new.html", p)
}

// handleSurveyCreate serves POST /admin/surveys (multipart: file, or questionnaire naming a
// shipped one): stores the questionnaire as a draft survey and goes to its page. A bad file is
// shown on the form as "file:line: what is wrong", and nothing is stored.
func (s *Server) handleSurveyCreate(c echo.Context) error {
	form, err := s.newSurveyPage()
	if err != nil {
		return err
	}
	form.Selected = c.FormValue("questionnaire")
	q, err := s.questionnaireFromForm(c)
	if err == nil {
		err = s.store.CreateSurvey(q)
	}
	switch survey.ErrorCode(err) {
	case "":
		s.log.Info("survey created", "survey", q.ID)
		s.audit(c, "survey.create", q.ID, "")
		return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+q.ID)
	case survey.EINVALID, survey.ECONFLICT:
		msg := survey.ErrorMessage(err)
		form.Error = &msg
		return s.render(c, page.StatusOf[survey.ErrorCode(err)], "admin_survey_new.html", form)
	}
	return err
}

// questionnaireFromForm parses the uploaded file, or else the shipped questionnaire named.
func (s *Server) questionnaireFromForm(c echo.Context) (*survey.Questionnaire, error) {
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		return readQuestionnaire(fh)
	}
	name := c.FormValue("questionnaire")
	for _, n := range s.shippedQuestionnaires() {
		if n == name {
			data, err := s.cfg.OpenQuestionnaire(name)
			if err != nil {
				return nil, err
			}
			return survey.Parse(name, data)
		}
	}
	return nil, survey.Errorf(survey.EINVALID, "調査票のファイルを選ぶか、同梱の調査票を選んでください。",
		"Choose a questionnaire file to upload, or a shipped questionnaire.")
}

// rateRow is one section of the response-rate dashboard: tokens issued and used in the section
// and everything below it. It holds no time.
type rateRow struct {
	Code   string
	Name   survey.Text
	Depth  int
	Leaf   bool
	Issued int
	Used   int
	Rate   string
	// Within are the reader's own sections too small to show that this group counts.
	Within []survey.FlatSection
}

// surveyPage is the data of admin_survey.html.
type surveyPage struct {
	Survey     *survey.Survey
	StateTitle survey.Text
	Rates      []rateRow // the organisation tree in pre-order, root first
	Leaves     []rateRow // the sections tokens are issued for
	Error      *survey.Text
	Section    string
	Count      int
	// Base is the URL slips point to; ConfirmBase asks the admin to confirm it (unset or loopback).
	Base        string
	ConfirmBase bool
	// Editions are the staff editions of a closed survey, for an admin (edition.go).
	Editions []editionRow
	// Waiting counts the comments of a closed survey that wait for an admin's review
	// (review.go), in the units of the review page.
	Waiting results.Waiting
	// Box is the ballot box of an open survey: the close form has a field per custodian
	// (custodians.go).
	Box *storage.BallotBox
	// AsOf is when the counts shown were taken, for everyone but the survey office (rates.go);
	// zero for its live counts.
	AsOf time.Time
	// Responses is the survey's response count as the reader may see it, −1 for none.
	Responses int
}

// Imported reports whether the survey's responses were imported: it has responses and no
// token was issued (the root's rate row counts every token), so a response rate means nothing.
func (p *surveyPage) Imported() bool {
	return p.Survey.Responses > 0 && len(p.Rates) > 0 && p.Rates[0].Issued == 0
}

// handleSurvey serves GET /admin/surveys/{id}: the survey's state, its lifecycle buttons and
// token issuing (admin), and the response-rate dashboard per section (used ÷ issued tokens,
// never with times, never a score — results appear only on the report of a closed survey).
func (s *Server) handleSurvey(c echo.Context) error {
	p, err := s.surveyPage(c, c.Param("id"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_survey.html", p)
}

func (s *Server) surveyPage(c echo.Context, id string) (*surveyPage, error) {
	sv, err := s.store.Survey(id)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	counts, asOf, err := s.rateCounts(u, id)
	if err != nil {
		return nil, err
	}
	p := &surveyPage{Survey: sv, StateTitle: survey.StateTitle(sv.State), Count: 50, AsOf: asOf, Responses: sv.Responses}
	if !u.CanManage() {
		for _, r := range publishedRates(u, sv.Questionnaire, counts) {
			p.Rates = append(p.Rates, rateRow{Code: r.Code, Name: r.Name, Depth: r.Depth, Issued: r.Issued, Used: r.Used,
				Rate: percent(r.Used, r.Issued), Within: r.Within})
		}
		if sv.State == survey.StateOpen {
			p.Responses = -1 // not live: the table's counts are as of AsOf
		}
		return p, nil
	}
	p.Base, p.ConfirmBase = s.slipTarget(c)
	tree := sv.Questionnaire.OrgTree()
	issued, used := make([]int, len(tree.Nodes)), make([]int, len(tree.Nodes))
	for i, fs := range tree.Nodes {
		if fs.Leaf {
			issued[i], used[i] = counts[fs.Code].Issued, counts[fs.Code].Used
		}
	}
	issued, used = tree.Rollup(issued), tree.Rollup(used)
	rows := make([]rateRow, len(tree.Nodes))
	for i, fs := range tree.Nodes {
		rows[i] = rateRow{Code: fs.Code, Name: fs.Name, Depth: fs.Depth, Leaf: fs.Leaf, Issued: issued[i], Used: used[i]}
		rows[i].Rate = percent(rows[i].Used, rows[i].Issued)
		if rows[i].Leaf && rows[i].Code != survey.Root {
			p.Leaves = append(p.Leaves, rows[i])
		}
	}
	p.Rates = rows
	if p.Box, err = s.store.BallotBox(id); err != nil {
		return nil, err
	}
	if sv.State == survey.StateClosed && currentUser(c).CanManage() {
		if p.Editions, err = s.editionRows(c, id); err != nil {
			return nil, err
		}
		if p.Waiting, err = s.res.Waiting(c.Request().Context(), id, survey.Root); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// handleTokensIssue serves POST /admin/surveys/{id}/tokens (section, count, confirm_base=1
// when the slips would point at an unset or loopback base URL): issues new tokens for a leaf
// section, keeps the batch in memory (batches.go) and redirects with 303 to it, so that a
// reload never issues again.
func (s *Server) handleTokensIssue(c echo.Context) error {
	id, section := c.Param("id"), c.FormValue("section")
	count, err := strconv.Atoi(strings.TrimSpace(c.FormValue("count")))
	if err != nil {
		count = 0 // IssueTokens refuses it with the allowed range
	}
	if _, err := s.store.Survey(id); err != nil {
		return err
	}
	base, confirm := s.slipTarget(c)
	var tokens []string
	if confirm && c.FormValue("confirm_base") != "1" {
		err = survey.Errorf(survey.EINVALID,
			"回答用紙の URL %s は、職員の端末から開けない可能性があります（サーバーの --base-url が未設定かループバックです）。正しければ確認のチェックを入れてください。",
			"The slips would point at %s, which staff may not reach (the server's --base-url is unset or a loopback address). Tick the confirmation if it is right.", base)
	} else {
		tokens, err = s.store.IssueTokens(id, section, count)
	}
	if code := survey.ErrorCode(err); code == survey.EINVALID || code == survey.ESTATE {
		p, perr := s.surveyPage(c, id)
		if perr != nil {
			return perr
		}
		msg := survey.ErrorMessage(err)
		p.Error, p.Section, p.Count = &msg, section, count
		return s.render(c, page.StatusOf[code], "admin_survey.html", p)
	} else if err != nil {
		return err
	}
	s.log.Info("tokens issued", "survey", id, "section", section, "count", len(tokens))
	s.audit(c, "tokens.issue", id, "section="+section+" count="+strconv.Itoa(len(tokens)))
	batchID := s.admin.batches.put(&batch{session: sha256.Sum256([]byte(sessionID(c))), survey: id, section: section,
		base: base, tokens: tokens})
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+id+"/batches/"+batchID)
}

// baseURL is the public URL printed on slips: the configured one, or this request's origin.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// handleBackup serves GET /admin/backup: a consistent copy of the live database (bbolt
// Tx.WriteTo), for the survey office to keep. See the README for restoring it. It never holds
// a ballot key (docs/anonymity.md, rule 3): an open survey's responses are in it sealed only, and the
// page that links here says that a restore from it alone loses them. The copy is spooled to a
// temporary file before it is sent (page.Spool), so no read transaction waits for the client.
func (s *Server) handleBackup(c echo.Context) error {
	f, n, err := page.Spool(func(w io.Writer) error {
		_, err := s.store.Backup(w)
		return err
	})
	if err != nil {
		return err
	}
	u, _ := c.Get("user").(adminUser)
	s.log.Info("backup downloaded", "user", u.Name)
	s.audit(c, "backup", "", strconv.FormatInt(n, 10)+" bytes")
	return page.SendSpooled(c, f, n, "application/octet-stream", "staffsurvey-backup-"+time.Now().Format("20060102")+".db")
}
