package storage_test

import (
	"encoding/base64"
	"slices"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

func TestEditionLifecycle(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)

	// Only a closed survey can be published.
	if _, err := st.PublishEdition(q.ID, "admin", nil); code(err) != survey.ESTATE {
		t.Fatalf("publish an open survey: %v; want %s", err, survey.ESTATE)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	chosen := []string{survey.CommentID("good", "朝礼での情報共有が役立っている")}
	ed, err := st.PublishEdition(q.ID, "admin", chosen)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(ed.Token); err != nil || len(raw) != 32 {
		t.Errorf("token %q: %d bytes, %v; want 32 bytes of base64url without padding", ed.Token, len(raw), err)
	}
	if len(ed.ID) != 16 || ed.ID == ed.Token[:16] || ed.By != "admin" || ed.Survey != q.ID {
		t.Errorf("edition %+v", ed)
	}
	other, err := st.PublishEdition(q.ID, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if other.Token == ed.Token || other.ID == ed.ID {
		t.Fatalf("two editions share a token or id")
	}

	got, err := st.EditionByToken(ed.Token)
	if err != nil || got.ID != ed.ID || !slices.Equal(got.Comments, chosen) {
		t.Fatalf("by token: %+v, %v", got, err)
	}
	for _, bad := range []string{"", ed.Token[:42], ed.Token + "A", ed.ID} {
		if _, err := st.EditionByToken(bad); code(err) != survey.ENOTFOUND {
			t.Errorf("by token %q: %v; want %s", bad, err, survey.ENOTFOUND)
		}
	}
	list, err := st.Editions(q.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("editions: %d, %v", len(list), err)
	}
	if list, _ := st.Editions("elsewhere"); len(list) != 0 {
		t.Errorf("another survey lists %d editions", len(list))
	}

	// Update the chosen comments; bad ids are refused.
	if _, err := st.UpdateEdition(q.ID, ed.ID, []string{"not-an-id"}); code(err) != survey.EINVALID {
		t.Errorf("update with a bad id: %v", err)
	}
	if _, err := st.UpdateEdition("elsewhere", ed.ID, nil); code(err) != survey.ENOTFOUND {
		t.Errorf("update under another survey: %v", err)
	}
	if _, err := st.UpdateEdition(q.ID, ed.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.EditionByToken(ed.Token); len(got.Comments) != 0 {
		t.Errorf("comments after update: %v", got.Comments)
	}

	// Revoke: the token then answers like one never issued.
	if err := st.RevokeEdition("elsewhere", ed.ID); code(err) != survey.ENOTFOUND {
		t.Errorf("revoke under another survey: %v", err)
	}
	if err := st.RevokeEdition(q.ID, ed.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.EditionByToken(ed.Token); code(err) != survey.ENOTFOUND {
		t.Errorf("revoked token: %v", err)
	}
	if err := st.RevokeEdition(q.ID, ed.ID); code(err) != survey.ENOTFOUND {
		t.Errorf("revoke twice: %v", err)
	}
	if _, err := st.EditionByToken(other.Token); err != nil {
		t.Errorf("the other edition: %v", err)
	}
}

// A redaction leaves no hash of the original text in an edition's chosen suggestions.
func TestEditionRedactDropsChoice(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	r := answered(q, "madoguchi", 3)
	r.Comments[0] = "田中係長に相談しにくい"
	if err := st.Import(q.ID, []*survey.Response{r, answered(q, "madoguchi", 4)}); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	named := survey.CommentID(q.Comments[0].ID, r.Comments[0])
	other := survey.CommentID(q.Comments[0].ID, "朝礼での情報共有が役立っている")
	ed, err := st.PublishEdition(q.ID, "admin", []string{named, other})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Redact(q.ID, 0, r.Comments[0], "＊＊に相談しにくい"); err != nil {
		t.Fatal(err)
	}
	got, err := st.EditionByToken(ed.Token)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Comments, []string{other}) {
		t.Errorf("chosen after the redaction: %v; want only %v", got.Comments, other)
	}
}
