package analysis

import "staffsurvey/survey"

// Suppress applies the small-group rule (docs/analysis.md, "Suppression") to an organisation tree and returns
// the codes of the suppressed groups. tree is in pre-order with the root first (as
// survey.Questionnaire.Tree returns it); n holds the respondents of each group, its subtree
// included; k is the minimum group size.
//
// Rule (a) hides every group with 0 < n < k. Rule (b) stops differencing: for a shown group
// P, the respondents of P outside its maximal shown descendants could be computed by
// subtraction, so when there are 1..k−1 of them the smallest maximal shown descendant is
// hidden too, and the check starts again from the root until nothing changes.
//
// An empty group (n = 0) is neither suppressed nor "shown": it has nothing to hide, and hiding
// it would not change any remainder.
func Suppress(tree []survey.FlatSection, n map[string]int, k int) map[string]bool {
	parent, counts := treeIndex(tree, n)
	out := map[string]bool{}
	for i, s := range suppress(parent, counts, k) {
		if s {
			out[tree[i].Code] = true
		}
	}
	return out
}

// treeIndex turns a pre-order tree into parent indices (−1 for the root) and counts.
func treeIndex(tree []survey.FlatSection, n map[string]int) (parent, counts []int) {
	index := make(map[string]int, len(tree))
	parent = make([]int, len(tree))
	counts = make([]int, len(tree))
	for i, s := range tree {
		index[s.Code] = i
		parent[i] = -1
		if p, ok := index[s.Parent]; ok && s.Parent != "" {
			parent[i] = p
		}
		counts[i] = n[s.Code]
	}
	return parent, counts
}

// suppress is Suppress on indices: nodes are in pre-order, parent[i] < i except the root's −1.
func suppress(parent, n []int, k int) []bool { return suppressFrom(parent, n, k, nil) }

// suppressFrom is suppress with the nodes marked in pre (when not nil) hidden from the start,
// whatever their n. Metrics use it (metricHidden): a metric of a suppressed group is hidden
// with its group, and the remainder rule then runs on the metric's own counts.
func suppressFrom(parent, n []int, k int, pre []bool) []bool {
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
