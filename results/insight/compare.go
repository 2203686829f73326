package insight

import (
	"cmp"
	"math"
	"slices"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// The comparison the ward's policy asks for: whether 管理監督者 support their staff is read
// best by comparing how managers and staff answer the same questions. Any two options of one
// attribute can be compared; the report starts with DefaultPair. The gaps are
// analysis.SurveyResult.OptionGaps and QuestionGaps: only metrics and questions both groups
// publish, so a gap never gives a withheld number away.

// Comparison is how option groups A and B of one attribute answer the same questions.
type Comparison struct {
	Attribute string
	A, B      string // option ids
	// Withheld are those of A and B that the report withholds (in that order): then there
	// are no gaps, and a page says why from each group's reason.
	Withheld []string
	// Gaps are the metrics shown in both groups: the activity index first, then satisfaction,
	// eNPS and every category in questionnaire order. A metric withheld in either group has no
	// gap.
	Gaps []analysis.OptionGap
	// Widest are the significant gaps (p < analysis.Significance), widest first (ties in the
	// order of Gaps), at most Most: what the two groups see most differently. eNPS runs from
	// −100 to 100, twice the span of the other scores, so its gap counts half in the order.
	Widest []analysis.OptionGap
	// Questions are the gaps question by question (analysis.SurveyResult.QuestionGaps), each
	// question's mean s(v) on the 0–100 scale, widest first (ties in questionnaire order):
	// only questions whose results both groups publish.
	Questions []analysis.OptionGap
}

// DefaultPair returns the pair compared when nobody has chosen one: the first and the last
// option of the first attribute (in a 職層 attribute listed from 係員 up, staff against the
// highest rank). ok is false for a questionnaire without attributes.
func DefaultPair(q *survey.Questionnaire) (attribute, a, b string, ok bool) {
	if len(q.Attributes) == 0 {
		return "", "", "", false
	}
	at := q.Attributes[0]
	return at.ID, at.Options[0].ID, at.Options[len(at.Options)-1].ID, true
}

// Pair returns the options of attribute to compare: a and b when both are options of it and
// differ, else the attribute's first and last option (a page whose attribute was just changed
// still carries the options of the one before). An attribute q does not have is an error.
func Pair(q *survey.Questionnaire, attribute, a, b string) (string, string, error) {
	i := slices.IndexFunc(q.Attributes, func(at survey.Attribute) bool { return at.ID == attribute })
	if i < 0 {
		return "", "", survey.Errorf(survey.ENOTFOUND, "属性 %q はこの調査にありません", "no attribute %q in this survey", attribute)
	}
	opts := q.Attributes[i].Options
	has := func(id string) bool {
		return slices.ContainsFunc(opts, func(o survey.Option) bool { return o.ID == id })
	}
	if a != b && has(a) && has(b) {
		return a, b, nil
	}
	return opts[0].ID, opts[len(opts)-1].ID, nil
}

// Compare returns the comparison of options a and b of attribute in res (a closed survey's
// published results). The options must be known to res.
func Compare(res *analysis.SurveyResult, attribute, a, b string) Comparison {
	c := Comparison{Attribute: attribute, A: a, B: b}
	at := res.Attribute(attribute)
	if at == nil {
		return c
	}
	for _, id := range []string{a, b} {
		if !at.Option(id).Shown() {
			c.Withheld = append(c.Withheld, id)
		}
	}
	if len(c.Withheld) > 0 {
		return c
	}
	c.Gaps = res.OptionGaps(attribute, a, b)
	for _, g := range c.Gaps {
		if g.Significant() {
			c.Widest = append(c.Widest, g)
		}
	}
	widestFirst(c.Widest)
	c.Widest = c.Widest[:min(Most, len(c.Widest))]
	c.Questions = res.QuestionGaps(attribute, a, b)
	widestFirst(c.Questions)
	return c
}

// widestFirst sorts gaps by their width, widest first, ties in their order.
func widestFirst(gaps []analysis.OptionGap) {
	width := func(g analysis.OptionGap) float64 {
		if g.Metric == analysis.ENPSKey {
			return math.Abs(g.Delta) / 2
		}
		return math.Abs(g.Delta)
	}
	slices.SortStableFunc(gaps, func(x, y analysis.OptionGap) int { return cmp.Compare(width(y), width(x)) })
}
