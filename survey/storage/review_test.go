package storage_test

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestRedact: a redaction rewrites every copy of a comment — in responses and among the
// comments stored apart at close — and compacts the file, so that the original is in no page
// of it; the mark of the original goes with it; the survey's revision changes.
func TestRedact(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	const named, hidden = "上司の田中課長に相談しにくい", "上司の＊＊課長に相談しにくい"
	var rs []*survey.Response
	for i := range 12 {
		r := answered(q, "kikaku", 3)
		if i < 2 {
			r.Comments[0] = named
		}
		rs = append(rs, r)
	}
	for i := range 6 { // madoguchi is shown at min_group_size 5, not at min_comment_group_size 10: its comments are stored apart
		r := answered(q, "madoguchi", 4)
		if i == 0 {
			r.Comments[0] = named
		}
		rs = append(rs, r)
	}
	if err := st.Import(q.ID, rs); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	apart := func() (texts []string) {
		st.EachComment(q.ID, func(_ string, _ int, text string) error { texts = append(texts, text); return nil })
		return texts
	}
	if !slices.Contains(apart(), named) {
		t.Fatalf("comments stored apart %v: the test needs the named one among them", apart())
	}
	id := survey.CommentID(q.Comments[0].ID, named)
	if err := st.MarkHarmless(q.ID, id, "admin"); err != nil {
		t.Fatal(err)
	}
	before, _ := st.Survey(q.ID)
	if raw, _ := os.ReadFile(st.Path()); !bytes.Contains(raw, []byte("田中")) {
		t.Fatal("the database file lacks the name before the redaction: the test would prove nothing")
	}

	n, err := st.Redact(q.ID, 0, named, hidden)
	if err != nil || n != 3 {
		t.Fatalf("Redact: %d, %v; want 3 comments changed", n, err)
	}
	counts := map[string]int{}
	st.EachResponse(q.ID, func(r *survey.Response) error { counts[r.Comments[0]]++; return nil })
	for _, text := range apart() {
		counts[text]++
	}
	if counts[named] != 0 || counts[hidden] != 3 {
		t.Errorf("after redaction: %d named and %d redacted comments; want 0 and 3", counts[named], counts[hidden])
	}
	raw, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("田中")) {
		t.Errorf("the database file still holds the name")
	}
	if marks, _ := st.Harmless(q.ID); marks[id] {
		t.Errorf("the mark of the original text is kept")
	}
	if ds, _ := st.Decisions(q.ID); ds[survey.CommentID(q.Comments[0].ID, hidden)] != survey.DecideRedacted || len(ds) != 1 {
		t.Errorf("decisions after the redaction %v; want the redacted text decided and nothing else", ds)
	}
	if after, _ := st.Survey(q.ID); after.Revision == before.Revision {
		t.Errorf("revision %d unchanged by a redaction", after.Revision)
	}

	for _, tt := range []struct {
		name           string
		question       int
		text, redacted string
		code           string
	}{
		{"gone already", 0, named, hidden, survey.ENOTFOUND},
		{"no change", 0, hidden, hidden, survey.EINVALID},
		{"no such question", 3, hidden, "＊＊", survey.EINVALID},
		{"not UTF-8", 0, hidden, "\xff", survey.EINVALID},
	} {
		if _, err := st.Redact(q.ID, tt.question, tt.text, tt.redacted); code(err) != tt.code {
			t.Errorf("%s: %v; want %s", tt.name, err, tt.code)
		}
	}
}

// TestReviewNeedsClosed: comments are reviewed only once a survey is closed: before, they are
// sealed (or not yet written) and shown nowhere.
func TestReviewNeedsClosed(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	if _, err := st.Redact(q.ID, 0, "a", "b"); code(err) != survey.ESTATE {
		t.Errorf("Redact on an open survey: %v; want ESTATE", err)
	}
	if err := st.MarkHarmless(q.ID, "x", "admin"); code(err) != survey.ESTATE {
		t.Errorf("MarkHarmless on an open survey: %v; want ESTATE", err)
	}
	if err := st.MarkHarmless("nowhere", "x", "admin"); code(err) != survey.ENOTFOUND {
		t.Errorf("MarkHarmless on no survey: %v; want ENOTFOUND", err)
	}
}

// TestDecide: a decision is kept by comment id, a later one replaces it, an unknown decision
// is refused, and each changes the revision.
func TestDecide(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	rev := func() uint64 { sv, _ := st.Survey(q.ID); return sv.Revision }
	r0 := rev()
	if err := st.Decide(q.ID, "a", survey.DecideWithhold, "reviewer1"); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkHarmless(q.ID, "b", "reviewer2"); err != nil {
		t.Fatal(err)
	}
	ds, err := st.Decisions(q.ID)
	if err != nil || ds["a"] != survey.DecideWithhold || ds["b"] != survey.DecidePublish || len(ds) != 2 {
		t.Fatalf("Decisions: %v, %v", ds, err)
	}
	if h, _ := st.Harmless(q.ID); h["a"] || !h["b"] {
		t.Errorf("Harmless %v; want b only", h)
	}
	if err := st.Decide(q.ID, "a", survey.DecidePublish, "reviewer1"); err != nil {
		t.Fatal(err)
	}
	if ds, _ := st.Decisions(q.ID); ds["a"] != survey.DecidePublish {
		t.Errorf("a later decision did not replace the first: %v", ds)
	}
	if rev() != r0+3 {
		t.Errorf("revision %d after three decisions from %d", rev(), r0)
	}
	if err := st.Decide(q.ID, "a", "maybe", "reviewer1"); code(err) != survey.EINVALID {
		t.Errorf("unknown decision: %v; want EINVALID", err)
	}
}
