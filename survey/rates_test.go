package survey_test

import (
	"reflect"
	"testing"

	"staffsurvey/survey"
)

// The fixture's tree (min_group_size 5): soumu{soumu-a, soumu-b}, shimin{shimin-a, shimin-b,
// shimin-c}, madoguchi, hoken{hoken-a, hoken-b}, kikaku.
var rateIssued = map[string]int{"soumu-a": 6, "soumu-b": 3, "shimin-a": 10, "shimin-b": 10, "shimin-c": 10,
	"madoguchi": 12, "hoken-a": 4, "hoken-b": 4, "kikaku": 8}

var rateCases = []struct {
	name     string
	scoped   bool
	sections []string
	want     []string // codes of the groups shown
	within   map[string][]string
}{
	// The survey office's view through the rule: soumu-b (3) is hidden, and soumu-a with it,
	// since soumu − soumu-a would count soumu-b's three; hoken-a and -b (4 each) only as hoken.
	{"everyone, grouped", false, nil,
		[]string{"all", "soumu", "shimin", "shimin-a", "shimin-b", "shimin-c", "madoguchi", "hoken", "kikaku"}, nil},
	// A chief of the three-person soumu-b sees only soumu, which holds his team, and the whole.
	{"a small team's chief", true, []string{"soumu-b"}, []string{"all", "soumu"}, map[string][]string{"soumu": {"soumu-b"}}},
	{"a 課 manager", true, []string{"shimin"}, []string{"all", "shimin", "shimin-a", "shimin-b", "shimin-c"}, nil},
	{"two small teams", true, []string{"hoken-a", "hoken-b"}, []string{"all", "hoken"}, map[string][]string{"hoken": {"hoken-a", "hoken-b"}}},
	{"no sections", true, nil, []string{"all"}, nil},
}

func TestPublishedRates(t *testing.T) {
	q := mustFixture(t)
	used := map[string]int{"soumu-a": 6, "soumu-b": 1, "shimin-a": 3, "madoguchi": 12, "hoken-a": 2, "kikaku": 8}
	for _, tt := range rateCases {
		t.Run(tt.name, func(t *testing.T) {
			rows := survey.PublishedRates(q, rateIssued, used, tt.scoped, tt.sections)
			var got []string
			within := map[string][]string{}
			for _, r := range rows {
				got = append(got, r.Code)
				for _, w := range r.Within {
					within[r.Code] = append(within[r.Code], w.Code)
				}
				if r.Issued < q.MinGroupSize() && r.Issued > 0 {
					t.Errorf("%s shown with %d issued tokens", r.Code, r.Issued)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("groups %v; want %v", got, tt.want)
			}
			if tt.within == nil {
				tt.within = map[string][]string{}
			}
			if !reflect.DeepEqual(within, tt.within) {
				t.Errorf("counted within %v; want %v", within, tt.within)
			}
			if rows[0].Code == survey.Root && (rows[0].Issued != 67 || rows[0].Used != 32) {
				t.Errorf("all: %d of %d; want 32 of 67", rows[0].Used, rows[0].Issued)
			}
		})
	}
}

// TestPublishedRatesNoDifference: whatever the counts, no shown group minus the shown groups
// right below it leaves 1..k−1 issued tokens, for every reader — the attack of subtracting
// siblings from their parent to get a small team's count.
func TestPublishedRatesNoDifference(t *testing.T) {
	q := mustFixture(t)
	k := q.MinGroupSize()
	tree := q.OrgTree()
	leaves := q.Leaves()
	for seed := range 500 {
		issued, used := map[string]int{}, map[string]int{}
		for i, l := range leaves {
			issued[l] = (seed*7 + i*i*3 + seed/(i+1)) % 13
			used[l] = issued[l] / 2
		}
		for _, scope := range [][]string{nil, {"soumu-b"}, {"shimin"}, {"hoken-a", "kikaku"}} {
			rows := survey.PublishedRates(q, issued, used, scope != nil, scope)
			shown := map[string]int{}
			for _, r := range rows {
				shown[r.Code] = r.Issued
			}
			for _, r := range rows {
				i, _ := tree.Index(r.Code)
				rest := r.Issued
				for j := i + 1; j < tree.End[i]; {
					if n, ok := shown[tree.Nodes[j].Code]; ok && n > 0 {
						rest -= n
						j = tree.End[j]
						continue
					}
					j++
				}
				if rest > 0 && rest < k {
					t.Fatalf("seed %d, scope %v: %s minus its shown groups leaves %d issued tokens", seed, scope, r.Code, rest)
				}
			}
		}
	}
}
