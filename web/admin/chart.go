package admin

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"unicode/utf8"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Charts are drawn on the server, as HTML and inline SVG placed by the templates
// (admin_chart in _admin.html), not by a chart library in the browser: a page that draws
// with echarts loads at least 435 KB of script (its core with one chart type and the grid,
// minified), and a manager's report on a phone should load under 400 KB. Charts drawn here
// need no script, print as sharply as the text and follow the width of the page. Bars and
// marks are placed in per cent of their row's width and in pixels of its height, so that the
// text beside them stays the page's size on a phone. Numbers are the analysis package's,
// only rounded for display here.

// chart is one chart of a page: exactly one of its kinds is set.
type chart struct {
	ID    string // the element id of the chart
	Label string // what the chart shows, for screen readers
	// Legend, when not empty, is drawn in HTML under the chart: it wraps like text on a
	// narrow phone instead of covering the axis.
	Legend []legendEntry

	Lines   *lineChart    // scores over the years (linechart.go)
	Live    template.JS   // with Lines: the same chart as an echarts option, drawn on screen by static/trends.js
	Heat    *heatTable    // a table of coloured cells
	Bars    *barChart     // horizontal bars with whiskers and marks
	Stacks  *stackChart   // stacked horizontal bars of shares (the four types)
	Scatter *scatterChart // the quadrant of motivation × cohesion
}

// legendEntry is one line of a chart's HTML legend: a line (trends), or a swatch when Swatch.
type legendEntry struct {
	Name, Colour string
	Dashed       bool
	Swatch       bool
}

// Colours of the charts: colour-blind-safe, readable on paper.
var (
	typeColours = map[analysis.Type]string{
		analysis.TypeActive:             "#2b7bba",
		analysis.TypeWorkFocused:        "#7fb8de",
		analysis.TypeBelongingDependent: "#f0a04b",
		analysis.TypeStagnant:           "#c0392b",
	}
	lineColours = []string{"#1f5fa8", "#c0392b", "#2a9d8f", "#e9a23b", "#6a4c93", "#8d6e63", "#ef476f", "#118ab2", "#5c946e", "#9e2a2b"}
)

// round1 rounds a finished score for display.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// pct formats a position or a width in per cent of a row.
func pct(x float64) string { return fmt.Sprintf("%.2f%%", math.Max(0, math.Min(100, x))) }

// heatmapColumn is one column of the heatmap: a category, or the activity index.
type heatmapColumn struct {
	key   string // category id, or analysis.ActivityKey
	title string
}

// heatTable is a heatmap drawn as a table: rows × columns of cells coloured in bands.
type heatTable struct {
	Cols  []string
	Rows  []heatRow
	Bands []heatBand // the colour bands, for the key above the table
}

// heatRow is a row of the heatmap.
type heatRow struct {
	Name  string
	Cells []heatCell
}

// heatCell is a cell: a score in its band, or a withheld mark (Band -1) that carries no
// number at all. Title is what a pointer's hover shows.
type heatCell struct {
	Text, Title string
	Band        int
}

// heatBand is a colour band of the heatmap, from Lo (inclusive) to Hi.
type heatBand struct {
	Label string
	Lo    float64
}

// heatBands are the colour bands of the heatmap: reds below the cutoff of 組織活性度, blues
// from it up (the CSS classes heat-0 … heat-5). Colours are light enough for dark text.
func heatBands(cutoff float64) []heatBand {
	c := round1(cutoff)
	return []heatBand{
		{"< 40", math.Inf(-1)}, {"40–50", 40}, {fmt.Sprintf("50–%g", c), 50},
		{fmt.Sprintf("%g–75", c), c}, {"75–85", 75}, {"≥ 85", 85},
	}
}

// bandOf is the band of score v.
func bandOf(bands []heatBand, v float64) int {
	b := 0
	for i, band := range bands {
		if v >= band.Lo {
			b = i
		}
	}
	return b
}

