package admin

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Charts are built with go-echarts, which produces echarts option objects; we render them into
// our own layout as JSON data blocks (<script type="application/json">, which browsers do not
// run, so the strict CSP holds) and static/admin.js draws each one with the embedded echarts.
// No option holds JavaScript code: formatters are echarts string templates. Numbers are the
// analysis package's, only rounded for display here.

// chart is one chart of a page.
type chart struct {
	ID     string      // the element id of the chart container; its options are in ID+"-option"
	Label  string      // what the chart shows, for screen readers
	Height int         // CSS pixels; admin.js sizes the container before drawing
	Option template.JS // the echarts option object as JSON
	// Legend, when not empty, is drawn in HTML under the chart instead of by echarts: it
	// wraps like text on a narrow phone instead of covering the axis.
	Legend []legendEntry
	// Lines, when not nil, is a line chart drawn on the server (linechart.go): the page needs
	// no echarts for it, and Option is empty.
	Lines *lineChart
}

// legendEntry is one line of a chart's HTML legend.
type legendEntry struct {
	Name, Colour string
	Dashed       bool
}

// echartsChart is what every go-echarts chart offers.
type echartsChart interface {
	Validate()
	JSON() map[string]interface{}
}

// newChart serialises a go-echarts chart. edit, when not nil, adjusts the option object for
// the few echarts settings go-echarts does not model (noted where used).
func newChart(id, label string, height int, c echartsChart, edit func(map[string]any)) (chart, error) {
	c.Validate()
	m := c.JSON()
	delete(m, "toolbox") // no save-as-image buttons: pages print as they are
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m) // escapes <, > and &: safe inside a script element
	if err != nil {
		return chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return chart{ID: id, Label: label, Height: height, Option: template.JS(b)}, nil
}

// Colours of the charts: colour-blind-safe, readable on paper.
var (
	heatColours = []string{"#c0392b", "#f5e3a3", "#2b7bba"} // low → cutoff → high
	typeColours = map[analysis.Type]string{
		analysis.TypeActive:             "#2b7bba",
		analysis.TypeWorkFocused:        "#7fb8de",
		analysis.TypeBelongingDependent: "#f0a04b",
		analysis.TypeStagnant:           "#c0392b",
	}
	lineColours = []string{"#1f5fa8", "#c0392b", "#2a9d8f", "#e9a23b", "#6a4c93", "#8d6e63", "#ef476f", "#118ab2", "#5c946e", "#9e2a2b"}
	mutedColour = "#d9dde3"
)

// round1 rounds a finished score for display.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// heatmapColumn is one column of the heatmap: a category, or the activity index.
type heatmapColumn struct {
	key   string // category id, or analysis.ActivityKey
	title string
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
	var rows []string
	var shown, hidden []opts.HeatMapData
	for _, g := range res.Groups {
		if g.N == 0 {
			continue // nobody answered: nothing to show or hide
		}
		y := len(rows)
		rows = append(rows, short[g.Section])
		for x, col := range cols {
			score, n := cellOf(g, col.key)
			where := names[g.Section] + " / " + col.title
			if score == nil {
				withheld := n
				if g.Suppressed {
					withheld = g.N
				}
				hidden = append(hidden, withheldCell(where, x, y, page.WithheldMark(res.MinGroupSize, withheld, lang)))
				continue
			}
			ch, changed := changes[[2]string{g.Section, col.key}]
			shown = append(shown, scoreCell(where, x, y, *score, n, ch, changed, lang))
		}
	}
	return drawHeatmap("chart-heatmap", lang.Pick("所属 × カテゴリのスコア", "Scores by section and category"), cols, rows, shown, hidden, q.Cutoff(), lang)
}

// heatmapColumns are the heatmap's columns: the activity index, then every category.
func heatmapColumns(q *survey.Questionnaire, lang page.Lang) []heatmapColumn {
	cols := []heatmapColumn{{analysis.ActivityKey, lang.Pick("組織活性度", "Activity")}}
	for _, c := range q.Categories {
		cols = append(cols, heatmapColumn{c.ID, c.ShortTitle(string(lang))})
	}
	return cols
}

// withheldCell is the grey mark of a withheld cell at (x, y): it carries no number at all.
func withheldCell(where string, x, y int, mark string) opts.HeatMapData {
	return opts.HeatMapData{Name: where + ": " + mark, Value: []any{x, y, 0, mark}}
}

// scoreCell is a shown score at (x, y) with its n in the tooltip and, when it changed
// significantly since the previous survey (changed), ▲ or ▼ after it.
func scoreCell(where string, x, y int, score float64, n int, ch analysis.Change, changed bool, lang page.Lang) opts.HeatMapData {
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
	return opts.HeatMapData{Name: tip, Value: []any{x, y, v, label}}
}

