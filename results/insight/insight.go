// Package insight reads the results of a closed survey for people, one group at a time: its
// strengths and weaknesses, its significant changes since the year before, the drivers of
// activity that matter, and the focus categories an action plan could take. The report's
// summary, the plans page and the staff edition only render what it returns: one rule, in one
// place, tested without HTTP.
//
// Every finding is made of numbers the report already publishes (analysis.SurveyResult after
// suppression, DESIGN §6.5): a withheld metric is never ranked, a withheld group has no
// findings, and nothing here computes a statistic of its own.
package insight

import (
	"cmp"
	"slices"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// DriverMatters is the correlation from which a driver is named: a moderate one (|r| ≥ 0.3,
// Cohen).
const DriverMatters = 0.3

// Most is how many categories each kind of finding names at most.
const Most = 3

// Score is one category's published score in a group.
type Score struct {
	Category string
	Score    float64
}

// Kind is why a plan could focus on a category.
type Kind int

// The kinds of suggestion, in the order the plans page lists them.
const (
	LowScore Kind = iota // among the group's weakest categories
	Drop                 // a significant drop since the year before
	Driver               // a strong driver of activity over the whole organisation
)

// Suggestion is one reason to focus a plan on a category, with its number.
type Suggestion struct {
	Category string
	Kind     Kind
	Score    float64         // LowScore: the category's score
	Change   analysis.Change // Drop: the change
	R        float64         // Driver: the correlation with activity
}

// Findings are what the results say about one group.
type Findings struct {
	Section string
	// Shown is false when the report withholds the group: then every list is empty.
	Shown bool
	// Strengths and Weaknesses are the group's highest and lowest categories, at most Most
	// each and never more than half of the shown ones, so that none is both: best first and
	// lowest first. Of tied scores the one earlier in the questionnaire counts as higher.
	Strengths, Weaknesses []Score
	// Lowest are the group's Most lowest categories, lowest first: Weaknesses and, when few
	// categories are shown, more.
	Lowest []Score
	// Compared is true when there was a year before to compare with (prev not nil).
	Compared bool
	// Changes are the group's significant changes since the year before: the activity index
	// first, then the categories in questionnaire order.
	Changes []analysis.Change
	// Drivers are the organisation's categories most tied to activity, r ≥ DriverMatters,
	// strongest first, at most Most.
	Drivers []analysis.Driver
	// Priorities are the Drivers' categories that are also among the group's Lowest: where
	// effort is likeliest to pay.
	Priorities []string
	// Suggestions are the focus categories a plan could take: the Lowest, then the biggest
	// significant drops of categories (at most Most), then the Drivers.
	Suggestions []Suggestion
}

// Of returns the findings of section in res, comparing with prev (the year before; nil for none).
func Of(q *survey.Questionnaire, res, prev *analysis.SurveyResult, section string) Findings {
	f := Findings{Section: section}
	g := res.Group(section)
	if !g.Shown() {
		return f
	}
	f.Shown = true

	var scores []Score
	for _, c := range q.Categories {
		if m := g.Categories[c.ID]; m != nil && m.Score != nil {
			scores = append(scores, Score{c.ID, *m.Score})
		}
	}
	// One order, highest first, ties in questionnaire order: the strengths are its head, the
	// lowest its tail read backwards, so that no category is both.
	slices.SortStableFunc(scores, func(a, b Score) int { return cmp.Compare(b.Score, a.Score) })
	f.Lowest = slices.Clone(scores[len(scores)-min(Most, len(scores)):])
	slices.Reverse(f.Lowest)
	n := min(Most, len(scores)/2)
	f.Strengths, f.Weaknesses = scores[:n], f.Lowest[:n]

	var drops []analysis.Change
	if prev != nil {
		f.Compared = true
		byKey := map[string]analysis.Change{}
		for _, ch := range analysis.Changes(prev, res) {
			if ch.Section == section && ch.Significant() {
				byKey[ch.Category] = ch
			}
		}
		keys := []string{analysis.ActivityKey}
		for _, c := range q.Categories {
			keys = append(keys, c.ID)
		}
		for _, k := range keys {
			if ch, ok := byKey[k]; ok {
				f.Changes = append(f.Changes, ch)
				if ch.Delta < 0 && k != analysis.ActivityKey {
					drops = append(drops, ch)
				}
			}
		}
		slices.SortStableFunc(drops, func(a, b analysis.Change) int { return cmp.Compare(a.Delta, b.Delta) })
		drops = drops[:min(Most, len(drops))]
	}

	for _, d := range analysis.RankDrivers(res.Drivers) {
		if d.R == nil || *d.R < DriverMatters || len(f.Drivers) == Most {
			continue
		}
		f.Drivers = append(f.Drivers, d)
		if slices.ContainsFunc(f.Lowest, func(s Score) bool { return s.Category == d.Category }) {
			f.Priorities = append(f.Priorities, d.Category)
		}
	}

	for _, s := range f.Lowest {
		f.Suggestions = append(f.Suggestions, Suggestion{Category: s.Category, Kind: LowScore, Score: s.Score})
	}
	for _, ch := range drops {
		f.Suggestions = append(f.Suggestions, Suggestion{Category: ch.Category, Kind: Drop, Change: ch})
	}
	for _, d := range f.Drivers {
		f.Suggestions = append(f.Suggestions, Suggestion{Category: d.Category, Kind: Driver, R: *d.R})
	}
	return f
}
