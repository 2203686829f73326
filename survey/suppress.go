package survey

// The small-group rule (docs/analysis.md, "Suppression", rules a and b) on respondent counts.
// It lives here, in the domain, because the store needs it too: closing a survey (and importing
// a past one) generalises every response's section to the nearest group the rule leaves shown,
// so that the file never holds anything finer than a report may show (docs/anonymity.md, rule
// 4). Package analysis applies the same rule to its groups and metrics.

// Suppress applies rules a and b of docs/analysis.md, "Suppression", to an organisation tree
// and returns the codes of the suppressed groups. tree is in pre-order with the root first (as
// Questionnaire.Tree returns it); n holds the respondents of each group, its subtree
// included; k is the minimum group size.
//
// Rule (a) hides every group with 0 < n < k. Rule (b) stops differencing: for a shown group
// P, the respondents of P outside its maximal shown descendants could be computed by
// subtraction, so when there are 1..k−1 of them the smallest maximal shown descendant is
// hidden too, and the check starts again from the root until nothing changes.
//
// An empty group (n = 0) is neither suppressed nor "shown": it has nothing to hide, and hiding
// it would not change any remainder.
func Suppress(tree []FlatSection, n map[string]int, k int) map[string]bool {
	parent := TreeParents(tree)
	counts := make([]int, len(tree))
	for i, s := range tree {
		counts[i] = n[s.Code]
	}
	out := map[string]bool{}
	for i, s := range SuppressIndexed(parent, counts, k, nil) {
		if s {
			out[tree[i].Code] = true
		}
	}
	return out
}

// TreeParents returns, for a pre-order tree, the index of each node's parent (−1 for the root).
func TreeParents(tree []FlatSection) []int {
	index := make(map[string]int, len(tree))
	parent := make([]int, len(tree))
	for i, s := range tree {
		index[s.Code] = i
		parent[i] = -1
		if p, ok := index[s.Parent]; ok && s.Parent != "" {
			parent[i] = p
		}
	}
	return parent
}

// SubtreeCounts turns the respondents of each section's own code (own, its subtree excluded)
// into the respondents of each group, its subtree included, indexed like tree. A code that is
// not in the tree counts for the root, as the analysis counts a response of an unknown section.
func SubtreeCounts(tree []FlatSection, own map[string]int) []int {
	parent := TreeParents(tree)
	n := make([]int, len(tree))
	known := 0
	for i, s := range tree {
		n[i] = own[s.Code]
		known += n[i]
	}
	total := 0
	for _, c := range own {
		total += c
	}
	if len(n) > 0 {
		n[0] += total - known
	}
	for i := len(n) - 1; i > 0; i-- {
		if p := parent[i]; p >= 0 {
			n[p] += n[i]
		}
	}
	return n
}

// SuppressIndexed is Suppress on indices: nodes are in pre-order, parent[i] < i except the
// root's −1, and n[i] counts node i's subtree. The nodes marked in pre (when not nil) are
// hidden from the start, whatever their n: the analysis uses that for metrics, whose groups
// are hidden with the group, the remainder rule then running on the metric's own counts.
func SuppressIndexed(parent, n []int, k int, pre []bool) []bool {
	m := len(n)
	// end[i] is one past the last node of i's subtree: pre-order keeps subtrees contiguous.
	end := make([]int, m)
	for i := range end {
		end[i] = i + 1
	}
	for j := m - 1; j > 0; j-- {
		if p := parent[j]; p >= 0 && end[j] > end[p] {
			end[p] = end[j]
		}
	}
	hidden := make([]bool, m)
	for i := range n {
		hidden[i] = n[i] > 0 && n[i] < k || pre != nil && pre[i]
	}
	shown := func(i int) bool { return !hidden[i] && n[i] > 0 }
	for changed := true; changed; {
		changed = false
		for p := 0; p < m && !changed; p++ {
			if !shown(p) {
				continue
			}
			rest, smallest := n[p], -1
			for j := p + 1; j < end[p]; {
				if !shown(j) {
					j++
					continue
				}
				rest -= n[j]
				if smallest < 0 || n[j] < n[smallest] {
					smallest = j
				}
				j = end[j] // maximal: nothing below a shown descendant counts separately
			}
			if rest > 0 && rest < k && smallest >= 0 {
				hidden[smallest] = true
				changed = true
			}
		}
	}
	return hidden
}

// Generalisation says where the records of a closed survey go (docs/anonymity.md, rule 4): the
// answers of a respondent of section code under Section(code), the nearest group that rules a
// and b leave shown at min_group_size; their comments under Comments(code), the nearest group
// from Section(code) up that the same rules leave shown at min_comment_group_size.
type Generalisation struct {
	tree             []FlatSection
	index            map[string]int
	parent           []int
	section, comment []int // per node: the node its answers and its comments go under
}

// Generalise computes the generalisation of q's tree for the respondent counts own (per
// section code, its subtree excluded). When even the whole organisation is suppressed,
// everything goes under the root.
func Generalise(q *Questionnaire, own map[string]int) *Generalisation {
	tree := q.Tree()
	g := &Generalisation{tree: tree, index: make(map[string]int, len(tree)), parent: TreeParents(tree)}
	for i, s := range tree {
		g.index[s.Code] = i
	}
	n := SubtreeCounts(tree, own)
	k, kc := q.MinGroupSize(), q.MinCommentGroupSize()
	hidden := SuppressIndexed(g.parent, n, k, nil)
	commentHidden := SuppressIndexed(g.parent, n, kc, nil)
	nearest := func(hidden []bool, i int) int {
		for j := i; j >= 0; j = g.parent[j] {
			if !hidden[j] {
				return j
			}
		}
		return 0
	}
	g.section = make([]int, len(tree))
	g.comment = make([]int, len(tree))
	for i := range tree {
		g.section[i] = nearest(hidden, i)
		g.comment[i] = nearest(commentHidden, g.section[i])
	}
	return g
}

func (g *Generalisation) node(code string) int {
	if i, ok := g.index[code]; ok {
		return i
	}
	return 0
}

// Section returns the section the answers of a respondent of code are stored under.
func (g *Generalisation) Section(code string) string { return g.tree[g.section[g.node(code)]].Code }

// Comments returns the section the comments of a respondent of code are stored under: the
// same as Section(code) when comments may be shown there, else a larger group, and then the
// comments are stored apart from the answers.
func (g *Generalisation) Comments(code string) string { return g.tree[g.comment[g.node(code)]].Code }
