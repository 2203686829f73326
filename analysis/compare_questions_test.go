package analysis_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/stat"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/survey"
)

// The comparison of two options beyond the categories: satisfaction, eNPS and every question.
// These tests hold what the package computes from its integer sums to the per-respondent values
// themselves, computed here by the definitions of docs/analysis.md and summarised with
// gonum/stat, and check that a number exists exactly where both groups publish the metric.

// metricValue is one respondent's value of a compared metric by hand: a category's or the
// activity index's score, satisfaction's s(v), eNPS's +100/0/−100, or a question's s(v) after
// reversal among the category's respondents (docs/analysis.md, "Per-question results"); ok is
// false when the respondent has none.
type metricValue func(r *survey.Response) (float64, bool)

// comparedMetrics returns every metric a comparison can have, keyed as OptionMoments keys them,
// with its value by hand and whether an option group publishes it.
func comparedMetrics(q *survey.Questionnaire) (keys []string, value map[string]metricValue, published map[string]func(*analysis.OptionGroup) bool) {
	p := float64(q.Scale.Points)
	s := func(v float64) float64 { return (v - 1) / (p - 1) * 100 }
	value = map[string]metricValue{}
	published = map[string]func(*analysis.OptionGroup) bool{}
	add := func(key string, v metricValue, pub func(*analysis.OptionGroup) bool) {
		keys = append(keys, key)
		value[key], published[key] = v, func(g *analysis.OptionGroup) bool { return g.Shown() && pub(g) }
	}
	score := func(key string) metricValue {
		return func(r *survey.Response) (float64, bool) {
			x := respondentScores(q, r)[key]
			return x, !math.IsNaN(x)
		}
	}
	add(analysis.ActivityKey, score(analysis.ActivityKey), func(g *analysis.OptionGroup) bool { return g.Activity.Index != nil })
	add(analysis.SatisfactionKey, func(r *survey.Response) (float64, bool) {
		v := float64(r.Satisfaction)
		return s(v), r.Satisfaction >= 1 && v <= p
	}, func(g *analysis.OptionGroup) bool { return g.Satisfaction != nil && g.Satisfaction.Score != nil })
	add(analysis.ENPSKey, func(r *survey.Response) (float64, bool) {
		switch {
		case r.ENPS < 0 || r.ENPS > 10:
			return 0, false
		case r.ENPS >= 9:
			return 100, true
		case r.ENPS <= 6:
			return -100, true
		}
		return 0, true
	}, func(g *analysis.OptionGroup) bool { return g.ENPS != nil && g.ENPS.Score != nil })
	start := 0
	for _, c := range q.Categories {
		add(c.ID, score(c.ID), func(g *analysis.OptionGroup) bool { return g.Categories[c.ID].Score != nil })
		for j, it := range c.Items {
			idx := start + j
			add(analysis.QuestionKey(it.ID), func(r *survey.Response) (float64, bool) {
				v := r.Answers[idx]
				if v == survey.NA || math.IsNaN(respondentScores(q, r)[c.ID]) {
					return 0, false
				}
				x := float64(v)
				if it.Reverse {
					x = p + 1 - x
				}
				return s(x), true
			}, func(g *analysis.OptionGroup) bool {
				m := g.Categories[c.ID]
				return m.Score != nil && m.Items[j].Favourable != nil
			})
		}
		start += len(c.Items)
	}
	return keys, value, published
}

