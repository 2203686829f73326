package analysis_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// newQuestionnaire returns a small valid questionnaire with minimum group size k:
// motivation (m1, m2), cohesion (i1, i2), work (w1, w2 reverse-keyed, w3), both outcomes, one
// comment, and the given sections (default: one section "a" with leaves "a1" and "a2", and a
// leaf "b").
func newQuestionnaire(tb testing.TB, year, k int, sections ...survey.Section) *survey.Questionnaire {
	tb.Helper()
	text := func(s string) survey.Text { return survey.Text{JA: s, EN: s} }
	if sections == nil {
		sections = []survey.Section{
			{Code: "a", Name: text("A"), Children: []survey.Section{{Code: "a1", Name: text("A1")}, {Code: "a2", Name: text("A2")}}},
			{Code: "b", Name: text("B")},
		}
	}
	q := &survey.Questionnaire{
		ID: fmt.Sprintf("test-%d", year), Year: year, Title: text("test"),
		Scale:     survey.Scale{Points: 5, Labels: survey.Texts{JA: []string{"1", "2", "3", "4", "5"}}, NotApplicable: text("NA")},
		Anonymity: survey.Anonymity{MinGroupSize: k, MinCommentGroupSize: k},
		Activity:  survey.Activity{Cutoff: 62.5},
		Categories: []survey.Category{
			{ID: "motivation", Title: text("M"), Axis: survey.AxisMotivation, Items: []survey.Item{{ID: "m1", Text: text("m1")}, {ID: "m2", Text: text("m2")}}},
			{ID: "cohesion", Title: text("I"), Axis: survey.AxisCohesion, Items: []survey.Item{{ID: "i1", Text: text("i1")}, {ID: "i2", Text: text("i2")}}},
			{ID: "work", Title: text("W"), Items: []survey.Item{{ID: "w1", Text: text("w1")}, {ID: "w2", Text: text("w2"), Reverse: true}, {ID: "w3", Text: text("w3")}}},
		},
		Outcomes: survey.Outcomes{Satisfaction: &survey.Outcome{ID: "overall", Text: text("o")}, ENPS: &survey.Outcome{ID: "enps", Text: text("e")}},
		Comments: []survey.Comment{{ID: "free", Text: text("c"), MaxLength: 100}},
		Sections: sections,
	}
	if err := q.Validate(); err != nil {
		tb.Fatal(err)
	}
	return q
}

// na stands for a not-applicable answer in the tables below.
const na = survey.NA

// answer returns a response of section with the seven item answers m1 m2 i1 i2 w1 w2 w3 (raw,
// before reversal), satisfaction and eNPS.
func answer(section string, items [7]int8, sat, enps int8) *survey.Response {
	return &survey.Response{Section: section, Answers: items[:], Satisfaction: sat, ENPS: enps, Comments: []string{""}}
}

// repeat returns n copies of r.
func repeat(n int, r *survey.Response) []*survey.Response {
	out := make([]*survey.Response, n)
	for i := range out {
		c := *r
		out[i] = &c
	}
	return out
}

func ptr(x float64) *float64 { return &x }

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 1e-9
}

func show(x *float64) string {
	if x == nil {
		return "null"
	}
	return fmt.Sprint(*x)
}

