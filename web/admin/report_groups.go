package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/results/insight"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Option groups (属性別) on the report and the staff edition: for a survey with attributes,
// every option of every attribute is a group of the whole organisation (docs/analysis.md,
// "Attributes"). The report shows each option's metrics, a heatmap of options × categories,
// the 組織活性度 types per option and the comparison of two options of one attribute
// (insight.Compare). Which option groups and metrics are published is the analysis's
// decision — rules a and b within each attribute, then the cross-partition check — and this
// file only formats what it publishes: a withheld option shows its n and why, never a number,
// and a gap is shown only where both options publish the metric.
//
// A manager scoped to some sections sees the option groups too: they are groups of the whole
// organisation, which every manager sees, and the disclosure check has already cleared them
// against every section together, so a subset of the published numbers reveals nothing more.

// optionGroups is the block of option groups of a report page or a staff edition.
type optionGroups struct {
	Attributes []optionAttribute
	// Columns are the category titles of the tables, Short their short forms (as the section
	// table's).
	Columns, Short []string
	// Compare is the comparison of two options; nil on the staff edition.
	Compare *optionComparison
	// Chart holds the heatmap and the types chart; nil on the staff edition, which runs no script.
	Chart map[string]chart
}

// optionAttribute is one attribute's option groups.
type optionAttribute struct {
	ID, Title string
	Rows      []tableRow
	Types     []optionTypes // the shown options with 組織活性度 types
}

// optionTypes are the shares of the four types of 組織活性度 in one option group.
type optionTypes struct {
	Name   string
	Type   string
	Shares []string // active, work-focused, belonging-dependent, stagnant, as "12.3%"
}

// optionComparison is the comparison block of the report: the picker, the gaps in plain words
// for everyone, and their n and p in the analysts' fold.
type optionComparison struct {
	Attribute, A, B       string // ids
	AName, BName          string
	Attributes, Options   []pickItem // the attribute picker, the chosen attribute's options
	Why                   []string   // why a withheld option of the pair compares nothing
	Rows                  []gapRow   // activity, satisfaction, eNPS, the categories
	Findings              []string   // the widest significant gaps in words
	Significant, Compared bool       // some gap is significant; there are gaps at all
	// Questions are the gaps question by question, widest first; TopQuestions the first
	// TopQuestions of them, which everyone sees (the rest are in the analysts' fold).
	Questions, TopQuestions []gapRow
	// Unkept is true when both options publish questions but the survey keeps no sums to
	// compare them: one closed before options kept them.
	Unkept bool
}

// TopQuestions is how many question gaps the comparison lists outside the analysts' fold: a
// list a chief reads on a phone.
const TopQuestions = 5

// pickItem is one choice of a select.
type pickItem struct{ ID, Title string }

// gapRow is one metric or question of the comparison.
type gapRow struct {
	Title       string
	Category    string // a question's category
	A, B        string // each option's score, or its mark when withheld
	NA, NB      string // each option's n behind the gap; "—" without a gap
	Delta, P    string // "—" when the metric is withheld in either option
	Verdict     string // the gap in words (はっきりした差 or not); "—" without a gap
	Significant bool
	Up          bool // B above A
}

// newGapRow formats gap g titled title.
func newGapRow(title string, g analysis.OptionGap, lang page.Lang) gapRow {
	row := gapRow{Title: title, A: page.FmtNum(&g.A, 1, false), B: page.FmtNum(&g.B, 1, false),
		NA: fmt.Sprint(g.NA), NB: fmt.Sprint(g.NB), Delta: page.FmtNum(&g.Delta, 1, true), P: page.FmtP(g.P),
		Significant: g.Significant(), Up: g.Delta > 0, Verdict: lang.Pick("差ははっきりしない", "no clear gap")}
	if row.Significant {
		row.Verdict = lang.Pick("はっきりした差", "a clear gap")
	}
	return row
}

// optionLabel names an option for a page: the attribute's title and the option's label.
func optionLabel(at survey.Attribute, o survey.Option, lang page.Lang) string {
	return lang.Text(at.Title) + ": " + lang.Text(o.Label)
}

