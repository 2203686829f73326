package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/survey"
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
}

// handleTrends serves GET /admin/trends?section=CODE: the activity index and every category
// over the years of the closed surveys, for the organisation and for the section picked.
// A year whose group is suppressed, too small or absent is a gap, never a number.
func (s *Server) handleTrends(c echo.Context) error {
	svs, results, err := s.res.ClosedResults(c.Request().Context())
	if err != nil {
		return err
	}
	lang := langOf(c)
	p := trendsPage{}
	if len(svs) == 0 {
		return s.render(c, http.StatusOK, "admin_trends.html", p)
	}
	report := analysis.Build(results...)
	for _, r := range report.Surveys {
		p.Years = append(p.Years, r.Year)
	}
	// Sections and categories: the latest survey's, in its order, then older ones' that it lacks.
	var metrics []trendMetric
	seenSection, seenMetric := map[string]bool{}, map[string]bool{}
	names := map[string]string{}
	metrics = append(metrics, trendMetric{analysis.ActivityKey, tr(lang, "組織活性度", "Activity index")})
	for i := len(svs) - 1; i >= 0; i-- {
		q := svs[i].Questionnaire
		for _, fs := range q.Tree() {
			if !seenSection[fs.Code] {
				seenSection[fs.Code] = true
				names[fs.Code] = fs.Name.In(lang)
				p.Sections = append(p.Sections, trendOption{Code: fs.Code, Name: fs.Name.In(lang), Depth: fs.Depth})
			}
		}
		for _, cat := range q.Categories {
			if !seenMetric[cat.ID] {
				seenMetric[cat.ID] = true
				metrics = append(metrics, trendMetric{cat.ID, cat.Title.In(lang)})
			}
		}
	}
	mark := func(pt analysis.TrendPoint) string {
		for _, r := range report.Surveys {
			if r.ID == pt.Survey {
				return withheldMark(r.MinGroupSize, pt.N, lang)
			}
		}
		return "—"
	}
	build := func(section, id, label string) (chart, trendTable, error) {
		var lines []trendSeries
		table := trendTable{Years: p.Years}
		for _, m := range metrics {
			pts := report.Trend(section, m.key)
			lines = append(lines, trendSeries{Name: m.title, Points: pts})
			row := trendTableRow{Name: m.title}
			for _, pt := range pts {
				switch {
				case pt.Score != nil:
					row.Cells = append(row.Cells, fmtNum(pt.Score, 1, false))
				case pt.N > 0:
					row.Cells = append(row.Cells, mark(pt))
				default:
					row.Cells = append(row.Cells, "—")
				}
			}
			table.Rows = append(table.Rows, row)
		}
		ch, err := trendChart(id, label, p.Years, lines, svs[len(svs)-1].Questionnaire.Cutoff(), lang)
		return ch, table, err
	}
	p.Org, p.OrgTable, err = build(survey.Root, "chart-trend-org", names[survey.Root]+" — "+tr(lang, "経年推移", "trends"))
	if err != nil {
		return err
	}
	if sec := c.QueryParam("section"); sec != "" && sec != survey.Root {
		if !seenSection[sec] {
			return survey.Errorf(survey.ENOTFOUND, "所属 %q はどの調査にもありません", "no survey has a section %q", sec)
		}
		p.Section, p.Name = sec, names[sec]
		ch, table, err := build(sec, "chart-trend-section", fmt.Sprintf("%s — %s", names[sec], tr(lang, "経年推移", "trends")))
		if err != nil {
			return err
		}
		p.Picked, p.Table = &ch, &table
		p.Empty = true
		for _, m := range metrics {
			for _, pt := range report.Trend(sec, m.key) {
				if pt.Score != nil {
					p.Empty = false
				}
			}
		}
	}
	return s.render(c, http.StatusOK, "admin_trends.html", p)
}

// trendMetric is one line of the trend charts.
type trendMetric struct {
	key, title string
}