func TestCategoryEdgeCases(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5)
	tests := []struct {
		name      string
		responses []*survey.Response
		category  string
		want      analysis.Category
	}{
		{
			// everyone answered 「該当しない」 to the work items: the group is shown, the
			// category has n 0 and nothing else
			name:      "all not applicable",
			responses: repeat(6, answer("b", [7]int8{4, 4, 4, 4, na, na, na}, 4, 9)),
			category:  "work",
			want:      analysis.Category{N: 0},
		},
		{
			// zero variance: sd 0, an empty interval, α undefined
			name:      "identical answers",
			responses: repeat(6, answer("b", [7]int8{4, 4, 4, 4, 4, 2, 4}, 4, 9)),
			category:  "work",
			want:      analysis.Category{N: 6, Score: ptr(75), Favourable: ptr(100), SD: ptr(0), CILow: ptr(75), CIHigh: ptr(75)},
		},
		{
			// w2 is reverse-keyed: a raw 1 is a 5, so these respondents are all 100 and favourable
			name:      "reverse-keyed",
			responses: repeat(5, answer("b", [7]int8{4, 4, 4, 4, 5, 1, 5}, 4, 9)),
			category:  "work",
			want:      analysis.Category{N: 5, Score: ptr(100), Favourable: ptr(100), SD: ptr(0), CILow: ptr(100), CIHigh: ptr(100)},
		},
		{
			// two of three items are enough for a score (ceil(3/2) = 2); one is not, and its
			// answer counts nowhere, favourable included: favourable is over the category's
			// respondents only (§6.2), else 6/11 beside n 5 would give away the sixth answer
			name: "half answered",
			responses: slices.Concat(
				repeat(5, answer("b", [7]int8{4, 4, 4, 4, 5, na, 3}, 4, 9)),  // score 75
				repeat(1, answer("b", [7]int8{4, 4, 4, 4, 5, na, na}, 4, 9)), // no score
			),
			category: "work",
			want: analysis.Category{N: 5, Score: ptr(75), Favourable: ptr(100 * 5.0 / 10), SD: ptr(0), CILow: ptr(75), CIHigh: ptr(75),
				Alpha: nil}, // nobody answered all three
		},
		{
			// α needs k respondents who answered every item (§6.5c), not two: here 6 have a
			// score but only 4 answered all three items, so α is null while the rest is shown
			name: "alpha over fewer than the minimum",
			responses: slices.Concat(
				repeat(2, answer("b", [7]int8{4, 4, 4, 4, 5, 1, 5}, 4, 9)),
				repeat(2, answer("b", [7]int8{4, 4, 4, 4, 3, 3, 4}, 4, 9)),
				repeat(2, answer("b", [7]int8{4, 4, 4, 4, 5, na, 5}, 4, 9)),
			),
			category: "work",
			// scores 100, 100, 58⅓, 58⅓, 100, 100; t(0.975, 5)·sd/√6 = 22.58
			want: analysis.Category{N: 6, Score: ptr(775.0 / 9), Favourable: ptr(100 * 12.0 / 16), SD: ptr(21.51657414559676),
				CILow: ptr(63.53085135425738), CIHigh: ptr(108.69137086796485)},
		},
		{
			// fewer respondents with a score than the minimum: n only, although the group is shown
			name: "category below the minimum",
			responses: slices.Concat(
				repeat(4, answer("b", [7]int8{4, 4, 4, 4, 5, 1, 5}, 4, 9)),
				repeat(2, answer("b", [7]int8{4, 4, 4, 4, na, na, 5}, 4, 9)),
			),
			category: "work",
			want:     analysis.Category{N: 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := analysis.Analyze(q, tt.responses)
			g := res.Group("b")
			if !g.Shown() {
				t.Fatalf("group b: got suppressed=%v n=%d; want shown", g.Suppressed, g.N)
			}
			got := g.Categories[tt.category]
			if got.N != tt.want.N || !near(got.Score, tt.want.Score) || !near(got.Favourable, tt.want.Favourable) ||
				!near(got.SD, tt.want.SD) || !near(got.CILow, tt.want.CILow) || !near(got.CIHigh, tt.want.CIHigh) || !near(got.Alpha, tt.want.Alpha) {
				t.Errorf("got n=%d score=%s fav=%s sd=%s ci=[%s, %s] alpha=%s; want n=%d score=%s fav=%s sd=%s ci=[%s, %s] alpha=%s",
					got.N, show(got.Score), show(got.Favourable), show(got.SD), show(got.CILow), show(got.CIHigh), show(got.Alpha),
					tt.want.N, show(tt.want.Score), show(tt.want.Favourable), show(tt.want.SD), show(tt.want.CILow), show(tt.want.CIHigh), show(tt.want.Alpha))
			}
		})
	}
}

