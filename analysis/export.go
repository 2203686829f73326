package analysis

// ExportSection returns the section an export writes for a response of leaf section code
// (docs/formats.md): the section itself when its group is shown, else its nearest ancestor that
// is not suppressed. Because the suppression already obeys the remainder rule, the rows under
// any section name of an export are either none or at least the minimum group size.
// ok is false when even the whole organisation is suppressed: then nothing may be exported.
func (s *SurveyResult) ExportSection() (section func(code string) string, ok bool) {
	byCode := make(map[string]*Group, len(s.Groups))
	for _, g := range s.Groups {
		byCode[g.Section] = g
	}
	if root := s.Groups[0]; root.Suppressed {
		return nil, false
	}
	return func(code string) string {
		for g := byCode[code]; g != nil; g = byCode[g.Parent] {
			if !g.Suppressed {
				return g.Section
			}
		}
		return s.Groups[0].Section
	}, true
}

// ExportComments returns whether an export may write the comments of a response of leaf
// section code beside the section that ExportSection gives it (docs/anonymity.md rule 5); when not,
// the export leaves its comment cells empty. The comments page (CommentCollector) shows the
// comments of groups of min_comment_group_size that the remainder rule at that size leaves
// shown, so what it gives away, even by subtraction, are the comments of those groups'
// remainders, each none or at least min_comment_group_size respondents. An export names
// sections at min_group_size instead. Its rows under one name may carry comments only when
// they are exactly a union of such remainders: then neither the name alone nor the name set
// against the comments page narrows a comment down to fewer respondents than the page would.
func (s *SurveyResult) ExportComments() func(code string) bool {
	m := len(s.Groups)
	if s.tree == nil || m != len(s.tree.Nodes) {
		// Not a whole result (a manager's scoped copy, say): no comment may be exported.
		return func(string) bool { return false }
	}
	parent := s.tree.Parent
	n := make([]int, m)
	own := make([]int, m) // respondents of the node's own code, its subtree excluded
	for i, g := range s.Groups {
		n[i], own[i] = g.N, g.N
	}
	for i := 1; i < m; i++ {
		own[parent[i]] -= n[i]
	}
	commentHidden := s.tree.Suppress(n, s.commentK)
	// name returns the node whose name the rows of node i go under when hidden nodes give
	// way to their nearest ancestor that is not, or −1 when even the root is hidden.
	name := func(hidden func(int) bool, i int) int {
		for ; i >= 0; i = parent[i] {
			if !hidden(i) {
				return i
			}
		}
		return -1
	}
	exported := func(i int) int { return name(func(j int) bool { return s.Groups[j].Suppressed }, i) }
	// The comments page shows a group's comments only when both rules show it (CommentCollector).
	commented := func(i int) int {
		return name(func(j int) bool { return commentHidden[j] || s.Groups[j].Suppressed }, i)
	}
	// A comment remainder whose rows go under two export names splits it: neither name
	// may carry comments.
	split := map[int]bool{}
	first := map[int]int{} // comment remainder → the export name of its first rows
	for i := range m {
		if own[i] == 0 {
			continue
		}
		e, c := exported(i), commented(i)
		if c < 0 {
			split[e] = true
			continue
		}
		if f, ok := first[c]; !ok {
			first[c] = e
		} else if f != e {
			split[f], split[e] = true, true
		}
	}
	return func(code string) bool {
		i, ok := s.tree.Index(code)
		if !ok {
			i = 0 // as the accumulator counts a response of an unknown section
		}
		e := exported(i)
		return e >= 0 && commented(i) >= 0 && !split[e]
	}
}