// newOptionGroups returns the option groups of res to show, for the attributes of q that keep
// says to (all when keep is nil), or nil when q has no attributes or the organisation itself is
// not shown.
func newOptionGroups(q *survey.Questionnaire, res *analysis.SurveyResult, lang page.Lang, keep func(id string) bool) *optionGroups {
	if !q.HasAttributes() || !res.Group(survey.Root).Shown() {
		return nil
	}
	b := &optionGroups{}
	for _, c := range q.Categories {
		b.Columns = append(b.Columns, lang.Text(c.Title))
		b.Short = append(b.Short, c.ShortTitle(string(lang)))
	}
	for _, at := range q.Attributes {
		ar := res.Attribute(at.ID)
		if ar == nil || (keep != nil && !keep(at.ID)) {
			continue
		}
		oa := optionAttribute{ID: at.ID, Title: lang.Text(at.Title)}
		for _, o := range at.Options {
			g := ar.Option(o.ID)
			if g == nil {
				continue
			}
			oa.Rows = append(oa.Rows, optionRow(q, res.MinGroupSize, g, lang.Text(o.Label), lang))
			if a := g.Activity; g.Shown() && a != nil && a.Types != nil && a.Type != nil {
				ot := optionTypes{Name: lang.Text(o.Label), Type: lang.Text(a.Type.Title())}
				for _, v := range []float64{a.Types.Active, a.Types.WorkFocused, a.Types.BelongingDependent, a.Types.Stagnant} {
					ot.Shares = append(ot.Shares, fmt.Sprintf("%.1f%%", v))
				}
				oa.Types = append(oa.Types, ot)
			}
		}
		b.Attributes = append(b.Attributes, oa)
	}
	return b
}

// addOptionGroups adds the option groups to the report page, with their charts and the
// comparison of options a and b of attribute (the default pair when attribute is empty).
// prevRes (nil for none) gives the arrows of significant changes on the heatmap.
func (p *reportPage) addOptionGroups(res, prevRes *analysis.SurveyResult, lang page.Lang, attribute, a, b string) error {
	if p.Groups = newOptionGroups(p.Q, res, lang, nil); p.Groups == nil {
		return nil
	}
	if err := p.Groups.addCharts(p.Q, res, prevRes, lang); err != nil {
		return err
	}
	var err error
	p.Groups.Compare, err = newOptionComparison(p.Q, res, attribute, a, b, lang)
	return err
}

// addCharts adds the heatmap of options × categories and the types per option.
func (b *optionGroups) addCharts(q *survey.Questionnaire, res, prevRes *analysis.SurveyResult, lang page.Lang) error {
	changes := map[[2]string]analysis.Change{}
	if prevRes != nil {
		for _, ch := range analysis.Changes(prevRes, res) {
			if ch.Attribute != "" && ch.Significant() {
				changes[[2]string{ch.Attribute + "=" + ch.Option, ch.Category}] = ch
			}
		}
	}
	b.Chart = map[string]chart{}
	for _, build := range []func() (chart, error){
		func() (chart, error) { return optionHeatmapChart(res, q, changes, lang) },
		func() (chart, error) { return optionTypesChart(res, q, lang) },
	} {
		ch, err := build()
		if err != nil {
			return err
		}
		b.Chart[ch.ID] = ch
	}
	return nil
}

// optionRow is an option group's row of its attribute's table: its numbers formatted, or its
// mark and why when the option or a metric is withheld.
func optionRow(q *survey.Questionnaire, k int, g *analysis.OptionGroup, name string, lang page.Lang) tableRow {
	row := tableRow{Name: name, N: g.N, Suppressed: !g.Shown()}
	if !g.Shown() {
		row.Mark, row.Why = "—", optionWhy(k, g, lang)
		if g.N > 0 {
			row.Mark = page.WithheldMark(k, g.N, lang)
		}
		return row
	}
	mark := func(x *float64, n int) string {
		if x != nil {
			return page.FmtNum(x, 1, false)
		}
		if row.Why == "" {
			row.Why = optionMetricWhy(k, n, lang)
		}
		return page.WithheldMark(k, n, lang)
	}
	row.Activity, row.Satisf, row.ENPS = page.SuppressedMark(k), "—", "—"
	if a := g.Activity; a != nil {
		row.Activity = mark(a.Index, a.N)
		if a.Type != nil {
			row.Type = lang.Text(a.Type.Title())
		}
	}
	if g.Satisfaction != nil {
		row.Satisf = mark(g.Satisfaction.Score, g.Satisfaction.N)
	}
	if g.ENPS != nil {
		row.ENPS = mark(g.ENPS.Score, g.ENPS.N)
	}
	for _, c := range q.Categories {
		if m := g.Categories[c.ID]; m != nil {
			row.Cells = append(row.Cells, mark(m.Score, m.N))
		} else {
			row.Cells = append(row.Cells, page.SuppressedMark(k))
		}
	}
	return row
}