// heatmapChart draws groups (rows, pre-order) × the activity index and categories (columns).
// A cell of a suppressed group, or of a metric with fewer than min_group_size respondents, is
// a grey 「n<k」 mark and carries no number at all.
//
// Cells whose score changed significantly since the previous survey (changes, keyed by
// section and category or analysis.ActivityKey) carry ▲ or ▼ after the score.
func heatmapChart(res *analysis.SurveyResult, q *survey.Questionnaire, changes map[[2]string]analysis.Change, lang page.Lang) (chart, error) {
	cols := heatmapColumns(q, lang)
	names, short := sectionNames(q, lang), shortNames(q, lang)
	h := newHeatTable(cols, q.Cutoff())
	for _, g := range res.Groups {
		if g.N == 0 {
			continue // nobody answered: nothing to show or hide
		}
		row := heatRow{Name: short[g.Section]}
		for _, col := range cols {
			score, n := cellOf(g, col.key)
			where := names[g.Section] + " / " + col.title
			if score == nil {
				withheld := n
				if g.Suppressed {
					withheld = g.N
				}
				row.Cells = append(row.Cells, withheldCell(where, page.WithheldMark(res.MinGroupSize, withheld, lang)))
				continue
			}
			ch, changed := changes[[2]string{g.Section, col.key}]
			row.Cells = append(row.Cells, scoreCell(h.Bands, where, *score, n, ch, changed, lang))
		}
		h.Rows = append(h.Rows, row)
	}
	return chart{ID: "chart-heatmap", Label: lang.Pick("所属 × カテゴリのスコア", "Scores by section and category"), Heat: h}, nil
}

// newHeatTable is an empty heatmap of cols.
func newHeatTable(cols []heatmapColumn, cutoff float64) *heatTable {
	h := &heatTable{Bands: heatBands(cutoff)}
	for _, c := range cols {
		h.Cols = append(h.Cols, c.title)
	}
	return h
}

// heatmapColumns are the heatmap's columns: the activity index, then every category.
func heatmapColumns(q *survey.Questionnaire, lang page.Lang) []heatmapColumn {
	cols := []heatmapColumn{{analysis.ActivityKey, lang.Pick("組織活性度", "Activity")}}
	for _, c := range q.Categories {
		cols = append(cols, heatmapColumn{c.ID, c.ShortTitle(string(lang))})
	}
	return cols
}

// withheldCell is the grey mark of a withheld cell: it carries no number at all.
func withheldCell(where, mark string) heatCell {
	return heatCell{Text: mark, Title: where + ": " + mark, Band: -1}
}

// scoreCell is a shown score with its n in the hover text and, when it changed significantly
// since the previous survey (changed), ▲ or ▼ after it.
func scoreCell(bands []heatBand, where string, score float64, n int, ch analysis.Change, changed bool, lang page.Lang) heatCell {
	v := round1(score)
	tip, label := fmt.Sprintf("%s: %.1f (n=%d)", where, v, n), fmt.Sprintf("%.1f", v)
	if changed {
		arrow := "▲"
		if ch.Delta < 0 {
			arrow = "▼"
		}
		label += arrow
		tip += fmt.Sprintf(" %s%s %s (p=%s)", arrow, lang.Pick("前回比", "since last year"), page.FmtNum(&ch.Delta, 1, true), page.FmtP(ch.P))
	}
	return heatCell{Text: label, Title: tip, Band: bandOf(bands, v)}
}

// cellOf returns the score of column key in g and the respondents behind it, or nil when the
// group is suppressed or the metric is below the minimum.
func cellOf(g *analysis.Group, key string) (*float64, int) {
	if key == analysis.ActivityKey {
		if g.Activity != nil {
			return g.Activity.Index, g.Activity.N
		}
		return nil, 0
	}
	if g.Categories != nil && g.Categories[key] != nil {
		return g.Categories[key].Score, g.Categories[key].N
	}
	return nil, 0
}

// shortNames maps every section code of q (and the root) to its short name in lang, for chart
// axes and labels where full names would be cut (survey.ShortName).
func shortNames(q *survey.Questionnaire, lang page.Lang) map[string]string {
	m := map[string]string{}
	for _, s := range q.Tree() {
		m[s.Code] = lang.Text(s.Short)
	}
	return m
}

// sectionNames maps every section code of q (and the root) to its name in lang.
func sectionNames(q *survey.Questionnaire, lang page.Lang) map[string]string {
	m := map[string]string{}
	for _, s := range q.Tree() {
		m[s.Code] = lang.Text(s.Name)
	}
	return m
}

// barChart is horizontal bars on a common scale, each with an optional whisker (an interval)
// and an optional mark (last year's score).
type barChart struct {
	Ticks []barTick
	Rows  []barRow
}

// barTick is a value of the scale at X per cent of the bars' width.
type barTick struct{ X, Text string }

// barRow is one bar: from X0 to X1 (per cent), its value Text beside it, a whisker from WLo
// to WHi and a mark at Mark when not empty.
type barRow struct {
	Title, Text, Colour string
	X0, Width           string
	WLo, WHi, Mark      string
	Label               string // the row in words, for screen readers and a pointer's hover
}

