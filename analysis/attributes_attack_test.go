package analysis_test

// The attacker's tests of the cross-partition rule (docs/analysis.md, "Attributes"). An
// independent auditor, written here without the package's code, takes the report as JSON, knows
// who is in every section and option group and in every metric's respondent set (the strongest
// attacker), and tries every set T of at most k−1 respondents' atoms by brute force: T is
// isolated when removing it lowers the rank of the published groups × atoms matrix (rank
// modulo the prime 2^31−1, not the package's prime). Three attacks are built on purpose, then
// many random surveys with a fixed seed; each is also analysed with the check turned off, to
// show that rules a and b alone leak on them.

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

var attackCasesFlag = flag.Int("attack.cases", 0, "random surveys TestAttributesAttackRandom builds (0: its default)")

// attackAttrQuestionnaire is the attack questionnaire (audit_gen_test.go) with two attributes of
// three options and the given tree of top sections (each with its children, none for a leaf).
func attackAttrQuestionnaire(tb testing.TB, tree map[string][]string, order []string) *survey.Questionnaire {
	tb.Helper()
	q := attackQuestionnaire(tb, "x")
	text := func(s string) survey.Text { return survey.Text{JA: s, EN: s} }
	q.Sections = nil
	for _, top := range order {
		s := survey.Section{Code: top, Name: text(top)}
		for _, c := range tree[top] {
			s.Children = append(s.Children, survey.Section{Code: c, Name: text(c)})
		}
		q.Sections = append(q.Sections, s)
	}
	opts := func(ids ...string) []survey.Option {
		var out []survey.Option
		for _, id := range ids {
			out = append(out, survey.Option{ID: id, Label: text(id)})
		}
		return out
	}
	q.Attributes = []survey.Attribute{
		{ID: "rank", Title: text("職層"), Options: opts("staff", "chief", "manager")},
		{ID: "age", Title: text("年代"), Options: opts("young", "middle", "senior")},
	}
	if err := q.Validate(); err != nil {
		tb.Fatal(err)
	}
	return q
}

// person is one respondent of an attack: leaf, rank and age (option index or NA).
func person(rng *rand.Rand, q *survey.Questionnaire, leaf string, rank, age int8) *survey.Response {
	r := survey.NewResponse(q, leaf)
	for i := range r.Answers {
		if rng.IntN(20) > 0 {
			r.Answers[i] = int8(1 + rng.IntN(5))
		}
	}
	r.Satisfaction, r.ENPS = int8(1+rng.IntN(5)), int8(rng.IntN(11))
	r.Attributes = []int8{rank, age}
	return r
}

// auditUnit is one metric for the auditor: who is in its respondent set, and whether a group's
// JSON publishes its numbers.
type auditUnit struct {
	name      string
	member    func(r int) bool
	published func(g map[string]any) bool
}

// attrAuditor holds what the attacker knows about a survey's respondents.
type attrAuditor struct {
	q     *survey.Questionnaire
	k     int
	rs    []*survey.Response
	leafs []int // per respondent: its node
	tree  *survey.Tree
	units []auditUnit
}

