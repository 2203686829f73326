package analysis

import (
	"math/rand/v2"

	"staffsurvey/survey"
)

// CommentList is the comments to one comment question, in random order and without sections.
type CommentList struct {
	Question string   `json:"question"` // the comment id of the questionnaire
	Texts    []string `json:"texts"`
}

// CommentCollector gathers the free-text comments of one group (a section and everything
// below it, or survey.Root) under docs/anonymity.md rule 5: comments are shown only for a group
// of at least min_comment_group_size respondents that the remainder rule of §6.5, applied at
// that size, leaves shown, so that the comments of a small section can be had neither
// directly nor by subtracting one group's comments from its parent's. No section is ever
// attached to a comment, and each Result is freshly shuffled.
type CommentCollector struct {
	tree   *survey.Tree
	k      int
	group  int // −1 when the group is not in the tree
	counts []int
	ids    []string
	texts  [][]string
}

// NewCommentCollector returns a collector for the comments of group in the responses of q.
func NewCommentCollector(q *survey.Questionnaire, group string) *CommentCollector {
	c := &CommentCollector{tree: q.OrgTree(), group: -1, k: q.MinCommentGroupSize()}
	c.counts = make([]int, len(c.tree.Nodes))
	if i, ok := c.tree.Index(group); ok {
		c.group = i
	}
	for _, cm := range q.Comments {
		c.ids = append(c.ids, cm.ID)
	}
	c.texts = make([][]string, len(c.ids))
	return c
}

// Add counts one response and keeps its non-empty comments if it belongs to the group.
// Strings are immutable, so keeping them is safe even when r is reused.
func (c *CommentCollector) Add(r *survey.Response) {
	node, ok := c.tree.Index(r.Section)
	if !ok {
		node = 0
	}
	c.counts[node]++
	if c.group < 0 || node < c.group || node >= c.tree.End[c.group] {
		return // outside the group's subtree
	}
	for i, t := range r.Comments {
		if i < len(c.texts) && t != "" {
			c.texts[i] = append(c.texts[i], t)
		}
	}
}

// Result returns the group's comments per comment question, each list shuffled, and true; or
// nil and false when the group is too small, suppressed, or not in the tree.
func (c *CommentCollector) Result() ([]CommentList, bool) {
	if c.group < 0 {
		return nil, false
	}
	totals := c.tree.Rollup(c.counts)
	if totals[c.group] < c.k || suppress(c.tree.Parent, totals, c.k)[c.group] {
		return nil, false
	}
	out := make([]CommentList, len(c.ids))
	for i, id := range c.ids {
		out[i] = CommentList{Question: id, Texts: CommentList{Texts: c.texts[i]}.Shuffled()}
	}
	return out, true
}

// Shuffled returns the texts in a new random order, l unchanged: comments are shown in
// random order every time (docs/anonymity.md rule 7), so that their order says nothing about who
// wrote them or when, and a cached list can be shown again without a pattern.
func (l CommentList) Shuffled() []string {
	texts := append([]string{}, l.Texts...)
	rand.Shuffle(len(texts), func(a, b int) { texts[a], texts[b] = texts[b], texts[a] })
	return texts
}

// Comments returns the comments of group in rs under docs/anonymity.md rule 5; see
// CommentCollector. ok is false when the group may not show comments.
func Comments(q *survey.Questionnaire, group string, rs []*survey.Response) (lists []CommentList, ok bool) {
	c := NewCommentCollector(q, group)
	for _, r := range rs {
		c.Add(r)
	}
	return c.Result()
}