// optionWhy says why an option group shows nothing: its reason (analysis.Reason*) in words.
func optionWhy(k int, g *analysis.OptionGroup, lang page.Lang) string {
	switch {
	case g.N == 0:
		return lang.Pick("この選択肢を選んだ回答者はいません。", "Nobody chose this option.")
	case g.Reason == analysis.ReasonMinGroup || g.N < k:
		return fmt.Sprintf(lang.Pick("回答者が %d 人と、匿名性を守る最小人数 %d 人に満たないため非表示です。",
			"%d respondents, fewer than the %d that anonymity needs: hidden."), g.N, k)
	case g.Reason == analysis.ReasonCrossPartition:
		return fmt.Sprintf(lang.Pick("回答者は %d 人いますが、所属やほかの属性の結果と組み合わせると %d 人未満の回答が計算できてしまうため非表示です。",
			"%d respondents, but hidden: combined with the sections' or other attributes' results it would reveal the answers of fewer than %d people."), g.N, k)
	}
	return fmt.Sprintf(lang.Pick("回答者は %d 人いますが、組織全体からほかの選択肢を差し引くと、この属性に答えなかった人など %d 人未満の回答が計算できてしまうため非表示です。",
		"%d respondents, but hidden: subtracting the other options from the whole organisation would reveal the answers of fewer than %d people (such as those who did not state it)."), g.N, k)
}

// optionMetricWhy says why one metric of a shown option group is withheld.
func optionMetricWhy(k, n int, lang page.Lang) string {
	if n < k {
		return fmt.Sprintf(lang.Pick("一部の指標は回答者が %d 人未満のため非表示です。", "Some measures have fewer than %d respondents and are hidden."), k)
	}
	return lang.Pick("一部の指標は、組織全体やほかの選択肢との差し引きで少人数の回答が分かるため非表示です。",
		"Some measures are hidden because subtracting the other options from the whole organisation would reveal a small group.")
}

// newOptionComparison returns the comparison of options a and b of attribute (insight.Pair
// settles an empty or stale choice; an unknown attribute is an error), with the picker.
func newOptionComparison(q *survey.Questionnaire, res *analysis.SurveyResult, attribute, a, b string, lang page.Lang) (*optionComparison, error) {
	if attribute == "" {
		attribute, a, b, _ = insight.DefaultPair(q)
	}
	a, b, err := insight.Pair(q, attribute, a, b)
	if err != nil {
		return nil, err
	}
	var at survey.Attribute
	cmp := &optionComparison{Attribute: attribute, A: a, B: b}
	for _, x := range q.Attributes {
		cmp.Attributes = append(cmp.Attributes, pickItem{x.ID, lang.Text(x.Title)})
		if x.ID == attribute {
			at = x
		}
	}
	label := map[string]string{}
	for _, o := range at.Options {
		cmp.Options = append(cmp.Options, pickItem{o.ID, lang.Text(o.Label)})
		label[o.ID] = lang.Text(o.Label)
	}
	cmp.AName, cmp.BName = label[a], label[b]
	c := insight.Compare(res, attribute, a, b)
	ar := res.Attribute(attribute)
	if ar == nil {
		return cmp, nil // a result without the questionnaire's attributes has nothing to compare
	}
	for _, id := range c.Withheld {
		cmp.Why = append(cmp.Why, label[id]+" — "+optionWhy(res.MinGroupSize, ar.Option(id), lang))
	}
	if len(c.Withheld) > 0 {
		return cmp, nil
	}
	titles := metricTitles(q, lang)
	keys := []string{analysis.ActivityKey}
	if q.Outcomes.Satisfaction != nil {
		keys = append(keys, analysis.SatisfactionKey)
		titles[analysis.SatisfactionKey] = lang.Pick("総合満足度", "Overall satisfaction")
	}
	if q.Outcomes.ENPS != nil {
		keys = append(keys, analysis.ENPSKey)
		titles[analysis.ENPSKey] = "eNPS"
	}
	keys = append(keys, res.Categories()...)
	gaps := map[string]analysis.OptionGap{}
	for _, g := range c.Gaps {
		gaps[g.Metric] = g
	}
	ga, gb := ar.Option(a), ar.Option(b)
	for _, key := range keys {
		row := gapRow{Title: titles[key], NA: "—", NB: "—", Delta: "—", P: "—", Verdict: "—"}
		if g, ok := gaps[key]; ok {
			row = newGapRow(titles[key], g, lang)
			cmp.Compared = true
			cmp.Significant = cmp.Significant || row.Significant
		} else {
			row.A, row.B = metricCell(ga, key, res.MinGroupSize, lang), metricCell(gb, key, res.MinGroupSize, lang)
		}
		cmp.Rows = append(cmp.Rows, row)
	}
	for _, g := range c.Widest {
		d := g.Delta
		if d < 0 {
			d = -d
		}
		cmp.Findings = append(cmp.Findings, fmt.Sprintf(lang.Pick("%[1]s: %[2]sは%[3]sより %[4]s ポイント%[5]s（%[3]s %[6]s、%[2]s %[7]s）",
			"%[1]s: %[2]s score %[4]s points %[5]s than %[3]s (%[3]s %[6]s, %[2]s %[7]s)"),
			titles[g.Metric], cmp.BName, cmp.AName, page.FmtNum(&d, 1, false), upDown(g.Delta, lang),
			page.FmtNum(&g.A, 1, false), page.FmtNum(&g.B, 1, false)))
	}
	items := map[string]survey.Item{}
	for _, cat := range q.Categories {
		for _, it := range cat.Items {
			items[it.ID] = it
		}
	}
	for _, g := range c.Questions {
		row := newGapRow(lang.Text(items[g.Metric].Text), g, lang)
		row.Category = titles[g.Category]
		cmp.Questions = append(cmp.Questions, row)
	}
	cmp.TopQuestions = cmp.Questions[:min(TopQuestions, len(cmp.Questions))]
	cmp.Unkept = len(cmp.Questions) == 0 && questionsInBoth(q, ga, gb)
	return cmp, nil
}

