package admin

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/results/insight"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The team view: what a section chief reads first, on a phone, in half a minute. His
// section's 組織活性度 and its type in words, three strengths and three things to work on,
// what changed since last year in plain phrases, the response rate, and the way to his plan.
// Every number is one the report already publishes for the section (the analysis has applied
// small-group suppression); statistics (p, r, α, CI, n) stay on the report, the analyst's
// detail view. A comparison with the organisation is always labelled as one.

// teamMeasure is one category of the section with its plain comparison.
type teamMeasure struct {
	Title string
	Score string // the section's score, formatted
	VsOrg string // "組織全体より 3.2 高い": the difference from the organisation, labelled
}

// teamChange is one measure that changed clearly since last year.
type teamChange struct {
	Title, Phrase string
	Down          bool
}

// teamPage is the data of admin_team.html.
type teamPage struct {
	Survey      *survey.Survey
	Section     string
	SectionName string
	Sections    []reportSection // the sections the user may switch to
	Shown       bool            // the section's results are shown (enough respondents)
	Why         string          // why not, when they are not
	Activity    string          // its 組織活性度, formatted
	OrgActivity string          // the organisation's, for the labelled comparison
	TypeKey     analysis.Type
	TypeTitle   string
	TypeMeaning string // the type in one plain sentence
	Strengths   []teamMeasure
	Weaknesses  []teamMeasure
	PrevYear    int
	Changes     []teamChange
	Bars        *scoreBars // the section's category scores, drawn for the page and for paper
	Rate        string     // the response rate, "" for imported surveys
	Used        int
	Issued      int
	IsRoot      bool
}

// typeMeaning explains a type of 組織活性度 in one sentence for a reader without the theory.
func typeMeaning(t analysis.Type) survey.Text {
	switch t {
	case analysis.TypeActive:
		return survey.Text{JA: "仕事への意欲も、職場のまとまりも高い状態です。", EN: "Both the drive to work and the team's cohesion are high."}
	case analysis.TypeWorkFocused:
		return survey.Text{JA: "仕事への意欲は高い一方、職場のまとまりは弱めの状態です。", EN: "The drive to work is high, the team's cohesion weaker."}
	case analysis.TypeBelongingDependent:
		return survey.Text{JA: "職場のまとまりはある一方、仕事への意欲は低めの状態です。", EN: "The team holds together, but the drive to work is lower."}
	case analysis.TypeStagnant:
		return survey.Text{JA: "仕事への意欲も、職場のまとまりも低めの状態です。", EN: "Both the drive to work and the team's cohesion are low."}
	}
	return survey.Text{}
}

// vsOrg says how a score compares with the organisation's, in words.
func vsOrg(mine, org *float64, lang page.Lang) string {
	if mine == nil || org == nil {
		return ""
	}
	d := *mine - *org
	abs := d
	if abs < 0 {
		abs = -abs
	}
	n := page.FmtNum(&abs, 1, false)
	switch {
	case abs < 0.05:
		return lang.Pick("組織全体と同じ", "same as the organisation")
	case d > 0:
		return lang.Pick("組織全体より "+n+" 高い", n+" above the organisation")
	default:
		return lang.Pick("組織全体より "+n+" 低い", n+" below the organisation")
	}
}

