package admin

import (
	"encoding/json"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// TestComparisonOfOldState: a survey with attributes closed before options kept the sums of
// satisfaction, eNPS and the questions still compares the categories; satisfaction and eNPS
// show both scores without a gap, and the page says why there is no comparison question by
// question rather than claiming that no question is shown for both.
func TestComparisonOfOldState(t *testing.T) {
	q, rs := fixtureload.Attributes(t, "2026")
	data, err := analysis.Aggregate(q, func(fn func(*survey.Response) error) error {
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := analysis.ResultFromState(q, data)
	if err != nil {
		t.Fatal(err)
	}
	// The state as it was before: only the categories' and the activity index's moments.
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	dropped := 0
	for _, byOpt := range st["option_samples"].(map[string]any) {
		for _, m := range byOpt.(map[string]any) {
			for key := range m.(map[string]any) {
				if strings.Contains(key, ":") {
					delete(m.(map[string]any), key)
					dropped++
				}
			}
		}
	}
	if dropped == 0 {
		t.Fatal("the state keeps no moments of outcomes or questions")
	}
	data, _ = json.Marshal(st)
	old, err := analysis.ResultFromState(q, data)
	if err != nil {
		t.Fatal(err)
	}
	lang := page.Lang("ja")
	now, err := newOptionComparison(q, fresh, "rank", "staff", "chief", lang)
	if err != nil {
		t.Fatal(err)
	}
	then, err := newOptionComparison(q, old, "rank", "staff", "chief", lang)
	if err != nil {
		t.Fatal(err)
	}
	if now.Unkept || len(now.Questions) == 0 || len(now.TopQuestions) != TopQuestions {
		t.Errorf("fresh state: unkept %v, %d questions, %d listed", now.Unkept, len(now.Questions), len(now.TopQuestions))
	}
	if !then.Unkept || len(then.Questions) != 0 {
		t.Errorf("old state: unkept %v, %d questions", then.Unkept, len(then.Questions))
	}
	for i, row := range then.Rows {
		fresh := now.Rows[i]
		switch row.Title {
		case "総合満足度", "eNPS":
			if row.Delta != "—" || row.A != fresh.A || row.B != fresh.B || fresh.Delta == "—" {
				t.Errorf("old state, %s: %+v; want the scores %s %s without a gap", row.Title, row, fresh.A, fresh.B)
			}
		default:
			if row != fresh {
				t.Errorf("old state, %s: %+v; want %+v", row.Title, row, fresh)
			}
		}
	}
}
