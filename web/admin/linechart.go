package admin

import (
	"fmt"
	"math"
	"strings"

	"staffsurvey/analysis"
	"staffsurvey/web/page"
)

// Line charts (the trends pages) are drawn on the server as inline SVG, not by echarts: a
// page that loads echarts loads at least 435 KB of script (its core with one chart type and
// the grid), and the trends pages need nothing a few paths cannot draw. The plot stretches to
// the width of its container (phone, desktop, paper) while its text stays the page's size:
// the year and score labels are placed in the plot's own pixels or in per cent of its width,
// and the lines in a stretched coordinate system whose strokes do not stretch
// (vector-effect: non-scaling-stroke), points being round-capped strokes of no length.

// lineChart is a line chart of scores over the years.
type lineChart struct {
	Height int        // of the plot area in CSS pixels; the chart adds lineAxisHeight for the years
	YTicks []lineTick // the score scale: Pos in pixels from the top of the plot
	XTicks []lineTick // the years: Pos in per cent of the plot's width
	Cutoff *lineTick  // the cutoff of the 活性型 type across the activity index, or nil
	Series []lineSeries
}

// lineAxisHeight is the height under the plot for the years, in pixels; lineTop the margin
// above it, where the top label of the scale sits.
const (
	lineAxisHeight = 24
	lineTop        = 10
	lineWidth      = 1000 // the width of the plot's stretched coordinate system
)

// lineTick is a label on an axis.
type lineTick struct {
	Pos  string
	Text string
}

// lineSeries is one line: its runs of consecutive years with a score (a year without one is a
// gap, never interpolated) and its points, each with its value for a pointer's hover.
type lineSeries struct {
	Name, Colour string
	Width        int
	Dashed       bool // the organisation beside a section
	Hollow       bool // points drawn as rings (the organisation beside a section)
	Paths        []string
	Points       []linePoint
	Values       string // the value of every year, "-" for a gap, comma-separated (data-values)
}

// linePoint is a point of a line, in the plot's stretched coordinates. Coordinates have two
// decimals, so that none reads as a score (one decimal) to someone searching the page for one.
type linePoint struct {
	X, Y  string
	Title string // "2025: 55.4"
}

// Total is the height of the whole chart in pixels.
func (c *lineChart) Total() int { return lineTop + c.Height + lineAxisHeight }

// PlotTop is where the plot starts, in pixels from the top of the chart.
func (c *lineChart) PlotTop() int { return lineTop }

// AxisY is the baseline of the year labels.
func (c *lineChart) AxisY() int { return lineTop + c.Height + 17 }

// Width is the width of the stretched coordinate system.
func (c *lineChart) Width() int { return lineWidth }

// newLineChart places lines over years on a scale from lo to hi (whole tens); cutoff, when
// not nil, is drawn across the plot with its label.
func newLineChart(years []int, lines []trendSeries, lo, hi float64, cutoff *float64, cutoffLabel string, height int) *lineChart {
	c := &lineChart{Height: height}
	y := func(v float64) float64 { return float64(height) - (v-lo)/(hi-lo)*float64(height) }
	x := func(i int) float64 { return (float64(i) + 0.5) / float64(len(years)) }
	for v := lo; v <= hi+1e-9; v += 10 {
		c.YTicks = append(c.YTicks, lineTick{Pos: fmt.Sprintf("%.2f", float64(lineTop)+y(v)), Text: fmt.Sprint(v)})
	}
	for i, yr := range years {
		c.XTicks = append(c.XTicks, lineTick{Pos: fmt.Sprintf("%.2f%%", x(i)*100), Text: fmt.Sprint(yr)})
	}
	if cutoff != nil {
		c.Cutoff = &lineTick{Pos: fmt.Sprintf("%.2f", float64(lineTop)+y(*cutoff)), Text: cutoffLabel}
	}
	for _, l := range lines {
		byYear := map[int]*float64{}
		for _, p := range l.Points {
			byYear[p.Year] = p.Score
		}
		s := lineSeries{Name: l.Name, Colour: l.Colour, Width: 2, Dashed: l.Org, Hollow: l.Org}
		if l.Bold && !l.Org {
			s.Width = 4
		}
		var run []string
		var values []string
		flush := func() {
			if len(run) > 1 {
				s.Paths = append(s.Paths, "M"+strings.Join(run, "L"))
			}
			run = nil
		}
		for i, yr := range years {
			v := byYear[yr]
			if v == nil {
				flush()
				values = append(values, "-")
				continue
			}
			r := round1(*v)
			px, py := fmt.Sprintf("%.2f", x(i)*lineWidth), fmt.Sprintf("%.2f", y(r))
			run = append(run, px+" "+py)
			s.Points = append(s.Points, linePoint{X: px, Y: py, Title: fmt.Sprintf("%d: %s", yr, page.FmtNum(&r, 1, false))})
			values = append(values, page.FmtNum(&r, 1, false))
		}
		flush()
		s.Values = strings.Join(values, ",")
		c.Series = append(c.Series, s)
	}
	return c
}

// lineScale is the value axis of a trend chart: the scores shown and the cutoff, in whole
// tens with a margin, so that changes of a few points are visible (0–100 would flatten
// every line).
func lineScale(lines []trendSeries, cutoff float64) (lo, hi float64) {
	lo, hi = cutoff, cutoff
	for _, l := range lines {
		for _, p := range l.Points {
			if p.Score != nil {
				lo, hi = math.Min(lo, *p.Score), math.Max(hi, *p.Score)
			}
		}
	}
	return math.Max(0, math.Floor((lo-3)/10)*10), math.Min(100, math.Ceil((hi+3)/10)*10)
}

// trendChart draws scores over the years; a year without a score (suppressed, too few, or the
// metric absent that year) is a gap in the line, never an interpolation. The activity index
// (a bold line) carries the cutoff of the 活性型 type.
func trendChart(id, label string, years []int, lines []trendSeries, cutoff float64, lang page.Lang) (chart, error) {
	var legend []legendEntry
	var cut *float64
	for i := range lines {
		if lines[i].Colour == "" { // lines of their own (options of an attribute): the palette in order
			lines[i].Colour = lineColours[i%len(lineColours)]
		}
		legend = append(legend, legendEntry{Name: lines[i].Name, Colour: lines[i].Colour, Dashed: lines[i].Org})
		if lines[i].Bold && !lines[i].Org {
			c := round1(cutoff)
			cut = &c
		}
	}
	if len(years) == 0 {
		return chart{}, fmt.Errorf("chart %s: no years", id)
	}
	lo, hi := lineScale(lines, cutoff)
	var cutLabel string
	if cut != nil {
		cutLabel = lang.Pick("活性型の基準", "active cutoff") + " " + page.FmtNum(cut, 1, false)
	}
	return chart{ID: id, Label: label, Legend: legend,
		Lines: newLineChart(years, lines, lo, hi, cut, cutLabel, 280)}, nil
}

// trendSeries is one line of a trend chart.
type trendSeries struct {
	Name   string
	Points []analysis.TrendPoint
	Org    bool // the whole organisation beside a section: drawn dashed and thin
	Bold   bool // the activity index, with the cutoff of the 活性型 type
	Colour string
}