// barScale places values from lo to hi on 0–100 per cent, with ticks every step.
func barScale(lo, hi, step float64, format string) (func(float64) float64, []barTick) {
	pos := func(v float64) float64 { return (v - lo) / (hi - lo) * 100 }
	var ticks []barTick
	for v := lo; v <= hi+1e-9; v += step {
		ticks = append(ticks, barTick{X: pct(pos(v)), Text: fmt.Sprintf(format, v)})
	}
	return pos, ticks
}

// categoryBarsChart draws the organisation's category scores as horizontal bars with their
// 95% confidence intervals as whiskers, last year's score as a mark, and bars of significant
// changes (p < 0.05) in a strong colour.
func categoryBarsChart(rows []categoryRow, lang page.Lang) (chart, error) {
	// The axis fits the data (scores, intervals, last year) in whole tens, so that 55 and 61
	// do not look alike on a 0–100 axis.
	lo, hi := 100.0, 0.0
	for _, r := range rows {
		for _, x := range []*float64{r.Score, r.CILow, r.CIHigh, r.Prev} {
			if x != nil {
				lo, hi = math.Min(lo, *x), math.Max(hi, *x)
			}
		}
	}
	if lo > hi {
		lo, hi = 0, 100
	}
	lo, hi = math.Max(0, math.Floor((lo-5)/10)*10), math.Min(100, math.Ceil((hi+3)/10)*10)
	pos, ticks := barScale(lo, hi, 10, "%g")
	b := &barChart{Ticks: ticks}
	hasPrev := false
	for _, r := range rows {
		row := barRow{Title: r.Title, Text: "—", Label: r.Title + " —"}
		if r.Score != nil {
			s := round1(*r.Score)
			row.Colour = "#7fa6d1"
			if r.Significant {
				row.Colour = "#1f5fa8"
				if r.Delta != nil && *r.Delta < 0 {
					row.Colour = "#c0392b"
				}
			}
			row.X0, row.Width, row.Text = pct(0), pct(pos(s)), r.BarLabel
			row.Label = r.Title + " " + r.BarLabel
			if r.CILow != nil && r.CIHigh != nil {
				row.WLo, row.WHi = pct(pos(round1(*r.CILow))), pct(pos(round1(*r.CIHigh)))
				row.Label += fmt.Sprintf(lang.Pick("（95%%信頼区間 %.1f–%.1f）", " (95%% CI %.1f–%.1f)"), round1(*r.CILow), round1(*r.CIHigh))
			}
		}
		if r.Prev != nil {
			p := round1(*r.Prev)
			row.Mark = pct(pos(p))
			row.Label += fmt.Sprintf(lang.Pick("、前回 %.1f", ", last year %.1f"), p)
			hasPrev = true
		}
		b.Rows = append(b.Rows, row)
	}
	ch := chart{ID: "chart-categories", Label: lang.Pick("カテゴリ別スコアと95%信頼区間", "Category scores with 95% confidence intervals"), Bars: b,
		Legend: []legendEntry{{Name: lang.Pick("スコア", "Score"), Colour: "#7fa6d1", Swatch: true},
			{Name: lang.Pick("95% 信頼区間", "95% CI"), Colour: "#1d2733"}}}
	if hasPrev {
		ch.Legend = append(ch.Legend, legendEntry{Name: lang.Pick("前回", "Last year"), Colour: "#e9a23b", Swatch: true})
	}
	return ch, nil
}

// driversChart ranks the categories without an axis by their correlation with the activity
// index (docs/analysis.md, "Drivers").
func driversChart(rows []driverRow, lang page.Lang) (chart, error) {
	lowest := 0.0 // the axis starts at 0 unless a driver is negative
	for _, d := range rows {
		if d.R != nil && *d.R < 0 {
			lowest = -1
		}
	}
	pos, ticks := barScale(lowest, 1, 0.2, "%.1f")
	b := &barChart{Ticks: ticks}
	for _, d := range rows {
		row := barRow{Title: d.Title, Text: "—", Label: d.Title + " —"}
		if d.R != nil {
			r := math.Round(*d.R*100) / 100
			x0, x1 := pos(0), pos(r)
			row.X0, row.Width, row.Colour = pct(math.Min(x0, x1)), pct(math.Abs(x1-x0)), "#2a9d8f"
			row.Text = fmt.Sprintf("%.2f", r)
			row.Label = d.Title + " " + row.Text
		}
		b.Rows = append(b.Rows, row)
	}
	return chart{ID: "chart-drivers", Label: lang.Pick("組織活性度との相関（ドライバー）", "Correlation with the activity index (drivers)"), Bars: b}, nil
}

