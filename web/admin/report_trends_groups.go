package admin

import (
	"fmt"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Trends per option (属性別の経年推移): an option of an attribute is followed over the years
// where the attribute id and the option id are the same (analysis.Report.OptionTrend), with
// the year-over-year changes that analysis.Changes gives for option groups. A year where the
// option is withheld, or the metric in it, is a gap and a mark, never a number.

// optionTrends is the block of the trends page for one attribute.
type optionTrends struct {
	Attribute  string     // the chosen attribute's id
	Title      string     // its title
	Attributes []pickItem // every attribute of a closed survey, the latest's first
	Metric     string     // the title of the metric drawn
	Chart      chart
	Tables     []optionTrendTable // one per chosen metric: options × years
}

// optionTrendTable is one metric's options over the years.
type optionTrendTable struct {
	Title string
	Table trendTable
}

// fillOptions sets the option trends of attribute (the first one when empty) on p, or leaves
// them nil when no closed survey has attributes. An attribute no survey has is an error.
func (b *trendsBuilder) fillOptions(p *trendsPage, svs []*survey.Survey, attribute string) error {
	o := &optionTrends{}
	titles, labels := map[string]string{}, map[string]map[string]string{}
	options := map[string][]pickItem{}
	for i := len(svs) - 1; i >= 0; i-- {
		for _, at := range svs[i].Questionnaire.Attributes {
			if _, seen := titles[at.ID]; !seen {
				titles[at.ID] = b.lang.Text(at.Title)
				labels[at.ID] = map[string]string{}
				o.Attributes = append(o.Attributes, pickItem{at.ID, titles[at.ID]})
			}
			for _, opt := range at.Options {
				if _, seen := labels[at.ID][opt.ID]; !seen {
					labels[at.ID][opt.ID] = b.lang.Text(opt.Label)
					options[at.ID] = append(options[at.ID], pickItem{opt.ID, labels[at.ID][opt.ID]})
				}
			}
		}
	}
	if len(o.Attributes) == 0 {
		if attribute != "" {
			return survey.Errorf(survey.ENOTFOUND, "属性 %q はどの調査にもありません", "no survey has an attribute %q", attribute)
		}
		return nil
	}
	if attribute == "" {
		attribute = o.Attributes[0].ID
	}
	if _, ok := titles[attribute]; !ok {
		return survey.Errorf(survey.ENOTFOUND, "属性 %q はどの調査にもありません", "no survey has an attribute %q", attribute)
	}
	o.Attribute, o.Title = attribute, titles[attribute]

	// Significant changes of the attribute's options, by option, metric and the later year.
	changes := map[string]analysis.Change{}
	for _, ch := range b.report.Changes {
		if ch.Attribute == attribute && ch.Significant() {
			changes[fmt.Sprintf("%s/%s/%d", ch.Option, ch.Category, ch.To)] = ch
		}
	}
	var lines []trendSeries
	for _, m := range b.metrics {
		if !b.chosen[m.key] {
			continue
		}
		draw := lines == nil
		if draw {
			o.Metric = m.title
		}
		t := optionTrendTable{Title: m.title, Table: trendTable{Years: b.years}}
		for _, opt := range options[attribute] {
			pts := b.report.OptionTrend(attribute, opt.ID, m.key)
			if draw {
				lines = append(lines, trendSeries{Name: opt.Title, Points: pts})
			}
			row := trendTableRow{Name: opt.Title}
			for _, pt := range pts {
				cell := b.cell(pt)
				if ch, ok := changes[fmt.Sprintf("%s/%s/%d", opt.ID, m.key, pt.Year)]; ok && pt.Score != nil {
					arrow := "▲"
					if ch.Delta < 0 {
						arrow = "▼"
					}
					cell += " " + arrow + page.FmtNum(&ch.Delta, 1, true)
				}
				row.Cells = append(row.Cells, cell)
			}
			t.Table.Rows = append(t.Table.Rows, row)
		}
		o.Tables = append(o.Tables, t)
	}
	label := fmt.Sprintf("%s — %s（%s）", o.Title, b.lang.Pick("選択肢ごとの経年推移", "trends by option"), o.Metric)
	ch, err := trendChart("chart-trend-options", label, b.years, lines, b.cutoff, b.lang)
	if err != nil {
		return err
	}
	o.Chart, p.Options = ch, o
	return nil
}
