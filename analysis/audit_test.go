package analysis_test

// The differencing auditor (docs/analysis.md, "Suppression"): it takes every number a report's JSON
// publishes, turns each linear one into an equation over the respondents' own values, and
// proves with exact arithmetic that no combination of them isolates the values of 1..k−1
// respondents. Nonlinear numbers (sd, ci, α, drivers' r) are checked for the size of the set
// they are computed over.
//
// The attacker is the strongest one: they know which respondents are behind every number (who
// answered what, and so who is in which metric's set) and how many items each answered; they
// do not know the values. The unknowns per respondent are each category's score, each item's
// favourable and unfavourable indicators (a category's count of favourable answers is the sum
// of its items'; neutral is answered minus both), the satisfaction value and its favourable
// indicator, the eNPS value (−1, 0, 1) and the activity type (three indicators; the fourth is
// 1 minus them).
//
// Which respondents a number covers is written out in auditCase.member for two versions of
// the rules: the revised §6 and the old rules, so that the same auditor shows the
// two differencing attacks under the old ones. Every published number is also recomputed
// from the model's sets and compared with the JSON, so that a model that does not describe
// the code fails loudly instead of proving something about another program.

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// Flags of TestAuditRandom, for longer runs and for watching the auditor on the old rules
// (go test ./analysis/ -run AuditRandom -audit.rules=old against a pre-issue-8 accumulator).
var (
	auditRulesFlag = flag.String("audit.rules", "revised",
		"rules the differencing auditor models in TestAuditRandom: revised or old (to watch it find the old rules' leaks)")
	auditCasesFlag = flag.Int("audit.cases", 0, "surveys TestAuditRandom generates (0: its default)")
)

// auditRules is a version of the set definitions of docs/analysis.md, "None"
type auditRules int

const (
	rulesOld     auditRules = iota // before the differencing attacks were found
	rulesRevised                   // docs/analysis.md as revised against them
)

func (r auditRules) String() string { return [...]string{"old", "revised"}[r] }

// auditCat is a category of the questionnaire.
type auditCat struct {
	id      string
	axis    string
	start   int // its first item in Response.Answers
	reverse []bool
}

func (c auditCat) items() int { return len(c.reverse) }

// need is the answered items a respondent score needs: ceil(items/2).
func (c auditCat) need() int { return (c.items() + 1) / 2 }

// auditCase is one survey: the questionnaire, the responses, and what each respondent
// answered, ready for the set definitions.
type auditCase struct {
	q      *survey.Questionnaire
	k      int
	points int
	cats   []auditCat
	tree   []survey.FlatSection
	groups [][]int // respondents of each group of tree, its subtree included
	rs     []*survey.Response
	x      [][][]int // respondent, category, item: v−1 after reversal, or −1
	items  int       // items of the questionnaire
}

func newAuditCase(tb testing.TB, q *survey.Questionnaire, rs []*survey.Response) *auditCase {
	tb.Helper()
	a := &auditCase{q: q, k: q.Anonymity.MinGroupSize, points: q.Scale.Points, tree: q.Tree(), rs: rs}
	start := 0
	for _, c := range q.Categories {
		ac := auditCat{id: c.ID, axis: c.Axis, start: start}
		for _, it := range c.Items {
			ac.reverse = append(ac.reverse, it.Reverse)
		}
		a.cats = append(a.cats, ac)
		start += len(c.Items)
	}
	a.items = start
	index := map[string]int{}
	for i, s := range a.tree {
		index[s.Code] = i
	}
	a.groups = make([][]int, len(a.tree))
	for r, resp := range rs {
		if err := resp.Validate(q); err != nil {
			tb.Fatalf("response %d: %v", r, err)
		}
		for g := index[resp.Section]; ; {
			a.groups[g] = append(a.groups[g], r)
			if a.tree[g].Parent == "" {
				break
			}
			g = index[a.tree[g].Parent]
		}
		xs := make([][]int, len(a.cats))
		for c, ac := range a.cats {
			for j, rev := range ac.reverse {
				v := int(resp.Answers[ac.start+j])
				switch {
				case v == survey.NA:
					v = -1
				case rev:
					v = a.points - v
				default:
					v--
				}
				xs[c] = append(xs[c], v)
			}
		}
		a.x = append(a.x, xs)
	}
	for g := range a.groups {
		sort.Ints(a.groups[g])
	}
	return a
}

