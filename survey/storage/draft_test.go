package storage_test

import (
	"strconv"
	"sync"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// edited returns a fresh copy of the fixture with id, its first section renamed.
func edited(tb testing.TB, id string) *survey.Questionnaire {
	tb.Helper()
	q := mustFixture(tb)
	q.ID = id
	q.Sections[0].Name = survey.Text{JA: "総務部", EN: "General Affairs Department"}
	return q
}

func TestUpdateDraft(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	// Read it once, so that a cache would hold the old version.
	if _, err := st.Survey(q.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateDraft(q.ID, edited(t, q.ID)); err != nil {
		t.Fatal(err)
	}
	sv, err := st.Survey(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := sv.Questionnaire.Sections[0].Name.JA; got != "総務部" {
		t.Errorf("after the edit the section is %q; want 総務部", got)
	}

	// A new id moves the draft.
	if err := st.UpdateDraft(q.ID, edited(t, "renamed-2026")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Survey(q.ID); code(err) != survey.ENOTFOUND {
		t.Errorf("the old id: %v; want ENOTFOUND", err)
	}
	if _, err := st.IssueTokens("renamed-2026", q.Leaves()[0], 3); err != nil {
		t.Errorf("issue tokens under the new id: %v", err)
	}

	// With codes issued: the id stays, and a section holding codes stays a leaf.
	if err := st.UpdateDraft("renamed-2026", edited(t, "again-2026")); code(err) != survey.ESTATE {
		t.Errorf("new id with codes issued: %v; want ESTATE", err)
	}
	retired := edited(t, "renamed-2026")
	leaf := q.Leaves()[0]
	var drop func(ss []survey.Section) []survey.Section
	drop = func(ss []survey.Section) []survey.Section {
		var out []survey.Section
		for _, s := range ss {
			if s.Code != leaf {
				s.Children = drop(s.Children)
				out = append(out, s)
			}
		}
		return out
	}
	retired.Sections = drop(retired.Sections)
	if err := st.UpdateDraft("renamed-2026", retired); code(err) != survey.ESTATE {
		t.Errorf("retiring a section with codes: %v; want ESTATE", err)
	}

	// An invalid questionnaire stores nothing.
	bad := edited(t, "renamed-2026")
	bad.Title = survey.Text{}
	if err := st.UpdateDraft("renamed-2026", bad); code(err) != survey.EINVALID {
		t.Errorf("empty title: %v; want EINVALID", err)
	}
	if sv, _ := st.Survey("renamed-2026"); sv.Questionnaire.Title.JA == "" {
		t.Error("the invalid edit was stored")
	}

	// Open: read-only.
	if err := storagetest.OpenSurvey(st, "renamed-2026"); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateDraft("renamed-2026", edited(t, "renamed-2026")); code(err) != survey.ESTATE {
		t.Errorf("edit of an open survey: %v; want ESTATE", err)
	}
}

func TestUpdateDraftConflict(t *testing.T) {
	st := MustOpenStore(t)
	a := mustFixture(t)
	b := mustFixture(t)
	b.ID = "other-2026"
	for _, q := range []*survey.Questionnaire{a, b} {
		if err := st.CreateSurvey(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.UpdateDraft(a.ID, edited(t, b.ID)); code(err) != survey.ECONFLICT {
		t.Errorf("taking another survey's id: %v; want ECONFLICT", err)
	}
	if _, err := st.Survey(a.ID); err != nil {
		t.Errorf("the refused rename lost the draft: %v", err)
	}
}

// TestUpdateDraftReaders: readers running while a draft is edited never keep an older
// version: once the edits are done, every read sees the last one.
func TestUpdateDraftReaders(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
					if _, err := st.Surveys(); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	var last string
	for i := range 50 {
		e := edited(t, q.ID)
		last = "版" + strconv.Itoa(i)
		e.Title.JA = last
		if err := st.UpdateDraft(q.ID, e); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	for range 3 {
		if sv, _ := st.Survey(q.ID); sv.Questionnaire.Title.JA != last {
			t.Fatalf("after the edits a read sees %q; want %q", sv.Questionnaire.Title.JA, last)
		}
	}
}
