package admin

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The staff edition (職員向け公開版), so that staff see what their answers led to: for a
// closed survey the survey office publishes one printable page for all staff — the whole organisation's results, the shown sections, the
// action plans and the suggestions it chose — behind a random, revocable read-only link,
// GET /s/TOKEN, that needs no sign-in and links to nothing else of the site. Its numbers are
// the report's (buildReportPage over the unscoped analysis, suppressed as everywhere); the
// suggestions are resolved each time against the organisation-wide comments the comment rule
// allows now, so a comment later flagged, redacted or hidden drops out by itself.

// RegisterEditions registers the public page of staff editions. The caller rate-limits it like
// the answer routes, so that links cannot be guessed at speed.
func (s *Server) RegisterEditions(g *echo.Group) {
	g.GET("/s/:token", s.handleEdition)
}

// editionPath is the path of the page of edition token, and EditionURL its absolute URL.
func editionPath(token string) string { return "/s/" + token }

// EditionURL is the link of a staff edition under the server's public URL base.
func EditionURL(base, token string) string { return strings.TrimRight(base, "/") + editionPath(token) }

// editionPage is the data of edition.html.
type editionPage struct {
	*reportPage
	Period      *survey.Period
	Respondents int
	Rate        string // the organisation's response rate, "" when imported or without tokens
	Activity    *analysis.Change
	Suggestions []string
}

// staffReader is whom the staff edition shows plans as: every section, as the executive sees
// them, and nothing to edit. Plans never carry their author there (reportPlan has none).
var staffReader = adminUser{Role: survey.RoleExecutive}

// handleEdition serves GET /s/{token}: the staff edition behind a published link. An unknown
// or revoked link, and a survey no longer closed, all get the same 404 page, which says
// nothing of whether the link ever existed.
func (s *Server) handleEdition(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	page.SetInfo(c, nil) // no period or contact of another survey
	p, err := s.editionPage(c, c.Param("token"))
	if code := survey.ErrorCode(err); code == survey.ENOTFOUND || code == survey.ESTATE {
		return s.render(c, http.StatusNotFound, "edition_missing.html", nil)
	} else if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "edition.html", p)
}

