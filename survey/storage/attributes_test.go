package storage_test

import (
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// TestAttributesNeverStoredAsRecords: until the store keeps sums for a survey with attributes,
// opening its ballot box (close, import) is refused, changes nothing, and says why.
func TestAttributesNeverStoredAsRecords(t *testing.T) {
	st := MustOpenStore(t)
	q, err := survey.LoadFile(testfixture.Attributes("attr-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	r := survey.NewResponse(q, "madoguchi")
	r.Attributes[1] = 3
	err = st.Import(q.ID, []*survey.Response{r})
	if code(err) != survey.EINVALID || !strings.Contains(err.Error(), "attributes") {
		t.Fatalf("import: got %v; want an EINVALID refusal naming the attributes", err)
	}
	if err := st.SetState(q.ID, survey.StateOpen); err != nil {
		t.Fatal(err)
	}
	toks, err := st.IssueTokens(q.ID, "madoguchi", 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		r := survey.NewResponse(q, "")
		r.Attributes[0] = 1
		r.Answers[0] = 4
		if err := st.Submit(tok, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetState(q.ID, survey.StateClosed); code(err) != survey.EINVALID {
		t.Fatalf("close: got %v; want the refusal", err)
	}
	sv, err := st.Survey(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sv.State != survey.StateOpen || sv.Responses != 2 {
		t.Errorf("after the refused close: state %s, %d responses; want open with 2", sv.State, sv.Responses)
	}
	n := 0
	if err := st.EachResponse(q.ID, func(*survey.Response) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d opened responses stored; want none", n)
	}
}
