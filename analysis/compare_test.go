package analysis_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/survey"
)

// respondentScores computes, by the definitions of docs/analysis.md and without the package's
// code, each respondent's category scores and activity index (NaN when undefined), restricted
// as a group's metric is: a category on an axis counts only respondents with an index.
func respondentScores(q *survey.Questionnaire, r *survey.Response) map[string]float64 {
	p := float64(q.Scale.Points)
	out := map[string]float64{}
	var m, i []float64
	start := 0
	for _, c := range q.Categories {
		sum, n := 0.0, 0
		for j, it := range c.Items {
			v := r.Answers[start+j]
			if v == survey.NA {
				continue
			}
			x := float64(v)
			if it.Reverse {
				x = p + 1 - x
			}
			sum += (x - 1) / (p - 1) * 100
			n++
		}
		start += len(c.Items)
		score := math.NaN()
		if n > 0 && n >= (len(c.Items)+1)/2 {
			score = sum / float64(n)
		}
		out[c.ID] = score
		switch c.Axis {
		case survey.AxisMotivation:
			m = append(m, score)
		case survey.AxisCohesion:
			i = append(i, score)
		}
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x // NaN when any is undefined
		}
		return s / float64(len(xs))
	}
	index := (mean(m) + mean(i)) / 2
	out[analysis.ActivityKey] = index
	for _, c := range q.Categories {
		if c.Axis != "" && math.IsNaN(index) {
			out[c.ID] = math.NaN()
		}
	}
	return out
}

// welchByHand is Welch's two-sided test from the values themselves (two-pass variances).
func welchByHand(a, b []float64) (delta, p float64) {
	stats := func(xs []float64) (mean, v float64) {
		for _, x := range xs {
			mean += x
		}
		mean /= float64(len(xs))
		for _, x := range xs {
			v += (x - mean) * (x - mean)
		}
		return mean, v / float64(len(xs)-1)
	}
	ma, va := stats(a)
	mb, vb := stats(b)
	sa, sb := va/float64(len(a)), vb/float64(len(b))
	t := (mb - ma) / math.Sqrt(sa+sb)
	df := (sa + sb) * (sa + sb) / (sa*sa/float64(len(a)-1) + sb*sb/float64(len(b)-1))
	return mb - ma, 2 * (1 - distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(math.Abs(t)))
}

