package results

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"staffsurvey/analysis"
	"staffsurvey/jatext"
	"staffsurvey/survey"
)

// The comparison of themes between the less and the more satisfied, as 人事院 reads its free
// text (docs/analysis.md, "Themes of the less satisfied"). A respondent's class is their answer
// to the satisfaction item: the top two boxes are "more satisfied" (favourable, §6), an answer
// below them "less satisfied"; a respondent who left it unanswered, and a comment stored apart
// from its answers, belong to neither. Per comment question, over the comments Comments shows
// for the whole organisation, a row gives a theme and how many writers of each class wrote it.
//
// What it adds to a report is a link between comments and answers, so it keeps §6.5c like every
// other number: each class needs at least min_comment_group_size writers; and its numbers
// (per class, sums over the writers of a question and over the writers of a theme) with the
// satisfaction the report publishes per section must not combine into a number over fewer than
// k respondents (k: the larger of min_group_size and min_comment_group_size) —
// analysis.Isolates decides it exactly, and a theme whose row would let them is left out. The
// comparison is made for the whole organisation only: per section, it could be subtracted
// from the organisation's.

// ThemeComparison is the comparison of one comment question; when Why is set it is withheld
// and Why says why.
type ThemeComparison struct {
	Question   string       // the comment question's id
	Why        *survey.Text // why it is withheld, or nil
	Less, More int          // writers of each class
	Rows       []ThemeRow   // most over-represented among the less satisfied first
}

// ThemeRow is one theme in a comparison: how many writers of each class wrote it.
type ThemeRow struct {
	Term       string
	Less, More int
	LessShare  float64 // % of the less satisfied writers
	MoreShare  float64 // % of the more satisfied writers
}

// Over reports whether the theme is more frequent among the less satisfied.
func (r ThemeRow) Over() bool { return r.LessShare > r.MoreShare }

// Comparison limits: at most compareCandidates themes are tried per question, the most
// over-represented among the less satisfied first, and at most compareRows shown.
const (
	compareCandidates = 12
	compareRows       = 8
)

// Why a comparison is withheld.
var (
	whySection = survey.Text{
		JA: "満足度による比較は組織全体についてのみ表示します（所属ごとの比較は、組織全体との差し引きで少人数のことが分かるおそれがあるため）。",
		EN: "The comparison by satisfaction is shown for the whole organisation only (one per section could be subtracted from the organisation's and tell about a few people)."}
	whyAttributes = survey.Text{
		JA: "この調査は属性を尋ねたため、記述と回答を結び付けて保存していません。満足度による比較はできません。",
		EN: "This survey asked attributes, so its comments are not kept with their answers: no comparison by satisfaction."}
	whyNoSatisfaction = survey.Text{
		JA: "この調査には総合満足度の設問がないため、満足度による比較はできません。",
		EN: "This survey has no overall satisfaction item: no comparison by satisfaction."}
	whyNoReport = survey.Text{
		JA: "組織全体の総合満足度が表示されないため、満足度による比較も表示しません。",
		EN: "The organisation's overall satisfaction is not shown, so neither is the comparison."}
	whyCombined = survey.Text{
		JA: "ほかの集計との差し引きで少人数の満足度が分かるおそれがあるため、比較を表示しません。",
		EN: "Combined with other published numbers, the comparison would tell the satisfaction of a few people: it is not shown."}
	whyNoRow = survey.Text{
		JA: "差し引きで少人数のことが分からずに比べられる話題がありません（話題ごとに十分な人数の記述が必要です）。",
		EN: "No theme can be compared without telling about a few people (each needs enough writers)."}
)

func whyFew(kc int) *survey.Text {
	return &survey.Text{
		JA: fmt.Sprintf("満足度の低い回答者・高い回答者のどちらかで、記述した人が %d 人に満たないため、比較を表示しません。", kc),
		EN: fmt.Sprintf("Fewer than %d of the less or of the more satisfied wrote a comment: no comparison.", kc)}
}

// CompareThemes returns, per comment question, the comparison of themes between the less and
// the more satisfied writers of section of closed survey id, or why it is withheld; nil when
// the group may show no comments at all.
func (s *Service) CompareThemes(ctx context.Context, id, section string) ([]ThemeComparison, error) {
	sv, e, err := s.groupComments(ctx, id, section)
	if err != nil || !e.ok {
		return nil, err
	}
	return s.compared.get(id+"\x00"+section, sv.Revision, func() ([]ThemeComparison, error) {
		return s.compareThemes(ctx, sv, section)
	})
}

