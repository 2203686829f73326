package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTokensIssueHTML checks that `tokens issue --format html` prints the printable slips of
// the web package: one QR code per token, each pointing to the base URL with its token.
func TestTokensIssueHTML(t *testing.T) {
	db := filepath.Join(t.TempDir(), "slips.db")
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := Run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("staffsurvey %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
		return out.String()
	}
	run("survey", "create", "--file", "kita-2026")
	page := run("tokens", "issue", "--survey", "kita-2026", "--section", "soumu-shomu", "--count", "3",
		"--format", "html", "--base-url", "http://ward.example/")
	if !strings.HasPrefix(page, "<!doctype html>") || !strings.Contains(page, "総務課 庶務担当") || !strings.Contains(page, "<style>") {
		t.Fatalf("not a slips document:\n%.400s", page)
	}
	if n := strings.Count(page, `src="data:image/png;base64,`); n != 3 {
		t.Errorf("%d QR codes; want 3", n)
	}
	urls := regexp.MustCompile(`http://ward\.example/\?t=([0-9A-Z-]{20})`).FindAllStringSubmatch(page, -1)
	seen := map[string]bool{}
	for _, u := range urls {
		seen[u[1]] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d distinct token URLs; want 3", len(seen))
	}
}

// TestTokensIssuePaper: `tokens issue --format paper` prints one A4 questionnaire per token,
// each with its token and the section printed, every question numbered in the order the clerk
// types the answers, Japanese and English, and nothing that loads or runs.
func TestTokensIssuePaper(t *testing.T) {
	db := filepath.Join(t.TempDir(), "paper.db")
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := Run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("staffsurvey %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
		return out.String()
	}
	run("survey", "create", "--file", "kita-2026")
	page := run("tokens", "issue", "--survey", "kita-2026", "--section", "soumu-shomu", "--count", "3", "--format", "paper")
	if err := os.WriteFile(filepath.Join(t.TempDir(), "paper.html"), []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(page, `<section class="form">`); n != 3 {
		t.Fatalf("%d forms; want 3", n)
	}
	codes := regexp.MustCompile(`<p class="token">[^<]*<span class="en">Answer code</span><strong>([0-9A-Z-]{20})</strong>`).FindAllStringSubmatch(page, -1)
	if len(codes) != 3 {
		t.Fatalf("%d printed codes; want 3", len(codes))
	}
	for _, want := range []string{"総務課 庶務担当", "General Affairs", "名前は書かないでください", "do not write your name", "封をした箱",
		"職層", "係員（主任を含む）", "会計年度任用職員", "回答しない", "Prefer not to say", "区分ごとの合計だけを残し"} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "<img") || strings.Contains(page, "http") && !strings.Contains(page, "http-equiv") && strings.Contains(page, "src=") {
		t.Errorf("the form loads or runs something")
	}
	if strings.Contains(page, "<input") {
		t.Errorf("the section is to be written by hand")
	}
}
