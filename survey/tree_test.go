package survey_test

import (
	"slices"
	"testing"

	"staffsurvey/survey"
)

func TestTree(t *testing.T) {
	q := &survey.Questionnaire{Sections: []survey.Section{
		{Code: "a", Children: []survey.Section{{Code: "a1"}, {Code: "a2", Children: []survey.Section{{Code: "a2x"}}}}},
		{Code: "b"},
	}}
	tr := q.OrgTree()
	var codes []string
	for _, n := range tr.Nodes {
		codes = append(codes, n.Code)
	}
	if want := []string{"all", "a", "a1", "a2", "a2x", "b"}; !slices.Equal(codes, want) {
		t.Fatalf("pre-order: got %v; want %v", codes, want)
	}
	if want := []int{-1, 0, 1, 1, 3, 0}; !slices.Equal(tr.Parent, want) {
		t.Errorf("parents: got %v; want %v", tr.Parent, want)
	}
	if want := []int{6, 5, 3, 5, 5, 6}; !slices.Equal(tr.End, want) {
		t.Errorf("subtree ends: got %v; want %v", tr.End, want)
	}
	own := tr.Counts(map[string]int{"a1": 2, "a2x": 3, "b": 4, "a": 1, "gone": 7})
	if want := []int{17, 6, 2, 3, 3, 4}; !slices.Equal(tr.Rollup(own), want) {
		t.Errorf("rollup: got %v; want %v", tr.Rollup(own), want)
	}
	if !q.IsLeaf("a2x") || q.IsLeaf("a2") || q.IsLeaf("all") || q.IsLeaf("zz") {
		t.Error("IsLeaf")
	}
}

func TestSettingFloors(t *testing.T) {
	for _, tt := range []struct {
		k, comment, wantK, wantComment int
	}{{0, 0, survey.DefaultMinGroupSize, survey.DefaultCommentGroupSize}, {3, 4, survey.MinAllowedGroupSize, survey.MinAllowedGroupSize}, {12, 20, 12, 20}} {
		q := &survey.Questionnaire{Anonymity: survey.Anonymity{MinGroupSize: tt.k, MinCommentGroupSize: tt.comment}}
		if q.MinGroupSize() != tt.wantK || q.MinCommentGroupSize() != tt.wantComment {
			t.Errorf("k %d, comment %d: got %d, %d; want %d, %d", tt.k, tt.comment, q.MinGroupSize(), q.MinCommentGroupSize(), tt.wantK, tt.wantComment)
		}
	}
	if (&survey.Questionnaire{}).Cutoff() != survey.DefaultCutoff {
		t.Error("default cutoff")
	}
}