func (s *Service) compareThemes(ctx context.Context, sv *survey.Survey, section string) ([]ThemeComparison, error) {
	q := sv.Questionnaire
	out := make([]ThemeComparison, len(q.Comments))
	for i, c := range q.Comments {
		out[i].Question = c.ID
	}
	withhold := func(why survey.Text) []ThemeComparison {
		for i := range out {
			out[i].Why = &why
		}
		return out
	}
	switch {
	case section != survey.Root:
		return withhold(whySection), nil
	case q.HasAttributes():
		return withhold(whyAttributes), nil
	case q.Outcomes.Satisfaction == nil:
		return withhold(whyNoSatisfaction), nil
	}
	res, err := s.result(ctx, sv)
	if err != nil {
		return nil, err
	}
	tree := q.OrgTree()
	published := make([]bool, len(tree.Nodes))
	for _, g := range res.Groups {
		if i, ok := tree.Index(g.Section); ok && g.Shown() && g.Satisfaction != nil && g.Satisfaction.Score != nil {
			published[i] = true
		}
	}
	if !published[0] {
		return withhold(whyNoReport), nil
	}
	// The themes are those the page shows (Themes, cached): each theme's texts, as strings,
	// tell which comments hold it.
	_, e, err := s.groupComments(ctx, sv.ID(), section)
	if err != nil {
		return nil, err
	}
	themes, err := s.Themes(ctx, sv.ID(), section)
	if err != nil {
		return nil, err
	}
	if len(themes) != len(q.Comments) || len(e.lists) != len(q.Comments) {
		return nil, fmt.Errorf("compare themes of %s: %d theme lists and %d comment lists for %d questions", sv.ID(), len(themes), len(e.lists), len(q.Comments))
	}
	ws, err := s.themeWriters(ctx, sv, published)
	if err != nil {
		return nil, err
	}
	kc := q.MinCommentGroupSize()
	guard := &publishedSets{ws: ws, k: max(q.MinGroupSize(), kc)}
	for qi := range q.Comments {
		out[qi] = guard.compare(out[qi].Question, qi, themes[qi], themeHolding(themes[qi], e.lists[qi].Texts), kc)
	}
	return out, nil
}

// themeWriter is a respondent who answered the satisfaction item: their class, the nearest
// section group at or above theirs whose satisfaction the report shows, and per question
// their comment if it is shown, or "".
type themeWriter struct {
	more  bool
	group int
	texts []string
}

// themeWriters returns the respondents of sv who answered the satisfaction item. Comments
// stored apart, and those of respondents who did not answer, are not compared; they are part
// of the themes all the same.
func (s *Service) themeWriters(ctx context.Context, sv *survey.Survey, published []bool) ([]themeWriter, error) {
	q := sv.Questionnaire
	sc, err := s.screen(sv)
	if err != nil {
		return nil, err
	}
	tree := q.OrgTree()
	var ws []themeWriter
	points := int8(q.Scale.Points)
	err = s.each(ctx, sv.ID())(func(r *survey.Response) error {
		if r.Satisfaction == survey.NA {
			return nil
		}
		w := themeWriter{more: r.Satisfaction >= points-1, texts: make([]string, len(q.Comments))}
		i, ok := tree.Index(r.Section)
		for ok && i >= 0 && !published[i] {
			i = tree.Parent[i]
		}
		w.group = max(i, 0)
		for k, t := range r.Comments {
			if k < len(w.texts) && t != "" && sc.shown(k, t) {
				w.texts[k] = t
			}
		}
		ws = append(ws, w)
		return nil
	})
	return ws, err
}

// themeHolding maps each comment text of a question to the themes (indexes) that hold it.
func themeHolding(themes []jatext.Theme, texts []string) map[string][]int {
	holding := map[string][]int{}
	for ti, th := range themes {
		for _, j := range th.Texts {
			t := texts[j]
			if h := holding[t]; len(h) == 0 || h[len(h)-1] != ti {
				holding[t] = append(h, ti)
			}
		}
	}
	return holding
}

// publishedSets are the sets of writers the comparisons publish so far (per question its
// writers, then its themes' writers), each kept only if, with those kept before, it isolates
// nobody.
type publishedSets struct {
	ws   []themeWriter
	k    int
	sets [][]bool
}