// stackChart is rows of shares that add up to 100%, as stacked bars in the colours of the
// four types (the page lists the types, in the same colours, above).
type stackChart struct {
	Rows []stackRow
}

// stackRow is one stacked bar.
type stackRow struct {
	Title string
	Parts []stackPart
	Label string // the row in words
}

// stackPart is one part of a stacked bar, at X per cent with Width per cent.
type stackPart struct {
	Key      analysis.Type
	X, Width string
	Title    string // "活性型 31.2%"
}

// newStackRow is the stacked bar of t's four types.
func newStackRow(title string, t *analysis.Types, lang page.Lang) stackRow {
	row := stackRow{Title: title, Label: title}
	x := 0.0
	for _, p := range []struct {
		typ analysis.Type
		v   float64
	}{{analysis.TypeActive, t.Active}, {analysis.TypeWorkFocused, t.WorkFocused},
		{analysis.TypeBelongingDependent, t.BelongingDependent}, {analysis.TypeStagnant, t.Stagnant}} {
		v := round1(p.v)
		name := fmt.Sprintf("%s %.1f%%", lang.Text(p.typ.Title()), v)
		row.Parts = append(row.Parts, stackPart{Key: p.typ, X: pct(x), Width: pct(v), Title: name})
		row.Label += lang.Pick("、", ", ") + name
		x += v
	}
	return row
}

// typesChart draws the four-type distribution of 組織活性度 (%) for the organisation and
// every shown section, as stacked horizontal bars.
func typesChart(res *analysis.SurveyResult, q *survey.Questionnaire, lang page.Lang) (chart, error) {
	names := shortNames(q, lang)
	s := &stackChart{}
	for _, g := range res.Groups {
		if g.Activity == nil || g.Activity.Types == nil {
			continue
		}
		s.Rows = append(s.Rows, newStackRow(names[g.Section], g.Activity.Types, lang))
	}
	return chart{ID: "chart-types", Label: lang.Pick("組織活性度の4タイプの構成比", "Shares of the four activity types"), Stacks: s}, nil
}

// scatterChart is the quadrant chart, drawn in an SVG of its own coordinates (W × H) that
// scales to the page's width.
type scatterChart struct {
	W, H       int
	X0, Y0     float64 // the plot's top left corner
	X1, Y1     float64 // its bottom right
	XTicks     []scatterTick
	YTicks     []scatterTick
	Areas      []scatterArea
	CutX, CutY float64
	Points     []scatterPoint
	XName      string // the horizontal axis' name, under it
	YName      string // the vertical axis' name, above it
}

// scatterTick is a value of an axis at Pos.
type scatterTick struct {
	Pos  float64
	Text string
}

// scatterArea is a quadrant: a tinted rectangle with the type's name in its outer corner.
type scatterArea struct {
	X, Y, W, H   float64
	Tint         string
	Name         string
	TX, TY       float64
	Anchor       string // text-anchor of the name
	Key          analysis.Type
	BaselineDown bool
}

// scatterPoint is a section at (X, Y) with its name beside it unless it would overlap
// another's (Label empty).
type scatterPoint struct {
	X, Y, R float64
	Label   string
	LX, LY  float64 // where the label starts
	Title   string  // the point in words, for a pointer's hover
}

// scatterText is the size of the quadrant's texts in its own units (static/admin.css sets the
// same): the chart is at most 32rem wide, 480 units, so on a 390-pixel phone a unit is about
// 0.7 pixel and the names are still about 10.5 pixels high; on a desktop they are 16.
const scatterText = 15