func TestGroupSizes(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5)
	r := answer("", [7]int8{4, 3, 5, 2, 4, 2, 4}, 4, 8)
	at := func(section string, n int) []*survey.Response {
		c := *r
		c.Section = section
		return repeat(n, &c)
	}
	tests := []struct {
		name       string
		responses  []*survey.Response
		n          map[string]int
		suppressed []string
		drivers    int // number of drivers listed
	}{
		{
			// a1 alone is hidden by (a); then a's remainder (a1) is 1, so a2 goes; then all's
			// remainder is b's... b is shown and all − a − b = 0: nothing more
			name:       "one respondent",
			responses:  slices.Concat(at("a1", 1), at("a2", 6), at("b", 7)),
			n:          map[string]int{"all": 14, "a": 7, "a1": 1, "a2": 6, "b": 7},
			suppressed: []string{"a1", "a2"},
			drivers:    1,
		},
		{
			// an empty section is neither suppressed nor shown, and hides nothing
			name:       "zero respondents",
			responses:  slices.Concat(at("a1", 6), at("a2", 6)),
			n:          map[string]int{"all": 12, "a": 12, "a1": 6, "a2": 6, "b": 0},
			suppressed: nil,
			drivers:    1,
		},
		{
			name:       "no responses at all",
			responses:  nil,
			n:          map[string]int{"all": 0, "a": 0, "a1": 0, "a2": 0, "b": 0},
			suppressed: nil,
			drivers:    1,
		},
		{
			// the whole organisation below the minimum: nothing at all, not even drivers
			name:       "root suppressed",
			responses:  at("b", 4),
			n:          map[string]int{"all": 4, "a": 0, "a1": 0, "a2": 0, "b": 4},
			suppressed: []string{"all", "b"},
			drivers:    0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := analysis.Analyze(q, tt.responses)
			var suppressed []string
			for _, g := range res.Groups {
				if g.N != tt.n[g.Section] {
					t.Errorf("%s: got n %d; want %d", g.Section, g.N, tt.n[g.Section])
				}
				if g.Suppressed {
					suppressed = append(suppressed, g.Section)
				}
				if !g.Shown() && (g.Categories != nil || g.Satisfaction != nil || g.ENPS != nil || g.Activity != nil) {
					t.Errorf("%s (n %d, suppressed %v): got metrics; want none", g.Section, g.N, g.Suppressed)
				}
				if g.Shown() && (g.Categories == nil || g.Satisfaction == nil || g.ENPS == nil || g.Activity == nil) {
					t.Errorf("%s: got missing metrics; want all", g.Section)
				}
			}
			if !slices.Equal(suppressed, tt.suppressed) {
				t.Errorf("got suppressed %v; want %v", suppressed, tt.suppressed)
			}
			if len(res.Drivers) != tt.drivers {
				t.Errorf("got %d drivers; want %d", len(res.Drivers), tt.drivers)
			}
			if _, err := json.Marshal(analysis.Build(res)); err != nil {
				t.Errorf("json: got %v; want no error", err)
			}
		})
	}
}

func TestDrivers(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5)
	tests := []struct {
		name      string
		responses []*survey.Response
		n         int
		r         *float64
	}{
		{
			// everyone alike: no variance, no correlation
			name:      "identical answers",
			responses: repeat(8, answer("b", [7]int8{4, 4, 4, 4, 4, 2, 4}, 4, 9)),
			n:         8, r: nil,
		},
		{
			// work and activity move together exactly
			name: "perfect",
			responses: slices.Concat(
				repeat(3, answer("b", [7]int8{2, 2, 2, 2, 2, 4, 2}, 4, 9)),
				repeat(3, answer("b", [7]int8{4, 4, 4, 4, 4, 2, 4}, 4, 9)),
			),
			n: 6, r: ptr(1),
		},
		{
			// no work scores: nobody has both
			name:      "category not applicable",
			responses: repeat(6, answer("b", [7]int8{4, 4, 4, 4, na, na, na}, 4, 9)),
			n:         0, r: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := analysis.Analyze(q, tt.responses).Drivers
			if len(d) != 1 || d[0].Category != "work" || d[0].N != tt.n || !near(d[0].R, tt.r) {
				t.Errorf("got %+v (r %s); want work n=%d r=%s", d, show(d[0].R), tt.n, show(tt.r))
			}
		})
	}
}

