package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestExportWithholdsSmallSectionComments: the test questionnaire shows numbers from 5
// respondents but comments only from 10 (docs/anonymity.md, rule 7). soumu-a and soumu-b (6 each)
// are named in the responses CSV, so their comments must not be in it: the comments page
// shows them only as soumu's 12, and neither section's comments may be had apart.
func TestExportWithholdsSmallSectionComments(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := testQuestionnaire(t, "comments-2025")
	mustCreateSurvey(t, st, q, survey.StateDraft)
	var rs []*survey.Response
	for section, n := range map[string]int{"soumu-a": 6, "soumu-b": 6, "madoguchi": 12} {
		for i := range n {
			r := survey.NewResponse(q, section)
			r.Answers[0] = 4
			r.Comments[0] = fmt.Sprintf("%s の意見 %d", section, i)
			rs = append(rs, r)
		}
	}
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	publishUnflagged(t, st, q.ID)
	ac := adminLogin(t, ts, "analyst")
	for _, section := range []string{"soumu-a", "soumu-b"} {
		if r := ac.get("/admin/surveys/" + q.ID + "/comments?section=" + section); !strings.Contains(r.Body, "自由記述を表示できません") {
			t.Fatalf("comments page of %s: shown; the test needs it refused", section)
		}
	}
	tests := []struct {
		format   string
		comments func(row []string) []string // the comments of a row
	}{
		{"wide", func(row []string) []string {
			if c := row[len(row)-1]; c != "" {
				return []string{c}
			}
			return nil
		}},
		{"long", func(row []string) []string {
			if row[4] == "good" {
				return []string{row[5]}
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			r := ac.get("/admin/surveys/" + q.ID + "/export.csv?format=" + tt.format)
			if r.Status != http.StatusOK {
				t.Fatalf("export: %d", r.Status)
			}
			rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{} // comments per exported section
			for _, row := range rows[1:] {
				for _, c := range tt.comments(row) {
					got[row[2]]++
					if !strings.HasPrefix(c, row[2]+" ") {
						t.Errorf("comment %q under section %s", c, row[2])
					}
				}
			}
			if want := map[string]int{"madoguchi": 12}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("comments per section %v; want %v", got, want)
			}
		})
	}
}
