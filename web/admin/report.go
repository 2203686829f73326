package admin

import (
	"net/http"
	"slices"
	"staffsurvey/results"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/jatext"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Reports show closed surveys only (docs/anonymity.md, rule 6). Every number on them comes from the
// analysis package, which has already applied small-group suppression (§6.5); handlers only
// pick, order and format. A closed survey's analysis is cached by survey id and revision, so
// pages after the first do not rescan the store.

// categoryRow is one category of the organisation on the report.
type categoryRow struct {
	ID, Title, Axis string
	*analysis.Category
	Prev        *float64 // the organisation's score last year
	Delta, P    *float64 // the change since last year and its p-value
	Significant bool     // analysis.Change.Significant
	BarLabel    string   // the label of its bar: score, and the change when significant
}

// changeRow is a significant change of a section since last year.
type changeRow struct {
	Section, Category string
	Delta             float64
	P                 *float64
}

// driverRow is one driver, ranked.
type driverRow struct {
	Title string
	N     int
	R     *float64
}

// typeRow is one of the four types of 組織活性度 with its share of the organisation.
type typeRow struct {
	Key   analysis.Type
	Title string
	Share float64
}

// tableRow is one group in the report table: numbers formatted, suppressed cells marked.
type tableRow struct {
	Name       string
	Depth      int
	N          int
	Suppressed bool
	Mark       string // the mark shown instead of numbers when suppressed
	Activity   string
	Type       string
	Satisf     string
	ENPS       string
	Cells      []string // one per category
	Why        string   // why its numbers, or some of them, are hidden, and the remedy
}

// reportPage is the data of admin_report.html.
type reportPage struct {
	Survey     *survey.Survey
	Q          *survey.Questionnaire
	Org        *analysis.Group
	OrgShown   bool
	Mark       string // 「n<k」 with this survey's minimum
	PrevYear   int    // 0 when there is no earlier closed survey
	TypeTitle  string
	Types      []typeRow
	Categories []categoryRow
	Changes    []changeRow
	Drivers    []driverRow
	Columns    []string // category titles of the table
	Table      []tableRow
	Chart      map[string]chart // by chart id; absent when the organisation is not shown
	// Section is the group the top of the report is about (its cards, summary and questions).
	Section  string
	Sections []reportSection // the sections the user may focus on
	Focus    *focusBlock
	Summary  []string
	Items    []itemCategory
	// Imported is a survey whose responses were imported, not collected with tokens: it has
	// no response rate.
	Imported     bool
	ShortColumns []string // short category titles, for phone cards
	Quadrant     []quadrantRow
	// PrevPlans are last year's action plans with the change in their focus categories;
	// Plans this year's (plans.go).
	PrevPlans, Plans []reportPlan
	// changes are every change since the previous closed survey, by (section, category), as
	// analysis.Changes gives them for the results the page shows: computed once, read by the
	// summary, the focus cards, the plans and the staff edition.
	changes map[[2]string]analysis.Change
	// Groups are the option groups of a survey with attributes (report_groups.go); nil without.
	Groups *optionGroups
}

// quadrantRow is one dot of the quadrant chart, listed under it so that every dot is named.
type quadrantRow struct {
	Name, Motivation, Cohesion, Type string
}

// handleReport serves GET /admin/surveys/{id}/report: for a closed survey, the organisation's
// 組織活性度 (two axes, type, four-type distribution), satisfaction and eNPS, the heatmap of
// sections × categories, category bars with confidence intervals, significant changes since the
// previous closed survey, drivers, and the report table. An open survey gets 409.
func (s *Server) handleReport(c echo.Context) error {
	ctx := c.Request().Context()
	sv, res, err := s.res.Result(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	section := c.QueryParam("section")
	if section == "" {
		section = u.home(sv.Questionnaire)
	}
	if err := u.checkSection(sv.Questionnaire, section); err != nil {
		return err
	}
	prevSv, prevRes, err := s.res.Previous(ctx, sv)
	if err != nil {
		return err
	}
	if prevSv != nil {
		prevRes = u.scopeResult(prevSv.Questionnaire, prevRes)
	}
	scoped := u.scopeResult(sv.Questionnaire, res)
	p, err := buildReportPage(sv, scoped, prevSv, prevRes, page.LangOf(c))
	if err != nil {
		return err
	}
	if p.OrgShown {
		p.addFocus(scoped, prevRes, section, page.LangOf(c))
	}
	if err := p.addOptionGroups(scoped, prevRes, page.LangOf(c), c.QueryParam("attr"), c.QueryParam("a"), c.QueryParam("b")); err != nil {
		return err
	}
	p.Section = section
	for _, fs := range u.scopeTree(sv.Questionnaire) {
		p.Sections = append(p.Sections, reportSection{Code: fs.Code, Name: page.LangOf(c).Text(fs.Name), Depth: fs.Depth})
	}
	if p.Imported, err = s.imported(sv); err != nil {
		return err
	}
	if err := s.addPlans(p, u, page.LangOf(c), sv, scoped, prevSv, prevRes); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_report.html", p)
}

func buildReportPage(sv *survey.Survey, res *analysis.SurveyResult, prevSv *survey.Survey, prevRes *analysis.SurveyResult, lang page.Lang) (*reportPage, error) {
	q := sv.Questionnaire
	p := &reportPage{Survey: sv, Q: q, Org: res.Group(survey.Root), Mark: page.SuppressedMark(res.MinGroupSize), Chart: map[string]chart{}}
	p.OrgShown = p.Org.Shown()
	var prevOrg *analysis.Group
	orgChange, significant := map[string]analysis.Change{}, map[[2]string]analysis.Change{}
	if prevRes != nil {
		p.PrevYear, prevOrg = prevSv.Questionnaire.Year, prevRes.Group(survey.Root)
		orgChange, significant = p.addChanges(res, prevRes, lang)
	}
	if p.OrgShown {
		p.addOrganisation(res, prevOrg, orgChange, lang)
	}
	p.addTable(res, lang)
	names := sectionNames(q, lang)
	for _, g := range res.Groups {
		if a := g.Activity; a != nil && a.Motivation != nil && a.Cohesion != nil && a.Type != nil {
			p.Quadrant = append(p.Quadrant, quadrantRow{Name: names[g.Section], Motivation: page.FmtNum(a.Motivation, 1, false),
				Cohesion: page.FmtNum(a.Cohesion, 1, false), Type: lang.Text(a.Type.Title())})
		}
	}
	if !p.OrgShown {
		return p, nil
	}
	builders := []func() (chart, error){
		func() (chart, error) { return heatmapChart(res, q, significant, lang) },
		func() (chart, error) { return categoryBarsChart(p.Categories, lang) },
		func() (chart, error) { return typesChart(res, q, lang) },
		func() (chart, error) { return quadrantChart(res, q, lang) },
	}
	if len(p.Drivers) > 0 {
		builders = append(builders, func() (chart, error) { return driversChart(p.Drivers, lang) })
	}
	for _, b := range builders {
		ch, err := b()
		if err != nil {
			return nil, err
		}
		p.Chart[ch.ID] = ch
	}
	return p, nil
}

// metricTitles names the categories and the activity index, the keys of changes.
func metricTitles(q *survey.Questionnaire, lang page.Lang) map[string]string {
	titles := map[string]string{analysis.ActivityKey: lang.Pick("組織活性度", "Activity index")}
	for _, c := range q.Categories {
		titles[c.ID] = lang.Text(c.Title)
	}
	return titles
}

// addChanges lists the significant changes of any section since the previous closed survey,
// and returns the organisation's changes by category and the significant ones by (section,
// category) for the bars and the heatmap.
func (p *reportPage) addChanges(res, prevRes *analysis.SurveyResult, lang page.Lang) (org map[string]analysis.Change, significant map[[2]string]analysis.Change) {
	names, titles := sectionNames(p.Q, lang), metricTitles(p.Q, lang)
	org, significant = map[string]analysis.Change{}, map[[2]string]analysis.Change{}
	p.changes = map[[2]string]analysis.Change{}
	for _, ch := range analysis.Changes(prevRes, res) {
		if ch.Attribute != "" {
			continue // an option group's: on the option heatmap (report_groups.go)
		}
		p.changes[[2]string{ch.Section, ch.Category}] = ch
		if ch.Section == survey.Root {
			org[ch.Category] = ch
		}
		if ch.Significant() {
			significant[[2]string{ch.Section, ch.Category}] = ch
			p.Changes = append(p.Changes, changeRow{Section: names[ch.Section], Category: titles[ch.Category], Delta: ch.Delta, P: ch.P})
		}
	}
	return org, significant
}

// addOrganisation fills the organisation's type, categories (with last year's score and the
// change) and ranked drivers.
func (p *reportPage) addOrganisation(res *analysis.SurveyResult, prevOrg *analysis.Group, orgChange map[string]analysis.Change, lang page.Lang) {
	if a := p.Org.Activity; a != nil && a.Type != nil && a.Types != nil {
		p.TypeTitle = lang.Text(a.Type.Title())
		for _, t := range []struct {
			k analysis.Type
			v float64
		}{{analysis.TypeActive, a.Types.Active}, {analysis.TypeWorkFocused, a.Types.WorkFocused},
			{analysis.TypeBelongingDependent, a.Types.BelongingDependent}, {analysis.TypeStagnant, a.Types.Stagnant}} {
			p.Types = append(p.Types, typeRow{Key: t.k, Title: lang.Text(t.k.Title()), Share: t.v})
		}
	}
	for _, c := range p.Q.Categories {
		row := categoryRow{ID: c.ID, Title: lang.Text(c.Title), Axis: c.Axis, Category: p.Org.Categories[c.ID]}
		if row.Category == nil {
			row.Category = &analysis.Category{}
		}
		if prevOrg != nil && prevOrg.Categories != nil && prevOrg.Categories[c.ID] != nil {
			row.Prev = prevOrg.Categories[c.ID].Score
		}
		if ch, ok := orgChange[c.ID]; ok {
			d := ch.Delta
			row.Delta, row.P, row.Significant = &d, ch.P, ch.Significant()
		}
		row.BarLabel = page.FmtNum(row.Score, 1, false)
		if row.Significant {
			arrow := "▲"
			if *row.Delta < 0 {
				arrow = "▼"
			}
			row.BarLabel += " " + arrow + page.FmtNum(row.Delta, 1, true)
		}
		p.Categories = append(p.Categories, row)
	}
	titles := metricTitles(p.Q, lang)
	for _, d := range analysis.RankDrivers(res.Drivers) {
		p.Drivers = append(p.Drivers, driverRow{Title: titles[d.Category], N: d.N, R: d.R})
	}
}

// addTable adds one row per non-empty group: numbers formatted, a suppressed group or a
// withheld metric marked instead.
func (p *reportPage) addTable(res *analysis.SurveyResult, lang page.Lang) {
	names := sectionNames(p.Q, lang)
	for _, c := range p.Q.Categories {
		p.Columns = append(p.Columns, lang.Text(c.Title))
		p.ShortColumns = append(p.ShortColumns, c.ShortTitle(string(lang)))
	}
	// A metric without a number has fewer than k respondents, or the remainder rule
	// withholds it (analysis): the latter is marked as hidden, like a hidden group.
	for _, g := range res.Groups {
		if g.N == 0 {
			continue
		}
		row := tableRow{Name: names[g.Section], Depth: g.Depth, N: g.N, Suppressed: g.Suppressed}
		if g.Suppressed {
			row.Mark = page.WithheldMark(res.MinGroupSize, g.N, lang)
			row.Why = page.GroupWhy(res.MinGroupSize, g.N, lang)
			p.Table = append(p.Table, row)
			continue
		}
		// The first withheld metric of the row says why (too few, or the remainder rule).
		mark := func(x *float64, n int) string {
			if x != nil {
				return page.FmtNum(x, 1, false)
			}
			if row.Why == "" {
				row.Why = page.MetricWhy(res.MinGroupSize, n, lang)
			}
			return page.WithheldMark(res.MinGroupSize, n, lang)
		}
		row.Activity, row.Satisf, row.ENPS = p.Mark, "—", "—"
		if g.Activity != nil {
			row.Activity = mark(g.Activity.Index, g.Activity.N)
			if g.Activity.Type != nil {
				row.Type = lang.Text(g.Activity.Type.Title())
			}
		}
		if g.Satisfaction != nil {
			row.Satisf = mark(g.Satisfaction.Score, g.Satisfaction.N)
		}
		if g.ENPS != nil {
			row.ENPS = mark(g.ENPS.Score, g.ENPS.N)
		}
		for _, c := range p.Q.Categories {
			if g.Categories != nil && g.Categories[c.ID] != nil {
				row.Cells = append(row.Cells, mark(g.Categories[c.ID].Score, g.Categories[c.ID].N))
			} else {
				row.Cells = append(row.Cells, p.Mark)
			}
		}
		p.Table = append(p.Table, row)
	}
}

// commentsPage is the data of admin_comments.html.
type commentsPage struct {
	Survey    *survey.Survey
	Section   string
	Sections  []survey.FlatSection
	Allowed   bool
	MinSize   int
	Questions []survey.Comment // every comment question, for the filter
	Question  string           // the question filter ("" for all)
	Term      string           // the theme filter
	Query     string           // the keyword search
	Lists     []commentList
	Waiting   results.Waiting // comments waiting for review, not shown
	Review    bool            // the user may review them
}

type commentList struct {
	ID       string
	Question survey.Text
	Themes   []jatext.Theme
	Compare  *results.ThemeComparison // the themes of the less and the more satisfied, or why not
	Texts    [][]textPart             // the comments shown, after the filters, shuffled; the words searched for marked
	Total    int                      // the question's comments before the filters
}

// handleComments serves GET /admin/surveys/{id}/comments?section=CODE&question=ID&term=T&q=WORDS:
// the free-text comments of a closed survey for the organisation or one section, only when
// docs/anonymity.md, rule 7 allows (analysis.CommentCollector decides), in a new random order
// on every view, never with the section of a comment, and never one that waits for review
// because it may name a person. Per question it shows the themes (jatext.Themes: phrases,
// compound nouns, nouns), each a filter (term), the themes of the less satisfied writers against
// those of the more satisfied (results.CompareThemes, for the whole organisation, or why it is
// withheld), and takes a keyword search (q: every word must occur).
func (s *Server) handleComments(c echo.Context) error {
	section := c.QueryParam("section")
	if section == "" {
		section = survey.Root
	}
	u := currentUser(c)
	sv, err := s.res.Closed(c.Param("id"))
	if err != nil {
		return err
	}
	if err := u.checkSection(sv.Questionnaire, section); err != nil {
		return err
	}
	ctx := c.Request().Context()
	sv, lists, ok, err := s.res.Comments(ctx, c.Param("id"), section)
	if err != nil {
		return err
	}
	q := sv.Questionnaire
	p := commentsPage{Survey: sv, Section: section, Sections: u.scopeTree(q), Allowed: ok, MinSize: q.MinCommentGroupSize(),
		Questions: q.Comments, Question: c.QueryParam("question"), Term: strings.TrimSpace(c.QueryParam("term")),
		Query: strings.TrimSpace(c.QueryParam("q")), Review: u.can(permManage)}
	if p.Question != "" && !slices.ContainsFunc(q.Comments, func(cm survey.Comment) bool { return cm.ID == p.Question }) {
		return survey.Errorf(survey.ENOTFOUND, "自由記述の設問 %q はこの調査にありません", "no comment question %q in this survey", p.Question)
	}
	if !ok {
		return s.render(c, http.StatusOK, "admin_comments.html", p)
	}
	themes, err := s.res.Themes(ctx, sv.ID(), section)
	if err != nil {
		return err
	}
	if p.Waiting, err = s.res.Waiting(ctx, sv.ID(), section); err != nil {
		return err
	}
	compared, err := s.res.CompareThemes(ctx, sv.ID(), section)
	if err != nil {
		return err
	}
	for i, l := range lists {
		if p.Question != "" && l.Question != p.Question {
			continue
		}
		cl := commentList{ID: l.Question, Question: q.Comments[i].Text, Themes: themes[i],
			Texts: markWords(filterComments(l, themes[i], p.Term, p.Query), p.Query), Total: len(l.Texts)}
		if i < len(compared) && len(themes[i]) > 0 {
			cl.Compare = &compared[i]
		}
		p.Lists = append(p.Lists, cl)
	}
	return s.render(c, http.StatusOK, "admin_comments.html", p)
}

// markWords cuts each text into parts with the words of query (as jatext.Matches reads them)
// marked.
func markWords(texts []string, query string) [][]textPart {
	words := jatext.QueryWords(query)
	out := make([][]textPart, len(texts))
	for i, t := range texts {
		out[i] = markSpans(t, jatext.Find(t, words))
	}
	return out
}

// filterComments returns the texts of l that contain the theme term (none when it is not
// one of themes) and every word of query, in a new random order.
func filterComments(l analysis.CommentList, themes []jatext.Theme, term, query string) []string {
	texts := l.Texts
	if term != "" {
		texts = nil
		for _, th := range themes {
			if th.Term == term {
				for _, i := range th.Texts {
					texts = append(texts, l.Texts[i])
				}
			}
		}
	}
	if query != "" {
		var found []string
		for _, t := range texts {
			if jatext.Matches(t, query) {
				found = append(found, t)
			}
		}
		texts = found
	}
	return analysis.CommentList{Texts: texts}.Shuffled()
}

// handleReportAPI serves GET /admin/api/report?survey=ID: the report JSON (docs/analysis.md)
// of one closed survey — the same document as `staffsurvey analyze --survey ID --json`. An
// open or draft survey gets 409 with a message saying why.
func (s *Server) handleReportAPI(c echo.Context) error {
	id := c.QueryParam("survey")
	if id == "" {
		return survey.Errorf(survey.EINVALID, "survey パラメータで調査を指定してください", "give the survey parameter")
	}
	rep, err := s.res.Report(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if u := currentUser(c); u.Scoped() {
		sv, err := s.res.Closed(id)
		if err != nil {
			return err
		}
		scoped := u.scopeResult(sv.Questionnaire, rep.Surveys[0])
		changes := []analysis.Change{}
		for _, ch := range rep.Changes {
			// An option group's change is of the whole organisation, which a manager sees.
			if ch.Attribute != "" || u.Sees(sv.Questionnaire, ch.Section) {
				changes = append(changes, ch)
			}
		}
		rep = &analysis.Report{Surveys: []*analysis.SurveyResult{scoped}, Changes: changes}
	}
	return c.JSON(http.StatusOK, rep)
}
