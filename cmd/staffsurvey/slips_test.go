package main

import (
	"bytes"
	"context"
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