func TestMinGroupSizeFloor(t *testing.T) {
	tests := []struct{ set, want int }{
		{0, survey.DefaultMinGroupSize}, // unset: the default
		{2, survey.MinAllowedGroupSize}, // too small: never below the floor
		{5, 5},
		{12, 12},
	}
	for _, tt := range tests {
		q := newQuestionnaire(t, 2025, 5)
		q.Anonymity.MinGroupSize = tt.set
		if got := analysis.Analyze(q, nil).MinGroupSize; got != tt.want {
			t.Errorf("min_group_size %d: got %d; want %d", tt.set, got, tt.want)
		}
	}
}

func TestOutcomesAndActivity(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5)
	rs := []*survey.Response{
		// M 100, I 100: active
		answer("b", [7]int8{5, 5, 5, 5, 3, 3, 3}, 5, 10),
		// M 75, I 50: work-focused
		answer("b", [7]int8{4, 4, 3, 3, 3, 3, 3}, 4, 9),
		// M 50, I 62.5 (exactly the cutoff counts as high): belonging-dependent
		answer("b", [7]int8{3, 3, 4, 3, 3, 3, 3}, 3, 7),
		// M 25, I 25: stagnant
		answer("b", [7]int8{2, 2, 2, 2, 3, 3, 3}, 2, 0),
		// no cohesion: no activity; satisfaction and eNPS not answered
		answer("b", [7]int8{2, 2, na, na, 3, 3, 3}, na, na),
		// M 62.5, I 62.5: active
		answer("b", [7]int8{4, 3, 3, 4, 3, 3, 3}, 1, 6),
	}
	g := analysis.Analyze(q, rs).Group("b")
	sat, enps, act := g.Satisfaction, g.ENPS, g.Activity
	if sat.N != 5 || !near(sat.Score, ptr((100+75+50+25+0)/5.0)) || !near(sat.Favourable, ptr(40)) {
		t.Errorf("satisfaction: got n=%d score=%s fav=%s; want n=5 score=50 fav=40", sat.N, show(sat.Score), show(sat.Favourable))
	}
	// promoters 10, 9; passive 7; detractors 0, 6
	if enps.N != 5 || !near(enps.Score, ptr(0)) {
		t.Errorf("enps: got n=%d score=%s; want n=5 score=0", enps.N, show(enps.Score))
	}
	wantTypes := analysis.Types{Active: 40, WorkFocused: 20, BelongingDependent: 20, Stagnant: 20}
	if act.N != 5 || act.Types == nil || *act.Types != wantTypes {
		t.Errorf("activity types: got n=%d %+v; want n=5 %+v", act.N, act.Types, wantTypes)
	}
	m, i := (100+75+50+25+62.5)/5, (100+50+62.5+25+62.5)/5
	if !near(act.Motivation, &m) || !near(act.Cohesion, &i) || !near(act.Index, ptr((m+i)/2)) {
		t.Errorf("activity: got M=%s I=%s index=%s; want %v %v %v", show(act.Motivation), show(act.Cohesion), show(act.Index), m, i, (m+i)/2)
	}
	if act.Type == nil || *act.Type != analysis.TypeOf(m, i, 62.5) {
		t.Errorf("type: got %v; want %v", act.Type, analysis.TypeOf(m, i, 62.5))
	}
}

func TestTypeOf(t *testing.T) {
	tests := []struct {
		m, i float64
		want analysis.Type
	}{
		{62.5, 62.5, analysis.TypeActive}, // the cutoff itself is high
		{80, 40, analysis.TypeWorkFocused},
		{40, 80, analysis.TypeBelongingDependent},
		{62.49, 62.49, analysis.TypeStagnant},
	}
	for _, tt := range tests {
		if got := analysis.TypeOf(tt.m, tt.i, 62.5); got != tt.want {
			t.Errorf("TypeOf(%v, %v): got %v; want %v", tt.m, tt.i, got, tt.want)
		}
	}
}

// randomResponses returns n responses with correlated, partly missing answers.
func randomResponses(q *survey.Questionnaire, rng *rand.Rand, n int) []*survey.Response {
	leaves := q.Leaves()
	var out []*survey.Response
	for range n {
		r := survey.NewResponse(q, leaves[rng.IntN(len(leaves))])
		z := rng.NormFloat64()
		for i := range r.Answers {
			if rng.IntN(10) == 0 {
				continue
			}
			r.Answers[i] = int8(min(5, max(1, math.Round(3+z+rng.NormFloat64()))))
		}
		if rng.IntN(8) != 0 {
			r.Satisfaction = int8(1 + rng.IntN(5))
		}
		if rng.IntN(8) != 0 {
			r.ENPS = int8(rng.IntN(11))
		}
		out = append(out, r)
	}
	return out
}

