package analysis

// Comparing two option groups of one attribute (docs/analysis.md, "Comparing two options"):
// how, say, 係員 and 管理監督者 answer the same questions. Every number of a gap is made of
// numbers the two groups already publish — each group's n and mean, and the Welch test over
// the same respondents whose sums those come from — so a gap exists only for a metric shown
// in both groups: with one side withheld, mean(b) − mean(a) plus the other side's published
// mean would give the withheld one away.
//
// Beyond the categories and 組織活性度, whose moments every shown group keeps for changes, an
// option group keeps the moments of what else it publishes: satisfaction (s(v)), eNPS (each
// respondent +100, 0 or −100, whose mean is the eNPS) and every question whose results it shows
// (s(v), after reversal). They come from exact integer sums of the answers, so a survey with
// attributes keeps them after close as it keeps the others (state.go), and only for what the
// group publishes: the disclosure check has already cleared those respondent sets.

// Metric keys of the outcomes in a comparison. Ids match [a-z0-9-]+, so these never clash
// with a category id.
const (
	SatisfactionKey = "outcome:satisfaction"
	ENPSKey         = "outcome:enps"
)

// questionKey is the moments key of question id.
func questionKey(id string) string { return "item:" + id }

// OptionGap is the difference between option groups A and B of one attribute on one metric.
type OptionGap struct {
	// Metric is a category id, ActivityKey, SatisfactionKey or ENPSKey; for a question (see
	// QuestionGaps), the question's id, with Category its category's.
	Metric   string
	Category string
	NA, NB   int      // the metric's respondents in each group
	A, B     float64  // the groups' means: their published scores, or a question's mean s(v)
	Delta    float64  // B − A
	P        *float64 // Welch's two-sided p; nil when both groups have zero variance
}

// Significant reports whether the gap's p-value is below Significance.
func (g OptionGap) Significant() bool { return g.P != nil && *g.P < Significance }

// OptionGaps returns the gaps between options a and b of attribute: for the activity index,
// satisfaction, eNPS and then every category in file order, each shown in both groups. It is
// empty when either option is withheld, unknown, or a == b.
func (s *SurveyResult) OptionGaps(attribute, a, b string) []OptionGap {
	keys := append([]string{ActivityKey, SatisfactionKey, ENPSKey}, s.categories...)
	return s.optionGaps(attribute, a, b, keys, func(key string) (string, string) { return key, "" })
}

// QuestionGaps returns the gaps between options a and b of attribute question by question,
// in file order: the mean of s(v) (0–100, after reversal) over each question's respondents in
// either group, for every question whose results both groups publish (docs/analysis.md,
// "Per-question results": a question withheld in either group has no gap). Empty as
// OptionGaps is; empty also for a survey closed before options kept these moments.
func (s *SurveyResult) QuestionGaps(attribute, a, b string) []OptionGap {
	var keys []string
	cat := map[string][2]string{}
	if at := s.Attribute(attribute); at != nil {
		if g := at.Option(a); g.Shown() {
			for _, c := range s.categories {
				if m := g.Categories[c]; m != nil {
					for _, it := range m.Items {
						keys = append(keys, questionKey(it.ID))
						cat[questionKey(it.ID)] = [2]string{it.ID, c}
					}
				}
			}
		}
	}
	return s.optionGaps(attribute, a, b, keys, func(key string) (string, string) { return cat[key][0], cat[key][1] })
}

// optionGaps returns the gaps of the metrics keys (in that order) that both options keep,
// named by name (the metric and its category).
func (s *SurveyResult) optionGaps(attribute, a, b string, keys []string, name func(key string) (string, string)) []OptionGap {
	if a == b {
		return nil
	}
	x, y := s.optionSamples[attribute][a], s.optionSamples[attribute][b]
	if x == nil || y == nil {
		return nil
	}
	var out []OptionGap
	for _, key := range keys {
		mx, okx := x[key]
		my, oky := y[key]
		if !okx || !oky {
			continue
		}
		metric, category := name(key)
		out = append(out, OptionGap{Metric: metric, Category: category, NA: mx.n, NB: my.n, A: mx.mean, B: my.mean,
			Delta: my.mean - mx.mean, P: num(welch(mx, my))})
	}
	return out
}

// compareMoments adds to m, the moments of shown option group g with statistics tot, those
// of the outcomes and questions that g publishes (see above).
func (a *Accumulator) compareMoments(m map[string]moments, g *Group, tot *groupAcc) {
	span := a.points - 1
	if s := g.Satisfaction; s != nil && s.Score != nil {
		m[SatisfactionKey] = intMoments(tot.sat.n, tot.sat.sum, tot.sat.sum2, span)
	}
	if e := g.ENPS; e != nil && e.Score != nil {
		// x = +1, 0 or −1 per respondent, scaled by 100: Σx = P − D, Σx² = P + D.
		p, d := int64(tot.enps.promoters), int64(tot.enps.detractors)
		m[ENPSKey] = intMoments(tot.enps.n, p-d, p+d, 1)
	}
	for c, spec := range a.cats {
		cat := g.Categories[spec.id]
		if cat == nil {
			continue
		}
		ca := &tot.cats[c]
		for j, it := range cat.Items {
			if it.Favourable != nil {
				m[questionKey(it.ID)] = intMoments(ca.itemN[j], ca.itemS1[j], ca.itemS2[j], span)
			}
		}
	}
}

// intMoments are the moments of 100·x/span over n values x with exact sums s1 = Σx and
// s2 = Σx². The mean is computed as the published scores are (100·Σx / (n·span)), so that it
// equals them to the last bit.
func intMoments(n int, s1, s2, span int64) moments {
	if n == 0 {
		return moments{}
	}
	abs := s1
	if abs < 0 {
		abs = -abs
	}
	f := 100 / float64(span)
	return moments{n: n, mean: 100 * float64(s1) / float64(int64(n)*span),
		m2: f * f * sumSquares(int64(n), abs, s2) / float64(n)}
}

// OptionTrend returns, for each survey of the report in year order, the score of metric (a
// category id, or ActivityKey) in option of attribute, matched by ids: as Trend does for a
// section, N is the metric's own n in a shown group, the group's n in a withheld one, and 0
// when the survey has no such attribute or option.
func (r *Report) OptionTrend(attribute, option, metric string) []TrendPoint {
	var out []TrendPoint
	for _, s := range r.Surveys {
		p := TrendPoint{Year: s.Year, Survey: s.ID}
		if at := s.Attribute(attribute); at != nil {
			if g := at.Option(option); g != nil {
				p.N, p.Score = metricPoint(g.N, g.Activity, g.Categories, metric)
			}
		}
		out = append(out, p)
	}
	return out
}