func (s *Server) editionPage(c echo.Context, token string) (*editionPage, error) {
	ed, err := s.store.EditionByToken(token)
	if err != nil {
		return nil, err
	}
	ctx, lang := c.Request().Context(), page.LangOf(c)
	sv, res, err := s.res.Result(ctx, ed.Survey)
	if err != nil {
		return nil, err
	}
	prevSv, prevRes, err := s.res.Previous(ctx, sv)
	if err != nil {
		return nil, err
	}
	rp, err := buildReportPage(sv, res, prevSv, prevRes, lang)
	if err != nil {
		return nil, err
	}
	rp.Chart = nil // the edition runs no script
	rp.Groups = editionGroups(sv.Questionnaire, res, ed, lang)
	q := sv.Questionnaire
	p := &editionPage{reportPage: rp, Period: q.Period, Respondents: rp.Org.N}
	if rp.Imported, err = s.imported(sv); err != nil {
		return nil, err
	}
	if !rp.Imported {
		counts, err := s.store.TokenCounts(sv.ID())
		if err != nil {
			return nil, err
		}
		issued, used := 0, 0
		for _, tc := range counts {
			issued, used = issued+tc.Issued, used+tc.Used
		}
		p.Rate = percent(used, issued)
	}
	if ch, ok := rp.changes[[2]string{survey.Root, analysis.ActivityKey}]; ok && rp.OrgShown {
		p.Activity = &ch
	}
	if err := s.addPlans(rp, staffReader, lang, sv, res, prevSv, prevRes); err != nil {
		return nil, err
	}
	if rp.OrgShown {
		if p.Suggestions, err = s.editionSuggestions(c, ed); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// editionSuggestions returns the texts of the edition's chosen comments that are among the
// organisation's comments now, each once, in a new random order.
func (s *Server) editionSuggestions(c echo.Context, ed *survey.Edition) ([]string, error) {
	if len(ed.Comments) == 0 {
		return nil, nil
	}
	_, lists, ok, err := s.res.Comments(c.Request().Context(), ed.Survey, survey.Root)
	if err != nil || !ok {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, t := range l.Texts {
			id := survey.CommentID(l.Question, t)
			if slices.Contains(ed.Comments, id) && !seen[id] {
				seen[id] = true
				out = append(out, t)
			}
		}
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// --- The admin side: publish, choose suggestions, revoke (admin only). ---

// editionRow is one published edition on the survey's admin page.
type editionRow struct {
	ID          string
	URL         string
	By          string
	Created     time.Time
	Suggestions int
}

// editionRows lists the editions of survey id with their absolute links.
func (s *Server) editionRows(c echo.Context, id string) ([]editionRow, error) {
	eds, err := s.store.Editions(id)
	if err != nil {
		return nil, err
	}
	rows := make([]editionRow, 0, len(eds))
	for _, ed := range eds {
		rows = append(rows, s.editionRow(c, ed))
	}
	return rows, nil
}

// editionRow is ed with its absolute link under the server's base URL.
func (s *Server) editionRow(c echo.Context, ed *survey.Edition) editionRow {
	return editionRow{ID: ed.ID, URL: EditionURL(s.baseURL(c), ed.Token), By: ed.By, Created: ed.Created, Suggestions: len(ed.Comments)}
}

// handleEditionPublish serves POST /admin/surveys/{id}/editions: publishes a new staff edition
// of a closed survey (an open or draft one gets 409) with no suggestions chosen yet, and
// goes with 303 to its page, where they are chosen.
func (s *Server) handleEditionPublish(c echo.Context) error {
	id := c.Param("id")
	ed, err := s.store.PublishEdition(id, currentUser(c).Name, nil)
	if err != nil {
		return err
	}
	s.log.Info("edition published", "survey", id, "edition", ed.ID)
	s.audit(c, "edition.publish", id, "edition="+ed.ID+" suggestions=0")
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+id+"/editions/"+ed.ID)
}

// editionAdminPage is the data of admin_edition.html.
type editionAdminPage struct {
	Survey  *survey.Survey
	Edition editionRow
	Chosen  []string
	Lists   []editionCommentList
	Allowed bool
	Saved   bool
	// Attributes are the survey's attributes, ticked where the edition shows their option groups.
	Attributes []editionAttribute
}

type editionCommentList struct {
	Question survey.Text
	Comments []editionComment
}

type editionComment struct {
	ID, Text string
	Chosen   bool
}

// handleEditionForm serves GET /admin/surveys/{id}/editions/{edition}: the edition's link and
// the organisation-wide comments (those the comment rule allows now) with a box each, to
// choose the suggestions it shows (選んだ提案).
func (s *Server) handleEditionForm(c echo.Context) error {
	id, edID := c.Param("id"), c.Param("edition")
	sv, err := s.res.Closed(id)
	if err != nil {
		return err
	}
	eds, err := s.store.Editions(id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(eds, func(ed *survey.Edition) bool { return ed.ID == edID })
	if i < 0 {
		return survey.Errorf(survey.ENOTFOUND, "公開版 %q はありません", "no staff edition %q", edID)
	}
	ed := eds[i]
	chosen := ed.Comments
	_, lists, ok, err := s.res.Comments(c.Request().Context(), id, survey.Root)
	if err != nil {
		return err
	}
	p := editionAdminPage{Survey: sv, Edition: s.editionRow(c, ed), Chosen: chosen, Allowed: ok, Saved: c.QueryParam("saved") == "1"}
	p.Attributes = editionAttributes(sv.Questionnaire, ed, page.LangOf(c))
	questions := map[string]survey.Text{}
	for _, cm := range sv.Questionnaire.Comments {
		questions[cm.ID] = cm.Text
	}
	if ok {
		for _, l := range lists {
			el := editionCommentList{Question: questions[l.Question]}
			seen := map[string]bool{}
			// Sorted, not shuffled: the survey office works through the list and must find
			// its place again; the public page shuffles.
			texts := slices.Sorted(slices.Values(l.Texts))
			for _, t := range texts {
				cid := survey.CommentID(l.Question, t)
				if seen[cid] {
					continue
				}
				seen[cid] = true
				el.Comments = append(el.Comments, editionComment{ID: cid, Text: t, Chosen: slices.Contains(chosen, cid)})
			}
			p.Lists = append(p.Lists, el)
		}
	}
	return s.render(c, http.StatusOK, "admin_edition.html", p)
}

// handleEditionUpdate serves POST /admin/surveys/{id}/editions/{edition} (comment, repeated:
// the ids of the chosen suggestions): replaces the choice → 303 back to the form.
func (s *Server) handleEditionUpdate(c echo.Context) error {
	id, edID := c.Param("id"), c.Param("edition")
	form, err := c.FormParams()
	if err != nil {
		return survey.Errorf(survey.EINVALID, "フォームを読めません", "cannot read the form")
	}
	ids := slices.Compact(slices.Sorted(slices.Values(form["comment"])))
	ed, err := s.store.UpdateEdition(id, edID, ids)
	if err != nil {
		return err
	}
	s.audit(c, "edition.update", id, "edition="+ed.ID+" suggestions="+strconv.Itoa(len(ed.Comments)))
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+id+"/editions/"+ed.ID+"?saved=1")
}

// handleEditionRevoke serves POST /admin/surveys/{id}/editions/{edition}/revoke (with
// confirm=1): deletes the
// edition, whose link then answers 404 like one never issued → 303 to the survey's page.
func (s *Server) handleEditionRevoke(c echo.Context) error {
	id, edID := c.Param("id"), c.Param("edition")
	if c.FormValue("confirm") != "1" {
		return survey.Errorf(survey.EINVALID, "取り消すとこのリンクは使えなくなります。確認のチェックを入れてから取り消してください。",
			"A revoked link stops working for good: tick the confirmation box first.")
	}
	if err := s.store.RevokeEdition(id, edID); err != nil {
		return err
	}
	s.log.Info("edition revoked", "survey", id, "edition", edID)
	s.audit(c, "edition.revoke", id, "edition="+edID)
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+id+"#editions")
}