// TestAgainstBatch recomputes the root's numbers the slow way, with gonum on slices, and
// compares them with the streaming accumulator.
func TestAgainstBatch(t *testing.T) {
	twoAxes := newQuestionnaire(t, 2025, 5)
	text := survey.Text{JA: "g"}
	// a second motivation category of three items: respondent M is a mean of two scores
	twoAxes.Categories = slices.Insert(twoAxes.Categories, 1, survey.Category{ID: "growth", Title: text, Axis: survey.AxisMotivation,
		Items: []survey.Item{{ID: "g1", Text: text}, {ID: "g2", Text: text, Reverse: true}, {ID: "g3", Text: text}}})
	// a motivation category of 30 items has no small common denominator: the float fallback
	wide := newQuestionnaire(t, 2025, 5)
	for i := range 28 {
		wide.Categories[0].Items = append(wide.Categories[0].Items, survey.Item{ID: fmt.Sprintf("m%d", i+3), Text: text})
	}
	for i, q := range []*survey.Questionnaire{newQuestionnaire(t, 2025, 5), twoAxes, wide} {
		t.Run(fmt.Sprint(i), func(t *testing.T) { testAgainstBatch(t, q) })
	}
}

func testAgainstBatch(t *testing.T, q *survey.Questionnaire) {
	rng := rand.New(rand.NewPCG(1, 2))
	rs := randomResponses(q, rng, 2000)
	res := analysis.Analyze(q, rs)
	root := res.Group(survey.Root)

	// Per respondent and category: the values after reversal, and the score when defined.
	type cell struct {
		vals    []float64
		score   float64
		defined bool
	}
	cells := make([]map[string]cell, len(rs))
	start := 0
	for _, c := range q.Categories {
		for r, resp := range rs {
			var x cell
			for j, it := range c.Items {
				v := resp.Answers[start+j]
				if v == na {
					continue
				}
				if it.Reverse {
					v = 6 - v
				}
				x.vals = append(x.vals, float64(v))
			}
			if x.defined = len(x.vals) >= (len(c.Items)+1)/2; x.defined {
				x.score = (stat.Mean(x.vals, nil) - 1) / 4 * 100
			}
			if cells[r] == nil {
				cells[r] = map[string]cell{}
			}
			cells[r][c.ID] = x
		}
		start += len(c.Items)
	}
	// §6.3: M and I need every category of their axis; activity respondents need both.
	axisMean := func(r int, axis string) (float64, bool) {
		var xs []float64
		for _, c := range q.Categories {
			if c.Axis != axis {
				continue
			}
			if !cells[r][c.ID].defined {
				return 0, false
			}
			xs = append(xs, cells[r][c.ID].score)
		}
		return stat.Mean(xs, nil), len(xs) > 0
	}
	active := make([]bool, len(rs))
	var ms, is []float64
	types := map[analysis.Type]float64{}
	for r := range rs {
		m, okm := axisMean(r, survey.AxisMotivation)
		i, oki := axisMean(r, survey.AxisCohesion)
		if active[r] = okm && oki; active[r] {
			ms, is = append(ms, m), append(is, i)
			types[analysis.TypeOf(m, i, 62.5)]++
		}
	}
	// §6.2: a category on an axis is over the activity respondents, one without over its own.
	for _, c := range q.Categories {
		var scores []float64
		var complete [][]float64 // per respondent, per item
		var fav, answered float64
		for r := range rs {
			x := cells[r][c.ID]
			if !x.defined || c.Axis != "" && !active[r] {
				continue
			}
			scores = append(scores, x.score)
			for _, v := range x.vals {
				answered++
				if v >= 4 {
					fav++
				}
			}
			if len(x.vals) == len(c.Items) {
				complete = append(complete, x.vals)
			}
		}
		got := root.Categories[c.ID]
		mean, sd := stat.Mean(scores, nil), stat.StdDev(scores, nil)
		if got.N != len(scores) || !near(got.Score, &mean) || !near(got.SD, &sd) || !near(got.Favourable, ptr(100*fav/answered)) {
			t.Errorf("%s: got n=%d score=%s sd=%s favourable=%s; want n=%d score=%v sd=%v favourable=%v", c.ID, got.N,
				show(got.Score), show(got.SD), show(got.Favourable), len(scores), mean, sd, 100*fav/answered)
		}
		// Cronbach's α from item and total variances
		k := float64(len(c.Items))
		var sumVar float64
		totals := make([]float64, len(complete))
		for j := range c.Items {
			col := make([]float64, len(complete))
			for r := range complete {
				col[r] = complete[r][j]
				totals[r] += complete[r][j]
			}
			sumVar += stat.Variance(col, nil)
		}
		alpha := k / (k - 1) * (1 - sumVar/stat.Variance(totals, nil))
		if !near(got.Alpha, &alpha) {
			t.Errorf("%s: got alpha %s; want %v", c.ID, show(got.Alpha), alpha)
		}
	}
	act := root.Activity
	m, i := stat.Mean(ms, nil), stat.Mean(is, nil)
	if act.N != len(ms) || !near(act.Motivation, &m) || !near(act.Cohesion, &i) || !near(act.Index, ptr((m+i)/2)) {
		t.Errorf("activity: got n=%d M=%s I=%s index=%s; want n=%d M=%v I=%v index=%v",
			act.N, show(act.Motivation), show(act.Cohesion), show(act.Index), len(ms), m, i, (m+i)/2)
	}
	n := float64(len(ms))
	wantTypes := analysis.Types{Active: 100 * types[analysis.TypeActive] / n, WorkFocused: 100 * types[analysis.TypeWorkFocused] / n,
		BelongingDependent: 100 * types[analysis.TypeBelongingDependent] / n, Stagnant: 100 * types[analysis.TypeStagnant] / n}
	if *act.Types != wantTypes {
		t.Errorf("types: got %+v; want %+v", *act.Types, wantTypes)
	}
	// drivers: Pearson r of "work" against (M+I)/2
	var xs, ys []float64
	for r := range rs {
		if w := cells[r]["work"]; active[r] && w.defined {
			m, _ := axisMean(r, survey.AxisMotivation)
			i, _ := axisMean(r, survey.AxisCohesion)
			xs, ys = append(xs, w.score), append(ys, (m+i)/2)
		}
	}
	want := stat.Correlation(xs, ys, nil)
	if len(res.Drivers) != 1 || res.Drivers[0].N != len(xs) || !near(res.Drivers[0].R, &want) {
		t.Errorf("drivers: got %+v; want n=%d r=%v", res.Drivers, len(xs), want)
	}
}