func newAttrAuditor(q *survey.Questionnaire, rs []*survey.Response) *attrAuditor {
	a := &attrAuditor{q: q, k: q.MinGroupSize(), rs: rs, tree: q.OrgTree()}
	for _, r := range rs {
		i, _ := a.tree.Index(r.Section)
		a.leafs = append(a.leafs, i)
	}
	p := q.Scale.Points
	// Per respondent and category: defined score (at least half the items answered).
	start := 0
	defined := make([][]bool, len(rs))
	answered := make([][]bool, len(rs)) // per respondent, per item
	for ri, r := range rs {
		start = 0
		for _, c := range q.Categories {
			n := 0
			for j := range c.Items {
				v := r.Answers[start+j]
				ok := v >= 1 && int(v) <= p
				answered[ri] = append(answered[ri], ok)
				if ok {
					n++
				}
			}
			defined[ri] = append(defined[ri], n > 0 && n >= (len(c.Items)+1)/2)
			start += len(c.Items)
		}
	}
	active := func(r int) bool {
		m, i := false, false
		mAll, iAll := true, true
		for c, cat := range q.Categories {
			switch cat.Axis {
			case survey.AxisMotivation:
				m, mAll = true, mAll && defined[r][c]
			case survey.AxisCohesion:
				i, iAll = true, iAll && defined[r][c]
			}
		}
		return m && i && mAll && iAll
	}
	inCat := func(r, c int) bool {
		return defined[r][c] && (q.Categories[c].Axis == "" || active(r))
	}
	cat := func(g map[string]any, id string) map[string]any {
		cs, _ := g["categories"].(map[string]any)
		c, _ := cs[id].(map[string]any)
		return c
	}
	start = 0
	for c, category := range q.Categories {
		a.units = append(a.units, auditUnit{name: category.ID,
			member:    func(r int) bool { return inCat(r, c) },
			published: func(g map[string]any) bool { return cat(g, category.ID)["score"] != nil }})
		for j, it := range category.Items {
			idx := start + j
			a.units = append(a.units, auditUnit{name: it.ID,
				member: func(r int) bool { return inCat(r, c) && answered[r][idx] },
				published: func(g map[string]any) bool {
					items, _ := cat(g, category.ID)["items"].([]any)
					return j < len(items) && items[j].(map[string]any)["favourable"] != nil
				}})
		}
		start += len(category.Items)
	}
	a.units = append(a.units,
		auditUnit{name: "satisfaction", member: func(r int) bool { return rs[r].Satisfaction >= 1 },
			published: func(g map[string]any) bool { m, _ := g["satisfaction"].(map[string]any); return m["score"] != nil }},
		auditUnit{name: "enps", member: func(r int) bool { return rs[r].ENPS >= 0 },
			published: func(g map[string]any) bool { m, _ := g["enps"].(map[string]any); return m["score"] != nil }},
		auditUnit{name: "activity", member: active,
			published: func(g map[string]any) bool { m, _ := g["activity"].(map[string]any); return m["index"] != nil }})
	return a
}

// inSection reports whether respondent r is in section code's subtree.
func (a *attrAuditor) inSection(r int, code string) bool {
	target, _ := a.tree.Index(code)
	for i := a.leafs[r]; i >= 0; i = a.tree.Parent[i] {
		if i == target {
			return true
		}
	}
	return false
}

// leaks returns, per metric, the smallest set of respondents the published numbers of report
// (the JSON of one survey) isolate, as "metric: n respondents".
func (a *attrAuditor) leaks(report map[string]any) []string {
	var out []string
	for _, u := range a.units {
		var groups [][]bool // published groups: membership per respondent
		add := func(in func(r int) bool) {
			m := make([]bool, len(a.rs))
			for r := range a.rs {
				m[r] = u.member(r) && in(r)
			}
			groups = append(groups, m)
		}
		for _, g := range report["groups"].([]any) {
			g := g.(map[string]any)
			if u.published(g) {
				code := g["section"].(string)
				add(func(r int) bool { return a.inSection(r, code) })
			}
		}
		attrs, _ := report["attributes"].([]any)
		for j, at := range attrs {
			for o, g := range at.(map[string]any)["groups"].([]any) {
				if u.published(g.(map[string]any)) {
					add(func(r int) bool { return a.rs[r].Attributes[j] == int8(o) })
				}
			}
		}
		if n := smallestIsolated(groups, len(a.rs), a.k); n > 0 {
			out = append(out, fmt.Sprintf("%s: %d respondents", u.name, n))
		}
	}
	return out
}

// smallestIsolated returns the size of the smallest set of 1..k−1 respondents some combination
// of the groups isolates, or 0, by trying every union of atoms of at most k−1 respondents.
func smallestIsolated(groups [][]bool, n, k int) int {
	atomOf := map[string]int{}
	var cols [][]int64
	var sizes []int
	for r := range n {
		key := make([]byte, len(groups))
		in := false
		for g := range groups {
			if groups[g][r] {
				key[g], in = 1, true
			}
		}
		if !in {
			continue
		}
		i, ok := atomOf[string(key)]
		if !ok {
			i = len(cols)
			atomOf[string(key)] = i
			col := make([]int64, len(groups))
			for g := range key {
				col[g] = int64(key[g])
			}
			cols = append(cols, col)
			sizes = append(sizes, 0)
		}
		sizes[i]++
	}
	full := rankMod31(cols, nil)
	best := 0
	drop := make([]bool, len(cols))
	var try func(from, w int)
	try = func(from, w int) {
		for i := from; i < len(cols); i++ {
			if w+sizes[i] > k-1 || best > 0 && w+sizes[i] >= best {
				continue
			}
			drop[i] = true
			if rankMod31(cols, drop) < full {
				best = w + sizes[i]
			} else {
				try(i+1, w+sizes[i])
			}
			drop[i] = false
		}
	}
	try(0, 0)
	return best
}

