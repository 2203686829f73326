package admin

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/results/insight"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Action plans (改善計画), so that results lead to action and next year shows whether it
// helped: after a survey closes, a manager records for a section of its scope one to three focus categories, what will be done, by when, and later the progress
// (survey.Plan). The page suggests focus categories from the published report of that group
// only — its weakest categories, its significant drops since last year, the organisation's
// strongest drivers — so a suppressed group gets no suggestions. Next year's report shows each
// plan beside the change in its focus categories (addPlans). Plans are ordinary records, not
// about respondents; every change is in the audit log.

// canWritePlan reports whether u may write plans for section code of q: an admin for any
// section and the whole organisation, a manager for the sections of its subtrees only — the
// whole organisation's plan is not one section chief's to write.
func (u adminUser) canWritePlan(q *survey.Questionnaire, code string) bool {
	if !u.can(permPlans) {
		return false
	}
	if !u.Scoped() {
		return true
	}
	return code != survey.Root && survey.InScope(q, u.Sections, code)
}

var errPlanForbidden = survey.Errorf(survey.EFORBIDDEN,
	"この所属の改善計画を書く権限がありません。管理職は担当の所属の計画だけを書けます（組織全体の計画は管理者が書きます）。",
	"You may not write plans for this section: a manager writes plans for its own sections only (the whole organisation's are the admin's).")

// planForm is what a plan form holds: a plan's fields as typed, kept when it is refused.
type planForm struct {
	Section    string
	Categories []string
	Action     string
	Due        string
	Status     string
	Progress   string
}

// planChoice is one category checkbox of a plan form, with why it is suggested, if it is.
type planChoice struct {
	ID, Title string
	Checked   bool
	Reasons   []string
}

// planSuggestion is one suggested focus category, with why and its number.
type planSuggestion struct {
	Category, Title, Reason, Value string
}

// planRow is one stored plan on the plans page.
type planRow struct {
	*survey.Plan
	SectionName    string
	CategoryTitles []string
	StatusTitle    survey.Text
	CanEdit        bool
	Form           planForm     // what its edit form shows: the plan, or what was typed
	Choices        []planChoice // the checkboxes of its edit form
	Open           bool         // the edit form starts open: its update was refused
	Error          *survey.Text // why
}

// planStatus is one option of the status select.
type planStatus struct {
	Value string
	Title survey.Text
}

var planStatuses = []planStatus{
	{survey.PlanPlanned, survey.PlanStatusTitle(survey.PlanPlanned)},
	{survey.PlanDoing, survey.PlanStatusTitle(survey.PlanDoing)},
	{survey.PlanDone, survey.PlanStatusTitle(survey.PlanDone)},
}

// plansPage is the data of admin_plans.html.
type plansPage struct {
	Survey      *survey.Survey
	Q           *survey.Questionnaire
	Section     string // the section of the new plan and of the suggestions
	SectionName string
	Sections    []reportSection // the sections the picker offers (those the user sees)
	CanWrite    bool            // the user may write plans for Section
	Shown       bool            // Section's group is shown: suggestions can be made
	Why         string          // why not, when it is not
	PrevYear    int
	Suggestions []planSuggestion
	Choices     []planChoice
	Form        planForm
	Error       *survey.Text
	Plans       []planRow
	Statuses    []planStatus
}

// planFormOf reads a plan form from a request.
func planFormOf(c echo.Context) planForm {
	form, _ := c.FormParams()
	f := planForm{
		Section:    c.FormValue("section"),
		Categories: form["categories"],
		Action:     strings.TrimSpace(c.FormValue("action")),
		Due:        strings.TrimSpace(c.FormValue("due")),
		Status:     c.FormValue("status"),
		Progress:   strings.TrimSpace(c.FormValue("progress")),
	}
	if f.Status == "" {
		f.Status = survey.PlanPlanned
	}
	return f
}

// planFormFrom is the edit form of a stored plan.
func planFormFrom(p *survey.Plan) planForm {
	return planForm{Section: p.Section, Categories: slices.Clone(p.Categories), Action: p.Action, Due: p.Due, Status: p.Status, Progress: p.Progress}
}

