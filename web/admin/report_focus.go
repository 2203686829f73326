package admin

import (
	"fmt"
	"math"
	"strings"

	"staffsurvey/analysis"
	"staffsurvey/results/insight"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The top of a report: the plain-language summary, the chosen section's score cards against
// last year and the whole organisation (a section chief's landing page), the per-question
// results, and why a hidden value is hidden. Every sentence is generated from the numbers the
// analysis publishes; nothing here computes a number over respondents.

// focusCard is one measure of the focus section beside the organisation and last year.
type focusCard struct {
	Title       string
	Value       string   // the section's score, or the mark of a withheld one
	Org         string   // the organisation's
	VsOrg       *float64 // section − organisation, when both are shown
	VsPrev      *float64 // section this year − last year, when both are shown
	Significant bool     // the change since last year is significant (analysis.Change)
}

// focusBlock is the chosen section at the top of the report.
type focusBlock struct {
	Code, Name string
	N          int
	Shown      bool
	Why        string // why nothing is shown, when it is not
	TypeKey    analysis.Type
	TypeTitle  string
	Cards      []focusCard
}

// itemRow is one question of a shown category of the focus group.
type itemRow struct {
	ID, Text                     string
	Reverse                      bool // reverse-keyed: favourable is disagreeing
	N                            int
	Fav, Neu, Unf                *float64
	FavLabel, NeuLabel, UnfLabel string
	FavWidth, NeuWidth, UnfWidth string // SVG widths, "" when withheld
	NeuX, UnfX                   string // where the neutral and unfavourable parts start
}

// itemCategory is one category's per-question results.
type itemCategory struct {
	Title string
	Score string
	Items []itemRow
	Why   string // when the shares are withheld
}

// reportSection is a section a report can focus on (those the user sees).
type reportSection struct {
	Code, Name string
	Depth      int
}

// addFocus fills the focus section, its cards, the summary and the per-question results.
func (p *reportPage) addFocus(res, prevRes *analysis.SurveyResult, section string, lang page.Lang) {
	q := p.Q
	fs, _ := q.Section(section)
	g := res.Group(section)
	org := res.Group(survey.Root)
	var prev *analysis.Group
	if prevRes != nil {
		prev = prevRes.Group(section)
	}
	f := &focusBlock{Code: section, Name: lang.Text(fs.Name)}
	if g != nil {
		f.N = g.N
	}
	p.Focus = f
	if !g.Shown() {
		f.Why = page.GroupWhy(res.MinGroupSize, f.N, lang)
		return
	}
	f.Shown = true
	if a := g.Activity; a != nil && a.Type != nil {
		f.TypeKey, f.TypeTitle = *a.Type, lang.Text(a.Type.Title())
	}
	changes := map[string]analysis.Change{}
	for key, ch := range p.changes {
		if key[0] == section {
			changes[key[1]] = ch
		}
	}
	card := func(title, key string, mine, theirs, before *float64, n int) {
		c := focusCard{Title: title, Value: page.FmtNum(mine, 1, false), Org: page.FmtNum(theirs, 1, false)}
		if mine == nil {
			c.Value = page.WithheldMark(res.MinGroupSize, n, lang)
		}
		if mine != nil && theirs != nil && section != survey.Root {
			d := *mine - *theirs
			c.VsOrg = &d
		}
		if mine != nil && before != nil {
			d := *mine - *before
			c.VsPrev = &d
		}
		if ch, ok := changes[key]; ok {
			c.Significant = ch.Significant()
		}
		f.Cards = append(f.Cards, c)
	}
	act := func(x *analysis.Group) (*float64, int) {
		if x == nil || x.Activity == nil {
			return nil, 0
		}
		return x.Activity.Index, x.Activity.N
	}
	mine, n := act(g)
	theirs, _ := act(org)
	before, _ := act(prev)
	card(lang.Pick("組織活性度", "Activity index"), analysis.ActivityKey, mine, theirs, before, n)
	if g.Satisfaction != nil {
		card(lang.Pick("総合満足度", "Satisfaction"), "", g.Satisfaction.Score, org.Satisfaction.Score, prevScore(prev, func(x *analysis.Group) *float64 {
			if x.Satisfaction == nil {
				return nil
			}
			return x.Satisfaction.Score
		}), g.Satisfaction.N)
	}
	if g.ENPS != nil {
		card("eNPS", "", g.ENPS.Score, org.ENPS.Score, prevScore(prev, func(x *analysis.Group) *float64 {
			if x.ENPS == nil {
				return nil
			}
			return x.ENPS.Score
		}), g.ENPS.N)
	}
	for _, c := range q.Categories {
		m := g.Categories[c.ID]
		cat := func(x *analysis.Group) *float64 {
			if x == nil || x.Categories == nil || x.Categories[c.ID] == nil {
				return nil
			}
			return x.Categories[c.ID].Score
		}
		card(lang.Text(c.Title), c.ID, m.Score, cat(org), cat(prev), m.N)
	}
	p.addSummary(res, prevRes, section, lang)
	p.addItems(res, g, lang)
}

// paren puts s in brackets after a word: full-width in Japanese, " (s)" in English.
func paren(lang page.Lang, s string) string {
	return lang.Pick("（"+s+"）", " ("+s+")")
}

func prevScore(prev *analysis.Group, get func(*analysis.Group) *float64) *float64 {
	if !prev.Shown() {
		return nil
	}
	return get(prev)
}

// addSummary writes the plain-language summary of group g from its findings (insight.Of):
// its strongest and weakest categories, its significant changes since last year, and the
// drivers that matter.
func (p *reportPage) addSummary(res, prevRes *analysis.SurveyResult, section string, lang page.Lang) {
	f := insight.Of(p.Q, res, prevRes, section)
	titles := metricTitles(p.Q, lang)
	sep := lang.Pick("、", ", ")
	list := func(xs []insight.Score) string {
		var parts []string
		for _, x := range xs {
			parts = append(parts, titles[x.Category]+paren(lang, fmt.Sprintf("%.1f", x.Score)))
		}
		return strings.Join(parts, sep)
	}
	if len(f.Strengths) > 0 {
		p.Summary = append(p.Summary,
			lang.Pick("強み（スコアの高いカテゴリ）: ", "Strengths (highest categories): ")+list(f.Strengths)+lang.Pick("。", "."),
			lang.Pick("課題（スコアの低いカテゴリ）: ", "Weaknesses (lowest categories): ")+list(f.Weaknesses)+lang.Pick("。", "."))
	}
	if f.Compared && p.PrevYear != 0 {
		var up, down []string
		for _, ch := range f.Changes {
			s := titles[ch.Category] + paren(lang, page.FmtNum(&ch.Delta, 1, true))
			if ch.Delta < 0 {
				down = append(down, s)
			} else {
				up = append(up, s)
			}
		}
		switch {
		case len(up)+len(down) == 0:
			p.Summary = append(p.Summary, fmt.Sprintf(lang.Pick("%d年度から統計的に意味のある変化（p < 0.05）はありませんでした。", "No statistically significant change (p < 0.05) since %d."), p.PrevYear))
		default:
			s := fmt.Sprintf(lang.Pick("%d年度からの有意な変化: ", "Significant changes since %d: "), p.PrevYear)
			if len(up) > 0 {
				s += lang.Pick("上昇 ", "up ") + strings.Join(up, sep)
			}
			if len(down) > 0 {
				if len(up) > 0 {
					s += lang.Pick("／", "; ")
				}
				s += lang.Pick("低下 ", "down ") + strings.Join(down, sep)
			}
			p.Summary = append(p.Summary, s+lang.Pick("。", "."))
		}
	}
	// Drivers are over the whole organisation: the categories most tied to activity. Those
	// among this group's weakest are where effort is likeliest to pay.
	if len(f.Drivers) > 0 {
		var strong, both []string
		for _, d := range f.Drivers {
			strong = append(strong, titles[d.Category]) // its r is in the drivers' statistics, for analysts
		}
		for _, c := range f.Priorities {
			both = append(both, titles[c])
		}
		s := lang.Pick("組織活性度と特に結び付いているカテゴリ（ドライバー）: ", "Categories most tied to the activity index (drivers): ") + strings.Join(strong, sep) + lang.Pick("。", ".")
		if len(both) > 0 {
			s += lang.Pick("このうち ", " Of these, ") + strings.Join(both, sep) + lang.Pick(" はスコアも低く、優先して取り組む候補です。", " also score low: candidates to work on first.")
		}
		p.Summary = append(p.Summary, s)
	}
}

// addItems lists the per-question results of group g's shown categories.
func (p *reportPage) addItems(res *analysis.SurveyResult, g *analysis.Group, lang page.Lang) {
	for _, c := range p.Q.Categories {
		m := g.Categories[c.ID]
		if m == nil || m.Score == nil || len(m.Items) == 0 {
			continue
		}
		ic := itemCategory{Title: lang.Text(c.Title), Score: page.FmtNum(m.Score, 1, false)}
		for j, it := range m.Items {
			row := itemRow{ID: it.ID, Text: lang.Text(c.Items[j].Text), Reverse: c.Items[j].Reverse, N: it.N, Fav: it.Favourable, Neu: it.Neutral, Unf: it.Unfavourable}
			if it.Favourable == nil {
				ic.Why = page.ItemsWhy(res.MinGroupSize, lang)
			} else {
				pct := func(x float64) string { return fmt.Sprintf("%.1f%%", x) }
				row.FavLabel, row.NeuLabel, row.UnfLabel = pct(*it.Favourable), pct(*it.Neutral), pct(*it.Unfavourable)
				w := func(x float64) string { return fmt.Sprintf("%.2f%%", math.Max(0, x)) }
				row.FavWidth, row.NeuWidth, row.UnfWidth = w(*it.Favourable), w(*it.Neutral), w(*it.Unfavourable)
				row.NeuX, row.UnfX = w(*it.Favourable), w(*it.Favourable+*it.Neutral)
			}
			ic.Items = append(ic.Items, row)
		}
		p.Items = append(p.Items, ic)
	}
}

// imported reports whether sv's responses were imported rather than collected: it has
// responses but no token was ever issued, so a response rate means nothing.
func (s *Server) imported(sv *survey.Survey) (bool, error) {
	if sv.Responses == 0 {
		return false, nil
	}
	counts, err := s.store.TokenCounts(sv.ID())
	if err != nil {
		return false, err
	}
	for _, tc := range counts {
		if tc.Issued > 0 {
			return false, nil
		}
	}
	return true, nil
}
