package results

import (
	"strconv"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// ItemTable returns the per-question results of res (docs/analysis.md, "Per-question
// results"): a header, then one row per shown group, category and item.
func ItemTable(q *survey.Questionnaire, res *analysis.SurveyResult, lang string) [][]string {
	out := [][]string{{"section", "name", "category", "item", "text", "n", "favourable", "neutral", "unfavourable"}}
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
				out = append(out, []string{g.Section, q.SectionName(g.Section, lang), cat.ID, it.ID, cat.Items[j].Text.In(lang),
					strconv.Itoa(it.N), num(it.Favourable), num(it.Neutral), num(it.Unfavourable)})
			}
		}
	}
	return out
}
