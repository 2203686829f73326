package storage_test

import (
	"testing"
	"time"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestPlans: plans are stored only on closed surveys and checked against the questionnaire;
// they are listed by section then creation, survive the close (and compaction) of another
// survey, and can be deleted.
func TestPlans(t *testing.T) {
	st := MustOpenStore(t)
	q := mustFixture(t)
	q.ID = "plans-2025"
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	plan := func(id, section string, created time.Time) *survey.Plan {
		return &survey.Plan{ID: id, Survey: q.ID, Section: section, Categories: []string{q.Categories[0].ID},
			Action: "朝礼で目標を共有する", Due: "2026-09-30", Status: survey.PlanPlanned, Author: "chief", Created: created, Updated: created}
	}
	if err := st.PutPlan(plan("p0", "soumu", now)); code(err) != survey.ESTATE {
		t.Fatalf("plan on a draft: got %v; want %s", err, survey.ESTATE)
	}
	if err := storagetest.OpenSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.PutPlan(plan("p0", "soumu", now)); code(err) != survey.ESTATE {
		t.Fatalf("plan on an open survey: got %v; want %s", err, survey.ESTATE)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*survey.Plan{plan("p2", "soumu", now.Add(time.Hour)), plan("p1", "soumu", now), plan("p3", "all", now)} {
		if err := st.PutPlan(p); err != nil {
			t.Fatalf("put %s: %v", p.ID, err)
		}
	}
	bad := plan("p4", "nowhere", now)
	if err := st.PutPlan(bad); code(err) != survey.EINVALID {
		t.Errorf("plan of an unknown section: got %v; want %s", err, survey.EINVALID)
	}
	bad = plan("p4", "soumu", now)
	bad.Survey = "other"
	if err := st.PutPlan(bad); code(err) != survey.ENOTFOUND {
		t.Errorf("plan of an unknown survey: got %v; want %s", err, survey.ENOTFOUND)
	}

	// Another survey opens and closes: the close compacts the file.
	other := mustOpenSurvey(t, st)
	if err := storagetest.CloseSurvey(st, other.ID); err != nil {
		t.Fatal(err)
	}
	plans, err := st.Plans(q.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range plans {
		ids = append(ids, p.ID)
	}
	if got, want := len(ids), 3; got != want || ids[0] != "p3" || ids[1] != "p1" || ids[2] != "p2" {
		t.Fatalf("plans after another survey's close: %v; want [p3 p1 p2]", ids)
	}
	if p, err := st.Plan(q.ID, "p1"); err != nil || p.Action != "朝礼で目標を共有する" || !p.Created.Equal(now) {
		t.Errorf("plan p1: %+v, %v", p, err)
	}
	if plans, _ := st.Plans(other.ID); len(plans) != 0 {
		t.Errorf("the other survey has %d plans", len(plans))
	}

	if err := st.DeletePlan(q.ID, "p1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Plan(q.ID, "p1"); code(err) != survey.ENOTFOUND {
		t.Errorf("deleted plan: got %v; want %s", err, survey.ENOTFOUND)
	}
	if err := st.DeletePlan(q.ID, "p1"); code(err) != survey.ENOTFOUND {
		t.Errorf("second delete: got %v; want %s", err, survey.ENOTFOUND)
	}
	if err := st.DeletePlan("nope", "p1"); code(err) != survey.ENOTFOUND {
		t.Errorf("delete in an unknown survey: got %v; want %s", err, survey.ENOTFOUND)
	}
}
