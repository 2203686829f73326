package analysis

import (
	"math"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"

	"staffsurvey/survey"
)

// Accumulator computes the analysis of one survey from its responses, one at a time, keeping
// only sufficient statistics per section: memory depends on the questionnaire, not on the
// number of responses. It is not safe for concurrent use; use one per survey.
type Accumulator struct {
	q       *survey.Questionnaire
	tree    *survey.Tree
	points  int64
	k       int
	cutoff  float64
	cats    []categorySpec
	axes    [2]axisSpec // motivation, cohesion
	idxDen  int64       // denominator of a respondent's (M+I)/2, a multiple of 2·D_M and 2·D_I; 0: float fallback
	sat     bool        // the questionnaire has the outcome
	enps    bool
	nodes   []*groupAcc    // responses of each node's own code (leaves, normally)
	drivers []comoments    // per category, over all respondents
	own     map[string]int // respondents per section code recorded at close; nil: count the responses
	opts    [][]*groupAcc  // per attribute, per option: the option group (attributes.go)
	atoms   *atomTable     // who is in which group and metric, for the disclosure check; nil without attributes
	// scratch, reused for every response
	score    []float64 // per category: the respondent's score, when defined
	num      []int64   // per category: the score's numerator over the category's denom
	defined  []bool
	sums     []int64 // per category: Σ(v−1) over answered items
	answered []int64 // per category: answered items
	fav      []int64 // per category: favourable answers
	xs       []int64 // per item: v−1 after reversal, −1 when not answered
	// code maps a raw answer (as uint8) to v−1 after reversal, or −1: [0] for ordinary
	// items, [1] for reverse-keyed ones. A table keeps the per-item loop free of branches
	// other than "answered?".
	code [2][256]int8
	// the last section seen: responses of one section often come in runs
	lastSection string
	lastNode    int
}

type categorySpec struct {
	id      string
	axis    int // axisMotivation, axisCohesion or noAxis
	start   int // index of the first item in Response.Answers
	reverse []bool
	need    int64 // answered items needed for a respondent score: ceil(items/2)
	// denom is a common denominator of every possible respondent score, 100·u/(a·(p−1)) for
	// need ≤ a ≤ items; 0 when too large (float fallback). factor[a] = 100·denom/(a·(p−1)),
	// so that a score is u·factor[a]/denom without a division per response.
	denom  int64
	factor []int64
}

// axisSpec describes one axis of 組織活性度.
type axisSpec struct {
	cats []int // indices of its categories
	// denom is a common denominator of every possible respondent score on the axis, the mean
	// of the K = len(cats) category scores: the lcm of K·a·(p−1); 0 when too large.
	// factor[a] = 100·denom/(K·a·(p−1)).
	denom  int64
	factor []int64
}

const (
	noAxis         = -1
	axisMotivation = 0
	axisCohesion   = 1
)

// groupAcc holds the statistics of the responses of one group.
type groupAcc struct {
	n    int
	cats []categoryAcc
	sat  struct {
		n    int
		sum  int64 // Σ(v−1)
		sum2 int64 // Σ(v−1)², for comparing two options (compare.go)
		fav  int
	}
	enps struct{ n, promoters, detractors int }
	act  struct {
		motivation, cohesion, index sample
		types                       [4]int // by typeOrder
	}
}

type categoryAcc struct {
	score      sample // respondent category scores
	answered   int    // answered items, for favourable
	favourable int
	// For Cronbach's α: respondents who answered every item, with exact integer sums of
	// each item's (v−1), its square, and of the respondent total and its square.
	full   int64
	s1, s2 []int64
	t1, t2 int64
	// Per item, over the same respondents: answered, favourable (top two boxes) and
	// unfavourable (bottom two, unless favourable) answers.
	itemN, itemFav, itemUnf []int
	// Per item, over the same answers: Σ(v−1) and Σ(v−1)², for comparing two options
	// question by question (compare.go).
	itemS1, itemS2 []int64
}

var typeOrder = [4]Type{TypeActive, TypeWorkFocused, TypeBelongingDependent, TypeStagnant}