// rankMod31 is the rank modulo 2^31−1 of the columns not dropped.
func rankMod31(cols [][]int64, drop []bool) int {
	const p = 1<<31 - 1
	var m [][]int64
	for i, c := range cols {
		if drop == nil || !drop[i] {
			m = append(m, slices.Clone(c))
		}
	}
	if len(m) == 0 {
		return 0
	}
	inv := func(a int64) int64 {
		r, e := int64(1), int64(p-2)
		for a %= p; e > 0; e >>= 1 {
			if e&1 == 1 {
				r = r * a % p
			}
			a = a * a % p
		}
		return r
	}
	rank, rows := 0, len(m[0])
	for col := 0; col < rows && rank < len(m); col++ { // eliminate on the transposed matrix
		piv := -1
		for i := rank; i < len(m); i++ {
			if m[i][col]%p != 0 {
				piv = i
				break
			}
		}
		if piv < 0 {
			continue
		}
		m[rank], m[piv] = m[piv], m[rank]
		f := inv(m[rank][col])
		for i := rank + 1; i < len(m); i++ {
			if x := m[i][col] % p; x != 0 {
				c := x * f % p
				for j := col; j < rows; j++ {
					m[i][j] = ((m[i][j]-c*m[rank][j])%p + p) % p
				}
			}
		}
		rank++
	}
	return rank
}

// analyseBoth returns the JSON of q's report with the check and, when it withheld something,
// without it.
func analyseBoth(t *testing.T, q *survey.Questionnaire, rs []*survey.Response) (with, without map[string]any, res *analysis.SurveyResult) {
	t.Helper()
	res = analysis.Analyze(q, rs)
	with = decode(t, res).(map[string]any)
	restore := analysis.SkipDisclosureCheck()
	defer restore()
	without = decode(t, analysis.Analyze(q, rs)).(map[string]any)
	return with, without, res
}

// build makes the respondents of an attack: per leaf, a list of (rank, age, count).
type cohort struct {
	leaf      string
	rank, age int8
	n         int
}

func buildAttack(q *survey.Questionnaire, seed uint64, cs []cohort) []*survey.Response {
	rng := rand.New(rand.NewPCG(seed, 1))
	var rs []*survey.Response
	for _, c := range cs {
		for range c.n {
			age := c.age
			if age == -2 { // any: drawn at random
				age = int8(rng.IntN(3))
			}
			rs = append(rs, person(rng, q, c.leaf, c.rank, age))
		}
	}
	rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	return rs
}

// TestAttributesAttacks builds the three attacks of docs/analysis.md, "Attributes": under rules
// a and b alone the auditor isolates a few people; with the check nothing, and an option is
// withheld with its reason.
func TestAttributesAttacks(t *testing.T) {
	const staff, chief, manager, young, middle, senior, anyAge = 0, 1, 2, 0, 1, 2, -2
	flat := map[string][]string{}
	tests := []struct {
		name    string
		tree    map[string][]string
		order   []string
		cohorts []cohort
		leak    int // the smallest set rules a and b alone let the auditor isolate; 0: none
	}{
		// Section a is 12 people, 10 of them managers, and nobody else is a manager:
		// a − manager gives the other 2 people's answers.
		{"option nearly equals a section", flat, []string{"a", "b", "c"}, []cohort{
			{"a", manager, anyAge, 10}, {"a", staff, anyAge, 2},
			{"b", staff, anyAge, 6}, {"b", chief, anyAge, 5}, {"c", staff, anyAge, 5}, {"c", chief, anyAge, 6},
		}, 2},
		// Three managers: rule a withholds the option, so it cannot be subtracted.
		{"option of 1–4 people", flat, []string{"a", "b", "c"}, []cohort{
			{"a", manager, anyAge, 3}, {"a", staff, anyAge, 7},
			{"b", staff, anyAge, 6}, {"b", chief, anyAge, 5}, {"c", staff, anyAge, 5}, {"c", chief, anyAge, 6},
		}, 0},
		// Subtree s (s1 + s2, 17 people) holds all 7 managers and all 8 seniors, different
		// people, and 2 others: s − manager − senior gives those 2.
		{"two options nearly equal a subtree", map[string][]string{"s": {"s1", "s2"}}, []string{"s", "t", "u"}, []cohort{
			{"s1", manager, middle, 4}, {"s1", staff, senior, 4}, {"s1", chief, young, 1},
			{"s2", manager, young, 3}, {"s2", chief, senior, 4}, {"s2", staff, middle, 1},
			{"t", staff, young, 5}, {"t", chief, middle, 5}, {"u", staff, middle, 6}, {"u", chief, young, 4},
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := attackAttrQuestionnaire(t, tt.tree, tt.order)
			rs := buildAttack(q, 7, tt.cohorts)
			with, without, res := analyseBoth(t, q, rs)
			au := newAttrAuditor(q, rs)
			before := au.leaks(without)
			// Everybody answers satisfaction, so its respondents are exactly the groups'.
			sat := 0
			for _, l := range before {
				fmt.Sscanf(l, "satisfaction: %d", &sat)
			}
			if sat != tt.leak {
				t.Errorf("rules a and b alone: the auditor isolates %v; want satisfaction over %d", before, tt.leak)
			}
			if after := au.leaks(with); len(after) > 0 {
				t.Errorf("with the check the auditor still isolates %v", after)
			}
			if tt.leak > 0 && len(res.Disclosure.Withheld) == 0 {
				t.Error("the check withheld nothing")
			}
			for _, at := range res.Attributes {
				for _, g := range at.Groups {
					if g.Suppressed && g.Reason == "" || !g.Suppressed && g.Reason != "" {
						t.Errorf("%s=%s: suppressed %v with reason %q", at.ID, g.Option, g.Suppressed, g.Reason)
					}
				}
			}
			if tt.leak == 0 {
				if g := res.Attribute("rank").Option("manager"); !g.Suppressed || g.Reason != analysis.ReasonMinGroup || g.Categories != nil {
					t.Errorf("manager of 3: %+v; want suppressed by rule a with n only", g)
				}
			}
			t.Logf("withheld %v; rules a and b alone: %v", res.Disclosure.Withheld, before)
		})
	}
}

