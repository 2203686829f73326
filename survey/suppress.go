package survey

// The small-group rule (docs/analysis.md, "Suppression", rules a and b) on respondent counts.
// It lives here, in the domain, because the store needs it too: closing a survey (and importing
// a past one) generalises every response's section to the nearest group the rule leaves shown,
// so that the file never holds anything finer than a report may show (docs/anonymity.md, rule
// 4). Package analysis applies the same rule to its groups and metrics.

// Suppress applies rules a and b of docs/analysis.md, "Suppression", to the organisation
// tree t and returns which groups are suppressed, by node. n holds the respondents of each
// group, its subtree included (Tree.Rollup); k is the minimum group size.
//
// Rule (a) hides every group with 0 < n < k. Rule (b) stops differencing: for a shown group
// P, the respondents of P outside its maximal shown descendants could be computed by
// subtraction, so when there are 1..k−1 of them the smallest maximal shown descendant is
// hidden too, and the check starts again from the root until nothing changes.
//
// An empty group (n = 0) is neither suppressed nor "shown": it has nothing to hide, and hiding
// it would not change any remainder.
func (t *Tree) Suppress(n []int, k int) []bool { return SuppressIndexed(t.Parent, n, k, nil) }

// SuppressIndexed is Tree.Suppress on parent indices: nodes are in pre-order, parent[i] < i
// except the root's −1, and n[i] counts node i's subtree. The nodes marked in pre (when not nil) are
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
	tree             *Tree
	section, comment []int // per node: the node its answers and its comments go under
}

// Generalise computes the generalisation of q's tree for the respondent counts own (per
// section code, its subtree excluded; a code not in the tree counts for the root). When even
// the whole organisation is suppressed, everything goes under the root.
func Generalise(q *Questionnaire, own map[string]int) *Generalisation {
	t := q.OrgTree()
	g := &Generalisation{tree: t}
	n := t.Rollup(t.Counts(own))
	hidden := t.Suppress(n, q.MinGroupSize())
	commentHidden := t.Suppress(n, q.MinCommentGroupSize())
	nearest := func(hidden []bool, i int) int {
		for j := i; j >= 0; j = t.Parent[j] {
			if !hidden[j] {
				return j
			}
		}
		return 0
	}
	g.section = make([]int, len(t.Nodes))
	g.comment = make([]int, len(t.Nodes))
	for i := range t.Nodes {
		g.section[i] = nearest(hidden, i)
		g.comment[i] = nearest(commentHidden, g.section[i])
	}
	return g
}

func (g *Generalisation) node(code string) int {
	if i, ok := g.tree.Index(code); ok {
		return i
	}
	return 0
}

// Section returns the section the answers of a respondent of code are stored under.
func (g *Generalisation) Section(code string) string {
	return g.tree.Nodes[g.section[g.node(code)]].Code
}

// Comments returns the section the comments of a respondent of code are stored under: the
// same as Section(code) when comments may be shown there, else a larger group, and then the
// comments are stored apart from the answers.
func (g *Generalisation) Comments(code string) string {
	return g.tree.Nodes[g.comment[g.node(code)]].Code
}