// NewAccumulator returns an empty accumulator for the responses of questionnaire q.
// q must not change while the accumulator is in use.
func NewAccumulator(q *survey.Questionnaire) *Accumulator {
	a := &Accumulator{q: q, tree: q.OrgTree(), points: int64(q.Scale.Points), k: q.MinGroupSize(), cutoff: q.Cutoff(),
		sat: q.Outcomes.Satisfaction != nil, enps: q.Outcomes.ENPS != nil, lastNode: -1}
	for raw := range 256 {
		a.code[0][raw], a.code[1][raw] = -1, -1
		if v := int64(int8(raw)); v >= 1 && v <= a.points {
			a.code[0][raw], a.code[1][raw] = int8(v-1), int8(a.points-v)
		}
	}
	start, most := 0, 0
	for i, c := range q.Categories {
		spec := categorySpec{id: c.ID, axis: noAxis, start: start, reverse: make([]bool, len(c.Items)), need: int64(len(c.Items)+1) / 2}
		for j, it := range c.Items {
			spec.reverse[j] = it.Reverse
		}
		spec.denom = denominator(scoreDenominators(len(c.Items), a.points, 1)...)
		spec.factor = factors(spec.denom, 1, len(c.Items), a.points)
		switch c.Axis {
		case survey.AxisMotivation:
			spec.axis = axisMotivation
		case survey.AxisCohesion:
			spec.axis = axisCohesion
		}
		if spec.axis != noAxis {
			a.axes[spec.axis].cats = append(a.axes[spec.axis].cats, i)
		}
		a.cats = append(a.cats, spec)
		start += len(c.Items)
		most = max(most, len(c.Items))
	}
	for x := range a.axes {
		ax := &a.axes[x]
		ax.denom = axisDenominator(q.Categories, ax.cats, a.points)
		ax.factor = factors(ax.denom, int64(len(ax.cats)), most, a.points)
	}
	if a.axes[0].denom > 0 && a.axes[1].denom > 0 {
		a.idxDen = denominator(2*a.axes[0].denom, 2*a.axes[1].denom)
	}
	a.nodes = make([]*groupAcc, len(a.tree.Nodes))
	a.drivers = make([]comoments, len(a.cats))
	a.score = make([]float64, len(a.cats))
	a.num = make([]int64, len(a.cats))
	a.defined = make([]bool, len(a.cats))
	a.sums = make([]int64, len(a.cats))
	a.answered = make([]int64, len(a.cats))
	a.fav = make([]int64, len(a.cats))
	a.xs = make([]int64, start)
	a.initAttributes()
	return a
}

