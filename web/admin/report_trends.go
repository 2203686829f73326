package admin

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// trendOption is a section the trends page can show.
type trendOption struct {
	Code  string
	Name  string
	Depth int
}

// trendTable is the table under a trend chart: one row per metric, one cell per year.
type trendTable struct {
	Years []int
	Rows  []trendTableRow
}

type trendTableRow struct {
	Name  string
	Cells []string // the score, 「n<k」 when suppressed or too few, "—" when absent that year
}

// trendsPage is the data of admin_trends.html.
type trendsPage struct {
	Years    []int
	Sections []trendOption
	Section  string // the picked section, "" for the organisation only
	Name     string // its name
	Org      chart
	Picked   *chart
	OrgTable trendTable
	Table    *trendTable
	// Empty is true when the picked section has no score in any year: every year was
	// suppressed or absent, so its chart would be blank.
	Empty bool
	// Metrics are the series a user may draw; the chosen ones (Checked) are drawn, the
	// tables hold them all.
	Metrics []trendMetricOption
	// Options are the trends per option of an attribute (report_trends_groups.go); nil when
	// no closed survey has attributes.
	Options *optionTrends
}

// trendMetricOption is a metric of the trends picker.
type trendMetricOption struct {
	Key, Title string
	Checked    bool
}

// maxTrendMetrics bounds the chosen series: a few lines stay readable without a paged legend.
const maxTrendMetrics = 4

// handleTrends serves GET /admin/trends?section=CODE: the activity index and every category
// over the years of the closed surveys, for the organisation and for the section picked.
// A year whose group is suppressed, too small or absent is a gap, never a number.
func (s *Server) handleTrends(c echo.Context) error {
	svs, results, err := s.res.ClosedResults(c.Request().Context())
	if err != nil {
		return err
	}
	p := trendsPage{}
	u := currentUser(c)
	section := c.QueryParam("section")
	if len(svs) > 0 && section != "" {
		// 403 when a year that has the section puts it out of the user's scope
		for _, sv := range svs {
			if _, ok := sv.Questionnaire.Section(section); ok {
				if err := u.checkSection(sv.Questionnaire, section); err != nil {
					return err
				}
			}
		}
	}
	for i, sv := range svs {
		results[i] = u.scopeResult(sv.Questionnaire, results[i])
	}
	if len(svs) > 0 {
		b := newTrendsBuilder(svs, analysis.Build(results...), page.LangOf(c))
		b.sees = func(q *survey.Questionnaire, code string) bool { return u.Sees(q, code) }
		b.filterSections(svs)
		b.choose(c.QueryParams()["metric"])
		if err := b.fill(&p, section); err != nil {
			return err
		}
		if err := b.fillOptions(&p, svs, c.QueryParam("attribute")); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "admin_trends.html", p)
}

// trendsBuilder makes the charts and tables of the trends page from the report of every
// closed survey.
type trendsBuilder struct {
	report   *analysis.Report
	lang     page.Lang
	cutoff   float64 // the latest survey's
	years    []int
	metrics  []trendMetric
	sections []trendOption
	names    map[string]string // section code → name
	sees     func(q *survey.Questionnaire, code string) bool
	chosen   map[string]bool // metrics drawn
}

// choose sets the metrics to draw: the known ones of keys, at most maxTrendMetrics, or the
// activity index alone.
func (b *trendsBuilder) choose(keys []string) {
	b.chosen = map[string]bool{}
	for _, k := range keys {
		for _, m := range b.metrics {
			if m.key == k && len(b.chosen) < maxTrendMetrics {
				b.chosen[k] = true
			}
		}
	}
	if len(b.chosen) == 0 {
		b.chosen[analysis.ActivityKey] = true
	}
}

// filterSections keeps the sections the user sees in some year.
func (b *trendsBuilder) filterSections(svs []*survey.Survey) {
	if b.sees == nil {
		return
	}
	var kept []trendOption
	for _, o := range b.sections {
		for _, sv := range svs {
			if _, ok := sv.Questionnaire.Section(o.Code); ok && b.sees(sv.Questionnaire, o.Code) {
				kept = append(kept, o)
				break
			}
		}
	}
	b.sections = kept
}