// TestOrderIndependent checks that the order of responses, which the store randomises,
// changes no number beyond rounding and no type or suppression at all.
func TestOrderIndependent(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5)
	rng := rand.New(rand.NewPCG(3, 4))
	rs := randomResponses(q, rng, 500)
	a := analysis.Analyze(q, rs)
	rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	b := analysis.Analyze(q, rs)
	var diffs []string
	compareJSON("", decode(t, a), decode(t, b), &diffs)
	for _, d := range diffs {
		t.Error(d)
	}
}

// TestChangesSectionsChanged has a tree that changed between years: a2 was removed and c
// added. Changes match sections by code and skip what exists in one year only, and
// likewise for categories.
func TestChangesSectionsChanged(t *testing.T) {
	text := func(s string) survey.Text { return survey.Text{JA: s} }
	q1 := newQuestionnaire(t, 2025, 5)
	q2 := newQuestionnaire(t, 2026, 5,
		survey.Section{Code: "a", Name: text("A"), Children: []survey.Section{{Code: "a1", Name: text("A1")}}},
		survey.Section{Code: "b", Name: text("B")},
		survey.Section{Code: "c", Name: text("C")},
	)
	q2.Categories[2].ID = "work2" // renamed category: no change for it
	rng := rand.New(rand.NewPCG(5, 6))
	var rs1, rs2 []*survey.Response
	for _, sec := range []string{"a1", "a2", "b"} {
		for _, r := range randomResponses(q1, rng, 20) {
			r.Section = sec
			rs1 = append(rs1, r)
		}
	}
	for _, sec := range []string{"a1", "b", "c"} {
		for _, r := range randomResponses(q2, rng, 20) {
			r.Section = sec
			rs2 = append(rs2, r)
		}
	}
	r1, r2 := analysis.Analyze(q1, rs1), analysis.Analyze(q2, rs2)
	report := analysis.Build(r2, r1)
	if report.Surveys[0].Year != 2025 || report.Surveys[1].Year != 2026 {
		t.Fatalf("got years %d, %d; want 2025, 2026", report.Surveys[0].Year, report.Surveys[1].Year)
	}
	var got []string
	for _, c := range report.Changes {
		got = append(got, c.Section+"/"+c.Category)
		if c.From != 2025 || c.To != 2026 {
			t.Errorf("%s/%s: got %d→%d; want 2025→2026", c.Section, c.Category, c.From, c.To)
		}
		var want float64
		if c.Category == analysis.ActivityKey {
			want = *r2.Group(c.Section).Activity.Index - *r1.Group(c.Section).Activity.Index
		} else {
			want = *r2.Group(c.Section).Categories[c.Category].Score - *r1.Group(c.Section).Categories[c.Category].Score
		}
		if math.Abs(c.Delta-want) > 1e-9 || c.P == nil || *c.P < 0 || *c.P > 1 {
			t.Errorf("%s/%s: got delta %v p %s; want delta %v, 0 ≤ p ≤ 1", c.Section, c.Category, c.Delta, show(c.P), want)
		}
	}
	var want []string
	for _, s := range []string{"all", "a", "a1", "b"} { // not a2 (gone), not c (new)
		want = append(want, s+"/motivation", s+"/cohesion", s+"/activity")
	}
	if !slices.Equal(got, want) {
		t.Errorf("got changes %v; want %v", got, want)
	}
}

