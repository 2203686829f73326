package web

import (
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// Reports show closed surveys only (DESIGN.md §2 rule 4). Every number on them comes from the
// analysis package, which has already applied small-group suppression (§6.5); handlers only
// pick, order and format. A closed survey's analysis is cached by survey id and revision, so
// pages after the first do not rescan the store.

// significance is the p-value below which a change since last year is highlighted.
const significance = 0.05

// closedSurvey returns survey id when it is closed, and an ESTATE error (409) otherwise.
func (s *Server) closedSurvey(id string) (*survey.Survey, error) {
	sv, err := s.store.Survey(id)
	if err != nil {
		return nil, err
	}
	if sv.State != survey.StateClosed {
		return nil, notClosed(sv)
	}
	return sv, nil
}

func notClosed(sv *survey.Survey) error {
	if sv.State == survey.StateOpen {
		return survey.Errorf(survey.ESTATE,
			"調査 %q は回答受付中です。結果は調査を終了してから表示されます（受付中は回収状況のみ見られます）。",
			"Survey %q is open. Results appear once it is closed (while it is open, only response rates are shown).", sv.ID())
	}
	return survey.Errorf(survey.ESTATE, "調査 %q はまだ実施されていません（準備中）。結果は調査を終了してから表示されます。",
		"Survey %q is a draft. Results appear once it has been run and closed.", sv.ID())
}

// result returns the analysis of a closed survey, from the cache when its revision is known.
func (s *Server) result(sv *survey.Survey) (*analysis.SurveyResult, error) {
	id := sv.ID()
	return s.admin.results.Get(id, sv.Revision, func() (*analysis.SurveyResult, error) {
		// The stored sections are generalised (DESIGN.md §2 rule 4); the counts recorded at
		// close give every group its true n and the same suppression as ungeneralised data.
		own, err := s.store.SectionCounts(id)
		if err != nil {
			return nil, err
		}
		acc := analysis.NewAccumulator(sv.Questionnaire)
		if own != nil {
			acc.SetSectionCounts(own)
		}
		err = s.store.EachResponse(id, func(r *survey.Response) error {
			acc.Add(r)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return acc.Result(), nil
	})
}

// closedResults returns every closed survey and its analysis, in year order.
func (s *Server) closedResults() ([]*survey.Survey, []*analysis.SurveyResult, error) {
	all, err := s.store.Surveys()
	if err != nil {
		return nil, nil, err
	}
	var svs []*survey.Survey
	var rs []*analysis.SurveyResult
	for _, sv := range all {
		if sv.State != survey.StateClosed {
			continue
		}
		r, err := s.result(sv)
		if err != nil {
			return nil, nil, err
		}
		svs, rs = append(svs, sv), append(rs, r)
	}
	return svs, rs, nil
}

// previous returns the closed survey before sv by year, and its analysis, or nils.
func (s *Server) previous(sv *survey.Survey) (*survey.Survey, *analysis.SurveyResult, error) {
	svs, rs, err := s.closedResults()
	if err != nil {
		return nil, nil, err
	}
	var prev *survey.Survey
	var res *analysis.SurveyResult
	for i, o := range svs {
		y := o.Questionnaire.Year
		if y < sv.Questionnaire.Year && (prev == nil || y > prev.Questionnaire.Year) {
			prev, res = o, rs[i]
		}
	}
	return prev, res, nil
}

// categoryRow is one category of the organisation on the report.
type categoryRow struct {
	ID, Title, Axis string
	*analysis.Category
	Prev        *float64 // the organisation's score last year
	Delta, P    *float64 // the change since last year and its p-value
	Significant bool     // p < significance
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
}

// handleReport serves GET /admin/surveys/{id}/report: for a closed survey, the organisation's
// 組織活性度 (two axes, type, four-type distribution), satisfaction and eNPS, the heatmap of
// sections × categories, category bars with confidence intervals, significant changes since the
// previous closed survey, drivers, and the report table. An open survey gets 409.
func (s *Server) handleReport(c echo.Context) error {
	sv, err := s.closedSurvey(c.Param("id"))
	if err != nil {
		return err
	}
	res, err := s.result(sv)
	if err != nil {
		return err
	}
	prevSv, prevRes, err := s.previous(sv)
	if err != nil {
		return err
	}
	p, err := buildReportPage(sv, res, prevSv, prevRes, langOf(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_report.html", p)
}

func buildReportPage(sv *survey.Survey, res *analysis.SurveyResult, prevSv *survey.Survey, prevRes *analysis.SurveyResult, lang string) (*reportPage, error) {
	q := sv.Questionnaire
	names := sectionNames(q, lang)
	p := &reportPage{Survey: sv, Q: q, Org: res.Group(survey.Root), Mark: suppressedMark(res.MinGroupSize), Chart: map[string]chart{}}
	p.OrgShown = p.Org.Shown()
	titles := map[string]string{analysis.ActivityKey: tr(lang, "組織活性度", "Activity index")}
	for _, c := range q.Categories {
		titles[c.ID] = c.Title.In(lang)
	}

	// Changes since the previous closed survey: the organisation's per category, and every
	// significant one of any section.
	orgChange := map[string]analysis.Change{}
	significant := map[[2]string]analysis.Change{} // (section, category) → a change with p < significance
	var prevOrg *analysis.Group
	if prevRes != nil {
		p.PrevYear = prevSv.Questionnaire.Year
		prevOrg = prevRes.Group(survey.Root)
		for _, ch := range analysis.Build(prevRes, res).Changes {
			if ch.To != q.Year {
				continue
			}
			if ch.Section == survey.Root {
				orgChange[ch.Category] = ch
			}
			if ch.P != nil && *ch.P < significance {
				significant[[2]string{ch.Section, ch.Category}] = ch
				p.Changes = append(p.Changes, changeRow{Section: names[ch.Section], Category: titles[ch.Category], Delta: ch.Delta, P: ch.P})
			}
		}
	}

	if p.OrgShown {
		if a := p.Org.Activity; a != nil && a.Type != nil && a.Types != nil {
			p.TypeTitle = a.Type.Title().In(lang)
			for _, t := range []struct {
				k analysis.Type
				v float64
			}{{analysis.TypeActive, a.Types.Active}, {analysis.TypeWorkFocused, a.Types.WorkFocused},
				{analysis.TypeBelongingDependent, a.Types.BelongingDependent}, {analysis.TypeStagnant, a.Types.Stagnant}} {
				p.Types = append(p.Types, typeRow{Key: t.k, Title: t.k.Title().In(lang), Share: t.v})
			}
		}
		for _, c := range q.Categories {
			row := categoryRow{ID: c.ID, Title: c.Title.In(lang), Axis: c.Axis, Category: p.Org.Categories[c.ID]}
			if row.Category == nil {
				row.Category = &analysis.Category{}
			}
			if prevOrg != nil && prevOrg.Categories != nil && prevOrg.Categories[c.ID] != nil {
				row.Prev = prevOrg.Categories[c.ID].Score
			}
			if ch, ok := orgChange[c.ID]; ok {
				d := ch.Delta
				row.Delta, row.P = &d, ch.P
				row.Significant = ch.P != nil && *ch.P < significance
			}
			row.BarLabel = fmtNum(row.Score, 1, false)
			if row.Significant {
				arrow := "▲"
				if *row.Delta < 0 {
					arrow = "▼"
				}
				row.BarLabel += " " + arrow + fmtNum(row.Delta, 1, true)
			}
			p.Categories = append(p.Categories, row)
		}
		for _, d := range res.Drivers {
			p.Drivers = append(p.Drivers, driverRow{Title: titles[d.Category], N: d.N, R: d.R})
		}
		sort.SliceStable(p.Drivers, func(i, j int) bool {
			a, b := p.Drivers[i].R, p.Drivers[j].R
			return a != nil && (b == nil || *a > *b)
		})
	}

	for _, c := range q.Categories {
		p.Columns = append(p.Columns, c.Title.In(lang))
	}
	for _, g := range res.Groups {
		if g.N == 0 {
			continue
		}
		row := tableRow{Name: names[g.Section], Depth: g.Depth, N: g.N, Suppressed: g.Suppressed}
		if g.Suppressed {
			row.Mark = withheldMark(res.MinGroupSize, g.N, lang)
		} else {
			// A metric without a number has fewer than k respondents, or the remainder rule
			// withholds it (analysis): the latter is marked as hidden, like a hidden group.
			mark := func(x *float64, n int) string {
				if x != nil {
					return fmtNum(x, 1, false)
				}
				return withheldMark(res.MinGroupSize, n, lang)
			}
			if g.Activity != nil {
				row.Activity = mark(g.Activity.Index, g.Activity.N)
				if g.Activity.Type != nil {
					row.Type = g.Activity.Type.Title().In(lang)
				}
			} else {
				row.Activity = p.Mark
			}
			row.Satisf, row.ENPS = "—", "—"
			if g.Satisfaction != nil {
				row.Satisf = mark(g.Satisfaction.Score, g.Satisfaction.N)
			}
			if g.ENPS != nil {
				row.ENPS = mark(g.ENPS.Score, g.ENPS.N)
			}
			for _, c := range q.Categories {
				if g.Categories != nil && g.Categories[c.ID] != nil {
					row.Cells = append(row.Cells, mark(g.Categories[c.ID].Score, g.Categories[c.ID].N))
				} else {
					row.Cells = append(row.Cells, p.Mark)
				}
			}
		}
		p.Table = append(p.Table, row)
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

// commentsPage is the data of admin_comments.html.
type commentsPage struct {
	Survey   *survey.Survey
	Section  string
	Sections []survey.FlatSection
	Allowed  bool
	MinSize  int
	Lists    []commentList
}

type commentList struct {
	Question survey.Text
	Texts    []string
}

// commentCache keeps the comments of a group of a closed survey by revision, so that the
// store is scanned once per group; each page view shuffles them afresh.
type commentCache struct {
	mu sync.Mutex
	m  map[string]commentEntry // survey id + "\x00" + section
}

type commentEntry struct {
	revision uint64
	lists    []analysis.CommentList
	ok       bool
}

// handleComments serves GET /admin/surveys/{id}/comments?section=CODE: the free-text comments
// of a closed survey for the organisation or one section, only when DESIGN.md §2 rule 5 allows
// (analysis.CommentCollector decides), in a new random order on every view, never with the
// section of a comment.
func (s *Server) handleComments(c echo.Context) error {
	sv, err := s.closedSurvey(c.Param("id"))
	if err != nil {
		return err
	}
	q := sv.Questionnaire
	section := c.QueryParam("section")
	if section == "" {
		section = survey.Root
	}
	if _, ok := q.Section(section); !ok {
		return survey.Errorf(survey.ENOTFOUND, "所属 %q はこの調査にありません", "no section %q in this survey", section)
	}
	lists, ok, err := s.comments(sv, section)
	if err != nil {
		return err
	}
	p := commentsPage{Survey: sv, Section: section, Sections: q.Tree(), Allowed: ok, MinSize: q.Anonymity.MinCommentGroupSize}
	if ok {
		questions := map[string]survey.Text{}
		for _, cm := range q.Comments {
			questions[cm.ID] = cm.Text
		}
		for _, l := range lists {
			texts := append([]string(nil), l.Texts...)
			rand.Shuffle(len(texts), func(i, j int) { texts[i], texts[j] = texts[j], texts[i] })
			p.Lists = append(p.Lists, commentList{Question: questions[l.Question], Texts: texts})
		}
	}
	return s.render(c, http.StatusOK, "admin_comments.html", p)
}

func (s *Server) comments(sv *survey.Survey, section string) ([]analysis.CommentList, bool, error) {
	cc := &s.admin.comments
	key := sv.ID() + "\x00" + section
	cc.mu.Lock()
	e, hit := cc.m[key]
	cc.mu.Unlock()
	if hit && e.revision == sv.Revision {
		return e.lists, e.ok, nil
	}
	col := analysis.NewCommentCollector(sv.Questionnaire, section)
	err := s.store.EachResponse(sv.ID(), func(r *survey.Response) error {
		col.Add(r)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	lists, ok := col.Result()
	cc.mu.Lock()
	if cc.m == nil {
		cc.m = map[string]commentEntry{}
	}
	cc.m[key] = commentEntry{revision: sv.Revision, lists: lists, ok: ok}
	cc.mu.Unlock()
	return lists, ok, nil
}

// handleReportAPI serves GET /admin/api/report?survey=ID: the DESIGN.md §6 JSON of one closed
// survey — the same document as `staffsurvey analyze --survey ID --json`. An open or draft
// survey gets 409 with a message saying why.
func (s *Server) handleReportAPI(c echo.Context) error {
	id := c.QueryParam("survey")
	if id == "" {
		return survey.Errorf(survey.EINVALID, "survey パラメータで調査を指定してください", "give the survey parameter")
	}
	sv, err := s.closedSurvey(id)
	if err != nil {
		return err
	}
	res, err := s.result(sv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, analysis.Build(res))
}