// TestOptionGaps holds the comparison of two options to a computation by hand from the fixture's
// responses: every metric shown in both groups has a gap with the Welch test of the values;
// a metric withheld in either group has none, and a withheld option has no gaps at all.
func TestOptionGaps(t *testing.T) {
	q, rs := fixtureload.Attributes(t, "2025")
	res := analysis.Analyze(q, rs)
	rank := res.Attribute("rank")
	values := func(option int, metric string) []float64 {
		var out []float64
		for _, r := range rs {
			if r.Attributes[0] != int8(option) {
				continue
			}
			if x := respondentScores(q, r)[metric]; !math.IsNaN(x) {
				out = append(out, x)
			}
		}
		return out
	}
	for _, pair := range [][2]int{{0, 1}, {0, 2}, {2, 1}} {
		a, b := q.Attributes[0].Options[pair[0]].ID, q.Attributes[0].Options[pair[1]].ID
		gaps := res.OptionGaps("rank", a, b)
		got := map[string]analysis.OptionGap{}
		for _, g := range gaps {
			got[g.Metric] = g
		}
		metrics := append([]string{analysis.ActivityKey}, res.Categories()...)
		for _, metric := range metrics {
			ga, gb := rank.Option(a), rank.Option(b)
			shown := func(g *analysis.OptionGroup) bool {
				if metric == analysis.ActivityKey {
					return g.Activity != nil && g.Activity.Index != nil
				}
				return g.Categories != nil && g.Categories[metric] != nil && g.Categories[metric].Score != nil
			}
			g, ok := got[metric]
			if !shown(ga) || !shown(gb) {
				if ok {
					t.Errorf("%s vs %s: a gap on %s, withheld in one of them", a, b, metric)
				}
				continue
			}
			if !ok {
				t.Errorf("%s vs %s: no gap on %s, shown in both", a, b, metric)
				continue
			}
			xa, xb := values(pair[0], metric), values(pair[1], metric)
			delta, p := welchByHand(xa, xb)
			if g.NA != len(xa) || g.NB != len(xb) || math.Abs(g.Delta-delta) > 1e-9 || g.P == nil || math.Abs(*g.P-p) > 1e-6 {
				t.Errorf("%s vs %s on %s: n %d/%d Δ %.6f p %v; by hand n %d/%d Δ %.6f p %.6f", a, b, metric, g.NA, g.NB, g.Delta, g.P, len(xa), len(xb), delta, p)
			}
			if math.Abs(g.B-g.A-g.Delta) > 1e-12 {
				t.Errorf("%s vs %s on %s: B − A ≠ Δ", a, b, metric)
			}
		}
		if gaps[0].Metric != analysis.ActivityKey && got[analysis.ActivityKey].NA > 0 {
			t.Errorf("the activity index is not first: %v", gaps[0].Metric)
		}
	}
	// In 2025 the managers' activity is withheld by the metric-wise remainder rule (see the
	// fixture's README): no gap may carry it.
	for _, g := range res.OptionGaps("rank", "staff", "manager") {
		if g.Metric == analysis.ActivityKey || g.Metric == "motivation" || g.Metric == "cohesion" {
			t.Errorf("a gap on %s, withheld for the managers", g.Metric)
		}
	}
	if len(res.OptionGaps("rank", "staff", "manager")) == 0 {
		t.Error("no gaps between staff and managers in 2025")
	}

	// In 2026 the managers are withheld (rule b) and re-employed staff too (rule a).
	q26, rs26 := fixtureload.Attributes(t, "2026")
	res26 := analysis.Analyze(q26, rs26)
	for _, tt := range [][3]string{{"rank", "staff", "manager"}, {"rank", "manager", "chief"}, {"employment", "regular", "reemployed"},
		{"rank", "staff", "staff"}, {"rank", "staff", "nobody"}, {"nothing", "staff", "chief"}} {
		if gaps := res26.OptionGaps(tt[0], tt[1], tt[2]); len(gaps) != 0 {
			t.Errorf("%v: %d gaps; want none", tt, len(gaps))
		}
	}
	if len(res26.OptionGaps("rank", "staff", "chief")) == 0 {
		t.Error("no gaps between two shown options")
	}
}

// TestOptionTrend follows an option over the years by its ids: a score where it is shown, the
// metric's n where it is withheld, nothing where the option does not exist.
func TestOptionTrend(t *testing.T) {
	var results []*analysis.SurveyResult
	for _, year := range []string{"2025", "2026"} {
		q, rs := fixtureload.Attributes(t, year)
		results = append(results, analysis.Analyze(q, rs))
	}
	rep := analysis.Build(results...)
	pts := rep.OptionTrend("rank", "manager", analysis.ActivityKey)
	if len(pts) != 2 || pts[0].Year != 2025 || pts[1].Year != 2026 {
		t.Fatalf("points %+v", pts)
	}
	m25, m26 := results[0].Attribute("rank").Option("manager"), results[1].Attribute("rank").Option("manager")
	// 2025: shown group, activity withheld: its n. 2026: the group withheld: the group's n.
	if pts[0].Score != nil || pts[0].N != m25.Activity.N || pts[1].Score != nil || pts[1].N != m26.N {
		t.Errorf("managers' activity trend %+v", pts)
	}
	st := rep.OptionTrend("rank", "staff", "boss")
	for i, r := range results {
		if want := r.Attribute("rank").Option("staff").Categories["boss"]; st[i].Score == nil || *st[i].Score != *want.Score || st[i].N != want.N {
			t.Errorf("staff's boss trend %d: %+v", i, st[i])
		}
	}
	for _, p := range rep.OptionTrend("rank", "nobody", "boss") {
		if p.N != 0 || p.Score != nil {
			t.Errorf("an unknown option has a point %+v", p)
		}
	}
}