// compare makes the comparison of question qi, whose id is id: its writers and themes, each
// published only if it isolates nobody with what is published already.
func (p *publishedSets) compare(id string, qi int, themes []jatext.Theme, holding map[string][]int, kc int) ThemeComparison {
	c := ThemeComparison{Question: id}
	writes := make([]bool, len(p.ws))
	for i, w := range p.ws {
		if w.texts[qi] != "" {
			writes[i] = true
			if w.more {
				c.More++
			} else {
				c.Less++
			}
		}
	}
	if c.Less < kc || c.More < kc {
		return ThemeComparison{Question: id, Why: whyFew(kc)} // a withheld comparison has no numbers
	}
	if p.isolates(writes) {
		return ThemeComparison{Question: id, Why: &whyCombined}
	}
	p.sets = append(p.sets, writes)
	var cands []ThemeRow
	var candSets [][]bool
	for ti, th := range themes {
		row := ThemeRow{Term: th.Term}
		set := make([]bool, len(p.ws))
		for i, w := range p.ws {
			if w.texts[qi] != "" && slices.Contains(holding[w.texts[qi]], ti) {
				set[i] = true
				if w.more {
					row.More++
				} else {
					row.Less++
				}
			}
		}
		if row.Less+row.More < p.k {
			continue
		}
		row.LessShare = 100 * float64(row.Less) / float64(c.Less)
		row.MoreShare = 100 * float64(row.More) / float64(c.More)
		cands, candSets = append(cands, row), append(candSets, set)
	}
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	// The most over-represented among the less satisfied are tried first: they are what
	// the comparison is for; then the others, down to those of the more satisfied.
	diff := func(r ThemeRow) float64 { return r.LessShare - r.MoreShare }
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(diff(cands[b]), diff(cands[a])); c != 0 {
			return c
		}
		return (cands[b].Less + cands[b].More) - (cands[a].Less + cands[a].More)
	})
	if len(order) > compareCandidates {
		order = order[:compareCandidates]
	}
	for _, i := range order {
		if len(c.Rows) == compareRows {
			break
		}
		if slices.ContainsFunc(p.sets, func(s []bool) bool { return slices.Equal(s, candSets[i]) }) {
			continue // the same writers as a row shown (機会 and 研修 in the same comments) add nothing
		}
		if p.isolates(candSets[i]) {
			continue
		}
		p.sets = append(p.sets, candSets[i])
		c.Rows = append(c.Rows, cands[i])
	}
	slices.SortStableFunc(c.Rows, func(a, b ThemeRow) int { return cmp.Compare(diff(b), diff(a)) })
	if len(c.Rows) == 0 {
		return ThemeComparison{Question: id, Why: &whyNoRow}
	}
	return c
}

// isolates reports whether set, with the sets kept so far and the sections' satisfaction,
// isolates fewer than k respondents (analysis.Isolates).
func (p *publishedSets) isolates(set []bool) bool {
	all := append(slices.Clone(p.sets), set)
	// A section whose respondents in none of the sets are k or more cannot take part in a
	// combination over fewer than k (its row would be nonzero there): it is left out, and
	// its respondents are atoms by the sets alone. Both give the same answer; this one is
	// smaller.
	outside := map[int]int{}
	for i, w := range p.ws {
		if !slices.ContainsFunc(all, func(s []bool) bool { return s[i] }) {
			outside[w.group]++
		}
	}
	atoms := map[string]*analysis.SetAtom{}
	var keys []string
	key := make([]byte, 0, 8+len(all))
	for i, w := range p.ws {
		g := w.group
		if outside[g] >= p.k {
			g = -1
		}
		key = fmt.Appendf(key[:0], "%d:", g)
		for _, s := range all {
			key = append(key, b2c(s[i]))
		}
		a := atoms[string(key)]
		if a == nil {
			in := make([]bool, len(all))
			for j, s := range all {
				in[j] = s[i]
			}
			a = &analysis.SetAtom{Group: g, In: in}
			atoms[string(key)] = a
			keys = append(keys, string(key))
		}
		a.Size++
	}
	slices.Sort(keys)
	list := make([]analysis.SetAtom, len(keys))
	for i, kk := range keys {
		list[i] = *atoms[kk]
	}
	return analysis.Isolates(list, p.k)
}

func b2c(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}
