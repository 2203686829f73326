package insight_test

import (
	"math"
	"slices"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/results/insight"
	"staffsurvey/survey"
)

// attrQuestionnaire is the attributes fixture's questionnaire (testdata/fixtures/attributes):
// the test questionnaire's categories and tree with rank (staff, chief, manager), age and
// employment; min_group_size 5.
func attrQuestionnaire(tb testing.TB) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.LoadFile(testfixture.Attributes("attr-2026.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// rankSurvey has in every leaf 4 staff, 2 chiefs and 1 manager, each twice (age and employment
// not stated). Managers rate their own role (boss) and cohesion high, staff low; motivation
// is the same for everyone. Satisfaction: staff 3 and 2 (37.5), managers 4 and 3 (62.5);
// eNPS: staff 3 and 7 (−50), chiefs 7, managers 8 and 10 (+50).
func rankSurvey(tb testing.TB) (*survey.Questionnaire, *analysis.SurveyResult) {
	q := attrQuestionnaire(tb)
	var rs []*survey.Response
	for _, leaf := range q.Leaves() {
		for _, rank := range []int8{0, 0, 0, 0, 1, 1, 2} {
			boss, coh := map[int8]int8{0: 2, 1: 3, 2: 5}[rank], map[int8]int8{0: 3, 1: 4, 2: 5}[rank]
			value := map[string]int8{"motivation": 4, "cohesion": coh, "citizen": 4, "challenge": 3, "boss": boss, "talk": 4}
			for i, r := range respond(q, leaf, 2, value) {
				r.Attributes = []int8{rank, survey.NA, survey.NA}
				r.Satisfaction = map[int8]int8{0: 3, 1: 3, 2: 4}[rank] - int8(i%2)
				r.ENPS = [3][2]int8{{3, 7}, {7, 7}, {8, 10}}[rank][i%2]
				rs = append(rs, r)
			}
		}
	}
	res := analysis.Analyze(q, rs)
	if len(res.Disclosure.Withheld) > 0 {
		tb.Fatalf("the disclosure check withheld %v: the test means every option shown", res.Disclosure.Withheld)
	}
	return q, res
}

func TestDefaultPairAndPair(t *testing.T) {
	q := attrQuestionnaire(t)
	at, a, b, ok := insight.DefaultPair(q)
	if !ok || at != "rank" || a != "staff" || b != "manager" {
		t.Errorf("DefaultPair = %s %s %s %v; want rank staff manager", at, a, b, ok)
	}
	plain := testQuestionnaire(t, "x", 2025)
	if _, _, _, ok := insight.DefaultPair(plain); ok {
		t.Error("a pair for a questionnaire without attributes")
	}
	for _, tt := range []struct{ attr, a, b, wantA, wantB string }{
		{"rank", "chief", "staff", "chief", "staff"},
		{"rank", "staff", "staff", "staff", "manager"},          // the same option twice: the default
		{"age", "staff", "manager", "20s", "50s"},               // options of the attribute before
		{"employment", "", "", "regular", "reemployed"},         // none chosen
		{"employment", "regular", "x", "regular", "reemployed"}, // one unknown
	} {
		a, b, err := insight.Pair(q, tt.attr, tt.a, tt.b)
		if err != nil || a != tt.wantA || b != tt.wantB {
			t.Errorf("Pair(%s, %s, %s) = %s, %s, %v; want %s, %s", tt.attr, tt.a, tt.b, a, b, err, tt.wantA, tt.wantB)
		}
	}
	if _, _, err := insight.Pair(q, "nothing", "staff", "manager"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("an unknown attribute: %v; want ENOTFOUND", err)
	}
}

func TestCompare(t *testing.T) {
	q, res := rankSurvey(t)
	c := insight.Compare(res, "rank", "staff", "manager")
	if len(c.Withheld) != 0 || len(c.Gaps) == 0 {
		t.Fatalf("staff vs managers: withheld %v, %d gaps", c.Withheld, len(c.Gaps))
	}
	if c.Gaps[0].Metric != analysis.ActivityKey {
		t.Errorf("first gap %s; want the activity index", c.Gaps[0].Metric)
	}
	byMetric := map[string]analysis.OptionGap{}
	for _, g := range c.Gaps {
		byMetric[g.Metric] = g
	}
	staff, manager := res.Attribute("rank").Option("staff"), res.Attribute("rank").Option("manager")
	boss := byMetric["boss"]
	if boss.A != *staff.Categories["boss"].Score || boss.B != *manager.Categories["boss"].Score || boss.Delta <= 40 || !boss.Significant() {
		t.Errorf("boss gap %+v; want managers far above staff, significant", boss)
	}
	if m := byMetric["motivation"]; m.Delta != 0 || m.Significant() {
		t.Errorf("motivation gap %+v; want none", m)
	}
	if sat, enps := byMetric[analysis.SatisfactionKey], byMetric[analysis.ENPSKey]; sat.Delta != 25 || !sat.Significant() ||
		enps.A != -50 || enps.B != 50 || enps.A != *staff.ENPS.Score || !enps.Significant() {
		t.Errorf("satisfaction gap %+v, eNPS gap %+v; want +25 and −50 → +50", sat, enps)
	}
	if c.Gaps[1].Metric != analysis.SatisfactionKey || c.Gaps[2].Metric != analysis.ENPSKey || c.Gaps[3].Metric != q.Categories[0].ID {
		t.Errorf("gaps in the order %s %s %s; want satisfaction, eNPS, then the categories", c.Gaps[1].Metric, c.Gaps[2].Metric, c.Gaps[3].Metric)
	}
	// The widest significant gaps first: boss (+75), then eNPS (+100 on a span of 200, so 50)
	// and cohesion (+50) in the order of the gaps; activity (+25) and satisfaction (+25) after.
	if len(c.Widest) != 3 || c.Widest[0].Metric != "boss" || c.Widest[1].Metric != analysis.ENPSKey || c.Widest[2].Metric != "cohesion" {
		var got []string
		for _, g := range c.Widest {
			got = append(got, g.Metric)
		}
		t.Errorf("widest %v; want boss, eNPS, cohesion", got)
	}
	// Questions: every one both publish (all but the reverse-keyed one nobody answers), widest
	// first: boss's four (+75) in questionnaire order.
	if len(c.Questions) != q.NumItems()-1 || slices.ContainsFunc(c.Questions, func(g analysis.OptionGap) bool { return g.Metric == "ch2" }) {
		t.Errorf("%d question gaps; want all %d answered", len(c.Questions), q.NumItems()-1)
	}
	for i, g := range c.Questions {
		if i < 4 && (g.Category != "boss" || g.Delta != 75 || g.Metric != q.Categories[4].Items[i].ID) {
			t.Errorf("question gap %d: %+v; want boss's questions first, +75", i, g)
		}
		if i > 0 && math.Abs(g.Delta) > math.Abs(c.Questions[i-1].Delta) {
			t.Errorf("question gaps out of order at %d: %+v after %+v", i, g, c.Questions[i-1])
		}
	}
	for _, g := range c.Widest {
		if !g.Significant() {
			t.Errorf("widest holds %s, not significant", g.Metric)
		}
	}
	// Reversed, the gaps change sign and nothing else.
	r := insight.Compare(res, "rank", "manager", "staff")
	for i, g := range r.Gaps {
		if g.Metric != c.Gaps[i].Metric || g.Delta != -c.Gaps[i].Delta || math.Abs(*g.P-*c.Gaps[i].P) > 1e-12 {
			t.Errorf("reversed %s: %+v against %+v", g.Metric, g, c.Gaps[i])
		}
	}
}

// TestCompareWithheld: a pair with a withheld option compares nothing, so that no gap added to
// the other option's published score gives the withheld one's away; options with nobody (age
// is never stated here) are withheld too.
func TestCompareWithheld(t *testing.T) {
	q, rs := fixtureload.Attributes(t, "2026") // rank=manager withheld by the remainder rule
	res := analysis.Analyze(q, rs)
	c := insight.Compare(res, "rank", "staff", "manager")
	if len(c.Gaps) != 0 || len(c.Widest) != 0 || len(c.Questions) != 0 || len(c.Withheld) != 1 || c.Withheld[0] != "manager" {
		t.Errorf("staff vs withheld managers: %+v", c)
	}
	if c := insight.Compare(res, "employment", "reemployed", "regular"); len(c.Gaps) != 0 || len(c.Withheld) != 1 || c.Withheld[0] != "reemployed" {
		t.Errorf("re-employed (4 people) vs regular: %+v", c)
	}
	_, ranked := rankSurvey(t)
	if c := insight.Compare(ranked, "age", "20s", "50s"); len(c.Gaps) != 0 || len(c.Withheld) != 2 {
		t.Errorf("two empty options: %+v", c)
	}
	if c := insight.Compare(res, "rank", "staff", "chief"); len(c.Withheld) != 0 || len(c.Gaps) == 0 || len(c.Questions) == 0 {
		t.Errorf("two shown options: %+v", c)
	}
}
