package results

import (
	"strconv"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// Table is the report of one survey as a table: one row per group in pre-order, one column
// per number of the report document (docs/formats.md, "Report table as CSV"). A cell is
// empty where the document has null, so the table publishes exactly the document's numbers
// and nothing else; section names are in lang. Values are plain text: the caller escapes
// them for Excel if it writes for Excel.
func Table(q *survey.Questionnaire, res *analysis.SurveyResult, lang string) (head []string, rows [][]string) {
	head = []string{"section", "name", "parent", "depth", "n", "suppressed",
		"activity_n", "activity_index", "motivation", "cohesion", "type",
		"type_active", "type_work_focused", "type_belonging_dependent", "type_stagnant",
		"satisfaction_n", "satisfaction_score", "satisfaction_favourable", "enps_n", "enps_score"}
	for _, cat := range q.Categories {
		for _, f := range []string{"n", "score", "favourable", "sd", "ci_low", "ci_high", "alpha"} {
			head = append(head, cat.ID+"_"+f)
		}
	}
	for _, g := range res.Groups {
		row := []string{g.Section, q.SectionName(g.Section, lang), g.Parent, strconv.Itoa(g.Depth), strconv.Itoa(g.N), boolCell(g.Suppressed)}
		row = append(row, activityCells(g.Activity)...)
		row = append(row, outcomeCells(g)...)
		for _, cat := range q.Categories {
			var m *analysis.Category
			if g.Categories != nil {
				m = g.Categories[cat.ID]
			}
			row = append(row, categoryCells(m)...)
		}
		rows = append(rows, row)
	}
	return head, rows
}

func activityCells(a *analysis.Activity) []string {
	if a == nil {
		return make([]string, 9)
	}
	typ := ""
	if a.Type != nil {
		typ = string(*a.Type)
	}
	out := []string{strconv.Itoa(a.N), num(a.Index), num(a.Motivation), num(a.Cohesion), typ}
	if t := a.Types; t != nil {
		return append(out, num(&t.Active), num(&t.WorkFocused), num(&t.BelongingDependent), num(&t.Stagnant))
	}
	return append(out, "", "", "", "")
}

func outcomeCells(g *analysis.Group) []string {
	out := make([]string, 0, 5)
	if st := g.Satisfaction; st != nil {
		out = append(out, strconv.Itoa(st.N), num(st.Score), num(st.Favourable))
	} else {
		out = append(out, "", "", "")
	}
	if e := g.ENPS; e != nil {
		return append(out, strconv.Itoa(e.N), num(e.Score))
	}
	return append(out, "", "")
}

func categoryCells(m *analysis.Category) []string {
	if m == nil {
		return make([]string, 7)
	}
	return []string{strconv.Itoa(m.N), num(m.Score), num(m.Favourable), num(m.SD), num(m.CILow), num(m.CIHigh), num(m.Alpha)}
}

// num formats a finished number for a cell: up to four decimals, "" for a null.
func num(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', 4, 64)
}

func boolCell(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