// answered returns the items of category c respondent r answered, the sum of their v−1 and
// how many are favourable (v ≥ p−1).
func (a *auditCase) answered(r, c int) (n, sum, fav int) {
	for _, x := range a.x[r][c] {
		if x >= 0 {
			n++
			sum += x
			if x >= a.points-2 {
				fav++
			}
		}
	}
	return n, sum, fav
}

func (a *auditCase) complete(r, c int) bool {
	n, _, _ := a.answered(r, c)
	return n == a.cats[c].items()
}

// defined reports whether respondent r has a score for category c (§6.1, the same in both
// versions).
func (a *auditCase) defined(r, c int) bool {
	n, _, _ := a.answered(r, c)
	return n > 0 && n >= a.cats[c].need()
}

// score is respondent r's exact score of category c: 100·Σ(v−1)/(answered·(p−1)).
func (a *auditCase) score(r, c int) *big.Rat {
	n, sum, _ := a.answered(r, c)
	return big.NewRat(int64(100*sum), int64(n*(a.points-1)))
}

// axisWeights returns the coefficients of respondent r's category scores in their M (axis
// "motivation") or I ("cohesion"), and whether they have one. Revised (§6.3): the mean of every
// category of the axis, only when all are defined. Old: the mean of the defined ones, when
// there is at least one.
func (a *auditCase) axisWeights(rules auditRules, r int, axis string) ([]auditCoef, bool) {
	var on, def []int
	for c, ac := range a.cats {
		if ac.axis == axis {
			on = append(on, c)
			if a.defined(r, c) {
				def = append(def, c)
			}
		}
	}
	use := def
	if rules == rulesRevised {
		if len(def) < len(on) {
			return nil, false
		}
		use = on
	}
	if len(use) == 0 {
		return nil, false
	}
	w := make([]auditCoef, len(a.cats))
	for _, c := range use {
		w[c] = auditCoef{1, int64(len(use))}
	}
	return w, true
}

// axisScore is Σ w·score of axisWeights, exactly.
func (a *auditCase) axisScore(r int, w []auditCoef) *big.Rat {
	s := new(big.Rat)
	for c, x := range w {
		if x.num != 0 {
			s.Add(s, new(big.Rat).Mul(x.rat(), a.score(r, c)))
		}
	}
	return s
}

func (a *auditCase) active(rules auditRules, r int) bool {
	_, okm := a.axisWeights(rules, r, survey.AxisMotivation)
	_, oki := a.axisWeights(rules, r, survey.AxisCohesion)
	return okm && oki
}

// typeOf is respondent r's activity type, by exact comparison with the cutoff.
func (a *auditCase) typeOf(rules auditRules, r int) analysis.Type {
	wm, _ := a.axisWeights(rules, r, survey.AxisMotivation)
	wi, _ := a.axisWeights(rules, r, survey.AxisCohesion)
	cut := new(big.Rat)
	cut.SetFloat64(a.q.Activity.Cutoff)
	m, i := a.axisScore(r, wm).Cmp(cut) >= 0, a.axisScore(r, wi).Cmp(cut) >= 0
	switch {
	case m && i:
		return analysis.TypeActive
	case m:
		return analysis.TypeWorkFocused
	case i:
		return analysis.TypeBelongingDependent
	}
	return analysis.TypeStagnant
}

// auditMetric names the respondent sets of docs/analysis.md, "None"
type auditMetric int

const (
	mScore    auditMetric = iota // a category's score, sd, ci
	mFav                         // the respondents whose item answers a category's favourable counts
	mAlpha                       // the respondents a category's α is computed over
	mSat                         // satisfaction
	mENPS                        // eNPS
	mActivity                    // 組織活性度: motivation, cohesion, index, types
	mDriver                      // a driver: category score and (M+I)/2
)

// member reports whether respondent r counts in metric kind (of category c) of every group
// they belong to, under rules. This is the whole of the set definitions the auditor checks
// the report against.
func (a *auditCase) member(rules auditRules, kind auditMetric, c, r int) bool {
	switch kind {
	case mScore:
		if rules == rulesRevised && a.cats[c].axis != "" {
			return a.active(rules, r) // §6.2: an axis category shares 組織活性度's respondents
		}
		return a.defined(r, c)
	case mFav:
		if rules == rulesRevised {
			return a.member(rules, mScore, c, r) // §6.2: nobody else's answers
		}
		n, _, _ := a.answered(r, c) // old: every answered item of the group
		return n > 0
	case mAlpha:
		if rules == rulesRevised {
			return a.member(rules, mScore, c, r) && a.complete(r, c)
		}
		return a.complete(r, c)
	case mSat:
		return a.rs[r].Satisfaction != survey.NA
	case mENPS:
		return a.rs[r].ENPS != survey.NA
	case mActivity:
		return a.active(rules, r)
	case mDriver:
		return a.defined(r, c) && a.active(rules, r)
	}
	panic("unknown metric")
}

