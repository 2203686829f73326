package survey

// Response rates for people who are not the survey office. A live count per section lets a
// chief of a six-person team watch the counter move while a member of staff answers in front
// of him; so everyone but the survey office sees response counts only for groups of at least
// min_group_size issued tokens — the small-group rule (suppress.go) applied to the issued
// counts, so that no group, and no difference of groups, covers fewer slips than that — and a
// manager only for his own sections (docs/anonymity.md, "Response rates").

// RateRow is one group's published response count.
type RateRow struct {
	Code   string
	Name   Text
	Depth  int
	Issued int // tokens issued and not voided, the subtree included
	Used   int
	// Within names the reader's own sections below min_group_size issued tokens that are
	// counted in this group, the smallest shown one that holds them.
	Within []FlatSection
}

// PublishedRates returns the response counts a reader may see of survey q, given the issued and
// used tokens per leaf section: the groups that rules a and b of the small-group rule leave
// shown on the issued counts, in pre-order; for a manager (scoped) only those of his sections'
// subtrees and the whole organisation, plus, for an own section too small to show, the
// smallest shown group that holds it (a six-person team is counted within its 課).
func PublishedRates(q *Questionnaire, issued, used map[string]int, scoped bool, sections []string) []RateRow {
	t := q.OrgTree()
	iss, us := t.Rollup(t.Counts(issued)), t.Rollup(t.Counts(used))
	hidden := t.Suppress(iss, q.MinGroupSize())
	show := make([]bool, len(t.Nodes))
	within := make([][]FlatSection, len(t.Nodes))
	for i, n := range t.Nodes {
		show[i] = !hidden[i] && (!scoped || InScope(q, sections, n.Code))
	}
	if scoped {
		for _, code := range sections {
			i, ok := t.Index(code)
			if !ok || !hidden[i] {
				continue
			}
			a := t.Parent[i]
			for a >= 0 && hidden[a] {
				a = t.Parent[a]
			}
			if a < 0 {
				continue // fewer than min_group_size tokens in the whole survey: nothing to show
			}
			show[a] = true
			within[a] = append(within[a], t.Nodes[i])
		}
	}
	var out []RateRow
	for i, n := range t.Nodes {
		if show[i] {
			out = append(out, RateRow{Code: n.Code, Name: n.Name, Depth: n.Depth, Issued: iss[i], Used: us[i], Within: within[i]})
		}
	}
	return out
}

// RateOf returns the row of rows that counts section code: its own, or the one it is counted
// within; false when rows hold neither.
func RateOf(rows []RateRow, code string) (RateRow, bool) {
	for _, r := range rows {
		if r.Code == code {
			return r, true
		}
		for _, w := range r.Within {
			if w.Code == code {
				return r, true
			}
		}
	}
	return RateRow{}, false
}

// LiveRates returns every group of q with its counts, nothing grouped: the survey office's view,
// which issues the codes and knows how many each section got.
func LiveRates(q *Questionnaire, issued, used map[string]int) []RateRow {
	t := q.OrgTree()
	iss, us := t.Rollup(t.Counts(issued)), t.Rollup(t.Counts(used))
	out := make([]RateRow, len(t.Nodes))
	for i, n := range t.Nodes {
		out[i] = RateRow{Code: n.Code, Name: n.Name, Depth: n.Depth, Issued: iss[i], Used: us[i]}
	}
	return out
}
