package analysis

// Comparing two option groups of one attribute (docs/analysis.md, "Comparing two options"):
// how, say, 係員 and 管理監督者 answer the same questions. Every number of a gap is made of
// numbers the two groups already publish — each group's n and mean, and the Welch test over
// the same respondents whose sums those come from — so a gap exists only for a metric shown
// in both groups: with one side withheld, mean(b) − mean(a) plus the other side's published
// mean would give the withheld one away.

// OptionGap is the difference between option groups A and B of one attribute on one metric.
type OptionGap struct {
	Metric string   // a category id, or ActivityKey for the activity index
	NA, NB int      // the metric's respondents in each group
	A, B   float64  // the groups' published scores
	Delta  float64  // B − A
	P      *float64 // Welch's two-sided p; nil when both groups have zero variance
}

// Significant reports whether the gap's p-value is below Significance.
func (g OptionGap) Significant() bool { return g.P != nil && *g.P < Significance }

// OptionGaps returns the gaps between options a and b of attribute: for the activity index
// and then every category in file order, each shown in both groups. It is empty when either
// option is withheld, unknown, or a == b.
func (s *SurveyResult) OptionGaps(attribute, a, b string) []OptionGap {
	if a == b {
		return nil
	}
	x, y := s.optionSamples[attribute][a], s.optionSamples[attribute][b]
	if x == nil || y == nil {
		return nil
	}
	var out []OptionGap
	for _, key := range append([]string{ActivityKey}, s.categories...) {
		mx, okx := x[key]
		my, oky := y[key]
		if !okx || !oky {
			continue
		}
		out = append(out, OptionGap{Metric: key, NA: mx.n, NB: my.n, A: mx.mean, B: my.mean,
			Delta: my.mean - mx.mean, P: num(welch(mx, my))})
	}
	return out
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
				p.N = g.N
				switch {
				case metric == ActivityKey && g.Activity != nil:
					p.N, p.Score = g.Activity.N, g.Activity.Index
				case g.Categories != nil && g.Categories[metric] != nil:
					p.N, p.Score = g.Categories[metric].N, g.Categories[metric].Score
				}
			}
		}
		out = append(out, p)
	}
	return out
}