// set returns the respondents of group g in metric kind of category c.
func (a *auditCase) set(rules auditRules, kind auditMetric, c, g int) []int {
	var out []int
	for _, r := range a.groups[g] {
		if a.member(rules, kind, c, r) {
			out = append(out, r)
		}
	}
	return out
}

// The variables of a respondent: per category its score, per item (numbered as in
// Response.Answers) its favourable and unfavourable indicators, then the outcomes and the type
// indicators.
func (a *auditCase) varScore(c int) int   { return c }
func (a *auditCase) varItemFav(i int) int { return len(a.cats) + i }
func (a *auditCase) varItemUnf(i int) int { return len(a.cats) + a.items + i }
func (a *auditCase) varSat() int          { return len(a.cats) + 2*a.items }
func (a *auditCase) varSatFav() int       { return a.varSat() + 1 }
func (a *auditCase) varENPS() int         { return a.varSat() + 2 }
func (a *auditCase) varType(j int) int    { return a.varSat() + 3 + j } // active, work-focused, belonging-dependent
func (a *auditCase) nVars() int           { return a.varSat() + 6 }

// item returns the category and position of item i (numbered as in Response.Answers).
func (a *auditCase) item(i int) (c, j int) {
	for c, ac := range a.cats {
		if i < ac.start+ac.items() {
			return c, i - ac.start
		}
	}
	panic("no such item")
}

func (a *auditCase) varName(v int) string {
	C := len(a.cats)
	switch {
	case v < C:
		return "score(" + a.cats[v].id + ")"
	case v < C+a.items:
		return "favourable(" + a.q.Items()[v-C].ID + ")"
	case v < C+2*a.items:
		return "unfavourable(" + a.q.Items()[v-C-a.items].ID + ")"
	}
	return [...]string{"satisfaction", "satisfaction-favourable", "enps", "type-active", "type-work-focused", "type-belonging-dependent"}[v-a.varSat()]
}

// favWeights returns the coefficients of respondent r's item variables in their count of
// favourable answers of category c: 1 for every item they answered.
func (a *auditCase) favWeights(c int) func(r int) map[int]auditCoef {
	return func(r int) map[int]auditCoef {
		w := map[int]auditCoef{}
		for j, x := range a.x[r][c] {
			if x >= 0 {
				w[a.varItemFav(a.cats[c].start+j)] = auditCoef{1, 1}
			}
		}
		return w
	}
}

// value is respondent r's value of variable v under rules (for recomputing published numbers).
func (a *auditCase) value(rules auditRules, r, v int) float64 {
	C := len(a.cats)
	resp := a.rs[r]
	switch {
	case v < C:
		f, _ := a.score(r, v).Float64()
		return f
	case v < C+2*a.items:
		i := v - C
		if i >= a.items {
			i -= a.items
		}
		c, j := a.item(i)
		x := a.x[r][c][j]
		if v < C+a.items {
			return auditB2F(x >= 0 && x >= a.points-2)
		}
		return auditB2F(x >= 0 && x <= 1 && x < a.points-2)
	case v == a.varSat():
		return 100 * float64(resp.Satisfaction-1) / float64(a.points-1)
	case v == a.varSatFav():
		return auditB2F(int(resp.Satisfaction) >= a.points-1)
	case v == a.varENPS():
		switch {
		case resp.ENPS >= 9:
			return 1
		case resp.ENPS <= 6:
			return -1
		}
		return 0
	}
	return auditB2F(a.typeOf(rules, r) == auditTypes[v-a.varType(0)])
}

var auditTypes = [4]analysis.Type{analysis.TypeActive, analysis.TypeWorkFocused, analysis.TypeBelongingDependent, analysis.TypeStagnant}

