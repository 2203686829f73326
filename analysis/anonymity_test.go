package analysis_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// metric is one metric of a shown group as a viewer sees it: its own n, and whether any
// number besides n is shown.
type metric struct {
	n     int
	shown bool
}

// metricsOf returns the metrics of g by key: "category:<id>", "satisfaction", "enps" and
// "activity". A group that is not shown has none.
func metricsOf(g *analysis.Group) map[string]metric {
	out := map[string]metric{}
	if !g.Shown() {
		return out
	}
	for id, c := range g.Categories {
		out["category:"+id] = metric{c.N, c.Score != nil}
	}
	if s := g.Satisfaction; s != nil {
		out["satisfaction"] = metric{s.N, s.Score != nil}
	}
	if e := g.ENPS; e != nil {
		out["enps"] = metric{e.N, e.Score != nil}
	}
	if a := g.Activity; a != nil {
		out["activity"] = metric{a.N, a.Index != nil}
	}
	return out
}

// metricRemainders checks the remainder rule (docs/analysis.md, "Suppression", b) metric by metric: for every
// shown metric of a shown group P, the respondents behind P's number that are not behind the
// number of one of P's maximal descendants showing the same metric must be none or at least
// the minimum. Otherwise subtracting the descendants' numbers (n × score, n × favourable, the
// types' shares, …) from P's gives away a metric of fewer respondents than the minimum,
// which §6.5 withholds even inside a shown group. It returns one line per violation.
func metricRemainders(res *analysis.SurveyResult) []string {
	children := map[string][]*analysis.Group{}
	for _, g := range res.Groups[1:] {
		children[g.Parent] = append(children[g.Parent], g)
	}
	var bad []string
	for _, p := range res.Groups {
		for key, m := range metricsOf(p) {
			if !m.shown {
				continue
			}
			rest := m.n
			var walk func(code string)
			walk = func(code string) {
				for _, c := range children[code] {
					if cm, ok := metricsOf(c)[key]; ok && cm.shown {
						rest -= cm.n
						continue // maximal: nothing below it counts separately
					}
					walk(c.Section)
				}
			}
			walk(p.Section)
			if rest > 0 && rest < res.MinGroupSize {
				bad = append(bad, fmt.Sprintf("%s %s: %d respondents (n %d) beside its shown descendants; want 0 or ≥ %d",
					p.Section, key, rest, m.n, res.MinGroupSize))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// withheld returns "section/metric" for every metric of a shown group that has at least the
// minimum number of respondents and still shows nothing but n.
func withheld(res *analysis.SurveyResult) []string {
	var out []string
	for _, g := range res.Groups {
		for key, m := range metricsOf(g) {
			if m.n >= res.MinGroupSize && !m.shown {
				out = append(out, g.Section+"/"+key)
			}
		}
	}
	sort.Strings(out)
	return out
}

// full is a response of section that answers everything: m1 m2 i1 i2 w1 w2 w3, satisfaction
// and eNPS.
func full(section string) *survey.Response {
	return answer(section, [7]int8{4, 3, 5, 2, 4, 2, 4}, 4, 9)
}

// without returns n responses of section that answer everything but what drop clears.
func without(section string, n int, drop func(r *survey.Response)) []*survey.Response {
	out := repeat(n, full(section))
	for _, r := range out {
		r.Answers = slices.Clone(r.Answers)
		drop(r)
	}
	return out
}

var (
	noENPS         = func(r *survey.Response) { r.ENPS = na }
	noSatisfaction = func(r *survey.Response) { r.Satisfaction = na }
	noWork         = func(r *survey.Response) { r.Answers[4], r.Answers[5], r.Answers[6] = na, na, na }
	noCohesion     = func(r *survey.Response) { r.Answers[2], r.Answers[3] = na, na }
)

// metricRemainderTests are trees (all → a → a1, a2; b) whose groups all pass the remainder
// rule, but where some metric of a shown group has fewer respondents than the minimum (5),
// so that its parent's number minus its sibling's would give it away.
var metricRemainderTests = []struct {
	name      string
	responses []*survey.Response
	withheld  []string // metrics of shown groups with n ≥ 5 that must show n only
}{
	{
		// everyone answers everything: the group rule is enough, nothing more is withheld
		name:      "complete answers",
		responses: slices.Concat(repeat(6, full("a1")), repeat(6, full("a2")), repeat(6, full("b"))),
	},
	{
		// a2 has 6 respondents but only 2 eNPS answers: a's eNPS (8) minus a1's (6) would be
		// those 2 people's promoters − detractors
		name:      "eNPS of two",
		responses: slices.Concat(repeat(6, full("a1")), repeat(2, full("a2")), without("a2", 4, noENPS)),
		withheld:  []string{"a1/enps"},
	},
	{
		name:      "satisfaction of one",
		responses: slices.Concat(repeat(6, full("a1")), repeat(1, full("a2")), without("a2", 5, noSatisfaction), repeat(6, full("b"))),
		withheld:  []string{"a1/satisfaction"},
	},
	{
		// a category (its score, sd, favourable) and the activity index, each on its own n
		name: "category and activity",
		responses: slices.Concat(repeat(6, full("a1")), repeat(2, full("a2")), without("a2", 4, noWork),
			without("b", 3, noCohesion), repeat(3, full("b"))),
		// work: a2's 2 scores are the remainder of a (8) beside a1 (6), so a1's goes.
		// cohesion and activity: b's 3 are the remainder of all (15) beside a (12), so a's
		// goes; then a1 (6) and a2 (6) are the maximal ones, and the earlier, a1, goes too,
		// leaving b's 3 and a1's 6. motivation is on an axis, so it is over the activity
		// respondents (§6.2) and goes with them: b's 3 who skipped cohesion are not in it.
		withheld: []string{"a/activity", "a/category:cohesion", "a/category:motivation", "a1/activity", "a1/category:cohesion", "a1/category:motivation", "a1/category:work"},
	},
	{
		// the remainder is at the root: b's 2 eNPS answers; hiding a's exposes a1 and a2 as
		// the maximal ones, so a1's goes too and a2's 6 with b's 2 are enough
		name:      "cascade from the root",
		responses: slices.Concat(repeat(6, full("a1")), repeat(6, full("a2")), repeat(2, full("b")), without("b", 4, noENPS)),
		withheld:  []string{"a/enps", "a1/enps"},
	},
}

func TestMetricRemainder(t *testing.T) {
	q := newQuestionnaire(t, 2025, 5)
	for _, tt := range metricRemainderTests {
		t.Run(tt.name, func(t *testing.T) {
			res := analysis.Analyze(q, tt.responses)
			for _, g := range res.Groups {
				if g.Suppressed {
					t.Fatalf("group %s suppressed (n %d): the case is meant for metrics of shown groups", g.Section, g.N)
				}
			}
			for _, b := range metricRemainders(res) {
				t.Error(b)
			}
			if got := withheld(res); !slices.Equal(got, tt.withheld) {
				t.Errorf("got withheld %v; want %v", got, tt.withheld)
			}
		})
	}
}

// TestMetricRemainderRandom checks the metric-wise remainder rule, and that changes exist only
// for metrics shown in both years, on random trees with sections whose respondents often skip
// an outcome or a whole category.
func TestMetricRemainderRandom(t *testing.T) {
	text := func(s string) survey.Text { return survey.Text{JA: s} }
	sections := []survey.Section{
		{Code: "p", Name: text("P"), Children: []survey.Section{
			{Code: "p1", Name: text("P1")},
			{Code: "p2", Name: text("P2"), Children: []survey.Section{{Code: "p21", Name: text("P21")}, {Code: "p22", Name: text("P22")}}},
			{Code: "p3", Name: text("P3")},
		}},
		{Code: "q", Name: text("Q"), Children: []survey.Section{{Code: "q1", Name: text("Q1")}, {Code: "q2", Name: text("Q2")}}},
		{Code: "r", Name: text("R")},
	}
	drops := []func(*survey.Response){noENPS, noSatisfaction, noWork, noCohesion}
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 11))
		var results []*analysis.SurveyResult
		for year := 2025; year <= 2026; year++ {
			q := newQuestionnaire(t, year, 5, sections...)
			var rs []*survey.Response
			for _, leaf := range q.Leaves() {
				skip := rng.Float64() // this section's rate of skipping
				for range rng.IntN(16) {
					r := full(leaf)
					r.Answers = slices.Clone(r.Answers)
					r.Answers[0] = int8(1 + rng.IntN(5))
					r.Answers[6] = int8(1 + rng.IntN(5))
					r.ENPS = int8(rng.IntN(11))
					for _, drop := range drops {
						if rng.Float64() < skip {
							drop(r)
						}
					}
					rs = append(rs, r)
				}
			}
			res := analysis.Analyze(q, rs)
			for _, b := range metricRemainders(res) {
				t.Errorf("seed %d, %d: %s", seed, year, b)
			}
			results = append(results, res)
		}
		for _, c := range analysis.Build(results...).Changes {
			for _, res := range results {
				key := "category:" + c.Category
				if c.Category == analysis.ActivityKey {
					key = "activity"
				}
				if m := metricsOf(res.Group(c.Section))[key]; !m.shown {
					t.Errorf("seed %d: change of %s/%s, which %d does not show", seed, c.Section, c.Category, res.Year)
				}
			}
		}
		if t.Failed() {
			return
		}
	}
}

// TestGeneralisedSections checks the contract the store relies on when it opens the ballot
// box (docs/anonymity.md rule 4): responses moved from a suppressed section to its nearest shown
// ancestor, with the original counts given to SetSectionCounts, give the same report, number
// for number, as the responses where they were.
func TestGeneralisedSections(t *testing.T) {
	text := survey.Text{JA: "s"}
	q := newQuestionnaire(t, 2025, 5,
		survey.Section{Code: "a", Name: text, Children: []survey.Section{{Code: "a1", Name: text}, {Code: "a2", Name: text}, {Code: "a3", Name: text}}},
		survey.Section{Code: "b", Name: text, Children: []survey.Section{{Code: "b1", Name: text}, {Code: "b2", Name: text}}},
		survey.Section{Code: "c", Name: text})
	suppressedSome := 0
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var rs []*survey.Response
		for _, leaf := range q.Leaves() {
			for _, r := range randomResponses(q, rng, rng.IntN(16)) {
				r.Section = leaf
				rs = append(rs, r)
			}
		}
		want := analysis.Analyze(q, rs)
		parent := map[string]string{}
		suppressed := map[string]bool{}
		for _, g := range want.Groups {
			parent[g.Section], suppressed[g.Section] = g.Parent, g.Suppressed
		}
		own := map[string]int{}
		acc := analysis.NewAccumulator(q)
		for _, r := range rs {
			own[r.Section]++
			g := *r
			for suppressed[g.Section] && parent[g.Section] != "" {
				g.Section = parent[g.Section]
			}
			if g.Section != r.Section {
				suppressedSome++
			}
			acc.Add(&g)
		}
		acc.SetSectionCounts(own)
		got := acc.Result()
		a, _ := json.Marshal(analysis.Build(want))
		b, _ := json.Marshal(analysis.Build(got))
		if string(a) != string(b) {
			t.Fatalf("seed %d: generalised responses give another report:\n got %s\nwant %s", seed, b, a)
		}
	}
	if suppressedSome == 0 {
		t.Fatal("no case generalised a response: the test tests nothing")
	}
}
