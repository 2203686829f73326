package admin

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The charts of option groups (report_groups.go): a heatmap of options × categories and the
// four types of 組織活性度 per option. They use the chart types of the section charts
// (heatmap, stacked bars), drawn the same way; a withheld option or metric is a grey mark
// that carries no number, exactly as in the section heatmap.

// optionHeatmapChart draws every option group (rows: attribute by attribute, options in file
// order) × the activity index and the categories. changes are the significant changes of
// option groups since the previous survey, keyed by "attribute=option" and metric.
func optionHeatmapChart(res *analysis.SurveyResult, q *survey.Questionnaire, changes map[[2]string]analysis.Change, lang page.Lang) (chart, error) {
	cols := heatmapColumns(q, lang)
	var rows []string
	var shown, hidden []opts.HeatMapData
	for _, at := range q.Attributes {
		ar := res.Attribute(at.ID)
		if ar == nil {
			continue
		}
		for _, o := range at.Options {
			g := ar.Option(o.ID)
			if g == nil || g.N == 0 {
				continue // nobody chose it: nothing to show or hide
			}
			y := len(rows)
			name := optionLabel(at, o, lang)
			rows = append(rows, name)
			for x, col := range cols {
				where := name + " / " + col.title
				var score *float64
				n := g.N
				if g.Shown() {
					score, n = optionCell(g, col.key)
				}
				if score == nil {
					hidden = append(hidden, withheldCell(where, x, y, page.WithheldMark(res.MinGroupSize, n, lang)))
					continue
				}
				ch, changed := changes[[2]string{at.ID + "=" + o.ID, col.key}]
				shown = append(shown, scoreCell(where, x, y, *score, n, ch, changed, lang))
			}
		}
	}
	return drawHeatmap("chart-options-heatmap", lang.Pick("属性の選択肢 × カテゴリのスコア", "Scores by option and category"), cols, rows, shown, hidden, q.Cutoff(), lang)
}

// optionTypesChart draws the four-type distribution of 組織活性度 (%) of every option group
// that shows it, as stacked horizontal bars.
func optionTypesChart(res *analysis.SurveyResult, q *survey.Questionnaire, lang page.Lang) (chart, error) {
	var rows []string
	data := map[analysis.Type][]opts.BarData{}
	for _, at := range q.Attributes {
		ar := res.Attribute(at.ID)
		if ar == nil {
			continue
		}
		for _, o := range at.Options {
			g := ar.Option(o.ID)
			if !g.Shown() || g.Activity == nil || g.Activity.Types == nil {
				continue
			}
			rows = append(rows, optionLabel(at, o, lang))
			t := g.Activity.Types
			for typ, v := range map[analysis.Type]float64{analysis.TypeActive: t.Active, analysis.TypeWorkFocused: t.WorkFocused,
				analysis.TypeBelongingDependent: t.BelongingDependent, analysis.TypeStagnant: t.Stagnant} {
				data[typ] = append(data[typ], opts.BarData{Value: round1(v)})
			}
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}), // the page lists the types in the same colours
		charts.WithGridOpts(opts.Grid{Top: "8", Left: "8", Right: "16", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", Color: "#1d2733", Width: 170, Overflow: "truncate"}}),
	)
	bar.SetXAxis(rows)
	for _, typ := range []analysis.Type{analysis.TypeActive, analysis.TypeWorkFocused, analysis.TypeBelongingDependent, analysis.TypeStagnant} {
		bar.AddSeries(lang.Text(typ.Title()), data[typ], charts.WithBarChartOpts(opts.BarChart{Stack: "types"}), barMaxWidth("24"),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: typeColours[typ]}))
	}
	return newChart("chart-options-types", lang.Pick("属性の選択肢ごとの組織活性度の4タイプ", "The four activity types by option"),
		40+30*len(rows), bar, swapAxisData)
}
