package results

import (
	"context"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// ballotComments returns the comments of section of a survey closed through the ballot box
// (docs/anonymity.md, rule 4), whose stored sections are generalised and some of whose comments are
// stored apart from their answers. Whether the group may show comments is decided on the
// respondent counts recorded at close (own), with the same rule and threshold as
// analysis.CommentCollector applies to ungeneralised responses, and the texts are those stored
// under the group's subtree, with their answers or apart: for every group that the rule at
// min_group_size shows too, exactly what the collector gives for the responses kept as
// answered. A group that rule hides has no records of its own in the file (its respondents'
// answers and comments are stored under a larger group), so it shows no comments; before the
// ballot box such a group could show them when min_comment_group_size allowed (possible when
// it is below min_group_size, and through the remainder rule's cascades otherwise), and its
// comment texts, matched against the export's rows, gave away the answers of a group smaller
// than min_group_size.
//
// TODO(lead): fold into analysis.CommentCollector (counts and comments stored apart), so that
// the rule has one home.
func (s *Service) ballotComments(ctx context.Context, sv *survey.Survey, section string, own map[string]int) ([]analysis.CommentList, bool, error) {
	q := sv.Questionnaire
	tree := q.OrgTree()
	group, ok := tree.Index(section)
	if !ok {
		return nil, false, nil
	}
	k := q.MinCommentGroupSize()
	n := tree.Rollup(tree.Counts(own))
	if n[group] < k || survey.SuppressIndexed(tree.Parent, n, k, nil)[group] ||
		survey.SuppressIndexed(tree.Parent, n, q.MinGroupSize(), nil)[group] {
		return nil, false, nil
	}
	within := func(code string) bool {
		i, ok := tree.Index(code)
		if !ok {
			i = 0
		}
		return i >= group && i < tree.End[group]
	}
	texts := make([][]string, len(q.Comments))
	err := s.each(ctx, sv.ID())(func(r *survey.Response) error {
		if !within(r.Section) {
			return nil
		}
		for i, t := range r.Comments {
			if i < len(texts) && t != "" {
				texts[i] = append(texts[i], t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	err = s.store.EachComment(sv.ID(), func(code string, question int, text string) error {
		if within(code) && question < len(texts) && text != "" {
			texts[question] = append(texts[question], text)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	out := make([]analysis.CommentList, len(q.Comments))
	for i, cm := range q.Comments {
		out[i] = analysis.CommentList{Question: cm.ID, Texts: analysis.CommentList{Texts: texts[i]}.Shuffled()}
	}
	return out, true, nil
}