// checkComparisons checks res, the analysis of rs, against the values by hand: every option
// group keeps moments exactly for what it publishes, equal to gonum/stat's mean and variance
// of the values to 1e-9; every pair of options has a gap exactly for the metrics both publish,
// with the Welch test of the values. It returns how many question gaps it checked, and how
// many metrics of a pair of shown options only one of them published.
func checkComparisons(t *testing.T, name string, q *survey.Questionnaire, rs []*survey.Response, res *analysis.SurveyResult) (questions, oneSided int) {
	t.Helper()
	keys, value, published := comparedMetrics(q)
	values := func(j, o int, key string) []float64 {
		var out []float64
		for _, r := range rs {
			if r.Attribute(j) != int8(o) {
				continue
			}
			if x, ok := value[key](r); ok {
				out = append(out, x)
			}
		}
		return out
	}
	for j, at := range q.Attributes {
		ar := res.Attribute(at.ID)
		for o, opt := range at.Options {
			g := ar.Option(opt.ID)
			for _, key := range keys {
				n, mean, variance, ok := res.OptionMoments(at.ID, opt.ID, key)
				if ok != published[key](g) {
					t.Errorf("%s: %s=%s keeps %s: %v; publishes it: %v", name, at.ID, opt.ID, key, ok, !ok)
					continue
				}
				if !ok {
					continue
				}
				xs := values(j, o, key)
				if n != len(xs) || math.Abs(mean-stat.Mean(xs, nil)) > 1e-9 || math.Abs(variance-stat.Variance(xs, nil)) > 1e-9 {
					t.Errorf("%s: %s=%s %s: n %d mean %.12f var %.12f; by hand n %d mean %.12f var %.12f", name, at.ID, opt.ID, key,
						n, mean, variance, len(xs), stat.Mean(xs, nil), stat.Variance(xs, nil))
				}
			}
		}
		for oa, a := range at.Options {
			for ob, b := range at.Options {
				if oa == ob {
					continue
				}
				got := map[string]analysis.OptionGap{}
				for _, g := range res.OptionGaps(at.ID, a.ID, b.ID) {
					got[g.Metric] = g
				}
				for _, g := range res.QuestionGaps(at.ID, a.ID, b.ID) {
					got[analysis.QuestionKey(g.Metric)] = g
					questions++
				}
				ga, gb := ar.Option(a.ID), ar.Option(b.ID)
				for _, key := range keys {
					g, ok := got[key]
					if ga.Shown() && gb.Shown() && published[key](ga) != published[key](gb) {
						oneSided++
					}
					if both := published[key](ga) && published[key](gb); ok != both {
						t.Errorf("%s: %s %s vs %s: a gap on %s: %v; both publish it: %v", name, at.ID, a.ID, b.ID, key, ok, both)
						continue
					}
					if !ok {
						continue
					}
					xa, xb := values(j, oa, key), values(j, ob, key)
					ma, mb := stat.Mean(xa, nil), stat.Mean(xb, nil)
					if g.NA != len(xa) || g.NB != len(xb) || math.Abs(g.A-ma) > 1e-9 || math.Abs(g.B-mb) > 1e-9 || math.Abs(g.Delta-(mb-ma)) > 1e-9 {
						t.Errorf("%s: %s %s vs %s on %s: n %d/%d %.9f→%.9f; by hand n %d/%d %.9f→%.9f", name, at.ID, a.ID, b.ID, key,
							g.NA, g.NB, g.A, g.B, len(xa), len(xb), ma, mb)
					}
					if stat.Variance(xa, nil) == 0 && stat.Variance(xb, nil) == 0 {
						if g.P != nil {
							t.Errorf("%s: %s %s vs %s on %s: p %v without variance", name, at.ID, a.ID, b.ID, key, *g.P)
						}
						continue
					}
					if _, p := welchByHand(xa, xb); g.P == nil || math.Abs(*g.P-p) > 1e-9 {
						t.Errorf("%s: %s %s vs %s on %s: p %v; by hand %.12f", name, at.ID, a.ID, b.ID, key, g.P, p)
					}
				}
			}
		}
	}
	return questions, oneSided
}

// TestQuestionGaps checks the comparison against the values by hand on both years of the
// attributes fixture (a reverse-keyed question, withheld options and metrics) and on random
// surveys whose questions are often left unanswered, so that options publish some questions
// and not others; and that the state a survey with attributes keeps gives the same gaps.
func TestQuestionGaps(t *testing.T) {
	total, oneSided := 0, 0
	for _, year := range []string{"2025", "2026"} {
		q, rs := fixtureload.Attributes(t, year)
		res := analysis.Analyze(q, rs)
		n, one := checkComparisons(t, year, q, rs, res)
		total, oneSided = total+n, oneSided+one
		kept := keptResult(t, q, rs)
		for _, pair := range [][2]string{{"staff", "chief"}, {"chief", "manager"}, {"staff", "manager"}} {
			if got, want := kept.QuestionGaps("rank", pair[0], pair[1]), res.QuestionGaps("rank", pair[0], pair[1]); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %v: question gaps from the kept state differ:\n got %+v\nwant %+v", year, pair, got, want)
			}
			if got, want := kept.OptionGaps("rank", pair[0], pair[1]), res.OptionGaps("rank", pair[0], pair[1]); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %v: gaps from the kept state differ", year, pair)
			}
		}
	}
	if total == 0 {
		t.Fatal("the fixture has no question gaps")
	}
	rng := rand.New(rand.NewPCG(2026, 1204))
	cases := 30
	if testing.Short() {
		cases = 8
	}
	for c := range cases {
		q := attackAttrQuestionnaire(t, map[string][]string{"s0": {"s0-0", "s0-1"}}, []string{"s0", "s1", "s2"})
		skip := rng.IntN(4) // how often a question goes unanswered: 1 in 2+skip
		var rs []*survey.Response
		for _, leaf := range q.Leaves() {
			for range 6 + rng.IntN(12) {
				r := person(rng, q, leaf, int8(rng.IntN(3)), int8(rng.IntN(3)))
				for i := range r.Answers {
					if rng.IntN(2+skip) == 0 {
						r.Answers[i] = survey.NA
					}
				}
				if rng.IntN(3) == 0 {
					r.Satisfaction = survey.NA
				}
				if rng.IntN(3) == 0 {
					r.ENPS = survey.NA
				}
				rs = append(rs, r)
			}
		}
		n, one := checkComparisons(t, fmt.Sprintf("random survey %d", c), q, rs, analysis.Analyze(q, rs))
		total, oneSided = total+n, oneSided+one
	}
	t.Logf("%d question gaps checked; %d metrics of two shown options published by one only", total, oneSided)
	if oneSided == 0 {
		t.Error("no metric published by one option of a pair only: the surveys test no withholding")
	}
}