// quadrantChart places the organisation and every shown section by motivation (x) and
// cohesion (y), with the cutoff lines that divide the four types.
func quadrantChart(res *analysis.SurveyResult, q *survey.Questionnaire, lang page.Lang) (chart, error) {
	names := shortNames(q, lang)
	type pt struct {
		name string
		m, i float64
		root bool
	}
	var pts []pt
	lo, hi := q.Cutoff(), q.Cutoff()
	for _, g := range res.Groups {
		if g.Activity == nil || g.Activity.Motivation == nil || g.Activity.Cohesion == nil {
			continue
		}
		m, i := round1(*g.Activity.Motivation), round1(*g.Activity.Cohesion)
		lo, hi = math.Min(lo, math.Min(m, i)), math.Max(hi, math.Max(m, i))
		pts = append(pts, pt{names[g.Section], m, i, g.Section == survey.Root})
	}
	lo, hi = math.Max(0, math.Floor((lo-3)/10)*10), math.Min(100, math.Ceil((hi+3)/10)*10) // whole tens, with a margin
	cut := round1(q.Cutoff())
	s := &scatterChart{W: 480, H: 420, X0: 36, Y0: 24, X1: 400, Y1: 380,
		XName: lang.Pick("仕事への意欲 →", "Motivation →"), YName: lang.Pick("↑ 組織への一体感", "↑ Cohesion")}
	x := func(v float64) float64 { return s.X0 + (v-lo)/(hi-lo)*(s.X1-s.X0) }
	y := func(v float64) float64 { return s.Y1 - (v-lo)/(hi-lo)*(s.Y1-s.Y0) }
	for v := lo; v <= hi+1e-9; v += 10 {
		s.XTicks = append(s.XTicks, scatterTick{x(v), fmt.Sprint(v)})
		s.YTicks = append(s.YTicks, scatterTick{y(v), fmt.Sprint(v)})
	}
	s.CutX, s.CutY = x(cut), y(cut)
	area := func(typ analysis.Type, x0, y0, x1, y1 float64, tint string, right, top bool) scatterArea {
		a := scatterArea{X: x0, Y: y0, W: x1 - x0, H: y1 - y0, Tint: tint, Name: lang.Text(typ.Title()), Key: typ, Anchor: "start", TX: x0 + 6, TY: y0 + 6 + scatterText}
		if right {
			a.Anchor, a.TX = "end", x1-6
		}
		if !top {
			a.TY = y1 - 6
		}
		return a
	}
	s.Areas = []scatterArea{
		area(analysis.TypeActive, s.CutX, s.Y0, s.X1, s.CutY, "rgba(43,123,186,0.08)", true, true),
		area(analysis.TypeWorkFocused, s.CutX, s.CutY, s.X1, s.Y1, "rgba(0,0,0,0)", true, false),
		area(analysis.TypeBelongingDependent, s.X0, s.Y0, s.CutX, s.CutY, "rgba(0,0,0,0)", false, true),
		area(analysis.TypeStagnant, s.X0, s.CutY, s.CutX, s.Y1, "rgba(192,57,43,0.06)", false, false),
	}
	// Names that would overlap another name or the quadrants' titles are left out (the table
	// under the chart has every point); the organisation's is placed first.
	sort.SliceStable(pts, func(a, b int) bool { return pts[a].root && !pts[b].root })
	type box struct{ x0, y0, x1, y1 float64 }
	var taken []box
	for _, a := range s.Areas {
		w := textWidth(a.Name, scatterText)
		bx := box{a.TX, a.TY - scatterText, a.TX + w, a.TY + 2}
		if a.Anchor == "end" {
			bx.x0, bx.x1 = a.TX-w, a.TX
		}
		taken = append(taken, bx)
	}
	// The points themselves, which a name must not cover either.
	dots := make([]box, len(pts))
	for i, p := range pts {
		r := 5.0
		if p.root {
			r = 8
		}
		dots[i] = box{x(p.m) - r, y(p.i) - r, x(p.m) + r, y(p.i) + r}
	}
	for i, p := range pts {
		sp := scatterPoint{X: x(p.m), Y: y(p.i), R: 5,
			Title: fmt.Sprintf("%s: %s %.1f / %s %.1f", p.name, lang.Pick("意欲", "motivation"), p.m, lang.Pick("一体感", "cohesion"), p.i)}
		if p.root {
			sp.R = 8
		}
		b := box{sp.X + sp.R + 3, sp.Y - scatterText/2 - 1, sp.X + sp.R + 3 + textWidth(p.name, scatterText), sp.Y + scatterText/2 + 1}
		free := true
		for j, d := range dots {
			if j != i && b.x0 < d.x1 && d.x0 < b.x1 && b.y0 < d.y1 && d.y0 < b.y1 {
				free = false
			}
		}
		for _, t := range taken {
			if b.x0 < t.x1 && t.x0 < b.x1 && b.y0 < t.y1 && t.y0 < b.y1 {
				free = false
				break
			}
		}
		if free {
			sp.Label, sp.LX, sp.LY = p.name, b.x0, sp.Y+scatterText*0.35
			taken = append(taken, b)
		}
		s.Points = append(s.Points, sp)
	}
	return chart{ID: "chart-quadrant", Label: lang.Pick("所属別の組織活性度（意欲 × 一体感）", "Activity by section (motivation × cohesion)"), Scatter: s}, nil
}

// textWidth estimates the width of s at size (full-width characters take the size, others
// about 0.6 of it), to keep names from overlapping.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if utf8.RuneLen(r) > 1 {
			w += size
		} else {
			w += 0.6 * size
		}
	}
	return w
}
