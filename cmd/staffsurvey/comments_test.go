package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// TestCommentsReview runs the real binary under comment_review: all (the default): after
// close, `comments` and `export` show no comment at all; `comments --pending` lists the three
// distinct comments, the one naming a person first with what was found, and how far the
// review is; `--flagged` only that one; `--publish` and `--withhold` decide (audited without
// the text), `--hide` redacts; then each comment shows as decided, and nothing waits.
func TestCommentsReview(t *testing.T) {
	q, err := survey.LoadFile(filepath.Join(fixtureDir, "fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"上司の田中課長に相談しにくいです。", "課長が忙しそうで相談しにくいです。", "北区の窓口が混雑しています。"}
	var buf bytes.Buffer
	w, err := survey.NewCSVWriter(&buf, q, survey.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		r := survey.NewResponse(q, "kikaku")
		r.Answers[0] = 3
		r.Comments[0] = texts[i%len(texts)]
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	csvFile := filepath.Join(t.TempDir(), "responses.csv")
	if err := os.WriteFile(csvFile, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	c.must("survey", "create", "--file", filepath.Join(fixtureDir, "fixture-2025.yaml"))
	c.must("import", "--survey", q.ID, "--csv", csvFile)
	c.fails("終了", "comments", "--survey", q.ID, "--flagged")
	c.fails("終了", "comments", "--survey", q.ID, "--publish", survey.CommentID("good", texts[1]))
	c.must("survey", "close", q.ID)

	ids := []string{survey.CommentID("good", texts[0]), survey.CommentID("good", texts[1]), survey.CommentID("good", texts[2])}
	for _, out := range []string{c.must("comments", "--survey", q.ID), c.must("export", "--survey", q.ID)} {
		for _, text := range texts {
			if strings.Contains(out, text) {
				t.Errorf("before review, shown: %s", text)
			}
		}
	}
	stdout, stderr, err := c.run("", "comments", "--survey", q.ID, "--pending")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if err != nil || len(lines) != 3 || !strings.Contains(stderr, "確認済み 0 / 3 件、残り 3 件") {
		t.Fatalf("comments --pending: %v\n%s\n%s", err, stdout, stderr)
	}
	if lines[0] != ids[0]+"\tgood\t4\t上司の【田中】課長に相談しにくいです。\t田中:敬称" {
		t.Errorf("comments --pending, first line %q; want the suspect with 【田中】 and why", lines[0])
	}
	if flagged := c.must("comments", "--survey", q.ID, "--flagged"); strings.Count(flagged, "\n") != 1 || !strings.HasPrefix(flagged, ids[0]) {
		t.Errorf("comments --flagged: %q; want the suspect only", flagged)
	}

	// An unknown id changes nothing, not even the good id beside it.
	c.fails("nope", "comments", "--survey", q.ID, "--publish", ids[1]+",nope")
	if shown := c.must("comments", "--survey", q.ID); strings.Contains(shown, texts[1]) {
		t.Errorf("a refused --publish published: %s", shown)
	}
	c.must("comments", "--survey", q.ID, "--publish", ids[1], "--withhold", ids[2])
	c.must("comments", "--survey", q.ID, "--hide", ids[0], "--words", "上司")
	shown := c.must("comments", "--survey", q.ID)
	if strings.Count(shown, texts[1]) != 4 || strings.Contains(shown, "北区の窓口") || strings.Count(shown, "＊＊の＊＊課長に相談しにくいです。") != 4 || strings.Contains(shown, "田中") {
		t.Errorf("comments after the decisions:\n%s\nwant the published one, the redacted one, not the withheld one", shown)
	}
	if export := c.must("export", "--survey", q.ID); strings.Contains(export, "田中") || strings.Contains(export, "北区の窓口") || !strings.Contains(export, texts[1]) {
		t.Errorf("export after the decisions:\n%s", export)
	}
	stdout, stderr, _ = c.run("", "comments", "--survey", q.ID, "--pending")
	if stdout != "" || !strings.Contains(stderr, "残り 0 件") {
		t.Errorf("after review: %q %q; want nothing left", stdout, stderr)
	}
	st, err := storage.Open(c.db)
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	st.EachAudit(func(e storage.AuditEvent) error { events = append(events, fmt.Sprint(e)); return nil })
	st.Close()
	audit := strings.Join(events, "\n")
	for _, want := range []string{"comment.publish", "comment.withhold", "comment.redact"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %s:\n%s", want, audit)
		}
	}
	for _, text := range append(texts, "田中", "上司") {
		if strings.Contains(audit, text) {
			t.Errorf("the audit log holds %q", text)
		}
	}
	c.fails("--survey", "comments")
	c.fails("nowhere", "comments", "--survey", q.ID, "--section", "nowhere")
}

// publishPending publishes, through the command line, every comment of closed survey id that
// waits for a decision.
func publishPending(tb testing.TB, c *cli, id string) {
	tb.Helper()
	var pending []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(c.must("comments", "--survey", id, "--pending", "--json")), &pending); err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for _, p := range pending {
		ids = append(ids, p.ID)
	}
	if len(ids) > 0 {
		c.must("comments", "--survey", id, "--publish", strings.Join(ids, ","))
	}
}