// newTrendsBuilder lists the years, and the sections and metrics to draw: the latest
// survey's, in its order, then older ones' that it lacks.
func newTrendsBuilder(svs []*survey.Survey, report *analysis.Report, lang page.Lang) *trendsBuilder {
	b := &trendsBuilder{report: report, lang: lang, cutoff: svs[len(svs)-1].Questionnaire.Cutoff(), names: map[string]string{}}
	for _, r := range report.Surveys {
		b.years = append(b.years, r.Year)
	}
	b.metrics = append(b.metrics, trendMetric{analysis.ActivityKey, lang.Pick("組織活性度", "Activity index")})
	seenMetric := map[string]bool{}
	for i := len(svs) - 1; i >= 0; i-- {
		q := svs[i].Questionnaire
		for _, fs := range q.Tree() {
			if _, seen := b.names[fs.Code]; !seen {
				b.names[fs.Code] = lang.Text(fs.Name)
				b.sections = append(b.sections, trendOption{Code: fs.Code, Name: lang.Text(fs.Name), Depth: fs.Depth})
			}
		}
		for _, cat := range q.Categories {
			if !seenMetric[cat.ID] {
				seenMetric[cat.ID] = true
				b.metrics = append(b.metrics, trendMetric{cat.ID, lang.Text(cat.Title)})
			}
		}
	}
	return b
}

// fill sets the page: the organisation, and section when it is not empty or the root.
func (b *trendsBuilder) fill(p *trendsPage, section string) error {
	p.Years, p.Sections = b.years, b.sections
	for _, m := range b.metrics {
		p.Metrics = append(p.Metrics, trendMetricOption{Key: m.key, Title: m.title, Checked: b.chosen[m.key]})
	}
	var err error
	p.Org, p.OrgTable, err = b.build(survey.Root, "chart-trend-org")
	if err != nil || section == "" || section == survey.Root {
		return err
	}
	if _, ok := b.names[section]; !ok {
		return survey.Errorf(survey.ENOTFOUND, "所属 %q はどの調査にもありません", "no survey has a section %q", section)
	}
	ch, table, err := b.build(section, "chart-trend-section")
	if err != nil {
		return err
	}
	p.Section, p.Name, p.Picked, p.Table = section, b.names[section], &ch, &table
	p.Empty = true
	for _, m := range b.metrics {
		for _, pt := range b.report.Trend(section, m.key) {
			if pt.Score != nil {
				p.Empty = false
			}
		}
	}
	return nil
}

// build returns the chart of section's metrics over the years and the table beside it.
func (b *trendsBuilder) build(section, id string) (chart, trendTable, error) {
	var lines []trendSeries
	table := trendTable{Years: b.years}
	for _, m := range b.metrics {
		pts := b.report.Trend(section, m.key)
		if b.chosen == nil || b.chosen[m.key] {
			bold := m.key == analysis.ActivityKey
			if section != survey.Root {
				// the organisation overlaid, dashed, for comparison
				lines = append(lines, trendSeries{Name: b.names[survey.Root] + ": " + m.title, Points: b.report.Trend(survey.Root, m.key), Org: true, Bold: bold})
				lines = append(lines, trendSeries{Name: b.names[section] + ": " + m.title, Points: pts, Bold: bold})
			} else {
				lines = append(lines, trendSeries{Name: m.title, Points: pts, Bold: bold})
			}
		}
		row := trendTableRow{Name: m.title}
		for _, pt := range pts {
			row.Cells = append(row.Cells, b.cell(pt))
		}
		table.Rows = append(table.Rows, row)
	}
	label := fmt.Sprintf("%s — %s", b.names[section], b.lang.Pick("経年推移", "trends"))
	ch, err := trendChart(id, label, b.years, lines, b.cutoff, b.lang)
	return ch, table, err
}

// cell is a table cell: the score, the withheld mark of its survey when it has respondents
// but no score, or "—" when the group is absent or empty that year.
func (b *trendsBuilder) cell(pt analysis.TrendPoint) string {
	if pt.Score != nil {
		return page.FmtNum(pt.Score, 1, false)
	}
	if pt.N > 0 {
		for _, r := range b.report.Surveys {
			if r.ID == pt.Survey {
				return page.WithheldMark(r.MinGroupSize, pt.N, b.lang)
			}
		}
	}
	return "—"
}

// trendMetric is one line of the trend charts.
type trendMetric struct {
	key, title string
}
