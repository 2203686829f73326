package results_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"staffsurvey/internal/demo"
	"staffsurvey/questionnaires"
	"staffsurvey/results"
	"staffsurvey/survey"
)

// publishAll is the decisions of a person who published every comment of rs.
func publishAll(q *survey.Questionnaire, rs []*survey.Response) map[string]string {
	d := map[string]string{}
	for _, r := range rs {
		for k, t := range r.Comments {
			if t != "" {
				d[survey.CommentID(q.Comments[k].ID, t)] = survey.DecidePublish
			}
		}
	}
	return d
}

// demoStore holds the demo's last closed kita-2026 year, every comment published.
func demoStore(tb testing.TB) (*memStore, *survey.Questionnaire) {
	tb.Helper()
	data, err := questionnaires.Open("kita-2026")
	if err != nil {
		tb.Fatal(err)
	}
	q, err := survey.Parse("kita-2026.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	rs := demo.Responses(q, 2026, 4, nil)
	m := &memStore{surveys: map[string]*survey.Survey{q.ID: {Questionnaire: q, State: survey.StateClosed, Revision: 1}},
		responses: map[string][]*survey.Response{q.ID: rs}, decisions: publishAll(q, rs)}
	return m, q
}

// TestCompareThemesDemo measures the comparison on the demo's data (docs/analysis.md): with
// min_comment_group_size 10 and about 45 writers per question, only themes of 10 writers or
// more can be rows. The questionnaire's attributes, if it has any, are left out: a survey with
// attributes keeps no comment beside its answers, and has no comparison.
func TestCompareThemesDemo(t *testing.T) {
	m, q := demoStore(t)
	q.Attributes = nil
	cs, err := results.New(m).CompareThemes(context.Background(), q.ID, survey.Root)
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, c := range cs {
		if c.Why != nil {
			t.Logf("%s: withheld: %s", c.Question, c.Why.EN)
			continue
		}
		shown++
		var b strings.Builder
		for _, r := range c.Rows {
			fmt.Fprintf(&b, "%s %d/%d (%.0f%%) vs %d/%d (%.0f%%); ", r.Term, r.Less, c.Less, r.LessShare, r.More, c.More, r.MoreShare)
			if r.Less+r.More < q.MinCommentGroupSize() {
				t.Errorf("%s: row %+v has fewer than %d writers", c.Question, r, q.MinCommentGroupSize())
			}
		}
		t.Logf("%s: less satisfied %d writers, more satisfied %d: %s", c.Question, c.Less, c.More, b.String())
	}
	if shown == 0 {
		t.Errorf("no comparison shown on the demo's data")
	}
}

// compareQuestionnaire has a satisfaction item, one comment question, k = 5 for answers and
// comments, and the sections given.
func compareQuestionnaire(tb testing.TB, sections ...string) *survey.Questionnaire {
	tb.Helper()
	t := func(s string) survey.Text { return survey.Text{JA: s, EN: s} }
	q := &survey.Questionnaire{ID: "cmp-2025", Year: 2025, Title: t("t"),
		Scale:     survey.Scale{Points: 5, Labels: survey.Texts{JA: []string{"1", "2", "3", "4", "5"}}, NotApplicable: t("NA")},
		Anonymity: survey.Anonymity{MinGroupSize: 5, MinCommentGroupSize: 5},
		Categories: []survey.Category{
			{ID: "m", Title: t("M"), Axis: survey.AxisMotivation, Items: []survey.Item{{ID: "m1", Text: t("m1")}}},
			{ID: "i", Title: t("I"), Axis: survey.AxisCohesion, Items: []survey.Item{{ID: "i1", Text: t("i1")}}},
		},
		Outcomes: survey.Outcomes{Satisfaction: &survey.Outcome{ID: "overall", Text: t("overall")}},
		Comments: []survey.Comment{{ID: "c", Text: t("c"), MaxLength: 200}},
	}
	for _, s := range sections {
		q.Sections = append(q.Sections, survey.Section{Code: s, Name: t(s)})
	}
	q.SetDefaults()
	if err := q.Validate(); err != nil {
		tb.Fatal(err)
	}
	return q
}

// respondent is a response of a comparison test: its section, its satisfaction (1–5, 0 for
// none) and its comment.
type respondent struct {
	section string
	sat     int8
	comment string
}

func compareStore(q *survey.Questionnaire, rs []respondent, decide func(text string) bool) *memStore {
	var out []*survey.Response
	decisions := map[string]string{}
	for _, x := range rs {
		r := survey.NewResponse(q, x.section)
		r.Answers[0], r.Answers[1] = 3, 3
		if x.sat > 0 {
			r.Satisfaction = x.sat
		}
		r.Comments[0] = x.comment
		if x.comment != "" && (decide == nil || decide(x.comment)) {
			decisions[survey.CommentID("c", x.comment)] = survey.DecidePublish
		}
		out = append(out, r)
	}
	return &memStore{surveys: map[string]*survey.Survey{q.ID: {Questionnaire: q, State: survey.StateClosed, Revision: 1}},
		responses: map[string][]*survey.Response{q.ID: out}, decisions: decisions}
}

// many returns n respondents of section with satisfaction sat writing text, each text made
// distinct by a number.
func many(n int, section string, sat int8, text string) []respondent {
	var out []respondent
	for i := range n {
		c := ""
		if text != "" {
			c = fmt.Sprintf("%s（%d）", text, i+1)
		}
		out = append(out, respondent{section, sat, c})
	}
	return out
}

func concat(parts ...[]respondent) []respondent {
	var out []respondent
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func compare(t *testing.T, m *memStore, id, section string) results.ThemeComparison {
	t.Helper()
	cs, err := results.New(m).CompareThemes(context.Background(), id, section)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("CompareThemes: %d comparisons; want 1", len(cs))
	}
	return cs[0]
}

func rowOf(c results.ThemeComparison, term string) (results.ThemeRow, bool) {
	for _, r := range c.Rows {
		if r.Term == term {
			return r, true
		}
	}
	return results.ThemeRow{}, false
}

// TestCompareThemes: the less satisfied (below the top two boxes) write about 残業が多い,
// the more satisfied about 研修; the rows say how many of each, over-represented first. 充実,
// written by 6 of the 8 who wrote 研修, is left out: beside the writers of the question and of
// 残業が多い it would give the satisfaction of the other 2.
func TestCompareThemes(t *testing.T) {
	q := compareQuestionnaire(t, "a", "b")
	m := compareStore(q, concat(
		many(6, "a", 2, "残業が多いので減らしてほしい"), many(2, "a", 5, "残業が多くて困る"),
		many(6, "b", 5, "研修が充実している"), many(2, "b", 1, "研修の機会がほしい"),
		many(8, "a", 4, ""), many(8, "b", 3, ""),
	), nil)
	c := compare(t, m, q.ID, survey.Root)
	if c.Why != nil {
		t.Fatalf("withheld: %s", c.Why.EN)
	}
	if c.Less != 8 || c.More != 8 {
		t.Errorf("writers: %d less and %d more satisfied; want 8 and 8", c.Less, c.More)
	}
	want := []results.ThemeRow{
		{Term: "残業が多い", Less: 6, More: 2, LessShare: 75, MoreShare: 25},
		{Term: "研修", Less: 2, More: 6, LessShare: 25, MoreShare: 75},
	}
	if !reflect.DeepEqual(c.Rows, want) {
		t.Errorf("rows %+v; want %+v", c.Rows, want)
	}
	if len(c.Rows) == 2 && (!c.Rows[0].Over() || c.Rows[1].Over()) {
		t.Errorf("Over: %v, %v; want true, false", c.Rows[0].Over(), c.Rows[1].Over())
	}
}

// TestCompareThemesWithheld: the comparison is withheld, and says why, for a section, for a
// survey with attributes or without a satisfaction item, and when either class has fewer than
// min_comment_group_size writers; comments nobody published count in no class.
func TestCompareThemesWithheld(t *testing.T) {
	base := concat(many(6, "a", 2, "残業が多い"), many(6, "b", 5, "研修が良い"), many(8, "a", 4, ""), many(8, "b", 3, ""))
	q := compareQuestionnaire(t, "a", "b")
	if c := compare(t, compareStore(q, base, nil), q.ID, survey.Root); c.Why != nil {
		t.Fatalf("the base case is withheld: %s", c.Why.EN)
	}
	if c := compare(t, compareStore(q, base, nil), q.ID, "a"); c.Why == nil || !strings.Contains(c.Why.JA, "組織全体についてのみ") {
		t.Errorf("for a section: %+v; want it withheld, for the whole organisation only", c)
	}
	few := concat(many(4, "a", 2, "残業が多い"), many(2, "a", 2, ""), many(6, "b", 5, "研修が良い"), many(8, "a", 4, ""), many(8, "b", 3, ""))
	if c := compare(t, compareStore(q, few, nil), q.ID, survey.Root); c.Why == nil || !strings.Contains(c.Why.JA, "5 人に満たない") || len(c.Rows) != 0 || c.Less != 0 {
		t.Errorf("4 less satisfied writers: %+v; want it withheld, fewer than 5", c)
	}
	// Only published comments count: with two of the less satisfied ones undecided, 4 remain.
	n := 0
	undecided := compareStore(q, base, func(text string) bool {
		if strings.HasPrefix(text, "残業") {
			n++
			return n > 2
		}
		return true
	})
	if c := compare(t, undecided, q.ID, survey.Root); c.Why == nil || !strings.Contains(c.Why.JA, "5 人に満たない") {
		t.Errorf("two comments undecided: %+v; want it withheld, 4 less satisfied writers", c)
	}
	// With them published, it is shown, and counts them.
	if c := compare(t, compareStore(q, base, nil), q.ID, survey.Root); c.Why != nil || c.Less != 6 {
		t.Errorf("all published: %d less satisfied writers, why %v; want 6, shown", c.Less, c.Why)
	}
	noSat := compareQuestionnaire(t, "a", "b")
	noSat.Outcomes.Satisfaction = nil
	if c := compare(t, compareStore(noSat, base, nil), q.ID, survey.Root); c.Why == nil || !strings.Contains(c.Why.JA, "総合満足度の設問がない") {
		t.Errorf("no satisfaction item: %+v; want it withheld", c)
	}
	attr := compareQuestionnaire(t, "a", "b")
	attr.Attributes = []survey.Attribute{{ID: "rank", Title: survey.Text{JA: "職層", EN: "Rank"}, Options: []survey.Option{
		{ID: "staff", Label: survey.Text{JA: "係員", EN: "Staff"}}, {ID: "chief", Label: survey.Text{JA: "係長", EN: "Chief"}}}}}
	if c := compare(t, compareStore(attr, base, nil), q.ID, survey.Root); c.Why == nil || !strings.Contains(c.Why.JA, "属性") {
		t.Errorf("a survey with attributes: %+v; want it withheld", c)
	}
}

// TestCompareThemesAttack plays a manager who wants the satisfaction of fewer than k people
// out of the comparison and the report together (DESIGN §6.5c; k = 5 here). A naive
// comparison — per section, or checking only that each class has k writers — lets each of
// these through.
func TestCompareThemesAttack(t *testing.T) {
	ctx := context.Background()

	// The only two dissatisfied people of section "small" wrote about 休暇: the comparison of
	// that section would say so (2 of 2 less satisfied writers), and at the level of the
	// organisation a theme of 2 writers would too.
	t.Run("the only two dissatisfied of a section", func(t *testing.T) {
		q := compareQuestionnaire(t, "big", "other", "small")
		m := compareStore(q, concat(
			many(2, "small", 1, "休暇が取りにくい"), many(4, "small", 5, ""),
			many(6, "big", 2, "残業が多い"), many(6, "other", 5, "研修が良い"), many(8, "big", 4, ""), many(8, "other", 3, ""),
		), nil)
		if c := compare(t, m, q.ID, "small"); c.Why == nil || len(c.Rows) != 0 || c.Less != 0 {
			t.Errorf("section small: %+v; want it withheld, with no count", c)
		}
		c := compare(t, m, q.ID, survey.Root)
		for _, r := range c.Rows {
			if r.Less+r.More < 5 {
				t.Errorf("row %+v: a theme of %d writers", r, r.Less+r.More)
			}
			if strings.Contains(r.Term, "休暇") {
				t.Errorf("row %+v: the theme of the two dissatisfied of small", r)
			}
		}
	})

	// Sections s1 and s2 wrote to the last person; s3's 2 writers are the only others. The
	// report gives the satisfied of s1 and s2; the comparison, the satisfied among all writers:
	// the difference is the satisfaction of s3's 2 writers.
	t.Run("writers minus sections", func(t *testing.T) {
		q := compareQuestionnaire(t, "s1", "s2", "s3")
		m := compareStore(q, concat(
			many(3, "s1", 1, "残業が多い"), many(3, "s1", 5, "研修が良い"),
			many(3, "s2", 2, "残業が多い"), many(3, "s2", 4, "研修が良い"),
			many(1, "s3", 1, "休暇が取りにくい"), many(1, "s3", 5, "雰囲気が良い"), many(8, "s3", 3, ""),
		), nil)
		c := compare(t, m, q.ID, survey.Root)
		if c.Why == nil {
			_, res, err := results.New(m).Result(ctx, q.ID)
			if err != nil {
				t.Fatal(err)
			}
			fav := 0
			for _, g := range res.Groups {
				if (g.Section == "s1" || g.Section == "s2") && g.Satisfaction != nil && g.Satisfaction.Favourable != nil {
					fav += int(float64(g.Satisfaction.N)**g.Satisfaction.Favourable/100 + 0.5)
				}
			}
			t.Errorf("shown with %d more satisfied writers: minus %d satisfied in s1 and s2 (the report) leaves %d of s3's 2 writers satisfied",
				c.More, fav, c.More-fav)
		} else if !strings.Contains(c.Why.JA, "差し引き") {
			t.Errorf("withheld, but why: %s", c.Why.JA)
		}
	})

	// 引継ぎ資料 (10 writers) holds 引継ぎ資料がない (8): both rows together give the
	// satisfaction of the other 2.
	t.Run("a theme inside another", func(t *testing.T) {
		q := compareQuestionnaire(t, "a", "b")
		m := compareStore(q, concat(
			many(5, "a", 1, "引継ぎ資料がない"), many(3, "b", 5, "引継ぎ資料がない"),
			many(1, "a", 2, "引継ぎ資料の整備を"), many(1, "b", 5, "引継ぎ資料の整備を"),
			many(6, "a", 5, "研修が良い"), many(6, "b", 2, "研修が良い"),
			many(10, "a", 3, ""), many(10, "b", 4, ""),
		), nil)
		c := compare(t, m, q.ID, survey.Root)
		outer, ok1 := rowOf(c, "引継ぎ資料")
		inner, ok2 := rowOf(c, "引継ぎ資料がない")
		if ok1 && ok2 {
			t.Errorf("both %+v and %+v: their difference is the satisfaction of 2 writers", outer, inner)
		}
		if !ok1 && !ok2 {
			t.Errorf("rows %+v (why %v): want one of 引継ぎ資料 and 引継ぎ資料がない", c.Rows, c.Why)
		}
	})
}
