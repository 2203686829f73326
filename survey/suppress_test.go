package survey_test

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"staffsurvey/survey"
)

// The tables below are those of package analysis (analysis/internal_test.go), where the rule
// was first written and tested: the port must decide exactly the same.

// suppressTests are hand-built trees for the remainder rule (docs/analysis.md, "Suppression"). Nodes are in
// pre-order; parent[i] is the index of i's parent.
var suppressTests = []struct {
	name   string
	parent []int
	n      []int
	k      int
	want   []int // suppressed nodes
}{
	{
		// all(20) → x(10), y(10): nothing to hide
		name: "all shown", parent: []int{-1, 0, 0}, n: []int{20, 10, 10}, k: 5, want: nil,
	},
	{
		// rule (a); the hidden leaves together are not small
		name: "hidden leaves add up", parent: []int{-1, 0, 0, 0}, n: []int{16, 10, 3, 3}, k: 5, want: []int{2, 3},
	},
	{
		// all(13) → x(10), y(3): y is hidden by (a); all's remainder is then 3, so x goes too
		name: "remainder hides sibling", parent: []int{-1, 0, 0}, n: []int{13, 10, 3}, k: 5, want: []int{1, 2},
	},
	{
		// the smallest maximal shown descendant goes
		name: "smallest goes", parent: []int{-1, 0, 0, 0}, n: []int{24, 12, 4, 8}, k: 5, want: []int{2, 3},
	},
	{
		// ties hide the earliest in pre-order
		name: "tie", parent: []int{-1, 0, 0, 0}, n: []int{23, 10, 3, 10}, k: 5, want: []int{1, 2},
	},
	{
		// all(97) → soumu(28) → a(25), b(3); shimin(25) → a(12), b(9), c(4); madoguchi(40);
		// hoken(4) → a(2), b(2); kikaku(0): the fixture's 2025 tree
		name:   "fixture 2025",
		parent: []int{-1, 0, 1, 1, 0, 4, 4, 4, 0, 0, 9, 9, 0},
		n:      []int{97, 28, 25, 3, 25, 12, 9, 4, 40, 4, 2, 2, 0},
		k:      5,
		want:   []int{2, 3, 4, 7, 9, 10, 11},
	},
	{
		// hiding a parent can expose its children as maximal shown descendants: all(30) →
		// p(22) → c1(11), c2(11); q(8); the remainder of all is 0, nothing hides
		name: "nested", parent: []int{-1, 0, 1, 1, 0}, n: []int{30, 22, 11, 11, 8}, k: 5, want: nil,
	},
	{
		// a direct respondent of an inner node (not a leaf) is a remainder too:
		// p(12) → c(10) leaves 2 at p itself, so c is hidden
		name: "respondents at an inner node", parent: []int{-1, 0, 1}, n: []int{12, 12, 10}, k: 5, want: []int{2},
	},
	{
		// a cascade: hiding one group creates a new small remainder above it
		// all(40) → p(18) → c1(9), c2(6), c3(3); q(22)
		// p: remainder 3 (c3) → hide c2 (6); remainder 9 ok. all: 40−18−22 = 0 ok.
		name: "cascade", parent: []int{-1, 0, 1, 1, 1, 0}, n: []int{40, 18, 9, 6, 3, 22}, k: 5, want: []int{3, 4},
	},
	{
		// the whole organisation below the minimum
		name: "tiny root", parent: []int{-1, 0}, n: []int{3, 3}, k: 5, want: []int{0, 1},
	},
}

func TestSuppressIndexed(t *testing.T) {
	for _, tt := range suppressTests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for i, h := range survey.SuppressIndexed(tt.parent, tt.n, tt.k, nil) {
				if h {
					got = append(got, i)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}

func TestSuppress(t *testing.T) {
	q := &survey.Questionnaire{Sections: []survey.Section{{Code: "x"}, {Code: "y"}}}
	got := q.OrgTree().Suppress([]int{14, 10, 4}, 5)
	if want := []bool{false, true, true}; !slices.Equal(got, want) {
		t.Errorf("got %v; want x and y hidden", got)
	}
}

func TestSuppressFrom(t *testing.T) {
	// all(30) → p(15), q(15): q hidden from the start leaves a remainder of 15 at all: fine.
	// With q at 3 instead, hiding it from the start makes p go too.
	tests := []struct {
		name string
		n    []int
		want []bool
	}{
		{"large remainder", []int{30, 15, 15}, []bool{false, false, true}},
		{"small remainder", []int{18, 15, 3}, []bool{false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := survey.SuppressIndexed([]int{-1, 0, 0}, tt.n, 5, []bool{false, false, true})
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}

func TestSubtreeCounts(t *testing.T) {
	q := mustFixture(t)
	tree := q.OrgTree()
	own := map[string]int{"soumu-a": 25, "soumu-b": 3, "soumu": 2, "nowhere": 1}
	n := tree.Rollup(tree.Counts(own))
	got := map[string]int{}
	for i, s := range tree.Nodes {
		got[s.Code] = n[i]
	}
	if got["all"] != 31 || got["soumu"] != 30 || got["soumu-a"] != 25 {
		t.Errorf("got all %d, soumu %d, soumu-a %d; want 31, 30, 25", got["all"], got["soumu"], got["soumu-a"])
	}
}

// TestGeneralise checks, on random counts over the fixture's tree, that every section goes
// to its nearest group that the rule leaves shown, that the generalised counts are shown or
// empty everywhere, and that comments go to a group shown at the comment size.
func TestGeneralise(t *testing.T) {
	base := mustFixture(t)
	ot := base.OrgTree()
	tree, parent := ot.Nodes, ot.Parent
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 500 {
		q := *base
		q.Anonymity.MinGroupSize = 5 + rng.IntN(6)
		q.Anonymity.MinCommentGroupSize = 5 + rng.IntN(8)
		own := map[string]int{}
		for _, code := range q.Leaves() {
			if rng.IntN(4) > 0 {
				own[code] = rng.IntN(20)
			}
		}
		g := survey.Generalise(&q, own)
		n := ot.Rollup(ot.Counts(own))
		hidden := survey.SuppressIndexed(parent, n, q.Anonymity.MinGroupSize, nil)
		commentHidden := survey.SuppressIndexed(parent, n, q.Anonymity.MinCommentGroupSize, nil)
		index := map[string]int{}
		for i, s := range tree {
			index[s.Code] = i
		}
		moved := map[string]int{}
		for _, code := range slices.Sorted(maps.Keys(own)) {
			to := g.Section(code)
			moved[to] += own[code]
			i := index[code]
			for ; i > 0 && hidden[i]; i = parent[i] {
			}
			if to != tree[i].Code {
				t.Fatalf("round %d: %s goes to %s; want %s", round, code, to, tree[i].Code)
			}
			c := g.Comments(code)
			j := index[to]
			for ; j > 0 && commentHidden[j]; j = parent[j] {
			}
			if c != tree[j].Code {
				t.Fatalf("round %d: comments of %s go to %s; want %s", round, code, c, tree[j].Code)
			}
		}
		// The generalised file, counted as it is, hides nothing more: every group is shown or empty.
		if !hidden[0] {
			if h := ot.Suppress(ot.Rollup(ot.Counts(moved)), q.Anonymity.MinGroupSize); slices.Contains(h, true) {
				t.Fatalf("round %d: generalised counts %v still hide %v", round, moved, h)
			}
		}
	}
}