func auditB2F(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// auditFinding is something the auditor objects to.
type auditFinding struct {
	kind string // "leak", "small" (a number over fewer than k), "mismatch" (model ≠ report), "unmodelled"
	msg  string
	leak *auditLeak // for kind "leak"
}

// String is the auditFinding in full; for a leak, with the combination of published numbers that
// gives it away.
func (f auditFinding) String(au *audit) string {
	if f.leak != nil {
		return f.kind + ": " + au.describe(*f.leak)
	}
	return f.kind + ": " + f.msg
}

// audit is the model of one report: the equations of its linear numbers and the findings.
type audit struct {
	a        *auditCase
	rules    auditRules
	rows     []auditRow
	checked  int // published numbers recomputed from the model
	findings []auditFinding
}

func (au *audit) addf(kind, format string, args ...any) {
	au.findings = append(au.findings, auditFinding{kind: kind, msg: fmt.Sprintf(format, args...)})
}

// row adds the equation Σ over set of Σ_v w(r)[v]·value(r, v) = published, after checking
// that the model gives the published value.
func (au *audit) row(label string, set []int, weights func(r int) map[int]auditCoef, published float64) {
	row := auditRow{label: label}
	var sum float64
	for _, r := range set {
		w := weights(r)
		var vs []int
		for v := range w {
			vs = append(vs, v)
		}
		sort.Ints(vs)
		for _, v := range vs {
			if w[v].num == 0 {
				continue
			}
			row.terms = append(row.terms, auditTerm{r, v, w[v]})
			sum += float64(w[v].num) / float64(w[v].den) * au.a.value(au.rules, r, v)
		}
	}
	au.check(label, published, sum)
	if len(row.terms) > 0 {
		au.rows = append(au.rows, row)
	}
}

// check compares a published number with the model's.
func (au *audit) check(label string, published, model float64) {
	au.checked++
	if math.Abs(published-model) > 1e-6*math.Max(1, math.Abs(model)) {
		au.addf("mismatch", "%s: report %v, model %v", label, published, model)
	}
}

func auditOne(v int) func(int) map[int]auditCoef {
	return func(int) map[int]auditCoef { return map[int]auditCoef{v: {1, 1}} }
}

// auditReport models the report JSON doc of case a under rules. doc is the SurveyResult
// marshalled and decoded generically, so that a field the auditor does not know is noticed.
func auditReport(a *auditCase, rules auditRules, doc map[string]any) *audit {
	au := &audit{a: a, rules: rules}
	known := func(where string, m map[string]any, keys ...string) {
		for key := range m {
			if !slices.Contains(keys, key) {
				au.addf("unmodelled", "%s: field %q", where, key)
			}
		}
	}
	known("survey", doc, "id", "year", "min_group_size", "groups", "drivers")
	if k := auditNum(doc["min_group_size"]); k == nil || int(*k) != a.k {
		au.addf("mismatch", "min_group_size %v; want %d", doc["min_group_size"], a.k)
	}
	groups, _ := doc["groups"].([]any)
	if len(groups) != len(a.tree) {
		au.addf("mismatch", "%d groups; want %d", len(groups), len(a.tree))
		return au
	}
	for g, x := range groups {
		gr := x.(map[string]any)
		name := a.tree[g].Code
		known(name, gr, "section", "n", "suppressed", "categories", "satisfaction", "enps", "activity")
		if gr["section"] != name {
			au.addf("mismatch", "group %d is %v; want %s", g, gr["section"], name)
			return au
		}
		au.count(name, gr["n"], len(a.groups[g]))
		if gr["suppressed"] == true || len(a.groups[g]) == 0 {
			for _, key := range []string{"categories", "satisfaction", "enps", "activity"} {
				if gr[key] != nil {
					au.addf("small", "%s: %s published for a suppressed or empty group", name, key)
				}
			}
			continue
		}
		cats, _ := gr["categories"].(map[string]any)
		for id := range cats {
			if !slices.ContainsFunc(a.cats, func(c auditCat) bool { return c.id == id }) {
				au.addf("unmodelled", "%s: category %q", name, id)
			}
		}
		for c, ac := range a.cats {
			m, _ := cats[ac.id].(map[string]any)
			if m == nil {
				au.addf("mismatch", "%s: category %s missing", name, ac.id)
				continue
			}
			au.category(g, c, m)
		}
		if m, ok := gr["satisfaction"].(map[string]any); ok {
			where := name + "/satisfaction"
			known(where, m, "n", "score", "favourable")
			set := a.set(rules, mSat, 0, g)
			au.count(where, m["n"], len(set))
			au.small(where, m, set, "score", "favourable")
			if v := auditNum(m["score"]); v != nil {
				au.row(where+" n×score", set, auditOne(a.varSat()), *v*float64(len(set)))
			}
			if v := auditNum(m["favourable"]); v != nil {
				au.row(where+" favourable%·n/100", set, auditOne(a.varSatFav()), *v/100*float64(len(set)))
			}
		} else if a.q.Outcomes.Satisfaction != nil {
			au.addf("mismatch", "%s: satisfaction missing", name)
		}
		if m, ok := gr["enps"].(map[string]any); ok {
			where := name + "/enps"
			known(where, m, "n", "score")
			set := a.set(rules, mENPS, 0, g)
			au.count(where, m["n"], len(set))
			au.small(where, m, set, "score")
			if v := auditNum(m["score"]); v != nil {
				au.row(where+" score%·n/100", set, auditOne(a.varENPS()), *v/100*float64(len(set)))
			}
		} else if a.q.Outcomes.ENPS != nil {
			au.addf("mismatch", "%s: enps missing", name)
		}
		if m, ok := gr["activity"].(map[string]any); ok {
			au.activity(g, m)
		} else {
			au.addf("mismatch", "%s: activity missing", name)
		}
	}
	drivers, _ := doc["drivers"].([]any)
	for _, x := range drivers {
		d := x.(map[string]any)
		known("drivers", d, "category", "n", "r")
		c := slices.IndexFunc(a.cats, func(c auditCat) bool { return c.id == d["category"] })
		if c < 0 || a.cats[c].axis != "" {
			au.addf("unmodelled", "driver %v", d["category"])
			continue
		}
		where := "driver " + a.cats[c].id
		set := a.set(rules, mDriver, c, 0)
		au.count(where, d["n"], len(set))
		au.small(where, d, set, "r")
		if v := auditNum(d["r"]); v != nil {
			xs, ys := make([]float64, len(set)), make([]float64, len(set))
			for i, r := range set {
				xs[i] = a.value(rules, r, a.varScore(c))
				ys[i] = a.index(rules, r)
			}
			au.check(where+" r", *v, auditPearson(xs, ys))
		}
	}
	return au
}

// index is respondent r's (M+I)/2.
func (a *auditCase) index(rules auditRules, r int) float64 {
	wm, _ := a.axisWeights(rules, r, survey.AxisMotivation)
	wi, _ := a.axisWeights(rules, r, survey.AxisCohesion)
	s := new(big.Rat).Add(a.axisScore(r, wm), a.axisScore(r, wi))
	f, _ := s.Quo(s, big.NewRat(2, 1)).Float64()
	return f
}

// count checks a published n against the model's set.
func (au *audit) count(where string, n any, want int) {
	if v := auditNum(n); v == nil || int(*v) != want {
		au.addf("mismatch", "%s: n %v; model %d", where, n, want)
	}
}

// small reports the numbers among fields that m publishes over fewer than k respondents.
func (au *audit) small(where string, m map[string]any, set []int, fields ...string) {
	for _, f := range fields {
		if m[f] != nil && len(set) < au.a.k {
			au.addf("small", "%s: %s published over %d respondents", where, f, len(set))
		}
	}
}

func (au *audit) category(g, c int, m map[string]any) {
	a, rules := au.a, au.rules
	where := a.tree[g].Code + "/" + a.cats[c].id
	for key := range m {
		if !slices.Contains([]string{"n", "score", "favourable", "sd", "ci_low", "ci_high", "alpha", "items"}, key) {
			au.addf("unmodelled", "%s: field %q", where, key)
		}
	}
	set := a.set(rules, mScore, c, g)
	au.count(where, m["n"], len(set))
	au.small(where, m, set, "score", "favourable", "sd", "ci_low", "ci_high")
	if v := auditNum(m["score"]); v != nil {
		au.row(where+" n×score", set, auditOne(a.varScore(c)), *v*float64(len(set)))
	}
	if v := auditNum(m["favourable"]); v != nil {
		favSet := a.set(rules, mFav, c, g)
		items := 0 // the attacker knows how many items were answered
		for _, r := range favSet {
			n, _, _ := a.answered(r, c)
			items += n
		}
		au.row(where+" favourable%·items/100", favSet, a.favWeights(c), *v/100*float64(items))
	}
	if m["items"] != nil {
		if m["score"] == nil {
			au.addf("small", "%s: items published beside a withheld score", where)
		}
		au.items(g, c, m["items"])
	}
	if v := auditNum(m["sd"]); v != nil {
		xs := make([]float64, len(set))
		for i, r := range set {
			xs[i] = a.value(rules, r, a.varScore(c))
		}
		au.check(where+" sd", *v, auditSD(xs))
	}
	if v := auditNum(m["alpha"]); v != nil {
		full := a.set(rules, mAlpha, c, g)
		if len(full) < a.k {
			au.addf("small", "%s: alpha published over %d complete answers", where, len(full))
		}
		au.check(where+" alpha", *v, a.alpha(c, full))
	}
}

// items models the per-question results of category c in group g: for each item, over the
// category's respondents who answered it, n, and the favourable, unfavourable and neutral
// shares, each a row of the count it gives (neutral: n minus the other two).
func (au *audit) items(g, c int, x any) {
	a, rules := au.a, au.rules
	list, _ := x.([]any)
	if len(list) != a.cats[c].items() {
		au.addf("mismatch", "%s/%s: %d items; want %d", a.tree[g].Code, a.cats[c].id, len(list), a.cats[c].items())
		return
	}
	set := a.set(rules, mScore, c, g)
	for j, y := range list {
		m, _ := y.(map[string]any)
		i := a.cats[c].start + j
		id := a.q.Items()[i].ID
		where := a.tree[g].Code + "/" + a.cats[c].id + "/" + id
		for key := range m {
			if !slices.Contains([]string{"id", "n", "favourable", "neutral", "unfavourable"}, key) {
				au.addf("unmodelled", "%s: field %q", where, key)
			}
		}
		if m["id"] != id {
			au.addf("mismatch", "%s: id %v", where, m["id"])
		}
		var answered []int
		for _, r := range set {
			if a.x[r][c][j] >= 0 {
				answered = append(answered, r)
			}
		}
		au.count(where, m["n"], len(answered))
		au.small(where, m, answered, "favourable", "neutral", "unfavourable")
		n := float64(len(answered))
		if v := auditNum(m["favourable"]); v != nil {
			au.row(where+" favourable%·n/100", answered, auditOne(a.varItemFav(i)), *v/100*n)
		}
		if v := auditNum(m["unfavourable"]); v != nil {
			au.row(where+" unfavourable%·n/100", answered, auditOne(a.varItemUnf(i)), *v/100*n)
		}
		if v := auditNum(m["neutral"]); v != nil {
			au.row(where+" neutral%·n/100 − n", answered, func(int) map[int]auditCoef {
				return map[int]auditCoef{a.varItemFav(i): {-1, 1}, a.varItemUnf(i): {-1, 1}}
			}, *v/100*n-n)
		}
	}
}

func (au *audit) activity(g int, m map[string]any) {
	a, rules := au.a, au.rules
	where := a.tree[g].Code + "/activity"
	for key := range m {
		if !slices.Contains([]string{"n", "motivation", "cohesion", "index", "type", "types"}, key) {
			au.addf("unmodelled", "%s: field %q", where, key)
		}
	}
	set := a.set(rules, mActivity, 0, g)
	au.count(where, m["n"], len(set))
	au.small(where, m, set, "motivation", "cohesion", "index", "type", "types")
	n := float64(len(set))
	axis := func(r int, axis string, half bool) map[int]auditCoef {
		w, _ := a.axisWeights(rules, r, axis)
		out := map[int]auditCoef{}
		for c, x := range w {
			if x.num != 0 {
				if half {
					x.den *= 2
				}
				out[a.varScore(c)] = x
			}
		}
		return out
	}
	if v := auditNum(m["motivation"]); v != nil {
		au.row(where+" n×motivation", set, func(r int) map[int]auditCoef { return axis(r, survey.AxisMotivation, false) }, *v*n)
	}
	if v := auditNum(m["cohesion"]); v != nil {
		au.row(where+" n×cohesion", set, func(r int) map[int]auditCoef { return axis(r, survey.AxisCohesion, false) }, *v*n)
	}
	if v := auditNum(m["index"]); v != nil {
		au.row(where+" n×index", set, func(r int) map[int]auditCoef {
			w := axis(r, survey.AxisMotivation, true)
			for v, x := range axis(r, survey.AxisCohesion, true) {
				w[v] = x // the axes have disjoint categories
			}
			return w
		}, *v*n)
	}
	if types, ok := m["types"].(map[string]any); ok {
		for key := range types {
			if !slices.Contains(auditTypes[:], analysis.Type(key)) {
				au.addf("unmodelled", "%s: type %q", where, key)
			}
		}
		for j, t := range auditTypes {
			v := auditNum(types[string(t)])
			if v == nil {
				au.addf("mismatch", "%s: types.%s missing", where, t)
				continue
			}
			if j < 3 {
				au.row(where+" types."+string(t)+"%·n/100", set, auditOne(a.varType(j)), *v/100*n)
				continue
			}
			// stagnant = 1 − the other three: the count is n − Σ of theirs, a row over the same set
			au.row(where+" types."+string(t)+"%·n/100 − n", set, func(int) map[int]auditCoef {
				return map[int]auditCoef{a.varType(0): {-1, 1}, a.varType(1): {-1, 1}, a.varType(2): {-1, 1}}
			}, *v/100*n-n)
		}
	}
}

// alpha is Cronbach's α of category c over the respondents full (who answered every item).
func (a *auditCase) alpha(c int, full []int) float64 {
	k := a.cats[c].items()
	if k < 2 || len(full) < 2 {
		return math.NaN()
	}
	var items float64
	totals := make([]float64, len(full))
	for j := range k {
		xs := make([]float64, len(full))
		for i, r := range full {
			xs[i] = float64(a.x[r][c][j])
			totals[i] += xs[i]
		}
		sd := auditSD(xs)
		items += sd * sd
	}
	sd := auditSD(totals)
	return float64(k) / float64(k-1) * (1 - items/(sd*sd))
}

func auditSD(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func auditPearson(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(xs))
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// auditNum returns a JSON number, or nil.
func auditNum(x any) *float64 {
	if f, ok := x.(float64); ok {
		return &f
	}
	return nil
}

// auditDoc marshals res as `analyze --json` does and decodes it generically.
func auditDoc(tb testing.TB, res *analysis.SurveyResult) map[string]any {
	tb.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		tb.Fatal(err)
	}
	return doc
}

// leaks runs the exact leak search on the report's equations and adds a auditFinding per
// minimal leaking set.
func (au *audit) leaks() []auditLeak {
	ls := findLeaks(au.rows, au.a.nVars(), au.a.k)
	for _, l := range ls {
		// describe is slow (rational null spaces): say only who, and describe when printing
		au.findings = append(au.findings, auditFinding{kind: "leak", msg: au.leakKind(l), leak: &l})
	}
	return ls
}

// describe names a leak: the respondents (with their sections), and how to compute a sum of
// theirs from the published numbers (each row is a published number times its n, or the
// favourable share times the answered items, as in audit.row).
func (au *audit) describe(l auditLeak) string {
	var who []string
	for _, r := range l.resps {
		who = append(who, fmt.Sprintf("#%d(%s)", r, au.a.rs[r].Section))
	}
	var rows []auditRow
	for _, row := range au.rows {
		if slices.ContainsFunc(row.terms, func(t auditTerm) bool { return slices.Contains(l.vars, t.v) }) {
			rows = append(rows, row)
		}
	}
	y, result := auditCombination(rows, l.resps)
	var lhs, rhs []string
	for i, w := range y {
		if w.Sign() != 0 {
			lhs = append(lhs, fmt.Sprintf("%s·[%s]", w.RatString(), rows[i].label))
		}
	}
	for _, t := range result {
		rhs = append(rhs, fmt.Sprintf("%d/%d·%s(#%d)", t.c.num, t.c.den, au.a.varName(t.v), t.resp))
	}
	return fmt.Sprintf("respondents %s: %s = %s", strings.Join(who, " "), strings.Join(lhs, " + "), strings.Join(rhs, " + "))
}

// leakKind is a short name of the block a leak was found in, for counting kinds of leaks.
func (au *audit) leakKind(l auditLeak) string {
	var names []string
	for _, v := range l.vars {
		n := au.a.varName(v)
		switch {
		case v < len(au.a.cats) && au.a.cats[v].axis != "":
			n = "axis-score"
		case v < len(au.a.cats):
			n = "score"
		case v < len(au.a.cats)+au.a.items:
			n = "favourable"
		case v < len(au.a.cats)+2*au.a.items:
			n = "unfavourable"
		case v >= au.a.varType(0):
			n = "type"
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return fmt.Sprintf("%s over %d", strings.Join(names, "+"), len(l.resps))
}