func TestComments(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5) // min_comment_group_size 5
	commented := func(section, text string, n int) []*survey.Response {
		r := answer(section, [7]int8{3, 3, 3, 3, 3, 3, 3}, na, na)
		r.Comments = []string{text}
		out := repeat(n, r)
		for i, r := range out {
			r.Comments = []string{fmt.Sprintf("%s %d", text, i)}
		}
		return out
	}
	tests := []struct {
		name      string
		responses []*survey.Response
		group     string
		want      int // comments shown; −1 for none allowed
	}{
		{"large enough", commented("b", "良い", 5), "b", 5},
		{"too small", commented("b", "良い", 4), "b", -1},
		{"whole organisation", slices.Concat(commented("a1", "x", 3), commented("b", "y", 3)), survey.Root, 6},
		{
			// a1 alone is too small and a2's comments would give a1's away by subtraction from a's
			name:      "remainder",
			responses: slices.Concat(commented("a1", "x", 3), commented("a2", "y", 6)),
			group:     "a2",
			want:      -1,
		},
		{"parent of the remainder", slices.Concat(commented("a1", "x", 3), commented("a2", "y", 6)), "a", 9},
		{"unknown group", commented("b", "良い", 5), "nowhere", -1},
		{
			// empty comments are not comments, but their writers are respondents
			name:      "empty comments",
			responses: slices.Concat(commented("b", "良い", 2), repeat(3, answer("b", [7]int8{3, 3, 3, 3, 3, 3, 3}, na, na))),
			group:     "b",
			want:      2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lists, ok := analysis.Comments(q, tt.group, tt.responses)
			got := -1
			if ok {
				got = len(lists[0].Texts)
				if lists[0].Question != "free" {
					t.Errorf("question: got %q; want free", lists[0].Question)
				}
			}
			if got != tt.want {
				t.Errorf("got %d comments; want %d", got, tt.want)
			}
		})
	}
}