// factors returns, for a from 0 to items, 100·denom/(k·a·(p−1)): the multiplier that turns
// a sum u of a answered items into the numerator of its score over denom (k categories
// averaged). Entries that cannot occur (a = 0, or no denominator) are 0.
func factors(denom, k int64, items int, points int64) []int64 {
	f := make([]int64, items+1)
	if denom == 0 {
		return f
	}
	for a := int64(1); a <= int64(items); a++ {
		if d := k * a * (points - 1); denom%d == 0 {
			f[a] = 100 * denom / d
		}
	}
	return f
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scoreDenominators returns k·a·(p−1) for every number a of answered items that gives a
// category of items items a score.
func scoreDenominators(items int, points int64, k int) []int64 {
	var out []int64
	for a := int64(items+1) / 2; a <= int64(items); a++ {
		out = append(out, int64(k)*a*(points-1))
	}
	return out
}

// axisDenominator returns D such that every possible respondent score on an axis with the
// categories cats, times D, is an integer: a score is (1/K)·Σ 100·u/(a·(p−1)) over the
// K = len(cats) categories of the axis, with a answered items each.
// It returns 0 when D would exceed maxDenominator or the axis has no category.
func axisDenominator(all []survey.Category, cats []int, points int64) int64 {
	if len(cats) == 0 {
		return 0
	}
	var ds []int64
	for _, c := range cats {
		ds = append(ds, scoreDenominators(len(all[c].Items), points, len(cats))...)
	}
	return denominator(ds...)
}

func (a *Accumulator) newGroup() *groupAcc {
	g := &groupAcc{cats: make([]categoryAcc, len(a.cats))}
	for i, c := range a.cats {
		g.cats[i].score.denom = c.denom
		g.cats[i].s1 = make([]int64, len(c.reverse))
		g.cats[i].s2 = make([]int64, len(c.reverse))
		g.cats[i].itemN = make([]int, len(c.reverse))
		g.cats[i].itemFav = make([]int, len(c.reverse))
		g.cats[i].itemUnf = make([]int, len(c.reverse))
		g.cats[i].itemS1 = make([]int64, len(c.reverse))
		g.cats[i].itemS2 = make([]int64, len(c.reverse))
	}
	g.act.motivation.denom = a.axes[0].denom
	g.act.cohesion.denom = a.axes[1].denom
	g.act.index.denom = a.idxDen
	return g
}

// Add adds one response. It keeps nothing of r, so r may be reused (as
// storage.Store.EachResponse does). A response whose section is not in the tree counts for
// the whole organisation only; values out of range count as not answered.
//
// Every category is scored before anything is counted, because whether a category's answers
// count at all depends on the respondent's other categories: a category on an axis counts
// only the group's activity respondents (docs/analysis.md, "Group category"), so that it and 組織活性度 are over
// one respondent set and cannot be subtracted from each other.
func (a *Accumulator) Add(r *survey.Response) {
	if r.Section != a.lastSection || a.lastNode < 0 {
		node, ok := a.tree.Index(r.Section)
		if !ok {
			node = 0
		}
		a.lastSection, a.lastNode = r.Section, node
	}
	g := a.nodes[a.lastNode]
	if g == nil {
		g = a.newGroup()
		a.nodes[a.lastNode] = g
	}
	for c := range a.cats {
		a.scoreCategory(c, r)
	}
	mNum, m, okm := a.axisScore(&a.axes[0])
	iNum, i, oki := a.axisScore(&a.axes[1])
	active := okm && oki
	var idxNum int64
	index := (m + i) / 2
	if active && a.idxDen > 0 {
		idxNum = mNum*(a.idxDen/(2*a.axes[0].denom)) + iNum*(a.idxDen/(2*a.axes[1].denom))
		index = float64(idxNum) / float64(a.idxDen)
	}
	respondent := func(g *groupAcc) {
		g.n++
		for c := range a.cats {
			if a.defined[c] && (a.cats[c].axis == noAxis || active) {
				a.countCategory(&g.cats[c], c)
			}
		}
		a.addOutcomes(g, r)
		if !active {
			return
		}
		g.act.motivation.add(mNum, m)
		g.act.cohesion.add(iNum, i)
		g.act.index.add(idxNum, index)
		t := TypeOf(m, i, a.cutoff)
		for j, tt := range typeOrder {
			if t == tt {
				g.act.types[j]++
			}
		}
	}
	respondent(g)
	if a.opts != nil {
		for j, opts := range a.opts {
			if o := r.Attribute(j); o >= 0 && int(o) < len(opts) {
				respondent(opts[o])
			}
		}
		a.atoms.add(a, r, a.lastNode, active)
	}
	if !active {
		return
	}
	for c := range a.cats {
		if a.cats[c].axis == noAxis && a.defined[c] {
			a.drivers[c].add(a.score[c], index)
		}
	}
}

// scoreCategory scores category c of r into the scratch fields: its items' v−1 (−1 when not
// answered) in xs, answered items, their sum, favourable answers, and the respondent's score
// when defined (§6.1).
func (a *Accumulator) scoreCategory(c int, r *survey.Response) {
	spec := &a.cats[c]
	p := a.points
	var answered, u, fav int64
	xs := a.xs[spec.start : spec.start+len(spec.reverse)]
	for j, rev := range spec.reverse {
		raw := int8(survey.NA)
		if idx := spec.start + j; idx < len(r.Answers) {
			raw = r.Answers[idx]
		}
		// x = v−1 after reversal, or −1 for not applicable and out of range
		x := int64(a.code[b2i(rev)][uint8(raw)])
		xs[j] = x
		if x < 0 {
			continue
		}
		if x >= p-2 {
			fav++
		}
		u += x
		answered++
	}
	a.sums[c], a.answered[c], a.fav[c] = u, answered, fav
	a.defined[c] = answered >= spec.need && answered > 0
	if !a.defined[c] {
		return
	}
	// 100·u/(a·(p−1)), correctly rounded: equal scores are equal floats
	a.score[c] = float64(100*u) / float64(answered*(p-1))
	a.num[c] = 0
	if spec.denom > 0 {
		a.num[c] = u * spec.factor[answered]
	}
}

// countCategory adds the scratch of category c, a respondent of the category's group, to ca:
// the score, the favourable answers, and for α the items of a respondent who answered all.
func (a *Accumulator) countCategory(ca *categoryAcc, c int) {
	spec := &a.cats[c]
	ca.score.add(a.num[c], a.score[c])
	ca.answered += int(a.answered[c])
	ca.favourable += int(a.fav[c])
	for j, x := range a.xs[spec.start : spec.start+len(spec.reverse)] {
		if x < 0 {
			continue
		}
		ca.itemN[j]++
		ca.itemS1[j] += x
		ca.itemS2[j] += x * x
		switch {
		case x >= a.points-2:
			ca.itemFav[j]++
		case x <= 1:
			ca.itemUnf[j]++
		}
	}
	if int(a.answered[c]) != len(spec.reverse) {
		return
	}
	ca.full++
	for j, x := range a.xs[spec.start : spec.start+len(spec.reverse)] {
		ca.s1[j] += x
		ca.s2[j] += x * x
	}
	ca.t1 += a.sums[c]
	ca.t2 += a.sums[c] * a.sums[c]
}

// addOutcomes adds the satisfaction and eNPS answers of r to g.
func (a *Accumulator) addOutcomes(g *groupAcc, r *survey.Response) {
	p := a.points
	if a.sat {
		if v := int64(r.Satisfaction); v >= 1 && v <= p {
			g.sat.n++
			g.sat.sum += v - 1
			g.sat.sum2 += (v - 1) * (v - 1)
			if v >= p-1 {
				g.sat.fav++
			}
		}
	}
	if a.enps {
		if v := r.ENPS; v >= 0 && v <= 10 {
			g.enps.n++
			switch {
			case v >= 9:
				g.enps.promoters++
			case v <= 6:
				g.enps.detractors++
			}
		}
	}
}

// axisScore returns a respondent's score on an axis, the mean of their category scores on
// it, defined only when every category of the axis is (§6.3): as a numerator over ax.denom
// (0 in the float fallback) and as a float correctly rounded from the exact value, so that a
// respondent exactly at the cutoff is at it, not a rounding error below.
func (a *Accumulator) axisScore(ax *axisSpec) (num int64, score float64, ok bool) {
	if len(ax.cats) == 0 {
		return 0, 0, false
	}
	var sum float64
	for _, c := range ax.cats {
		if !a.defined[c] {
			return 0, 0, false
		}
		sum += a.score[c]
	}
	if ax.denom == 0 {
		return 0, sum / float64(len(ax.cats)), true
	}
	for _, c := range ax.cats {
		num += a.sums[c] * ax.factor[a.answered[c]]
	}
	return num, float64(num) / float64(ax.denom), true
}

func (g *groupAcc) merge(o *groupAcc) {
	g.n += o.n
	for c := range g.cats {
		x, y := &g.cats[c], &o.cats[c]
		x.score.merge(&y.score)
		x.answered += y.answered
		x.favourable += y.favourable
		x.full += y.full
		for j := range x.s1 {
			x.s1[j] += y.s1[j]
			x.s2[j] += y.s2[j]
		}
		x.t1 += y.t1
		x.t2 += y.t2
		for j := range x.itemN {
			x.itemN[j] += y.itemN[j]
			x.itemFav[j] += y.itemFav[j]
			x.itemUnf[j] += y.itemUnf[j]
			x.itemS1[j] += y.itemS1[j]
			x.itemS2[j] += y.itemS2[j]
		}
	}
	g.sat.n += o.sat.n
	g.sat.sum += o.sat.sum
	g.sat.sum2 += o.sat.sum2
	g.sat.fav += o.sat.fav
	g.enps.n += o.enps.n
	g.enps.promoters += o.enps.promoters
	g.enps.detractors += o.enps.detractors
	g.act.motivation.merge(&o.act.motivation)
	g.act.cohesion.merge(&o.act.cohesion)
	g.act.index.merge(&o.act.index)
	for j := range g.act.types {
		g.act.types[j] += o.act.types[j]
	}
}

// Result returns the suppressed analysis of the responses added so far. The accumulator can
// go on taking responses afterwards; the result does not change.
func (a *Accumulator) Result() *SurveyResult {
	totals := a.rollup()
	counts := a.groupCounts(totals)
	hidden := a.hidden(totals, counts)
	res := &SurveyResult{ID: a.q.ID, Year: a.q.Year, MinGroupSize: a.k, Drivers: []Driver{},
		samples: map[string]map[string]moments{}, commentK: a.q.MinCommentGroupSize(), tree: a.tree}
	for _, c := range a.cats {
		res.categories = append(res.categories, c.id)
	}
	for i, s := range a.tree.Nodes {
		g := &Group{Section: s.Code, N: counts[i], Suppressed: hidden.group[i], Depth: s.Depth, Parent: s.Parent}
		res.Groups = append(res.Groups, g)
		if g.Shown() {
			if samples := a.fillGroup(g, totals[i], hidden, i); len(samples) > 0 {
				res.samples[s.Code] = samples
			}
		}
	}
	// Drivers are over all respondents, so they exist only while the root is shown.
	if !hidden.group[0] {
		res.Drivers = a.driverResults()
	}
	if a.opts != nil {
		res.Attributes, res.optionSamples, res.Disclosure = a.attributeResults(totals, counts, hidden)
	}
	return res
}

// rollup returns every group's statistics, its subtree included: in reverse pre-order every
// child comes before its parent.
func (a *Accumulator) rollup() []*groupAcc {
	totals := make([]*groupAcc, len(a.tree.Nodes))
	for i := range totals {
		totals[i] = a.newGroup()
		if a.nodes[i] != nil {
			totals[i].merge(a.nodes[i])
		}
	}
	for i := len(totals) - 1; i > 0; i-- {
		totals[a.tree.Parent[i]].merge(totals[i])
	}
	return totals
}

// hiddenSets are the decisions of §6.5 by node: the groups', then each metric's.
type hiddenSets struct {
	group, sat, enps, act []bool
	cats                  [][]bool // by category
	items                 [][]bool // by category: its questions' results, all or none per group
}

// hidden applies §6.5 a and b to the groups, then again to each metric's own counts,
// starting from the hidden groups: within a shown group every metric has its own n
// (respondents skip questions), and a metric of fewer than k respondents, withheld in its own
// group, must not be had by subtracting a sibling's number from its parent's either.
func (a *Accumulator) hidden(totals []*groupAcc, counts []int) hiddenSets {
	h := hiddenSets{group: a.tree.Suppress(counts, a.k)}
	metric := func(count func(*groupAcc) int) []bool {
		n := make([]int, len(totals))
		for i, g := range totals {
			n[i] = count(g)
		}
		return survey.SuppressIndexed(a.tree.Parent, n, a.k, h.group)
	}
	for c := range a.cats {
		h.cats = append(h.cats, metric(func(g *groupAcc) int { return g.cats[c].score.count() }))
	}
	for c := range a.cats {
		h.items = append(h.items, a.hiddenItems(totals, c, h.cats[c]))
	}
	h.sat = metric(func(g *groupAcc) int { return g.sat.n })
	h.enps = metric(func(g *groupAcc) int { return g.enps.n })
	h.act = metric(func(g *groupAcc) int { return g.act.index.count() })
	return h
}

// hiddenItems decides where category c's per-question results are withheld: wherever the
// category is, and wherever the remainder rule, run on any one question's own count of
// answers, withholds that question. The questions of a group go together, all or none,
// because the category's favourable % is the sum of its questions' favourable answers: one
// question withheld beside the others shown would be that sum minus theirs. Withholding one
// group's questions can open a remainder for another's, so the rule runs until nothing changes.
func (a *Accumulator) hiddenItems(totals []*groupAcc, c int, cat []bool) []bool {
	return a.hiddenItemsIn(a.tree.Parent, totals, c, cat)
}

// hiddenItemsIn is hiddenItems over any tree of groups given by parent indices (pre-order).
func (a *Accumulator) hiddenItemsIn(parent []int, totals []*groupAcc, c int, cat []bool) []bool {
	hidden := slices.Clone(cat)
	n := make([]int, len(totals))
	for changed := true; changed; {
		changed = false
		for j := range a.cats[c].reverse {
			for i, g := range totals {
				n[i] = g.cats[c].itemN[j]
			}
			for i, h := range survey.SuppressIndexed(parent, n, a.k, hidden) {
				if h && !hidden[i] {
					hidden[i], changed = true, true
				}
			}
		}
	}
	return hidden
}

// fillGroup sets the metrics of shown group g, node i, from its statistics tot, each only
// when §6.5 shows it, and returns the moments of the shown ones for changes (§6.6).
func (a *Accumulator) fillGroup(g *Group, tot *groupAcc, hidden hiddenSets, i int) map[string]moments {
	samples := map[string]moments{}
	g.Categories = make(map[string]*Category, len(a.cats))
	for c, spec := range a.cats {
		ca := &tot.cats[c]
		show := !hidden.cats[c][i]
		g.Categories[spec.id] = a.category(ca, len(spec.reverse), show)
		if g.Categories[spec.id].Score != nil {
			g.Categories[spec.id].Items = a.items(c, ca, !hidden.items[c][i])
		}
		if show && ca.score.count() >= a.k {
			samples[spec.id] = ca.score.moments()
		}
	}
	if a.sat {
		g.Satisfaction = &Satisfaction{N: tot.sat.n}
		if tot.sat.n >= a.k && !hidden.sat[i] {
			g.Satisfaction.Score = num(100 * float64(tot.sat.sum) / float64(int64(tot.sat.n)*(a.points-1)))
			g.Satisfaction.Favourable = num(100 * float64(tot.sat.fav) / float64(tot.sat.n))
		}
	}
	if a.enps {
		g.ENPS = &ENPS{N: tot.enps.n}
		if tot.enps.n >= a.k && !hidden.enps[i] {
			g.ENPS.Score = num(100 * float64(tot.enps.promoters-tot.enps.detractors) / float64(tot.enps.n))
		}
	}
	act := &tot.act
	g.Activity = &Activity{N: act.index.count()}
	if n := act.index.count(); n >= a.k && !hidden.act[i] {
		// Exact means make the group's type independent of the order of the responses,
		// even when a mean is exactly at the cutoff.
		m, c, index := act.motivation.moments(), act.cohesion.moments(), act.index.moments()
		typ := TypeOf(m.mean, c.mean, a.cutoff)
		g.Activity.Motivation, g.Activity.Cohesion, g.Activity.Index = num(m.mean), num(c.mean), num(index.mean)
		g.Activity.Type = &typ
		pct := func(j int) float64 { return 100 * float64(act.types[j]) / float64(n) }
		g.Activity.Types = &Types{Active: pct(0), WorkFocused: pct(1), BelongingDependent: pct(2), Stagnant: pct(3)}
		samples[ActivityKey] = index
	}
	return samples
}

// driverResults returns §6.7 for every category without an axis, r only over k respondents.
func (a *Accumulator) driverResults() []Driver {
	out := []Driver{}
	for c, spec := range a.cats {
		if spec.axis != noAxis {
			continue
		}
		d := Driver{Category: spec.id, N: a.drivers[c].n}
		if d.N >= a.k {
			d.R = num(a.drivers[c].r())
		}
		out = append(out, d)
	}
	return out
}

// groupCounts returns the respondents of every group, its subtree included: those added, or
// the counts SetSectionCounts recorded.
func (a *Accumulator) groupCounts(totals []*groupAcc) []int {
	if a.own != nil {
		return a.tree.Rollup(a.tree.Counts(a.own))
	}
	counts := make([]int, len(totals))
	for i, g := range totals {
		counts[i] = g.n
	}
	return counts
}

// SetSectionCounts tells the accumulator how many respondents each section had before the
// store generalised their sections at close (docs/anonymity.md rule 4): own maps a section code to
// the respondents of that code itself, its subtree excluded. The groups' n and the
// suppression then use these counts, so a suppressed section still shows its n and every
// decision is the one the ungeneralised responses would give. Responses generalised to a
// shown ancestor count there, which is where a shown group's numbers need them. Codes not in
// the tree are ignored, as their responses count for the whole organisation only.
func (a *Accumulator) SetSectionCounts(own map[string]int) {
	a.own = make(map[string]int, len(own))
	for code, n := range own {
		if _, ok := a.tree.Index(code); ok {
			a.own[code] = n
		}
	}
}

// category computes a group category (docs/analysis.md, "Group category") with items items; only n
// when show is false (the metric-wise remainder rule withholds it).
func (a *Accumulator) category(ca *categoryAcc, items int, show bool) *Category {
	n := ca.score.count()
	c := &Category{N: n}
	if !show || n < a.k || n == 0 {
		return c
	}
	m := ca.score.moments()
	c.Score = num(m.mean)
	if ca.answered > 0 {
		c.Favourable = num(100 * float64(ca.favourable) / float64(ca.answered))
	}
	if n >= 2 {
		sd := math.Sqrt(m.variance())
		half := tQuantile(n-1) * sd / math.Sqrt(float64(n))
		c.SD, c.CILow, c.CIHigh = num(sd), num(m.mean-half), num(m.mean+half)
	}
	// α is over the respondents who answered every item, a subset of the metric's: like every
	// other statistic it needs k of them (§6.5c), not merely the two a variance needs.
	if items >= 2 && ca.full >= int64(max(a.k, 2)) {
		var items2 float64
		for j := range ca.s1 {
			items2 += sumSquares(ca.full, ca.s1[j], ca.s2[j])
		}
		// Both sums carry the same factor full·(full−1), which cancels in the ratio.
		if total := sumSquares(ca.full, ca.t1, ca.t2); total > 0 {
			k := float64(items)
			c.Alpha = num(k / (k - 1) * (1 - items2/total))
		}
	}
	return c
}

// items returns the per-question results of category c in a group with statistics ca: n
// always, the shares only when show.
func (a *Accumulator) items(c int, ca *categoryAcc, show bool) []ItemResult {
	q := a.q.Categories[c]
	out := make([]ItemResult, len(q.Items))
	for j, it := range q.Items {
		n := ca.itemN[j]
		out[j] = ItemResult{ID: it.ID, N: n}
		if !show || n < a.k {
			continue
		}
		pct := func(x int) *float64 { return num(100 * float64(x) / float64(n)) }
		out[j].Favourable, out[j].Unfavourable = pct(ca.itemFav[j]), pct(ca.itemUnf[j])
		out[j].Neutral = pct(n - ca.itemFav[j] - ca.itemUnf[j])
	}
	return out
}

// tQuantiles caches t(0.975, df) for the process: inverting the incomplete beta function
// costs tens of microseconds, and every survey has hundreds of group × category cells whose
// df repeat across groups, categories, surveys and page views. The set of df is bounded by
// the largest group, so the cache stays small.
var tQuantiles sync.Map // int → float64

func tQuantile(df int) float64 {
	if q, ok := tQuantiles.Load(df); ok {
		return q.(float64)
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
	tQuantiles.Store(df, q)
	return q
}

// Analyze is the analysis of one survey's responses held in memory. For a store, feed an
// Accumulator from storage.Store.EachResponse instead, or use Scan.
func Analyze(q *survey.Questionnaire, rs []*survey.Response) *SurveyResult {
	a := NewAccumulator(q)
	for _, r := range rs {
		a.Add(r)
	}
	return a.Result()
}

// Scan analyses the responses that each yields, for example
//
//	analysis.Scan(q, func(fn func(*survey.Response) error) error { return st.EachResponse(q.ID, fn) })
//
// It stops at the first error.
func Scan(q *survey.Questionnaire, each func(fn func(*survey.Response) error) error) (*SurveyResult, error) {
	return Source{Questionnaire: q, Each: each}.Scan()
}
