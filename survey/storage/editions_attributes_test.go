package storage_test

import (
	"slices"
	"testing"

	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestEditionAttributes: the attributes an edition shows are kept sorted and once; an id that
// is not an attribute of the survey is refused and changes nothing.
func TestEditionAttributes(t *testing.T) {
	withAggregator(t)
	st := MustOpenStore(t)
	q, rs := fixtureload.Attributes(t, "2025")
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	ed, err := st.PublishEdition(q.ID, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ed.Attributes) != 0 {
		t.Errorf("a new edition shows attributes %v; want none", ed.Attributes)
	}
	got, err := st.SetEditionAttributes(q.ID, ed.ID, []string{"rank", "age", "rank"})
	if err != nil || !slices.Equal(got.Attributes, []string{"age", "rank"}) {
		t.Fatalf("set: %v, %v", got, err)
	}
	if _, err := st.SetEditionAttributes(q.ID, ed.ID, []string{"rank", "section"}); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("an unknown attribute: %v; want %s", err, survey.EINVALID)
	}
	if _, err := st.SetEditionAttributes("elsewhere", ed.ID, nil); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("another survey: %v; want %s", err, survey.ENOTFOUND)
	}
	if again, _ := st.EditionByToken(ed.Token); !slices.Equal(again.Attributes, []string{"age", "rank"}) {
		t.Errorf("stored %v after a refused change", again.Attributes)
	}
	if got, err := st.SetEditionAttributes(q.ID, ed.ID, nil); err != nil || len(got.Attributes) != 0 {
		t.Errorf("cleared: %v, %v", got, err)
	}
}
