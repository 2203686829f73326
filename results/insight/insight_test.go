package insight_test

import (
	"os"
	"slices"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/demo"
	"staffsurvey/internal/testfixture"
	"staffsurvey/results/insight"
	"staffsurvey/survey"
)

// testQuestionnaire returns the fixture questionnaire (testdata/fixtures/analysis/fixture-2025.yaml):
// categories motivation (items 0–2), cohesion (3–5), citizen (6–8), challenge (9–11, the middle
// one reverse-keyed), boss (12–15), talk (16–17); min_group_size 5.
func testQuestionnaire(tb testing.TB, id string, year int) *survey.Questionnaire {
	tb.Helper()
	data, err := os.ReadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	q, err := survey.Parse("fixture-2025.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	q.ID, q.Year = id, year
	return q
}

// categoryItems are the answer indexes of each category of the test questionnaire.
var categoryItems = map[string][]int{
	"motivation": {0, 1, 2},
	"cohesion":   {3, 4, 5},
	"citizen":    {6, 7, 8},
	"challenge":  {9, 11}, // 10 is reverse-keyed: left not applicable
	"boss":       {12, 13, 14, 15},
	"talk":       {16, 17},
}

// respond returns n responses of section whose answers to each category are value[category],
// alternating with value−1 (when above 1) so that every score has a variance.
func respond(q *survey.Questionnaire, section string, n int, value map[string]int8) []*survey.Response {
	var rs []*survey.Response
	for i := range n {
		r := survey.NewResponse(q, section)
		for cat, items := range categoryItems {
			for _, it := range items {
				v := value[cat]
				if i%2 == 1 && v > 1 {
					v--
				}
				r.Answers[it] = v
			}
		}
		rs = append(rs, r)
	}
	return rs
}

func categories(xs []insight.Score) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Category)
	}
	return out
}

// TestFindings: with six categories of known order, the three highest are the strengths and
// the three lowest the weaknesses and the low-score suggestions; a drop of one category since
// the year before is named as a change and a suggestion, an unchanged one is not.
func TestFindings(t *testing.T) {
	values := map[string]int8{"motivation": 5, "cohesion": 4, "citizen": 3, "challenge": 2, "boss": 5, "talk": 3}
	// boss and motivation tie at the top, citizen and talk in the middle: of tied scores the
	// one earlier in the questionnaire counts as higher.
	prevQ, q := testQuestionnaire(t, "y2024", 2024), testQuestionnaire(t, "y2025", 2025)
	before := map[string]int8{"motivation": 5, "cohesion": 4, "citizen": 5, "challenge": 2, "boss": 5, "talk": 3}
	var prevRs, rs []*survey.Response
	for _, sec := range []string{"soumu-a", "soumu-b", "shimin-a"} {
		prevRs = append(prevRs, respond(prevQ, sec, 20, before)...)
		rs = append(rs, respond(q, sec, 20, values)...)
	}
	prev, res := analysis.Analyze(prevQ, prevRs), analysis.Analyze(q, rs)

	f := insight.Of(q, res, prev, "soumu-a")
	if !f.Shown || f.Section != "soumu-a" || !f.Compared {
		t.Fatalf("got %+v; want a shown, compared group", f)
	}
	if got, want := categories(f.Strengths), []string{"motivation", "boss", "cohesion"}; !slices.Equal(got, want) {
		t.Errorf("strengths %v; want %v", got, want)
	}
	if got, want := categories(f.Weaknesses), []string{"challenge", "talk", "citizen"}; !slices.Equal(got, want) {
		t.Errorf("weaknesses %v; want %v", got, want)
	}
	if !slices.Equal(categories(f.Lowest), categories(f.Weaknesses)) {
		t.Errorf("lowest %v; want the weaknesses %v when six categories are shown", categories(f.Lowest), categories(f.Weaknesses))
	}
	for _, s := range f.Strengths {
		if want := *res.Group("soumu-a").Categories[s.Category].Score; s.Score != want {
			t.Errorf("strength %s: score %v; want the published %v", s.Category, s.Score, want)
		}
	}
	var changed []string
	for _, ch := range f.Changes {
		changed = append(changed, ch.Category)
		if !ch.Significant() || ch.Section != "soumu-a" || ch.From != 2024 || ch.To != 2025 {
			t.Errorf("change %+v: want significant, of soumu-a, 2024 to 2025", ch)
		}
	}
	if !slices.Contains(changed, "citizen") || slices.Contains(changed, "boss") {
		t.Errorf("changes %v; want citizen's drop and not boss (unchanged)", changed)
	}
	var drops []string
	kinds := map[insight.Kind]int{}
	for _, s := range f.Suggestions {
		kinds[s.Kind]++
		if s.Kind == insight.Drop {
			drops = append(drops, s.Change.Category)
			if s.Change.Delta >= 0 {
				t.Errorf("drop suggestion %+v is not a drop", s.Change)
			}
		}
	}
	if !slices.Equal(drops, []string{"citizen"}) {
		t.Errorf("drop suggestions %v; want [citizen]", drops)
	}
	if kinds[insight.LowScore] != 3 || kinds[insight.Driver] != len(f.Drivers) {
		t.Errorf("suggestion kinds %v; want 3 low scores and one per driver (%d)", kinds, len(f.Drivers))
	}

	// Without a year before: no changes, no drops.
	f = insight.Of(q, res, nil, "soumu-a")
	if f.Compared || len(f.Changes) != 0 {
		t.Errorf("without a year before: compared %v, changes %v", f.Compared, f.Changes)
	}
}

