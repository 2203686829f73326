package analysis

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"staffsurvey/survey"
)

// Accumulator computes the analysis of one survey from its responses, one at a time, keeping
// only sufficient statistics per section: memory depends on the questionnaire, not on the
// number of responses. It is not safe for concurrent use; use one per survey.
type Accumulator struct {
	q       *survey.Questionnaire
	tree    []survey.FlatSection
	parent  []int
	index   map[string]int
	points  int
	k       int
	cutoff  float64
	cats    []categorySpec
	sat     bool // the questionnaire has the outcome
	enps    bool
	nodes   []*groupAcc // responses of each node's own code (leaves, normally)
	drivers []comoments // per category, over all respondents
	// denom is, per axis (motivation, cohesion), a common denominator D of every possible
	// respondent axis score, so that M·D is an integer and group means are exact whatever
	// the order of the responses; 0 when D would be too large (float fallback).
	denom [2]int64
	// scratch, reused for every response
	score    []float64
	defined  []bool
	sums     []int64 // per category: Σ(v−1) over answered items
	answered []int64 // per category: answered items
	xs       []int64
	// the last section seen: responses of one section often come in runs
	lastSection string
	lastNode    int
}

type categorySpec struct {
	id      string
	axis    string
	start   int    // index of the first item in Response.Answers
	reverse []bool // per item
	need    int    // answered items needed for a respondent score: ceil(items/2)
}

// groupAcc holds the statistics of the responses of one group.
type groupAcc struct {
	n    int
	cats []categoryAcc
	sat  struct {
		n   int
		sum int64 // Σ(v−1)
		fav int
	}
	enps struct{ n, promoters, detractors int }
	act  struct {
		// motivation and cohesion sums, scaled by Accumulator.denom: exact
		mSum, iSum int64
		// the same as moments, for the float fallback; index for changes
		motivation, cohesion, index moments
		types                       [4]int // by typeOrder
	}
}

type categoryAcc struct {
	score      moments // respondent category scores
	answered   int     // answered items, for favourable
	favourable int
	// For Cronbach's α: respondents who answered every item, with exact integer sums of
	// each item's (v−1), its square, and of the respondent total and its square.
	full   int64
	s1, s2 []int64
	t1, t2 int64
}

var typeOrder = [4]Type{TypeActive, TypeWorkFocused, TypeBelongingDependent, TypeStagnant}

// minGroupSize is the k of §6.5 for q. The questionnaire loader refuses values below
// survey.MinAllowedGroupSize; analysis enforces the same floor so that no hand-built
// questionnaire can switch suppression off.
func minGroupSize(q *survey.Questionnaire) int {
	k := q.Anonymity.MinGroupSize
	switch {
	case k == 0:
		return survey.DefaultMinGroupSize
	case k < survey.MinAllowedGroupSize:
		return survey.MinAllowedGroupSize
	}
	return k
}

// NewAccumulator returns an empty accumulator for the responses of questionnaire q.
// q must not change while the accumulator is in use.
func NewAccumulator(q *survey.Questionnaire) *Accumulator {
	a := &Accumulator{q: q, tree: q.Tree(), points: q.Scale.Points, k: minGroupSize(q), cutoff: q.Activity.Cutoff,
		sat: q.Outcomes.Satisfaction != nil, enps: q.Outcomes.ENPS != nil, lastNode: -1}
	if a.cutoff == 0 {
		a.cutoff = survey.DefaultCutoff
	}
	a.parent, _ = treeIndex(a.tree, nil)
	a.index = make(map[string]int, len(a.tree))
	for i, s := range a.tree {
		a.index[s.Code] = i
	}
	start, most := 0, 0
	for _, c := range q.Categories {
		spec := categorySpec{id: c.ID, axis: c.Axis, start: start, reverse: make([]bool, len(c.Items)), need: (len(c.Items) + 1) / 2}
		for j, it := range c.Items {
			spec.reverse[j] = it.Reverse
		}
		a.cats = append(a.cats, spec)
		start += len(c.Items)
		most = max(most, len(c.Items))
	}
	for x, axis := range [2]string{survey.AxisMotivation, survey.AxisCohesion} {
		a.denom[x] = axisDenominator(q.Categories, axis, int64(a.points))
	}
	a.nodes = make([]*groupAcc, len(a.tree))
	a.drivers = make([]comoments, len(a.cats))
	a.score = make([]float64, len(a.cats))
	a.defined = make([]bool, len(a.cats))
	a.sums = make([]int64, len(a.cats))
	a.answered = make([]int64, len(a.cats))
	a.xs = make([]int64, most)
	return a
}

