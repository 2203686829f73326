package analysis

import (
	"math"

	"staffsurvey/survey"
)

// Report is the output of `staffsurvey analyze --json` (docs/analysis.md): the surveys in year
// order and the changes between consecutive ones.
type Report struct {
	Surveys []*SurveyResult `json:"surveys"`
	Changes []Change        `json:"changes"`
}

// SurveyResult is the analysis of one survey, already suppressed (docs/analysis.md, "Suppression").
// It also keeps, unexported, the moments of every shown metric so that Build can test
// changes between years without the responses. A closed survey's result does not change
// until its survey.Survey.Revision does, so callers cache it (package results does).
type SurveyResult struct {
	ID           string   `json:"id"`
	Year         int      `json:"year"`
	MinGroupSize int      `json:"min_group_size"`
	Groups       []*Group `json:"groups"` // the organisation tree in pre-order, root "all" first
	Drivers      []Driver `json:"drivers"`
	// Attributes are the option groups of every attribute, in file order (docs/analysis.md,
	// "Attributes"); absent for a survey without attributes.
	Attributes []*AttributeResult `json:"attributes,omitempty"`
	// Disclosure says what the cross-partition check found and how long it took; not JSON.
	Disclosure DisclosureStats `json:"-"`

	optionSamples map[string]map[string]map[string]moments // attribute → option → metric → moments
	categories    []string                                 // category ids in file order
	samples       map[string]map[string]moments            // section → category or "activity" → moments of shown metrics
	commentK      int                                      // min_comment_group_size, for ExportComments
	tree          *survey.Tree                             // the organisation tree of Groups, for ExportComments
}

// Group is one node of the organisation tree: the whole organisation ("all") or a section.
// A suppressed group carries its N and nothing else; so does an empty one (N = 0).
type Group struct {
	Section    string `json:"section"`
	N          int    `json:"n"` // respondents in the section and all sections below it
	Suppressed bool   `json:"suppressed"`
	// Categories is keyed by category id.
	Categories   map[string]*Category `json:"categories"`
	Satisfaction *Satisfaction        `json:"satisfaction"` // nil also when the questionnaire has no such item
	ENPS         *ENPS                `json:"enps"`         // likewise
	Activity     *Activity            `json:"activity"`

	// Depth is 0 for the root, 1 for its children and so on; Parent is "" for the root.
	// They are for drawing the tree and are not part of the JSON contract.
	Depth  int    `json:"-"`
	Parent string `json:"-"`
}

// Shown reports whether g has metrics to show: it is neither suppressed nor empty.
func (g *Group) Shown() bool { return g != nil && !g.Suppressed && g.N > 0 }

// Category is the score of one category in a group (docs/analysis.md, "Group category"). When N is below the
// minimum group size every other field is nil; likewise when the remainder rule, applied to
// the category's own counts, withholds it. The same holds for Satisfaction, ENPS and Activity.
type Category struct {
	N          int      `json:"n"`          // respondents with a defined category score
	Score      *float64 `json:"score"`      // 0–100, mean of the respondents' scores
	Favourable *float64 `json:"favourable"` // % of answered items in the top two boxes
	SD         *float64 `json:"sd"`
	CILow      *float64 `json:"ci_low"` // 95% t-interval of Score
	CIHigh     *float64 `json:"ci_high"`
	Alpha      *float64 `json:"alpha"` // Cronbach's α; nil when undefined (see docs/analysis.md, "Group category")
	// Items are the per-question results, in file order, over the same respondents as the
	// category (docs/analysis.md, "Per-question results"); present only while Score is.
	Items []ItemResult `json:"items,omitempty"`
}

// ItemResult is one question of a shown category in a group: of the category's respondents
// who answered it (N), the shares (%) in the top two boxes, the bottom two and between. The
// shares are nil when the remainder rule withholds the category's questions in the group.
type ItemResult struct {
	ID           string   `json:"id"`
	N            int      `json:"n"`
	Favourable   *float64 `json:"favourable"`
	Neutral      *float64 `json:"neutral"`
	Unfavourable *float64 `json:"unfavourable"`
}

// Satisfaction is the overall-satisfaction outcome of a group (docs/analysis.md, "Outcomes").
type Satisfaction struct {
	N          int      `json:"n"`
	Score      *float64 `json:"score"`
	Favourable *float64 `json:"favourable"`
}

// ENPS is the employee Net Promoter Score of a group: % promoters (9–10) − % detractors (0–6).
type ENPS struct {
	N     int      `json:"n"`
	Score *float64 `json:"score"`
}

// Activity is 組織活性度 of a group (docs/analysis.md, "組織活性度").
type Activity struct {
	N          int      `json:"n"` // respondents with both a motivation and a cohesion score
	Motivation *float64 `json:"motivation"`
	Cohesion   *float64 `json:"cohesion"`
	Index      *float64 `json:"index"`
	Type       *Type    `json:"type"`
	Types      *Types   `json:"types"`
}

// Type is the 組織活性度 type of a group or a respondent.
type Type string

// The four types, by motivation and cohesion against the cutoff.
const (
	TypeActive             Type = "active"              // 活性型: both high
	TypeWorkFocused        Type = "work-focused"        // 仕事専念型: motivation only
	TypeBelongingDependent Type = "belonging-dependent" // 帰属依存型: cohesion only
	TypeStagnant           Type = "stagnant"            // 停滞型: neither
)

