package analysis

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Build puts per-survey results together into a report: the surveys sorted by year (then
// id) and the changes between each consecutive pair (docs/analysis.md, "Changes"). It needs no responses:
// the results keep the moments a Welch test needs. The results are not modified.
func Build(results ...*SurveyResult) *Report {
	surveys := slices.Clone(results)
	surveys = slices.DeleteFunc(surveys, func(s *SurveyResult) bool { return s == nil })
	slices.SortStableFunc(surveys, func(a, b *SurveyResult) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.ID, b.ID))
	})
	r := &Report{Surveys: surveys, Changes: []Change{}}
	for i := 1; i < len(surveys); i++ {
		r.Changes = append(r.Changes, Changes(surveys[i-1], surveys[i])...)
	}
	if r.Surveys == nil {
		r.Surveys = []*SurveyResult{}
	}
	return r
}

// Changes returns the changes from one survey to a later one: for every section shown in both
// (matched by code, in the pre-order of to), each category present in both (in the file order
// of to) and the activity index, when both years have at least the minimum number of
// respondents. Sections or categories new in to, or gone from it, have no change.
func Changes(from, to *SurveyResult) []Change {
	var out []Change
	for _, g := range to.Groups {
		a, b := from.samples[g.Section], to.samples[g.Section]
		if a == nil || b == nil {
			continue // suppressed, empty or absent in one of the years
		}
		for _, key := range append(slices.Clip(to.categories), ActivityKey) {
			x, okx := a[key]
			y, oky := b[key]
			if !okx || !oky {
				continue
			}
			out = append(out, Change{Section: g.Section, Category: key, From: from.Year, To: to.Year,
				Delta: y.mean - x.mean, P: num(welch(x, y))})
		}
	}
	return append(out, optionChanges(from, to)...)
}

// welch returns the two-sided p-value of Welch's unequal-variances t-test of the means of a
// and b, or NaN when it is undefined (fewer than two values, or no variance in either).
func welch(a, b moments) float64 {
	if a.n < 2 || b.n < 2 {
		return math.NaN()
	}
	va, vb := a.variance()/float64(a.n), b.variance()/float64(b.n)
	se2 := va + vb
	if se2 <= 0 {
		return math.NaN()
	}
	t := (b.mean - a.mean) / math.Sqrt(se2)
	df := se2 * se2 / (va*va/float64(a.n-1) + vb*vb/float64(b.n-1))
	// Survival in the upper tail keeps precision for small p, where 1−CDF would cancel.
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// Significance is the p-value below which a change counts as significant: reports highlight
// it, list it and mark it on the heatmap.
const Significance = 0.05

// Significant reports whether the change's p-value is below Significance.
func (c Change) Significant() bool { return c.P != nil && *c.P < Significance }

// RankDrivers returns the drivers strongest first (by r, descending), those without r last,
// ties in their original order. ds is not modified.
func RankDrivers(ds []Driver) []Driver {
	out := slices.Clone(ds)
	slices.SortStableFunc(out, func(a, b Driver) int {
		switch {
		case a.R == nil && b.R == nil:
			return 0
		case a.R == nil:
			return 1
		case b.R == nil:
			return -1
		}
		return cmp.Compare(*b.R, *a.R)
	})
	return out
}