// handleTeam serves GET /admin/surveys/{id}/team?section=CODE: the team view of a closed
// survey for a section the user sees (a manager's own by default).
func (s *Server) handleTeam(c echo.Context) error {
	ctx := c.Request().Context()
	sv, res, err := s.res.Result(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	q := sv.Questionnaire
	section := c.QueryParam("section")
	if section == "" {
		section = u.home(q)
	}
	if err := u.checkSection(q, section); err != nil {
		return err
	}
	lang := page.LangOf(c)
	fs, _ := q.Section(section)
	p := &teamPage{Survey: sv, Section: section, SectionName: lang.Text(fs.Name), IsRoot: section == survey.Root}
	for _, x := range u.scopeTree(q) {
		p.Sections = append(p.Sections, reportSection{Code: x.Code, Name: lang.Text(x.Name), Depth: x.Depth})
	}
	g, org := res.Group(section), res.Group(survey.Root)
	if !g.Shown() {
		n := 0
		if g != nil {
			n = g.N
		}
		p.Why = page.GroupWhy(res.MinGroupSize, n, lang)
		return s.render(c, http.StatusOK, "admin_team.html", p)
	}
	p.Shown = true
	// The rate of a closed survey, and only for a group the report shows: its used codes are
	// then its respondents, at least the minimum group size, a count the report publishes too.
	if err := s.addRate(p, sv, section); err != nil {
		return err
	}
	if a := g.Activity; a != nil {
		p.Activity = page.FmtNum(a.Index, 1, false)
		if a.Type != nil {
			p.TypeKey, p.TypeTitle, p.TypeMeaning = *a.Type, lang.Text(a.Type.Title()), lang.Text(typeMeaning(*a.Type))
		}
	}
	if org.Shown() && org.Activity != nil && section != survey.Root {
		p.OrgActivity = page.FmtNum(org.Activity.Index, 1, false)
	}
	prevSv, prevRes, err := s.res.Previous(ctx, sv)
	if err != nil {
		return err
	}
	var prev *analysis.SurveyResult
	if prevSv != nil {
		p.PrevYear, prev = prevSv.Questionnaire.Year, u.scopeResult(prevSv.Questionnaire, prevRes)
	}
	// The strengths, the things to work on and the changes are the findings of the results
	// package, the same the report's summary and the plans page read.
	f := insight.Of(q, u.scopeResult(q, res), prev, section)
	titles := metricTitles(q, lang)
	measure := func(x insight.Score) teamMeasure {
		m := teamMeasure{Title: titles[x.Category], Score: page.FmtNum(&x.Score, 1, false)}
		if section != survey.Root && org.Shown() && org.Categories[x.Category] != nil {
			m.VsOrg = vsOrg(&x.Score, org.Categories[x.Category].Score, lang)
		}
		return m
	}
	for _, x := range f.Strengths {
		p.Strengths = append(p.Strengths, measure(x))
	}
	for _, x := range f.Weaknesses {
		p.Weaknesses = append(p.Weaknesses, measure(x))
	}
	for _, ch := range f.Changes {
		tc := teamChange{Title: titles[ch.Category], Down: ch.Delta < 0}
		tc.Phrase = lang.Pick("はっきり上がった", "clearly up")
		if tc.Down {
			tc.Phrase = lang.Pick("はっきり下がった", "clearly down")
		}
		p.Changes = append(p.Changes, tc)
	}
	// Drops first: they are what a chief must act on.
	slices.SortStableFunc(p.Changes, func(a, b teamChange) int {
		if a.Down == b.Down {
			return 0
		}
		if a.Down {
			return -1
		}
		return 1
	})
	p.Bars = teamBarsOf(q, g, org, section, lang)
	return s.render(c, http.StatusOK, "admin_team.html", p)
}

// addRate fills the response rate of section (its whole subtree) from the token counts, as
// the survey's page shows it; imported surveys have none.
func (s *Server) addRate(p *teamPage, sv *survey.Survey, section string) error {
	counts, err := s.store.TokenCounts(sv.ID())
	if err != nil {
		return err
	}
	tree := sv.Questionnaire.OrgTree()
	issued, used := make([]int, len(tree.Nodes)), make([]int, len(tree.Nodes))
	for i, n := range tree.Nodes {
		if n.Leaf {
			issued[i], used[i] = counts[n.Code].Issued, counts[n.Code].Used
		}
	}
	issued, used = tree.Rollup(issued), tree.Rollup(used)
	for i, n := range tree.Nodes {
		if n.Code == section && issued[i] > 0 {
			p.Issued, p.Used, p.Rate = issued[i], used[i], percent(used[i], issued[i])
		}
	}
	return nil
}

// handleTeamHome serves GET /admin/team: the team view of the newest closed survey (where a
// manager lands after signing in), or the survey list when no survey is closed yet.
func (s *Server) handleTeamHome(c echo.Context) error {
	svs, err := s.store.Surveys()
	if err != nil {
		return err
	}
	for i := len(svs) - 1; i >= 0; i-- {
		if svs[i].State == survey.StateClosed {
			return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+url.PathEscape(svs[i].ID())+"/team")
		}
	}
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// teamBarsOf draws g's published category scores in the questionnaire's order, beside the
// organisation's (org) unless g is the organisation; nil when g has no score.
func teamBarsOf(q *survey.Questionnaire, g, org *analysis.Group, section string, lang page.Lang) *scoreBars {
	var rows []scoreBarRow
	for _, c := range q.Categories {
		m := g.Categories[c.ID]
		if m == nil || m.Score == nil {
			continue
		}
		r := scoreBarRow{Title: lang.Text(c.Title), Score: m.Score}
		if section != survey.Root && org.Shown() && org.Categories[c.ID] != nil {
			r.Mark = org.Categories[c.ID].Score
		}
		rows = append(rows, r)
	}
	return newScoreBars(rows, lang.Pick("組織全体", "organisation"), lang.Pick("全体", "org."), lang)
}
