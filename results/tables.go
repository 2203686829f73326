package results

import (
	"strconv"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// ReportTable returns the report table of closed survey q's analysis res (docs/formats.md,
// "Report table as CSV"): a header, then one row per group in pre-order with the numbers of the
// report JSON, suppressed and withheld values empty. Section names are in lang.
func ReportTable(q *survey.Questionnaire, res *analysis.SurveyResult, lang string) [][]string {
	head := []string{"section", "name", "parent", "depth", "n", "suppressed",
		"activity_n", "activity_index", "motivation", "cohesion", "type",
		"type_active", "type_work_focused", "type_belonging_dependent", "type_stagnant",
		"satisfaction_n", "satisfaction_score", "satisfaction_favourable", "enps_n", "enps_score"}
	for _, cat := range q.Categories {
		for _, f := range []string{"n", "score", "favourable", "sd", "ci_low", "ci_high", "alpha"} {
			head = append(head, cat.ID+"_"+f)
		}
	}
	names := map[string]string{}
	for _, s := range q.Tree() {
		names[s.Code] = s.Name.In(lang)
	}
	out := [][]string{head}
	for _, g := range res.Groups {
		row := []string{g.Section, names[g.Section], g.Parent, strconv.Itoa(g.Depth), strconv.Itoa(g.N), boolCell(g.Suppressed)}
		if a := g.Activity; a != nil {
			typ := ""
			if a.Type != nil {
				typ = string(*a.Type)
			}
			row = append(row, strconv.Itoa(a.N), num(a.Index), num(a.Motivation), num(a.Cohesion), typ)
			if t := a.Types; t != nil {
				row = append(row, num(&t.Active), num(&t.WorkFocused), num(&t.BelongingDependent), num(&t.Stagnant))
			} else {
				row = append(row, "", "", "", "")
			}
		} else {
			row = append(row, "", "", "", "", "", "", "", "", "")
		}
		if st := g.Satisfaction; st != nil {
			row = append(row, strconv.Itoa(st.N), num(st.Score), num(st.Favourable))
		} else {
			row = append(row, "", "", "")
		}
		if e := g.ENPS; e != nil {
			row = append(row, strconv.Itoa(e.N), num(e.Score))
		} else {
			row = append(row, "", "")
		}
		for _, cat := range q.Categories {
			var m *analysis.Category
			if g.Categories != nil {
				m = g.Categories[cat.ID]
			}
			if m == nil {
				row = append(row, "", "", "", "", "", "", "")
				continue
			}
			row = append(row, strconv.Itoa(m.N), num(m.Score), num(m.Favourable), num(m.SD), num(m.CILow), num(m.CIHigh), num(m.Alpha))
		}
		out = append(out, row)
	}
	return out
}

// ItemTable returns the per-question results of res (docs/analysis.md, "Per-question
// results"): a header, then one row per shown group, category and item.
func ItemTable(q *survey.Questionnaire, res *analysis.SurveyResult, lang string) [][]string {
	out := [][]string{{"section", "name", "category", "item", "text", "n", "favourable", "neutral", "unfavourable"}}
	names := map[string]string{}
	for _, s := range q.Tree() {
		names[s.Code] = s.Name.In(lang)
	}
	for _, g := range res.Groups {
		if !g.Shown() {
			continue
		}
		for _, cat := range q.Categories {
			m := g.Categories[cat.ID]
			if m == nil {
				continue
			}
			for j, it := range m.Items {
				out = append(out, []string{g.Section, names[g.Section], cat.ID, it.ID, cat.Items[j].Text.In(lang),
					strconv.Itoa(it.N), num(it.Favourable), num(it.Neutral), num(it.Unfavourable)})
			}
		}
	}
	return out
}

// num formats a finished number for a table cell: up to four decimals, "" for a null.
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