func TestScanAll(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5)
	rs := randomResponses(q, rand.New(rand.NewPCG(9, 9)), 300)
	each := func(fn func(*survey.Response) error) error {
		r := &survey.Response{} // reused, as the store does
		var buf []int8
		for _, x := range rs {
			*r = *x
			buf = append(buf[:0], x.Answers...) // a buffer of this scan's own, never x's array
			r.Answers = buf
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	sources := []analysis.Source{{Questionnaire: q, Each: each}, {Questionnaire: q, Each: each}, {Questionnaire: q, Each: each}}
	results, err := analysis.ScanAll(sources, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := decode(t, analysis.Analyze(q, rs))
	for _, res := range results {
		var diffs []string
		compareJSON("", want, decode(t, res), &diffs)
		for _, d := range diffs {
			t.Error(d)
		}
	}
	fail := fmt.Errorf("disk on fire")
	_, err = analysis.ScanAll([]analysis.Source{{Questionnaire: q, Each: each}, {Questionnaire: q, Each: func(func(*survey.Response) error) error { return fail }}}, 2)
	if err != fail {
		t.Errorf("got error %v; want %v", err, fail)
	}
}

func TestHeatmapAndTrend(t *testing.T) {
	q1, q2 := newQuestionnaire(t, 2025, 5), newQuestionnaire(t, 2026, 5)
	rng := rand.New(rand.NewPCG(10, 10))
	r1 := analysis.Analyze(q1, randomResponses(q1, rng, 100))
	r2 := analysis.Analyze(q2, randomResponses(q2, rng, 100))
	h := r1.Heatmap()
	if !slices.Equal(h.Columns, []string{"motivation", "cohesion", "work"}) || len(h.Rows) != len(q1.Tree()) {
		t.Fatalf("heatmap: got columns %v and %d rows; want 3 columns and %d rows", h.Columns, len(h.Rows), len(q1.Tree()))
	}
	if h.Rows[0].Section != "all" || !near(h.Rows[0].Cells[2], r1.Groups[0].Categories["work"].Score) || h.Rows[1].Depth != 1 {
		t.Errorf("heatmap row 0: got %+v", h.Rows[0])
	}
	trend := analysis.Build(r2, r1).Trend("all", analysis.ActivityKey)
	if len(trend) != 2 || trend[0].Year != 2025 || !near(trend[1].Score, r2.Groups[0].Activity.Index) || trend[1].N != r2.Groups[0].Activity.N {
		t.Errorf("trend: got %+v", trend)
	}
}

func ExampleAnalyze() {
	q := &survey.Questionnaire{ID: "example-2026", Year: 2026, Scale: survey.Scale{Points: 5},
		Anonymity: survey.Anonymity{MinGroupSize: 5}, Activity: survey.Activity{Cutoff: 62.5},
		Categories: []survey.Category{
			{ID: "motivation", Axis: survey.AxisMotivation, Items: []survey.Item{{ID: "m1"}, {ID: "m2"}}},
			{ID: "cohesion", Axis: survey.AxisCohesion, Items: []survey.Item{{ID: "i1"}, {ID: "i2", Reverse: true}}},
		},
		Sections: []survey.Section{{Code: "soumu"}, {Code: "kikaku"}},
	}
	var rs []*survey.Response
	for i := range 6 {
		rs = append(rs, &survey.Response{Section: "soumu", Answers: []int8{4, int8(3 + i%3), 4, 2}, Satisfaction: survey.NA, ENPS: survey.NA})
	}
	rs = append(rs, &survey.Response{Section: "kikaku", Answers: []int8{5, 5, 5, 1}, Satisfaction: survey.NA, ENPS: survey.NA})
	res := analysis.Analyze(q, rs)
	for _, g := range res.Groups {
		if !g.Shown() {
			fmt.Printf("%s: n=%d suppressed=%v\n", g.Section, g.N, g.Suppressed)
			continue
		}
		fmt.Printf("%s: n=%d motivation=%.1f cohesion=%.1f type=%s\n", g.Section, g.N,
			*g.Categories["motivation"].Score, *g.Categories["cohesion"].Score, *g.Activity.Type)
	}
	// soumu is large enough on its own, but showing it beside "all" would give away kikaku's
	// one respondent by subtraction, so the remainder rule hides it too.

	// Output:
	// all: n=7 motivation=78.6 cohesion=78.6 type=active
	// soumu: n=6 suppressed=true
	// kikaku: n=1 suppressed=true
}