// TestAttributesAttackRandom runs the auditor over many random small surveys (fixed seed) in
// which options follow sections closely, as 職層 does in small teams: with the check it must
// isolate nobody, ever; without it, it does in some, which shows the surveys are worth testing.
func TestAttributesAttackRandom(t *testing.T) {
	cases := 60
	if testing.Short() {
		cases = 15
	}
	if *attackCasesFlag > 0 {
		cases = *attackCasesFlag
	}
	rng := rand.New(rand.NewPCG(20261204, 21))
	var leakyWithout, withheld, options, searched, peeled, needless int
	for c := range cases {
		tree := map[string][]string{}
		var order []string
		for s := range 2 + rng.IntN(2) {
			top := fmt.Sprintf("s%d", s)
			order = append(order, top)
			for ch := range rng.IntN(3) {
				if ch == 1 && rng.IntN(2) == 0 {
					break
				}
				tree[top] = append(tree[top], fmt.Sprintf("%s-%d", top, ch))
			}
		}
		q := attackAttrQuestionnaire(t, tree, order)
		var rs []*survey.Response
		for _, leaf := range q.Leaves() {
			dominant := int8(rng.IntN(3))
			for range 3 + rng.IntN(10) {
				rank, age := dominant, int8(rng.IntN(3))
				if rng.IntN(4) == 0 {
					rank = int8(rng.IntN(3))
				}
				if rng.IntN(12) == 0 {
					rank = survey.NA
				}
				if rng.IntN(12) == 0 {
					age = survey.NA
				}
				rs = append(rs, person(rng, q, leaf, rank, age))
			}
		}
		with, without, res := analyseBoth(t, q, rs)
		au := newAttrAuditor(q, rs)
		if l := au.leaks(with); len(l) > 0 {
			t.Errorf("survey %d (%d respondents): the auditor isolates %v", c, len(rs), l)
		}
		leaky := len(au.leaks(without)) > 0
		if leaky {
			leakyWithout++
		} else if len(res.Disclosure.Withheld) > 0 {
			needless++
		}
		if len(res.Disclosure.Withheld) > 0 {
			withheld++
			options += len(res.Disclosure.Withheld)
		}
		searched += res.Disclosure.Searched
		peeled += res.Disclosure.Peeled
	}
	t.Logf("%d random surveys: rules a and b alone leaked in %d; the check withheld %d options in %d surveys (%d of them leaked nothing without it; %d checks by disjoint bases, %d searched); with it the auditor isolated nobody",
		cases, leakyWithout, options, withheld, needless, peeled, searched)
	if leakyWithout == 0 {
		t.Error("no random survey leaks under rules a and b alone: the generator tests nothing")
	}
}