// drawHeatmap draws rows × cols of shown scores, coloured in bands around cutoff, and the
// withheld marks in grey.
func drawHeatmap(id, title string, cols []heatmapColumn, rows []string, shown, hidden []opts.HeatMapData, cutoff float64, lang page.Lang) (chart, error) {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	h := charts.NewHeatMap()
	h.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: "{b}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Top: "64", Left: "8", Right: "8", Bottom: "8", ContainLabel: opts.Bool(true)}),
		// HeatMap.Validate does not copy SetXAxis data to the axis, so the titles go here.
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Position: "top", Data: titles, SplitArea: &opts.SplitArea{Show: opts.Bool(true)},
			AxisLabel: &opts.AxisLabel{Interval: "0", Color: "#1d2733", Width: 100, Overflow: "break"}}), // admin.js fits them to the width
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rows, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0", Color: "#1d2733", Width: 170, Overflow: "truncate"}}),
	)
	label := opts.Label{Show: opts.Bool(true), Formatter: "{@[3]}", FontSize: 12, Color: "#1d2733"}
	h.AddSeries(lang.Pick("スコア", "Score"), shown, charts.WithLabelOpts(label),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 1}))
	h.AddSeries(lang.Pick("非表示", "Suppressed"), hidden,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{@[3]}", FontSize: 11, Color: "#5b6775"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: mutedColour, BorderColor: "#fff", BorderWidth: 1}))
	return newChart(id, title, 150+30*len(rows), h,
		func(m map[string]any) {
			// go-echarts' VisualMap can neither name its series nor label its pieces: colour only
			// the scores, in bands around the activity cutoff, never the marks.
			m["visualMap"] = []map[string]any{{
				"type": "piecewise", "seriesIndex": 0, "dimension": 2, "orient": "horizontal",
				"left": "center", "top": 0, "itemGap": 6, "textStyle": map[string]any{"color": "#1d2733"},
				"pieces": heatPieces(cutoff),
			}}
		})
}

// heatPieces are the colour bands of the heatmap: reds below the cutoff of 組織活性度, blues
// from it up. Colours are light enough for dark labels.
func heatPieces(cutoff float64) []map[string]any {
	c := round1(cutoff)
	return []map[string]any{
		{"lt": 40, "color": "#e8897d", "label": "< 40"},
		{"gte": 40, "lt": 50, "color": "#f3b59c", "label": "40–50"},
		{"gte": 50, "lt": c, "color": "#f8dcc5", "label": fmt.Sprintf("50–%g", c)},
		{"gte": c, "lt": 75, "color": "#c7dcef", "label": fmt.Sprintf("%g–75", c)},
		{"gte": 75, "lt": 85, "color": "#94bfe2", "label": "75–85"},
		{"gte": 85, "color": "#6aa3d5", "label": "≥ 85"},
	}
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

// categoryBarsChart draws the organisation's category scores as horizontal bars with their
// 95% confidence intervals as whiskers (a boxplot series whose box collapses to the score),
// last year's score as a marker, and bars of significant changes (p < 0.05) in a strong colour.
func categoryBarsChart(rows []categoryRow, lang page.Lang) (chart, error) {
	var names []string
	var bars []opts.BarData
	var whiskers []opts.BoxPlotData
	var prev []opts.ScatterData
	for i, r := range rows {
		names = append(names, r.Title)
		if r.Score == nil {
			bars = append(bars, opts.BarData{Value: "-"})
			whiskers = append(whiskers, opts.BoxPlotData{Value: []any{"-", "-", "-", "-", "-"}})
			continue
		}
		s := round1(*r.Score)
		colour := "#7fa6d1"
		if r.Significant {
			colour = "#1f5fa8"
			if r.Delta != nil && *r.Delta < 0 {
				colour = "#c0392b"
			}
		}
		bars = append(bars, opts.BarData{Name: r.Title, Value: s, ItemStyle: &opts.ItemStyle{Color: colour},
			Label: &opts.Label{Show: opts.Bool(true), Position: "insideLeft", Color: "#fff", Formatter: r.BarLabel}})
		if r.CILow != nil && r.CIHigh != nil {
			lo, hi := round1(*r.CILow), round1(*r.CIHigh)
			whiskers = append(whiskers, opts.BoxPlotData{Value: []any{lo, s, s, s, hi}})
		} else {
			whiskers = append(whiskers, opts.BoxPlotData{Value: []any{"-", "-", "-", "-", "-"}})
		}
		if r.Prev != nil {
			prev = append(prev, opts.ScatterData{Value: []any{round1(*r.Prev), i}})
		}
	}
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
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Top: "10", Left: "8", Right: "24", Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: lo, Max: hi}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", Color: "#1d2733", Width: 170, Overflow: "truncate"}}),
	)
	bar.SetXAxis(names)
	bar.AddSeries(lang.Pick("スコア", "Score"), bars, barMaxWidth("28"), charts.WithItemStyleOpts(opts.ItemStyle{Color: "#7fa6d1"}))
	box := charts.NewBoxPlot()
	box.AddSeries(lang.Pick("95% 信頼区間", "95% CI"), whiskers,
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "transparent", BorderColor: "#1d2733", BorderWidth: 1.5}))
	bar.Overlap(box)
	if len(prev) > 0 {
		sc := charts.NewScatter()
		sc.AddSeries(lang.Pick("前回", "Last year"), prev,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#e9a23b", BorderColor: "#1d2733", BorderWidth: 1}))
		bar.Overlap(sc)
	}
	return newChart("chart-categories", lang.Pick("カテゴリ別スコアと95%信頼区間", "Category scores with 95% confidence intervals"),
		80+44*len(rows), bar, func(m map[string]any) {
			// go-echarts puts the category data on the x axis; the bars run horizontally, so the
			// category axis is y. Swap the data over.
			swapAxisData(m)
			for _, s := range series(m) {
				switch s["type"] {
				case "boxplot":
					s["boxWidth"] = []int{0, 0}
					s["layout"] = "horizontal"
				case "scatter":
					s["symbol"] = "diamond"
					s["symbolSize"] = 12
					s["z"] = 5
				}
			}
		})
}