// TypeOf classifies motivation m and cohesion i against cutoff.
func TypeOf(m, i, cutoff float64) Type {
	switch {
	case m >= cutoff && i >= cutoff:
		return TypeActive
	case m >= cutoff:
		return TypeWorkFocused
	case i >= cutoff:
		return TypeBelongingDependent
	}
	return TypeStagnant
}

// Title returns the name of the type for pages and charts.
func (t Type) Title() survey.Text {
	switch t {
	case TypeActive:
		return survey.Text{JA: "活性型", EN: "Active"}
	case TypeWorkFocused:
		return survey.Text{JA: "仕事専念型", EN: "Work-focused"}
	case TypeBelongingDependent:
		return survey.Text{JA: "帰属依存型", EN: "Belonging-dependent"}
	case TypeStagnant:
		return survey.Text{JA: "停滞型", EN: "Stagnant"}
	}
	return survey.Text{JA: string(t)}
}

// Types are the shares (%) of a group's respondents of each type; they add up to 100.
type Types struct {
	Active             float64 `json:"active"`
	WorkFocused        float64 `json:"work-focused"`
	BelongingDependent float64 `json:"belonging-dependent"`
	Stagnant           float64 `json:"stagnant"`
}

// Driver is the Pearson correlation, over all respondents, between a category without an axis
// and the respondent activity index (M+I)/2 (docs/analysis.md, "Drivers"). N counts the respondents with
// both. R is nil when N < 3, when either has no variance, and also, like every other metric,
// when N is below the minimum group size. Drivers are listed only while the whole
// organisation is shown.
type Driver struct {
	Category string   `json:"category"`
	N        int      `json:"n"`
	R        *float64 `json:"r"`
}

// Change is the change of a category score (or of "activity", the respondent index) of a
// section between two consecutive surveys (docs/analysis.md, "Changes").
type Change struct {
	// Section is the section of a change by section; Attribute and Option those of a change
	// of an option group (docs/analysis.md, "Attributes"), which has no Section.
	Section   string   `json:"section,omitempty"`
	Attribute string   `json:"attribute,omitempty"`
	Option    string   `json:"option,omitempty"`
	Category  string   `json:"category"` // a category id or ActivityKey
	From      int      `json:"from"`     // years
	To        int      `json:"to"`
	Delta     float64  `json:"delta"` // mean(to) − mean(from)
	P         *float64 `json:"p"`     // Welch's two-sided p; nil when both years have zero variance
}

// ActivityKey is the Change.Category of the activity index.
const ActivityKey = "activity"

// Group returns the group of section code, or nil.
func (s *SurveyResult) Group(code string) *Group {
	for _, g := range s.Groups {
		if g.Section == code {
			return g
		}
	}
	return nil
}

// Categories returns the category ids of the survey in file order: the columns of a heatmap.
func (s *SurveyResult) Categories() []string { return s.categories }

// Heatmap returns the category scores of every group in pre-order, for a heatmap: rows are
// groups, columns are Categories(). A nil cell is suppressed or has too few respondents.
func (s *SurveyResult) Heatmap() *Heatmap {
	h := &Heatmap{Columns: s.categories}
	for _, g := range s.Groups {
		row := HeatmapRow{Section: g.Section, Depth: g.Depth, N: g.N, Suppressed: g.Suppressed,
			Cells: make([]*float64, len(s.categories))}
		if g.Categories != nil {
			for i, id := range s.categories {
				if c := g.Categories[id]; c != nil {
					row.Cells[i] = c.Score
				}
			}
		}
		if g.Activity != nil {
			row.Activity = g.Activity.Index
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}

// Heatmap is a group × category table of scores.
type Heatmap struct {
	Columns []string     `json:"columns"` // category ids
	Rows    []HeatmapRow `json:"rows"`
}

// HeatmapRow is one group of a Heatmap.
type HeatmapRow struct {
	Section    string     `json:"section"`
	Depth      int        `json:"depth"`
	N          int        `json:"n"`
	Suppressed bool       `json:"suppressed"`
	Cells      []*float64 `json:"cells"`    // one per column
	Activity   *float64   `json:"activity"` // the 組織活性度 index
}

// TrendPoint is one year of a Trend.
type TrendPoint struct {
	Year   int    `json:"year"`
	Survey string `json:"survey"`
	// N is the metric's own n in a shown group, the group's n in a suppressed one, and 0 when
	// the section is absent that year: with Score nil and N ≥ the minimum, the point was
	// withheld by the remainder rule rather than for too few respondents.
	N     int      `json:"n"`
	Score *float64 `json:"score"` // nil when suppressed, absent or below the minimum
}

// Trend returns, for each survey of the report in year order, the score of category (a
// category id, or ActivityKey for the activity index) in section.
func (r *Report) Trend(section, category string) []TrendPoint {
	var out []TrendPoint
	for _, s := range r.Surveys {
		p := TrendPoint{Year: s.Year, Survey: s.ID}
		if g := s.Group(section); g != nil {
			p.N, p.Score = metricPoint(g.N, g.Activity, g.Categories, category)
		}
		out = append(out, p)
	}
	return out
}

// metricPoint is the n and score of metric (a category id, or ActivityKey) in a group of n
// respondents with those activity and categories: the metric's own n and score when the group
// shows it, else the group's n and no score.
func metricPoint(n int, act *Activity, cats map[string]*Category, metric string) (int, *float64) {
	switch {
	case metric == ActivityKey && act != nil:
		return act.N, act.Index
	case cats != nil && cats[metric] != nil:
		return cats[metric].N, cats[metric].Score
	}
	return n, nil
}

// num returns a pointer to x, or nil for NaN and ±Inf, which JSON cannot carry.
func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
