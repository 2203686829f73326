package survey

// Tree is the organisation tree of a questionnaire, flattened in pre-order with the root
// "all" first, and indexed: every package that rolls sections up into groups (the analysis,
// the comments, the exports, the response rates) uses this one shape instead of rebuilding
// parents and subtrees from codes. A Tree is immutable; Questionnaire.OrgTree builds it once.
type Tree struct {
	// Nodes are the sections in pre-order, Nodes[0] the root.
	Nodes []FlatSection
	// Parent[i] is the index of node i's parent, −1 for the root; always below i.
	Parent []int
	// End[i] is one past the last node of i's subtree: pre-order keeps subtrees contiguous,
	// so node i's subtree is Nodes[i:End[i]].
	End   []int
	index map[string]int
}

// newTree flattens sections under the root.
func newTree(sections []Section) *Tree {
	t := &Tree{index: map[string]int{}}
	var walk func(parent, depth int, ss []Section)
	walk = func(parent, depth int, ss []Section) {
		for _, s := range ss {
			i := len(t.Nodes)
			t.index[s.Code] = i
			t.Nodes = append(t.Nodes, FlatSection{Code: s.Code, Name: s.Name, Parent: t.Nodes[parent].Code, Depth: depth, Leaf: len(s.Children) == 0})
			t.Parent = append(t.Parent, parent)
			walk(i, depth+1, s.Children)
		}
	}
	t.Nodes = []FlatSection{{Code: Root, Name: Text{JA: "組織全体", EN: "Whole organisation"}, Leaf: len(sections) == 0}}
	t.Parent = []int{-1}
	t.index[Root] = 0
	walk(0, 1, sections)
	t.End = make([]int, len(t.Nodes))
	for i := range t.End {
		t.End[i] = i + 1
	}
	for j := len(t.Nodes) - 1; j > 0; j-- {
		if p := t.Parent[j]; t.End[j] > t.End[p] {
			t.End[p] = t.End[j]
		}
	}
	return t
}

// Index returns the position of section code in Nodes.
func (t *Tree) Index(code string) (int, bool) {
	i, ok := t.index[code]
	return i, ok
}

// Rollup returns, for every node, the sum of own over its subtree: own[i] belongs to node i
// alone (its respondents, tokens or the like), the result to the group it heads.
func (t *Tree) Rollup(own []int) []int {
	total := append([]int(nil), own...)
	for i := len(total) - 1; i > 0; i-- {
		total[t.Parent[i]] += total[i]
	}
	return total
}

// Counts turns counts by section code into counts by node, for Rollup. Codes not in the
// tree count for the root, as responses of an unknown section count for the whole
// organisation only.
func (t *Tree) Counts(byCode map[string]int) []int {
	own := make([]int, len(t.Nodes))
	for code, n := range byCode {
		i, ok := t.index[code]
		if !ok {
			i = 0
		}
		own[i] += n
	}
	return own
}

// MinGroupSize is k of the small-group rule: the file's min_group_size, the default when it
// sets none, and never below MinAllowedGroupSize, so that no hand-built questionnaire can
// switch suppression off. Every package reads the setting through this.
func (q *Questionnaire) MinGroupSize() int {
	return floorSize(q.Anonymity.MinGroupSize, DefaultMinGroupSize)
}

// MinCommentGroupSize is min_comment_group_size as MinGroupSize reads min_group_size.
func (q *Questionnaire) MinCommentGroupSize() int {
	return floorSize(q.Anonymity.MinCommentGroupSize, DefaultCommentGroupSize)
}

// Cutoff is the 組織活性度 cutoff: the file's, or DefaultCutoff when it sets none.
func (q *Questionnaire) Cutoff() float64 {
	if q.Activity.Cutoff == 0 {
		return DefaultCutoff
	}
	return q.Activity.Cutoff
}

func floorSize(k, def int) int {
	switch {
	case k == 0:
		return def
	case k < MinAllowedGroupSize:
		return MinAllowedGroupSize
	}
	return k
}
