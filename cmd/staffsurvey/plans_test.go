package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// TestPlansCommand: plans lists a survey's plans one a line, or as CSV for Excel with formula
// cells neutralised; an unknown survey is an error.
func TestPlansCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "plans.db")
	st, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	q, err := survey.LoadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	p := &survey.Plan{ID: survey.NewPlanID(), Survey: q.ID, Section: "soumu", Categories: []string{q.Categories[0].ID, q.Categories[1].ID},
		Action: "=朝礼で\n目標を共有する", Due: "2026-09-30", Status: survey.PlanDoing, Progress: "4月から", Author: "chief", Created: at, Updated: at}
	if err := st.PutPlan(p); err != nil {
		t.Fatal(err)
	}
	st.Close()

	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := Run(context.Background(), append([]string{"--db", db, "plans"}, args...), strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}
	out, err := run("--survey", q.ID)
	cats := q.Categories[0].ID + " " + q.Categories[1].ID
	if want := "soumu\t" + cats + "\t=朝礼で 目標を共有する\t2026-09-30\tdoing\t4月から\tchief\t2026-02-01T09:00:00Z\n"; err != nil || out != want {
		t.Errorf("plans: %v\n got %q\nwant %q", err, out, want)
	}
	out, err = run("--survey", q.ID, "--csv")
	if want := "\ufeffsection,categories,action,due,status,progress,author,updated\r\nsoumu," + cats + ",\"'=朝礼で\r\n目標を共有する\",2026-09-30,doing,4月から,chief,2026-02-01T09:00:00Z\r\n"; err != nil || out != want {
		t.Errorf("plans --csv: %v\n got %q\nwant %q", err, out, want)
	}
	if _, err := run("--survey", "nope"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown survey: %v; want %s", err, survey.ENOTFOUND)
	}
}
