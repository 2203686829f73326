package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"staffsurvey/survey"
)

// TestCommentsFlagged runs the real binary: `comments` prints the comments the organisation
// may show, without the one that names a person; `comments --flagged` lists that one, its
// name marked; `export` leaves it out too.
func TestCommentsFlagged(t *testing.T) {
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
	c.must("survey", "close", q.ID)

	shown := c.must("comments", "--survey", q.ID)
	if strings.Contains(shown, "田中") || strings.Count(shown, "課長が忙しそうで") != 4 || strings.Count(shown, "北区の窓口") != 4 {
		t.Errorf("comments:\n%s\nwant the two harmless comments 4 times each and no name", shown)
	}
	flagged := c.must("comments", "--survey", q.ID, "--flagged")
	fields := strings.Split(strings.TrimSpace(flagged), "\t")
	if strings.Count(flagged, "\n") != 1 || len(fields) != 4 || fields[0] != survey.CommentID("good", texts[0]) ||
		fields[1] != "good" || fields[2] != "4" || fields[3] != "上司の【田中】課長に相談しにくいです。" {
		t.Errorf("comments --flagged: %q; want one line: id, good, 4, the text with 【田中】", flagged)
	}
	if export := c.must("export", "--survey", q.ID); strings.Contains(export, "田中") {
		t.Errorf("export holds the comment that waits for review")
	}
	c.fails("--survey", "comments")
	c.fails("nowhere", "comments", "--survey", q.ID, "--section", "nowhere")
}