// questionsInBoth reports whether options a and b both publish the results of some question.
func questionsInBoth(q *survey.Questionnaire, a, b *analysis.OptionGroup) bool {
	for _, c := range q.Categories {
		ca, cb := a.Categories[c.ID], b.Categories[c.ID]
		if ca == nil || cb == nil {
			continue
		}
		for j := range min(len(ca.Items), len(cb.Items)) {
			if ca.Items[j].Favourable != nil && cb.Items[j].Favourable != nil {
				return true
			}
		}
	}
	return false
}

// upDown says whether the second option of a comparison scores higher or lower.
func upDown(delta float64, lang page.Lang) string {
	if delta > 0 {
		return lang.Pick("高い", "higher")
	}
	return lang.Pick("低い", "lower")
}

// metricCell is one option's score of metric key, or its mark when withheld.
func metricCell(g *analysis.OptionGroup, key string, k int, lang page.Lang) string {
	if !g.Shown() {
		if g.N == 0 {
			return "—"
		}
		return page.WithheldMark(k, g.N, lang)
	}
	score, n := optionCell(g, key)
	if score != nil {
		return page.FmtNum(score, 1, false)
	}
	return page.WithheldMark(k, n, lang)
}

// optionCell is cellOf for an option group, satisfaction and eNPS included.
func optionCell(g *analysis.OptionGroup, key string) (*float64, int) {
	switch key {
	case analysis.SatisfactionKey:
		if g.Satisfaction != nil {
			return g.Satisfaction.Score, g.Satisfaction.N
		}
		return nil, 0
	case analysis.ENPSKey:
		if g.ENPS != nil {
			return g.ENPS.Score, g.ENPS.N
		}
		return nil, 0
	}
	return cellOf(&analysis.Group{Categories: g.Categories, Activity: g.Activity}, key)
}

// --- The staff edition: the option groups of the attributes the survey office ticks. ---

// editionGroups returns the option tables of the attributes ed shows, or nil for none.
func editionGroups(q *survey.Questionnaire, res *analysis.SurveyResult, ed *survey.Edition, lang page.Lang) *optionGroups {
	if len(ed.Attributes) == 0 {
		return nil
	}
	return newOptionGroups(q, res, lang, func(id string) bool { return slices.Contains(ed.Attributes, id) })
}

// editionAttribute is an attribute's box on the edition's admin page.
type editionAttribute struct {
	ID, Title string
	Shown     bool
}

// editionAttributes lists the attributes of q with a box each, ticked where ed shows them.
func editionAttributes(q *survey.Questionnaire, ed *survey.Edition, lang page.Lang) []editionAttribute {
	var out []editionAttribute
	for _, at := range q.Attributes {
		out = append(out, editionAttribute{ID: at.ID, Title: lang.Text(at.Title), Shown: slices.Contains(ed.Attributes, at.ID)})
	}
	return out
}

// handleEditionAttributes serves POST /admin/surveys/{id}/editions/{edition}/attributes
// (attribute, repeated: the ids of the attributes whose option groups the edition shows):
// replaces the choice → 303 back to the edition's page.
func (s *Server) handleEditionAttributes(c echo.Context) error {
	id, edID := c.Param("id"), c.Param("edition")
	form, err := c.FormParams()
	if err != nil {
		return survey.Errorf(survey.EINVALID, "フォームを読めません", "cannot read the form")
	}
	ed, err := s.store.SetEditionAttributes(id, edID, form["attribute"])
	if err != nil {
		return err
	}
	s.audit(c, "edition.groups", id, "edition="+ed.ID+" attributes="+strings.Join(ed.Attributes, ","))
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+id+"/editions/"+ed.ID+"#edition-groups")
}