// TestQuestionGapsWithheld is the attack on the new numbers: options shown, but in one of them a
// question answered by fewer than k people (so its category's questions are withheld there, all
// or none) and satisfaction answered by fewer than k. No gap, and no kept moments, may carry
// them: a gap plus the other option's published mean would give the withheld mean away.
func TestQuestionGapsWithheld(t *testing.T) {
	q := attackAttrQuestionnaire(t, map[string][]string{}, []string{"s0", "s1"})
	rng := rand.New(rand.NewPCG(21, 3))
	var rs []*survey.Response
	managers, sat := 0, 0
	for _, leaf := range q.Leaves() {
		for i := range 20 {
			rank := int8(0) // 10 staff, 5 chiefs, 5 managers per section
			switch {
			case i >= 15:
				rank = 2
			case i >= 10:
				rank = 1
			}
			r := person(rng, q, leaf, rank, survey.NA)
			for j := range r.Answers {
				r.Answers[j] = int8(1 + rng.IntN(5)) // every question answered…
			}
			if rank == 2 {
				// …but w1 by only 3 managers (w2 and w3 keep their "work" score defined), and
				// satisfaction by only 4.
				if managers++; managers > 3 {
					r.Answers[4] = survey.NA
				}
				if sat++; sat > 4 {
					r.Satisfaction = survey.NA
				}
			}
			rs = append(rs, r)
		}
	}
	res := analysis.Analyze(q, rs)
	mgr := res.Attribute("rank").Option("manager")
	if !mgr.Shown() || mgr.Categories["work"].Score == nil || mgr.Categories["work"].Items[0].N != 3 || mgr.Categories["work"].Items[1].Favourable != nil {
		t.Fatalf("the managers are not as the attack needs (shown, work shown, its questions withheld): %+v", mgr.Categories["work"])
	}
	if mgr.Satisfaction.Score != nil {
		t.Fatal("the managers' satisfaction is published")
	}
	for _, pair := range [][2]string{{"staff", "manager"}, {"manager", "chief"}} {
		for _, g := range res.QuestionGaps("rank", pair[0], pair[1]) {
			if g.Category == "work" {
				t.Errorf("%v: a gap on %s, withheld for the managers", pair, g.Metric)
			}
		}
		for _, g := range res.OptionGaps("rank", pair[0], pair[1]) {
			if g.Metric == analysis.SatisfactionKey {
				t.Errorf("%v: a gap on satisfaction, withheld for the managers", pair)
			}
		}
		if len(res.QuestionGaps("rank", pair[0], pair[1])) != 4 { // m1 m2 i1 i2
			t.Errorf("%v: %d question gaps; want the 4 of motivation and cohesion", pair, len(res.QuestionGaps("rank", pair[0], pair[1])))
		}
	}
	// Within the attribute, the whole organisation's w1 minus the staff's and the chiefs' would
	// be the 3 managers': the remainder rule withholds the chiefs' questions of work too, so
	// staff and chiefs have no gap on them either.
	if res.Attribute("rank").Option("chief").Categories["work"].Items[0].Favourable != nil {
		t.Error("the chiefs' questions of work are published beside the whole organisation's and the staff's")
	}
	if n := len(res.QuestionGaps("rank", "staff", "chief")); n != 4 {
		t.Errorf("staff vs chiefs: %d question gaps; want the 4 of motivation and cohesion", n)
	}
	kept := keptResult(t, q, rs)
	for _, key := range []string{analysis.QuestionKey("w1"), analysis.QuestionKey("w2"), analysis.QuestionKey("w3"), analysis.SatisfactionKey} {
		if _, _, _, ok := kept.OptionMoments("rank", "manager", key); ok {
			t.Errorf("the kept state holds the managers' %s", key)
		}
	}
	checkComparisons(t, "attack", q, rs, res)
}