// planChoices returns the category checkboxes of q, those in checked ticked, with reasons.
func planChoices(q *survey.Questionnaire, checked []string, reasons map[string][]string, lang page.Lang) []planChoice {
	out := make([]planChoice, 0, len(q.Categories))
	for _, c := range q.Categories {
		out = append(out, planChoice{ID: c.ID, Title: lang.Text(c.Title), Checked: slices.Contains(checked, c.ID), Reasons: reasons[c.ID]})
	}
	return out
}

// handlePlans serves GET /admin/surveys/{id}/plans?section=CODE: the plans of a closed survey
// for the sections the user sees and, for a section the user may write plans for, a form to
// add one with focus categories suggested from that group's published results.
func (s *Server) handlePlans(c echo.Context) error {
	sv, err := s.res.Closed(c.Param("id"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	section := c.QueryParam("section")
	if section == "" {
		section = u.home(sv.Questionnaire)
	}
	if err := checkPlanSection(u, sv.Questionnaire, section, false); err != nil {
		return err
	}
	p, err := s.plansPage(c, sv, section)
	if err != nil {
		return err
	}
	p.Form.Status = survey.PlanPlanned
	return s.renderPlans(c, http.StatusOK, p)
}

// checkPlanSection answers 404 for a section q does not have and 403 for one u may not see
// (or, with write, may not write plans for).
func checkPlanSection(u adminUser, q *survey.Questionnaire, code string, write bool) error {
	if err := u.checkSection(q, code); err != nil {
		return err
	}
	if write && !u.canWritePlan(q, code) {
		return errPlanForbidden
	}
	return nil
}

// plansPage builds the plans page of closed survey sv with section chosen.
func (s *Server) plansPage(c echo.Context, sv *survey.Survey, section string) (*plansPage, error) {
	ctx := c.Request().Context()
	lang := page.LangOf(c)
	u := currentUser(c)
	q := sv.Questionnaire
	_, res, err := s.res.Result(ctx, sv.ID())
	if err != nil {
		return nil, err
	}
	prevSv, prevRes, err := s.res.Previous(ctx, sv)
	if err != nil {
		return nil, err
	}
	fs, _ := q.Section(section)
	p := &plansPage{Survey: sv, Q: q, Section: section, SectionName: lang.Text(fs.Name), CanWrite: u.canWritePlan(q, section), Statuses: planStatuses}
	for _, f := range u.scopeTree(q) {
		p.Sections = append(p.Sections, reportSection{Code: f.Code, Name: lang.Text(f.Name), Depth: f.Depth})
	}
	if prevSv != nil {
		p.PrevYear = prevSv.Questionnaire.Year
	}
	reasons := p.suggest(res, prevRes, lang)
	p.Choices = planChoices(q, nil, reasons, lang)

	plans, err := s.store.Plans(sv.ID())
	if err != nil {
		return nil, err
	}
	names, titles := sectionNames(q, lang), metricTitles(q, lang)
	for _, pl := range sortPlans(q, plans) {
		if !u.Sees(q, pl.Section) {
			continue
		}
		row := planRow{Plan: pl, SectionName: names[pl.Section], StatusTitle: survey.PlanStatusTitle(pl.Status),
			CanEdit: u.canWritePlan(q, pl.Section), Form: planFormFrom(pl)}
		for _, cat := range pl.Categories {
			row.CategoryTitles = append(row.CategoryTitles, cmp.Or(titles[cat], cat))
		}
		if row.CanEdit {
			row.Choices = planChoices(q, pl.Categories, nil, lang)
		}
		p.Plans = append(p.Plans, row)
	}
	return p, nil
}

// sortPlans orders plans by their section in the organisation tree (pre-order), then by
// creation.
func sortPlans(q *survey.Questionnaire, plans []*survey.Plan) []*survey.Plan {
	t := q.OrgTree()
	pos := func(code string) int {
		if i, ok := t.Index(code); ok {
			return i
		}
		return len(t.Nodes)
	}
	out := slices.Clone(plans)
	slices.SortStableFunc(out, func(a, b *survey.Plan) int {
		return cmp.Or(cmp.Compare(pos(a.Section), pos(b.Section)), a.Created.Compare(b.Created))
	})
	return out
}

// suggest fills the suggestions for p.Section from its findings in the published results res
// (and prevRes, last year's, for drops: insight.Of), and returns the reasons by category for
// the checkboxes. Every number is one the report publishes; a group the report hides gets none.
func (p *plansPage) suggest(res, prevRes *analysis.SurveyResult, lang page.Lang) map[string][]string {
	f := insight.Of(p.Q, res, prevRes, p.Section)
	if !f.Shown {
		n := 0
		if g := res.Group(p.Section); g != nil {
			n = g.N
		}
		p.Why = page.GroupWhy(res.MinGroupSize, n, lang) + lang.Pick(" 提案はできませんが、計画は書けます。", " No suggestions can be made, but a plan can still be written.")
		return nil
	}
	p.Shown = true
	titles := metricTitles(p.Q, lang)
	reasons := map[string][]string{}
	for _, x := range f.Suggestions {
		var reason, value string
		switch x.Kind {
		case insight.LowScore:
			reason, value = lang.Pick("スコアが低い", "Low score"), page.FmtNum(&x.Score, 1, false)
		case insight.Drop:
			reason = fmt.Sprintf(lang.Pick("%d年度から有意に低下", "Significant drop since %d"), x.Change.From)
			value = page.FmtNum(&x.Change.Delta, 1, true) + paren(lang, "p = "+page.FmtP(x.Change.P))
		case insight.Driver:
			reason, value = lang.Pick("組織活性度との結び付きが強い（組織全体）", "Strong driver of activity (whole organisation)"), fmt.Sprintf("r = %.2f", x.R)
		}
		p.Suggestions = append(p.Suggestions, planSuggestion{Category: x.Category, Title: titles[x.Category], Reason: reason, Value: value})
		reasons[x.Category] = append(reasons[x.Category], reason+" "+value)
	}
	return reasons
}

// renderPlans renders the plans page.
func (s *Server) renderPlans(c echo.Context, status int, p *plansPage) error {
	return s.render(c, status, "admin_plans.html", p)
}

// plansURL is where a plan change sends the browser: the plans page of the plan's section.
func plansURL(surveyID, section, planID string) string {
	u := "/admin/surveys/" + url.PathEscape(surveyID) + "/plans?section=" + url.QueryEscape(section)
	if planID != "" {
		u += "#plan-" + planID
	}
	return u
}

// planDetail is the audit detail of a plan: never anything about a respondent.
func planDetail(p *survey.Plan) string {
	return "section=" + truncate(p.Section, 64) + " plan=" + p.ID + " categories=" + truncate(strings.Join(p.Categories, ","), 200) + " status=" + truncate(p.Status, 16)
}

// refusable reports whether err is a refusal the form shows beside what was typed.
func refusable(err error) bool { return survey.ErrorCode(err) == survey.EINVALID }

// handlePlanCreate serves POST /admin/surveys/{id}/plans (section, categories (1–3), action,
// due, status, progress): a new plan of a section the user may write plans for → 303 to the
// plans page. A refused plan re-renders the form with the message and what was typed (422).
func (s *Server) handlePlanCreate(c echo.Context) error {
	sv, err := s.res.Closed(c.Param("id"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	f := planFormOf(c)
	if err := checkPlanSection(u, sv.Questionnaire, f.Section, true); err != nil {
		return err
	}
	now := time.Now().UTC()
	pl := &survey.Plan{ID: survey.NewPlanID(), Survey: sv.ID(), Section: f.Section, Categories: f.Categories,
		Action: f.Action, Due: f.Due, Status: f.Status, Progress: f.Progress, Author: u.Name, Created: now, Updated: now}
	if err := s.store.PutPlan(pl); err != nil {
		if !refusable(err) {
			return err
		}
		p, perr := s.plansPage(c, sv, f.Section)
		if perr != nil {
			return perr
		}
		msg := survey.ErrorMessage(err)
		p.Error, p.Form = &msg, f
		for i := range p.Choices { // the suggestions stay; the ticks are what was sent
			p.Choices[i].Checked = slices.Contains(f.Categories, p.Choices[i].ID)
		}
		return s.renderPlans(c, http.StatusUnprocessableEntity, p)
	}
	s.audit(c, "plan.create", sv.ID(), planDetail(pl))
	return c.Redirect(http.StatusSeeOther, plansURL(sv.ID(), pl.Section, pl.ID))
}

// storedPlan returns the plan named by the route of closed survey sv, after checking that u
// may write plans for its section.
func (s *Server) storedPlan(c echo.Context, sv *survey.Survey) (*survey.Plan, error) {
	pl, err := s.store.Plan(sv.ID(), c.Param("plan"))
	if err != nil {
		return nil, err
	}
	if err := checkPlanSection(currentUser(c), sv.Questionnaire, pl.Section, true); err != nil {
		return nil, err
	}
	return pl, nil
}

// handlePlanUpdate serves POST /admin/surveys/{id}/plans/{plan} (categories, action, due,
// status, progress): changes a plan → 303 to the plans page; its section stays. A refused
// change re-renders the page with that plan's form open, the message and what was typed (422).
func (s *Server) handlePlanUpdate(c echo.Context) error {
	sv, err := s.res.Closed(c.Param("id"))
	if err != nil {
		return err
	}
	old, err := s.storedPlan(c, sv)
	if err != nil {
		return err
	}
	f := planFormOf(c)
	f.Section = old.Section
	pl := *old
	pl.Categories, pl.Action, pl.Due, pl.Status, pl.Progress = f.Categories, f.Action, f.Due, f.Status, f.Progress
	pl.Updated = time.Now().UTC()
	if err := s.store.PutPlan(&pl); err != nil {
		if !refusable(err) {
			return err
		}
		p, perr := s.plansPage(c, sv, old.Section)
		if perr != nil {
			return perr
		}
		msg := survey.ErrorMessage(err)
		for i := range p.Plans {
			if r := &p.Plans[i]; r.ID == old.ID {
				r.Form, r.Open, r.Error = f, true, &msg
				r.Choices = planChoices(sv.Questionnaire, f.Categories, nil, page.LangOf(c))
			}
		}
		return s.renderPlans(c, http.StatusUnprocessableEntity, p)
	}
	s.audit(c, "plan.update", sv.ID(), planDetail(&pl))
	return c.Redirect(http.StatusSeeOther, plansURL(sv.ID(), pl.Section, pl.ID))
}

// handlePlanDelete serves POST /admin/surveys/{id}/plans/{plan}/delete (confirm=1): removes a
// plan → 303 to the plans page.
func (s *Server) handlePlanDelete(c echo.Context) error {
	sv, err := s.res.Closed(c.Param("id"))
	if err != nil {
		return err
	}
	pl, err := s.storedPlan(c, sv)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "1" {
		return survey.Errorf(survey.EINVALID, "削除するには確認のチェックを入れてください。", "Tick the confirmation to delete the plan.")
	}
	if err := s.store.DeletePlan(sv.ID(), pl.ID); err != nil {
		return err
	}
	s.audit(c, "plan.delete", sv.ID(), planDetail(pl))
	return c.Redirect(http.StatusSeeOther, plansURL(sv.ID(), pl.Section, ""))
}

// planResult is one focus category of last year's plan on this year's report: its published
// score in both years and the change, or why a number is hidden.
type planResult struct {
	Title       string
	Prev, Now   string // scores, or the mark of a hidden one
	Delta, P    string // "" when there is no change to show
	Significant bool
	Down        bool
	Why         string
}

// reportPlan is a plan on a report: last year's with its results, or this year's.
type reportPlan struct {
	ID, SectionName, Action, Due, Progress, Status string
	StatusTitle                                    survey.Text
	Categories                                     []string // titles
	Results                                        []planResult
	EditURL                                        string // this year's plans the user may edit
}

// addPlans adds to the report of closed survey sv the plans of the previous closed survey
// with the change in their focus categories, and this survey's plans, for the sections u
// sees. res and prevRes are the (scoped) published results p was built from: every number is
// theirs, and the changes are p's.
func (s *Server) addPlans(p *reportPage, u adminUser, lang page.Lang, sv *survey.Survey, res *analysis.SurveyResult, prevSv *survey.Survey, prevRes *analysis.SurveyResult) error {
	q := sv.Questionnaire
	cur, err := s.store.Plans(sv.ID())
	if err != nil {
		return err
	}
	names := sectionNames(q, lang)
	titles := metricTitles(q, lang)
	for _, pl := range sortPlans(q, cur) {
		if !u.Sees(q, pl.Section) {
			continue
		}
		rp := reportPlan{ID: pl.ID, SectionName: names[pl.Section], Action: pl.Action, Due: pl.Due, Progress: pl.Progress,
			Status: pl.Status, StatusTitle: survey.PlanStatusTitle(pl.Status)}
		for _, cat := range pl.Categories {
			rp.Categories = append(rp.Categories, cmp.Or(titles[cat], cat))
		}
		if u.canWritePlan(q, pl.Section) {
			rp.EditURL = plansURL(sv.ID(), pl.Section, pl.ID)
		}
		p.Plans = append(p.Plans, rp)
	}
	if prevSv == nil {
		return nil
	}
	prev, err := s.store.Plans(prevSv.ID())
	if err != nil {
		return err
	}
	pq := prevSv.Questionnaire
	prevNames, prevTitles := sectionNames(pq, lang), metricTitles(pq, lang)
	for _, pl := range sortPlans(pq, prev) {
		if !u.Sees(pq, pl.Section) {
			continue
		}
		rp := reportPlan{ID: pl.ID, SectionName: cmp.Or(names[pl.Section], prevNames[pl.Section]), Action: pl.Action, Due: pl.Due,
			Progress: pl.Progress, Status: pl.Status, StatusTitle: survey.PlanStatusTitle(pl.Status)}
		var now *analysis.Group
		if _, ok := q.Section(pl.Section); ok && u.Sees(q, pl.Section) {
			now = res.Group(pl.Section)
		}
		for _, cat := range pl.Categories {
			r := planResult{Title: cmp.Or(titles[cat], prevTitles[cat], cat)}
			var whyPrev, whyNow string
			r.Prev, whyPrev = publishedScore(prevRes.Group(pl.Section), cat, prevRes.MinGroupSize, lang)
			if now == nil {
				r.Now, whyNow = "—", lang.Pick("この所属は今年度の調査にありません。", "This section is not in this year's survey.")
			} else {
				r.Now, whyNow = publishedScore(now, cat, res.MinGroupSize, lang)
			}
			if ch, ok := p.changes[[2]string{pl.Section, cat}]; ok {
				r.Delta, r.P, r.Significant, r.Down = page.FmtNum(&ch.Delta, 1, true), page.FmtP(ch.P), ch.Significant(), ch.Delta < 0
			}
			var whys []string
			if whyPrev != "" {
				whys = append(whys, fmt.Sprintf("%d%s: %s", pq.Year, lang.Pick("年度", ""), whyPrev))
			}
			if whyNow != "" {
				whys = append(whys, fmt.Sprintf("%d%s: %s", q.Year, lang.Pick("年度", ""), whyNow))
			}
			r.Why = strings.Join(whys, " ")
			rp.Results = append(rp.Results, r)
		}
		p.PrevPlans = append(p.PrevPlans, rp)
	}
	return nil
}

// publishedScore is category cat of group g as the report publishes it: the score, or the
// mark of a hidden one and why it is hidden (and the remedy).
func publishedScore(g *analysis.Group, cat string, k int, lang page.Lang) (value, why string) {
	switch {
	case g == nil:
		return "—", lang.Pick("この所属はこの調査にありません。", "This section is not in this survey.")
	case !g.Shown():
		return page.WithheldMark(k, g.N, lang), page.GroupWhy(k, g.N, lang)
	}
	m := g.Categories[cat]
	switch {
	case m == nil:
		return "—", lang.Pick("このカテゴリはこの調査にありません。", "This category is not in this survey.")
	case m.Score == nil:
		return page.WithheldMark(k, m.N, lang), page.MetricWhy(k, m.N, lang)
	}
	return page.FmtNum(m.Score, 1, false), ""
}