// barMaxWidth keeps bars slim when there are few of them.
func barMaxWidth(w string) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = w })
}

// swapAxisData moves go-echarts' x-axis category data to the y axis, for horizontal bars.
func swapAxisData(m map[string]any) {
	xs, ok1 := m["xAxis"].([]opts.XAxis)
	ys, ok2 := m["yAxis"].([]opts.YAxis)
	if !ok1 || !ok2 || len(xs) == 0 || len(ys) == 0 {
		return
	}
	ys[0].Data, xs[0].Data = xs[0].Data, nil
}

// series returns the series of an option object as maps, converting them once.
func series(m map[string]any) []map[string]any {
	b, _ := json.Marshal(m["series"])
	var out []map[string]any
	json.Unmarshal(b, &out)
	m["series"] = out
	return out
}

// typesChart draws the four-type distribution of 組織活性度 (%) for the organisation and
// every shown section, as stacked horizontal bars.
func typesChart(res *analysis.SurveyResult, q *survey.Questionnaire, lang page.Lang) (chart, error) {
	names := shortNames(q, lang)
	var rows []string
	data := map[analysis.Type][]opts.BarData{}
	for _, g := range res.Groups {
		if g.Activity == nil || g.Activity.Types == nil {
			continue
		}
		rows = append(rows, names[g.Section])
		t := g.Activity.Types
		for typ, v := range map[analysis.Type]float64{analysis.TypeActive: t.Active, analysis.TypeWorkFocused: t.WorkFocused,
			analysis.TypeBelongingDependent: t.BelongingDependent, analysis.TypeStagnant: t.Stagnant} {
			data[typ] = append(data[typ], opts.BarData{Value: round1(v)})
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}), // the page lists the types, in the same colours, above
		charts.WithGridOpts(opts.Grid{Top: "8", Left: "8", Right: "16", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", Color: "#1d2733", Width: 170, Overflow: "truncate"}}),
	)
	bar.SetXAxis(rows)
	for _, typ := range []analysis.Type{analysis.TypeActive, analysis.TypeWorkFocused, analysis.TypeBelongingDependent, analysis.TypeStagnant} {
		bar.AddSeries(lang.Text(typ.Title()), data[typ], charts.WithBarChartOpts(opts.BarChart{Stack: "types"}), barMaxWidth("24"),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: typeColours[typ]}))
	}
	return newChart("chart-types", lang.Pick("組織活性度の4タイプの構成比", "Shares of the four activity types"),
		40+30*len(rows), bar, swapAxisData)
}

