package results

import (
	"io"
	"strconv"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// GroupTableHeader is the header of the export of a survey with attributes (docs/formats.md,
// "Exports of a survey with attributes"): such a survey keeps no response rows, so its CSV and
// the data sheet of its workbook are this table instead.
var GroupTableHeader = []string{"survey", "year", "group_type", "group", "attribute", "option", "metric",
	"n", "score", "favourable", "sd", "ci_low", "ci_high", "alpha", "motivation", "cohesion", "type", "withheld"}

// Why a value of the group table is empty.
const (
	withheldGroup    = "group-suppressed" // the group shows only its n (rules a and b)
	withheldMinGroup = "min-group"        // the metric has fewer than min_group_size respondents
	withheldMetric   = "remainder"        // the remainder rule on the metric's own counts
)

// GroupTable returns one row per group (every section in pre-order, then every option of every
// attribute in file order) and metric (each category, satisfaction, eNPS, activity): n, the
// numbers of the report document, and why they are empty when they are. It publishes exactly
// the document's numbers, easy to pivot in Excel or pandas.
func GroupTable(q *survey.Questionnaire, res *analysis.SurveyResult) [][]string {
	year := strconv.Itoa(res.Year)
	var rows [][]string
	add := func(kind, group, attr, option string, n int, suppressed bool, reason string, cats map[string]*analysis.Category,
		sat *analysis.Satisfaction, enps *analysis.ENPS, act *analysis.Activity) {
		row := func(metric string, m int, shown bool, cells ...string) {
			why := ""
			switch {
			case suppressed:
				why = withheldGroup
				if reason != "" {
					why += ":" + reason
				}
			case !shown && m < res.MinGroupSize:
				why = withheldMinGroup
			case !shown:
				why = withheldMetric
			}
			r := []string{res.ID, year, kind, group, attr, option, metric, strconv.Itoa(m)}
			rows = append(rows, append(r, append(cells, why)...))
		}
		if suppressed || n == 0 {
			row("all", n, false, "", "", "", "", "", "", "", "", "")
			return
		}
		for _, c := range q.Categories {
			m := cats[c.ID]
			if m == nil {
				continue
			}
			row(c.ID, m.N, m.Score != nil, num(m.Score), num(m.Favourable), num(m.SD), num(m.CILow), num(m.CIHigh), num(m.Alpha), "", "", "")
		}
		if sat != nil {
			row("satisfaction", sat.N, sat.Score != nil, num(sat.Score), num(sat.Favourable), "", "", "", "", "", "", "")
		}
		if enps != nil {
			row("enps", enps.N, enps.Score != nil, num(enps.Score), "", "", "", "", "", "", "", "")
		}
		if act != nil {
			typ := ""
			if act.Type != nil {
				typ = string(*act.Type)
			}
			row(analysis.ActivityKey, act.N, act.Index != nil, num(act.Index), "", "", "", "", "", num(act.Motivation), num(act.Cohesion), typ)
		}
	}
	for _, g := range res.Groups {
		add("section", g.Section, "", "", g.N, g.Suppressed, "", g.Categories, g.Satisfaction, g.ENPS, g.Activity)
	}
	for _, a := range res.Attributes {
		for _, g := range a.Groups {
			add("option", a.ID+"="+g.Option, a.ID, g.Option, g.N, g.Suppressed, g.Reason, g.Categories, g.Satisfaction, g.ENPS, g.Activity)
		}
	}
	return rows
}

// writeGroupTable writes GroupTable as CSV; excel as survey.ExportOptions.BOM.
func writeGroupTable(w io.Writer, q *survey.Questionnaire, res *analysis.SurveyResult, excel bool) error {
	cw, err := survey.NewExcelCSV(w, excel)
	if err != nil {
		return err
	}
	if err := cw.Write(GroupTableHeader); err != nil {
		return err
	}
	for _, row := range GroupTable(q, res) {
		for i := range row {
			// A number stays a number (a negative delta is no formula); only text is neutralised.
			if _, err := strconv.ParseFloat(row[i], 64); err != nil {
				row[i] = survey.SafeCell(row[i])
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