func (a *Accumulator) newGroup() *groupAcc {
	g := &groupAcc{cats: make([]categoryAcc, len(a.cats))}
	for i, c := range a.cats {
		g.cats[i].s1 = make([]int64, len(c.reverse))
		g.cats[i].s2 = make([]int64, len(c.reverse))
	}
	return g
}

// Add adds one response. It keeps nothing of r, so r may be reused (as
// survey.Store.EachResponse does). A response whose section is not in the tree counts for
// the whole organisation only; values out of range count as not answered.
func (a *Accumulator) Add(r *survey.Response) {
	if r.Section != a.lastSection || a.lastNode < 0 {
		node, ok := a.index[r.Section]
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
	g.n++
	p := int64(a.points)
	for c := range a.cats {
		spec := &a.cats[c]
		ca := &g.cats[c]
		var answered, u int64
		for j, rev := range spec.reverse {
			idx := spec.start + j
			v := int64(survey.NA)
			if idx < len(r.Answers) {
				v = int64(r.Answers[idx])
			}
			if v < 1 || v > p {
				a.xs[j] = -1
				continue
			}
			if rev {
				v = p + 1 - v
			}
			if v >= p-1 {
				ca.favourable++
			}
			a.xs[j] = v - 1
			u += v - 1
			answered++
		}
		ca.answered += int(answered)
		a.sums[c], a.answered[c] = u, answered
		if int(answered) == len(spec.reverse) {
			ca.full++
			for j := range spec.reverse {
				x := a.xs[j]
				ca.s1[j] += x
				ca.s2[j] += x * x
			}
			ca.t1 += u
			ca.t2 += u * u
		}
		a.defined[c] = int(answered) >= spec.need && answered > 0
		if !a.defined[c] {
			continue
		}
		s := float64(100*u) / float64(answered*(p-1))
		a.score[c] = s
		ca.score.add(s)
	}
	if a.sat {
		if v := int64(r.Satisfaction); v >= 1 && v <= p {
			g.sat.n++
			g.sat.sum += v - 1
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
	mInt, m, okm := a.axisScore(survey.AxisMotivation, a.denom[0])
	iInt, i, oki := a.axisScore(survey.AxisCohesion, a.denom[1])
	if !okm || !oki {
		return
	}
	index := (m + i) / 2
	g.act.mSum += mInt
	g.act.iSum += iInt
	g.act.motivation.add(m)
	g.act.cohesion.add(i)
	g.act.index.add(index)
	t := TypeOf(m, i, a.cutoff)
	for j, tt := range typeOrder {
		if t == tt {
			g.act.types[j]++
		}
	}
	for c := range a.cats {
		if a.cats[c].axis == "" && a.defined[c] {
			a.drivers[c].add(a.score[c], index)
		}
	}
}

// axisScore returns a respondent's score on an axis, the mean of their defined category
// scores on it: scaled by denom as an exact integer, and as a float correctly rounded from
// the exact value (so a respondent exactly at the cutoff is at it, not a rounding error
// below). ok is false when no category of the axis has a score.
func (a *Accumulator) axisScore(axis string, denom int64) (scaled int64, score float64, ok bool) {
	var k int64
	var sum float64
	for c := range a.cats {
		if a.cats[c].axis == axis && a.defined[c] {
			k++
			sum += a.score[c]
		}
	}
	if k == 0 {
		return 0, 0, false
	}
	if denom == 0 {
		return 0, sum / float64(k), true
	}
	p1 := int64(a.points - 1)
	for c := range a.cats {
		if a.cats[c].axis == axis && a.defined[c] {
			scaled += 100 * a.sums[c] * (denom / (k * a.answered[c] * p1))
		}
	}
	return scaled, float64(scaled) / float64(denom), true
}

// maxDenominator bounds the exact axis arithmetic so that the sums of a million respondents
// (each at most 100·D) stay exact in int64 and in float64.
const maxDenominator = 1 << 20

// axisDenominator returns D such that every possible respondent score on axis, times D, is an
// integer: a score is (1/K)·Σ 100·u/(a·(p−1)) over K ≤ (categories on the axis) categories with
// a answered items each. It returns 0 when D would exceed maxDenominator.
func axisDenominator(cats []survey.Category, axis string, points int64) int64 {
	var k int64
	var denoms []int64 // a·(p−1) for every category of the axis and every possible a
	for _, c := range cats {
		if c.Axis != axis {
			continue
		}
		k++
		for a := int64(len(c.Items)+1) / 2; a <= int64(len(c.Items)); a++ {
			denoms = append(denoms, a*(points-1))
		}
	}
	d := int64(1)
	for kk := int64(1); kk <= k; kk++ {
		for _, x := range denoms {
			if d = lcm(d, kk*x); d > maxDenominator || d <= 0 {
				return 0
			}
		}
	}
	return d
}

func lcm(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

func (g *groupAcc) merge(o *groupAcc) {
	g.n += o.n
	for c := range g.cats {
		x, y := &g.cats[c], &o.cats[c]
		x.score.merge(y.score)
		x.answered += y.answered
		x.favourable += y.favourable
		x.full += y.full
		for j := range x.s1 {
			x.s1[j] += y.s1[j]
			x.s2[j] += y.s2[j]
		}
		x.t1 += y.t1
		x.t2 += y.t2
	}
	g.sat.n += o.sat.n
	g.sat.sum += o.sat.sum
	g.sat.fav += o.sat.fav
	g.enps.n += o.enps.n
	g.enps.promoters += o.enps.promoters
	g.enps.detractors += o.enps.detractors
	g.act.mSum += o.act.mSum
	g.act.iSum += o.act.iSum
	g.act.motivation.merge(o.act.motivation)
	g.act.cohesion.merge(o.act.cohesion)
	g.act.index.merge(o.act.index)
	for j := range g.act.types {
		g.act.types[j] += o.act.types[j]
	}
}

// Result returns the suppressed analysis of the responses added so far. The accumulator can
// go on taking responses afterwards; the result does not change.
func (a *Accumulator) Result() *SurveyResult {
	// Roll leaves up into their ancestors: in reverse pre-order every child comes before its parent.
	totals := make([]*groupAcc, len(a.tree))
	for i := range totals {
		totals[i] = a.newGroup()
		if a.nodes[i] != nil {
			totals[i].merge(a.nodes[i])
		}
	}
	for i := len(totals) - 1; i > 0; i-- {
		if p := a.parent[i]; p >= 0 {
			totals[p].merge(totals[i])
		}
	}
	counts := make([]int, len(totals))
	for i, g := range totals {
		counts[i] = g.n
	}
	hidden := suppress(a.parent, counts, a.k)

	res := &SurveyResult{ID: a.q.ID, Year: a.q.Year, MinGroupSize: a.k, Drivers: []Driver{},
		samples: map[string]map[string]moments{}}
	for _, c := range a.cats {
		res.categories = append(res.categories, c.id)
	}
	t := tQuantiles{}
	for i, s := range a.tree {
		g := &Group{Section: s.Code, N: counts[i], Suppressed: hidden[i], Depth: s.Depth, Parent: s.Parent}
		res.Groups = append(res.Groups, g)
		if !g.Shown() {
			continue
		}
		tot := totals[i]
		samples := map[string]moments{}
		g.Categories = make(map[string]*Category, len(a.cats))
		for c, spec := range a.cats {
			ca := &tot.cats[c]
			g.Categories[spec.id] = a.category(ca, len(spec.reverse), t)
			if ca.score.n >= a.k {
				samples[spec.id] = ca.score
			}
		}
		if a.sat {
			g.Satisfaction = &Satisfaction{N: tot.sat.n}
			if tot.sat.n >= a.k {
				g.Satisfaction.Score = num(100 * float64(tot.sat.sum) / float64(int64(tot.sat.n)*int64(a.points-1)))
				g.Satisfaction.Favourable = num(100 * float64(tot.sat.fav) / float64(tot.sat.n))
			}
		}
		if a.enps {
			g.ENPS = &ENPS{N: tot.enps.n}
			if tot.enps.n >= a.k {
				g.ENPS.Score = num(100 * float64(tot.enps.promoters-tot.enps.detractors) / float64(tot.enps.n))
			}
		}
		act := &tot.act
		g.Activity = &Activity{N: act.index.n}
		if n := act.index.n; n >= a.k {
			m, c := act.motivation.mean, act.cohesion.mean
			// Exact sums make the group's type independent of the order of the responses,
			// even when its mean is exactly at the cutoff.
			if a.denom[0] > 0 {
				m = float64(act.mSum) / float64(int64(n)*a.denom[0])
			}
			if a.denom[1] > 0 {
				c = float64(act.iSum) / float64(int64(n)*a.denom[1])
			}
			typ := TypeOf(m, c, a.cutoff)
			g.Activity.Motivation, g.Activity.Cohesion, g.Activity.Index = num(m), num(c), num((m+c)/2)
			g.Activity.Type = &typ
			pct := func(j int) float64 { return 100 * float64(act.types[j]) / float64(n) }
			g.Activity.Types = &Types{Active: pct(0), WorkFocused: pct(1), BelongingDependent: pct(2), Stagnant: pct(3)}
			samples[ActivityKey] = act.index
		}
		if len(samples) > 0 {
			res.samples[s.Code] = samples
		}
	}
	// Drivers are over all respondents, so they exist only while the root is shown.
	if !hidden[0] {
		for c, spec := range a.cats {
			if spec.axis != "" {
				continue
			}
			d := Driver{Category: spec.id, N: a.drivers[c].n}
			if d.N >= a.k {
				d.R = num(a.drivers[c].r())
			}
			res.Drivers = append(res.Drivers, d)
		}
	}
	return res
}

// category computes DESIGN.md §6.2 for one group and category with items items.
func (a *Accumulator) category(ca *categoryAcc, items int, t tQuantiles) *Category {
	n := ca.score.n
	c := &Category{N: n}
	if n < a.k || n == 0 {
		return c
	}
	c.Score = num(ca.score.mean)
	if ca.answered > 0 {
		c.Favourable = num(100 * float64(ca.favourable) / float64(ca.answered))
	}
	if n >= 2 {
		sd := math.Sqrt(ca.score.variance())
		half := t.at(n-1) * sd / math.Sqrt(float64(n))
		c.SD, c.CILow, c.CIHigh = num(sd), num(ca.score.mean-half), num(ca.score.mean+half)
	}
	if items >= 2 && ca.full >= 2 {
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

// tQuantiles caches t(0.975, df): many groups share a df.
type tQuantiles map[int]float64

func (t tQuantiles) at(df int) float64 {
	if q, ok := t[df]; ok {
		return q
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
	t[df] = q
	return q
}

// Analyze is the analysis of one survey's responses held in memory. For a store, feed an
// Accumulator from survey.Store.EachResponse instead, or use Scan.
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
	a := NewAccumulator(q)
	err := each(func(r *survey.Response) error {
		a.Add(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a.Result(), nil
}