// quadrantChart places the organisation and every shown section by motivation (x) and
// cohesion (y), with the cutoff lines that divide the four types.
func quadrantChart(res *analysis.SurveyResult, q *survey.Questionnaire, lang page.Lang) (chart, error) {
	names := shortNames(q, lang)
	var pts []opts.ScatterData
	lo := q.Cutoff()
	hi := q.Cutoff()
	for _, g := range res.Groups {
		if g.Activity == nil || g.Activity.Motivation == nil || g.Activity.Cohesion == nil {
			continue
		}
		m, i := round1(*g.Activity.Motivation), round1(*g.Activity.Cohesion)
		lo, hi = math.Min(lo, math.Min(m, i)), math.Max(hi, math.Max(m, i))
		size := 10
		if g.Section == survey.Root {
			size = 16
		}
		pts = append(pts, opts.ScatterData{Name: names[g.Section], Value: []any{m, i}, SymbolSize: size})
	}
	lo, hi = math.Max(0, math.Floor((lo-3)/10)*10), math.Min(100, math.Ceil((hi+3)/10)*10) // whole tens, with a margin
	cut := round1(q.Cutoff())
	sc := charts.NewScatter()
	sc.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: types.FuncStr("{b}: " + lang.Pick("意欲", "motivation") + " {@[0]} / " + lang.Pick("一体感", "cohesion") + " {@[1]}")}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Top: "36", Left: "8", Right: "90", Bottom: "30", ContainLabel: opts.Bool(true)}), // room for labels of points on the right
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: lang.Pick("仕事への意欲", "Motivation"), NameLocation: "middle", NameGap: 28, Min: lo, Max: hi}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: lang.Pick("組織への一体感", "Cohesion"), Min: lo, Max: hi}),
	)
	sc.AddSeries(lang.Pick("所属", "Sections"), pts,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{b}", FontSize: 11}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1f5fa8", Opacity: opts.Float(0.8)}),
		charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: lang.Pick("基準", "cutoff"), XAxis: cut}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: lang.Pick("基準", "cutoff"), YAxis: cut}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			LineStyle: &opts.LineStyle{Color: "#5b6775", Type: "dashed"}, Label: &opts.Label{Show: opts.Bool(false)}}),
	)
	return newChart("chart-quadrant", lang.Pick("所属別の組織活性度（意欲 × 一体感）", "Activity by section (motivation × cohesion)"), 420, sc,
		func(m map[string]any) {
			if ys, ok := m["yAxis"].([]opts.YAxis); ok && len(ys) > 0 {
				ys[0].Name = "" // the axis title goes above the plot, where it is not cut off
			}
			m["title"] = map[string]any{"text": lang.Pick("↑ 組織への一体感", "↑ Cohesion"), "left": 0, "top": 0,
				"textStyle": map[string]any{"fontSize": 12, "fontWeight": "normal", "color": "#5b6775"}}
			quadrant := func(name string, x0, y0, x1, y1 float64, pos, tint string) []map[string]any {
				return []map[string]any{{"name": name, "coord": []float64{x0, y0}, "label": map[string]any{"position": pos},
					"itemStyle": map[string]any{"color": tint}}, {"coord": []float64{x1, y1}}}
			}
			for _, s := range series(m) {
				s["labelLayout"] = map[string]any{"hideOverlap": true}
				// The four types as labelled quadrants (go-echarts' mark areas cannot carry labels).
				s["markArea"] = map[string]any{
					"silent": true,
					"label":  map[string]any{"color": "#5b6775", "fontSize": 12},
					"data": [][]map[string]any{
						quadrant(lang.Text(analysis.TypeActive.Title()), cut, cut, hi, hi, "insideTopRight", "rgba(43,123,186,0.08)"),
						quadrant(lang.Text(analysis.TypeWorkFocused.Title()), cut, lo, hi, cut, "insideBottomRight", "rgba(0,0,0,0)"),
						quadrant(lang.Text(analysis.TypeBelongingDependent.Title()), lo, cut, cut, hi, "insideTopLeft", "rgba(0,0,0,0)"),
						quadrant(lang.Text(analysis.TypeStagnant.Title()), lo, lo, cut, cut, "insideBottomLeft", "rgba(192,57,43,0.06)"),
					},
				}
			}
		})
}

// driversChart ranks the categories without an axis by their correlation with the activity
// index (docs/analysis.md, "Drivers").
func driversChart(rows []driverRow, lang page.Lang) (chart, error) {
	var names []string
	var bars []opts.BarData
	lowest := 0 // the axis starts at 0 unless a driver is negative
	for _, d := range rows {
		if d.R != nil && *d.R < 0 {
			lowest = -1
		}
		names = append(names, d.Title)
		if d.R == nil {
			bars = append(bars, opts.BarData{Value: "-"})
			continue
		}
		bars = append(bars, opts.BarData{Value: math.Round(*d.R*100) / 100,
			Label: &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}"}})
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Top: "10", Left: "8", Right: "40", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: lowest, Max: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", Color: "#1d2733", Width: 170, Overflow: "truncate"}}),
	)
	bar.SetXAxis(names)
	bar.AddSeries("r", bars, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#2a9d8f"}), barMaxWidth("22"))
	return newChart("chart-drivers", lang.Pick("組織活性度との相関（ドライバー）", "Correlation with the activity index (drivers)"),
		40+36*len(rows), bar, swapAxisData)
}
