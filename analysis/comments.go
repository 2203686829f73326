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
// below it, or survey.Root) under docs/anonymity.md rule 7: comments are shown only for a
// group of at least min_comment_group_size respondents that the remainder rule, applied at
// that size, leaves shown, so that the comments of a small section can be had neither
// directly nor by subtracting one group's comments from its parent's; and only for a group
// that the rule at min_group_size shows too, else its comments, matched against the rows an
// export names by a larger group, would give away answers of fewer than min_group_size
// people. No section is ever attached to a comment, and each Result is freshly shuffled.
//
// For a survey closed through the ballot box, whose stored sections are generalised and some
// of whose comments are stored apart from their answers (docs/anonymity.md rule 4), give the
// counts recorded at close to SetSectionCounts and the comments stored apart to AddApart.
type CommentCollector struct {
	tree     *survey.Tree
	k, kc    int   // min_group_size, min_comment_group_size
	group    int   // −1 when the group is not in the tree
	counts   []int // respondents per node, counted by Add or set by SetSectionCounts
	recorded bool  // counts were set
	ids      []string
	texts    [][]string
}

// NewCommentCollector returns a collector for the comments of group in the responses of q.
func NewCommentCollector(q *survey.Questionnaire, group string) *CommentCollector {
	c := &CommentCollector{tree: q.OrgTree(), group: -1, k: q.MinGroupSize(), kc: q.MinCommentGroupSize()}
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

// SetSectionCounts gives the respondents per section code recorded at close (their own code,
// subtree excluded), which decide instead of the responses added.
func (c *CommentCollector) SetSectionCounts(own map[string]int) {
	c.counts, c.recorded = c.tree.Counts(own), true
}

// Add counts one response and keeps its non-empty comments if it belongs to the group.
// Strings are immutable, so keeping them is safe even when r is reused.
func (c *CommentCollector) Add(r *survey.Response) {
	node := c.node(r.Section)
	if !c.recorded {
		c.counts[node]++
	}
	if !c.inGroup(node) {
		return
	}
	for i, t := range r.Comments {
		c.add(i, t)
	}
}

// AddApart keeps a comment stored apart from its answers under section: the text of the
// question-th comment question. It counts no respondent.
func (c *CommentCollector) AddApart(section string, question int, text string) {
	if c.inGroup(c.node(section)) {
		c.add(question, text)
	}
}

func (c *CommentCollector) node(section string) int {
	if i, ok := c.tree.Index(section); ok {
		return i
	}
	return 0 // an unknown section counts for the whole organisation only
}

func (c *CommentCollector) inGroup(node int) bool {
	return c.group >= 0 && node >= c.group && node < c.tree.End[c.group]
}

func (c *CommentCollector) add(question int, text string) {
	if question >= 0 && question < len(c.texts) && text != "" {
		c.texts[question] = append(c.texts[question], text)
	}
}

// Result returns the group's comments per comment question, each list shuffled, and true; or
// nil and false when the group is too small, suppressed, or not in the tree.
func (c *CommentCollector) Result() ([]CommentList, bool) {
	if c.group < 0 {
		return nil, false
	}
	totals := c.tree.Rollup(c.counts)
	if totals[c.group] < c.kc || c.tree.Suppress(totals, c.kc)[c.group] || c.tree.Suppress(totals, c.k)[c.group] {
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
