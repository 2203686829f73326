package web

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// seedCompareSurvey stores a closed survey of 48 respondents of kikaku, every comment
// published: 12 of the less satisfied and 2 of the more satisfied wrote that overtime is too
// much (残業が多い), 2 and 12 about training (研修), 20 wrote nothing. min_comment_group_size is 10.
func seedCompareSurvey(tb testing.TB, st *storage.Store) *survey.Questionnaire {
	tb.Helper()
	q := testQuestionnaire(tb, "compare-2025")
	mustCreateSurvey(tb, st, q, survey.StateDraft)
	var rs []*survey.Response
	add := func(n int, sat int8, text string) {
		for i := range n {
			r := survey.NewResponse(q, "kikaku")
			r.Satisfaction = sat
			if text != "" {
				r.Comments[0] = fmt.Sprintf("%s（%d）", text, i+1)
			}
			rs = append(rs, r)
		}
	}
	add(12, 2, "残業が多いので減らしてほしい")
	add(2, 5, "残業が多いが仕方ない")
	add(2, 1, "研修の機会がほしい")
	add(12, 4, "研修の機会が増えて良い")
	add(10, 3, "")
	add(10, 5, "")
	if err := st.Import(q.ID, rs); err != nil {
		tb.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		tb.Fatal(err)
	}
	decisions := map[string]string{}
	for _, r := range rs {
		if r.Comments[0] != "" {
			decisions[survey.CommentID("good", r.Comments[0])] = survey.DecidePublish
		}
	}
	if err := st.DecideAll(q.ID, decisions, "reviewer"); err != nil {
		tb.Fatal(err)
	}
	return q
}

var compareTable = regexp.MustCompile(`(?s)<table class="compare".*?</table>`)

// TestCommentsCompare: the comments page of the whole organisation compares the themes of the
// less and the more satisfied writers, in Japanese and English, the over-represented first and
// marked; a section's page says why it has no comparison.
func TestCommentsCompare(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := seedCompareSurvey(t, st)
	exec := adminLogin(t, ts, "executive")
	base := "/admin/surveys/" + q.ID + "/comments"

	page := exec.get(base).Body
	table := compareTable.FindString(page)
	if table == "" {
		t.Fatalf("the comments page has no comparison:\n%s", page)
	}
	for _, want := range []string{"満足度の低い人・高い人で比べた話題", "低い人", "14 人", "残業が多い", "低い人に多い", "86%", "14%"} {
		if !strings.Contains(page, want) {
			t.Errorf("the comparison lacks %q", want)
		}
	}
	rows := strings.Split(table, "<tr")[2:] // after the head's
	if len(rows) != 2 || !strings.Contains(rows[0], "残業が多い") || !strings.Contains(rows[1], "研修") && !strings.Contains(rows[1], "機会") {
		t.Errorf("rows %q; want 残業が多い, the theme more frequent among the less satisfied, then 研修 (or 機会, written in the same comments)", rows)
	}
	if strings.Count(table, `class="over"`) != 1 {
		t.Errorf("%d rows marked over-represented; want 1 (残業が多い)", strings.Count(table, `class="over"`))
	}
	en := exec.get(base + "?lang=en").Body
	for _, want := range []string{"Themes of the less and the more satisfied", "Less satisfied", "more among the less satisfied"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English comparison lacks %q", want)
		}
	}
	section := exec.get(base + "?section=kikaku&lang=ja").Body
	if compareTable.MatchString(section) || !strings.Contains(section, "組織全体についてのみ") {
		t.Errorf("a section's page shows a comparison, or does not say why not:\n%s", section)
	}
}
