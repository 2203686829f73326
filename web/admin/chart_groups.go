package admin

import (
	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The charts of option groups (report_groups.go): a heatmap of options × categories and the
// four types of 組織活性度 per option. They are the section charts' kinds (heatTable,
// stackChart), drawn the same way; a withheld option or metric is a grey mark that carries no
// number, exactly as in the section heatmap.

// optionHeatmapChart draws every option group (rows: attribute by attribute, options in file
// order) × the activity index and the categories. changes are the significant changes of
// option groups since the previous survey, keyed by "attribute=option" and metric.
func optionHeatmapChart(res *analysis.SurveyResult, q *survey.Questionnaire, changes map[[2]string]analysis.Change, lang page.Lang) (chart, error) {
	cols := heatmapColumns(q, lang)
	h := newHeatTable(cols, q.Cutoff())
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
			name := optionLabel(at, o, lang)
			row := heatRow{Name: name}
			for _, col := range cols {
				where := name + " / " + col.title
				var score *float64
				n := g.N
				if g.Shown() {
					score, n = optionCell(g, col.key)
				}
				if score == nil {
					row.Cells = append(row.Cells, withheldCell(where, page.WithheldMark(res.MinGroupSize, n, lang)))
					continue
				}
				ch, changed := changes[[2]string{at.ID + "=" + o.ID, col.key}]
				row.Cells = append(row.Cells, scoreCell(h.Bands, where, *score, n, ch, changed, lang))
			}
			h.Rows = append(h.Rows, row)
		}
	}
	return chart{ID: "chart-options-heatmap", Label: lang.Pick("属性の選択肢 × カテゴリのスコア", "Scores by option and category"), Heat: h}, nil
}

// optionTypesChart draws the four-type distribution of 組織活性度 (%) of every option group
// that shows it, as stacked horizontal bars.
func optionTypesChart(res *analysis.SurveyResult, q *survey.Questionnaire, lang page.Lang) (chart, error) {
	s := &stackChart{}
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
			s.Rows = append(s.Rows, newStackRow(optionLabel(at, o, lang), g.Activity.Types, lang))
		}
	}
	return chart{ID: "chart-options-types", Label: lang.Pick("属性の選択肢ごとの組織活性度の4タイプ", "The four activity types by option"), Stacks: s}, nil
}