// TestFindingsKeepSuppression is the attack of DESIGN §6.5c on findings: a group the report
// withholds has none, and a metric the remainder rule withholds in a shown group (soumu-a's
// boss score: soumu's minus soumu-a's would give soumu-b's 2 respondents) is never ranked,
// suggested or named, so no finding reveals what the report hides.
func TestFindingsKeepSuppression(t *testing.T) {
	q := testQuestionnaire(t, "marks-2025", 2025)
	all := map[string]int8{"motivation": 4, "cohesion": 4, "citizen": 4, "challenge": 4, "boss": 1, "talk": 4}
	noBoss := func(rs []*survey.Response) []*survey.Response {
		for _, r := range rs {
			for _, it := range categoryItems["boss"] {
				r.Answers[it] = survey.NA
			}
		}
		return rs
	}
	var rs []*survey.Response
	rs = append(rs, respond(q, "soumu-a", 6, all)...)
	rs = append(rs, respond(q, "soumu-b", 2, all)...)
	rs = append(rs, noBoss(respond(q, "soumu-b", 4, all))...)
	rs = append(rs, respond(q, "madoguchi", 6, all)...)
	rs = append(rs, respond(q, "kikaku", 3, all)...)
	res := analysis.Analyze(q, rs)
	if m := res.Group("soumu-a").Categories["boss"]; m.Score != nil {
		t.Fatalf("the fixture no longer withholds soumu-a's boss score (%v): the test proves nothing", *m.Score)
	}
	f := insight.Of(q, res, nil, "soumu-a")
	if !f.Shown {
		t.Fatal("soumu-a is shown in the report")
	}
	for _, list := range [][]insight.Score{f.Strengths, f.Weaknesses, f.Lowest} {
		if slices.Contains(categories(list), "boss") {
			t.Errorf("the withheld boss score is ranked: %v", categories(list))
		}
	}
	for _, s := range f.Suggestions {
		if s.Kind == insight.LowScore && s.Category == "boss" {
			t.Errorf("the withheld boss score is suggested: %+v", s)
		}
	}
	for _, sec := range []string{"kikaku", "no-such-section"} {
		if f := insight.Of(q, res, nil, sec); f.Shown || len(f.Strengths)+len(f.Weaknesses)+len(f.Lowest)+len(f.Suggestions)+len(f.Drivers) != 0 {
			t.Errorf("%s (withheld): got findings %+v", sec, f)
		}
	}
}

// TestFindingsDemo checks the rules on six years of the demo organisation, every group: the
// lists are the published scores in order, the drivers are the ranked drivers from
// DriverMatters, priorities are drivers among the lowest, and suggestions are the lowest, the
// biggest drops, then the drivers.
func TestFindingsDemo(t *testing.T) {
	data, err := os.ReadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	base, err := survey.Parse("fixture-2025.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	years := demo.Years(base, 2)
	sizes := demo.Sizes(base, 2025)
	prev := analysis.Analyze(years[0], demo.Responses(years[0], 2025, 1, sizes))
	res := analysis.Analyze(years[1], demo.Responses(years[1], 2025, 2, sizes))
	q := years[1]
	for _, g := range res.Groups {
		f := insight.Of(q, res, prev, g.Section)
		for _, s := range f.Strengths {
			if slices.Contains(categories(f.Weaknesses), s.Category) {
				t.Errorf("%s: %s is both a strength and a weakness", g.Section, s.Category)
			}
		}
		if f.Shown != g.Shown() {
			t.Errorf("%s: shown %v; want %v", g.Section, f.Shown, g.Shown())
		}
		if !f.Shown {
			continue
		}
		var published []float64
		for _, c := range q.Categories {
			if m := g.Categories[c.ID]; m != nil && m.Score != nil {
				published = append(published, *m.Score)
			}
		}
		slices.Sort(published)
		n := min(insight.Most, len(published)/2)
		for i, s := range f.Weaknesses {
			if s.Score != published[i] {
				t.Errorf("%s: weakness %d is %v; want %v", g.Section, i, s.Score, published[i])
			}
		}
		for i, s := range f.Strengths {
			if s.Score != published[len(published)-1-i] {
				t.Errorf("%s: strength %d is %v; want %v", g.Section, i, s.Score, published[len(published)-1-i])
			}
		}
		if len(f.Strengths) != n || len(f.Weaknesses) != n || len(f.Lowest) != min(insight.Most, len(published)) {
			t.Errorf("%s: %d strengths, %d weaknesses, %d lowest of %d scores", g.Section, len(f.Strengths), len(f.Weaknesses), len(f.Lowest), len(published))
		}
		var want []string
		for _, d := range analysis.RankDrivers(res.Drivers) {
			if d.R != nil && *d.R >= insight.DriverMatters && len(want) < insight.Most {
				want = append(want, d.Category)
			}
		}
		var got []string
		for _, d := range f.Drivers {
			got = append(got, d.Category)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: drivers %v; want %v", g.Section, got, want)
		}
		for _, p := range f.Priorities {
			if !slices.Contains(got, p) || !slices.Contains(categories(f.Lowest), p) {
				t.Errorf("%s: priority %s is not a driver among the lowest", g.Section, p)
			}
		}
		last := insight.LowScore
		for _, s := range f.Suggestions {
			if s.Kind < last {
				t.Errorf("%s: suggestions out of order: %+v", g.Section, f.Suggestions)
				break
			}
			last = s.Kind
		}
	}
}
