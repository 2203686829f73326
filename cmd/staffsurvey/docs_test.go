package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
)

// docCommand matches a command row of docs/cli.md: | `name` | flags and arguments | does |
var docCommand = regexp.MustCompile("(?m)^\\| `([a-z ]+)` \\|((?:[^|\\\\]|\\\\.)*)\\|")

// docFlag matches a flag named in docs/cli.md.
var docFlag = regexp.MustCompile(`--([a-z][a-z-]*)`)

// TestDocsCLI: every command is a row of docs/cli.md whose flags are exactly the flags the
// command defines, and every row there is a command.
func TestDocsCLI(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testfixture.Root(), "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, m := range docCommand.FindAllStringSubmatch(string(data), -1) {
		rows[m[1]] = m[2]
	}
	for _, c := range commandTable() {
		t.Run(c.name, func(t *testing.T) {
			row, ok := rows[c.name]
			if !ok {
				t.Fatalf("docs/cli.md has no row for %q", c.name)
			}
			defined := commandFlags(t, c)
			var documented []string
			for _, m := range docFlag.FindAllStringSubmatch(row, -1) {
				documented = append(documented, m[1])
			}
			for _, f := range defined {
				if !slices.Contains(documented, f) {
					t.Errorf("docs/cli.md does not list --%s", f)
				}
			}
			for _, f := range documented {
				if !slices.Contains(defined, f) {
					t.Errorf("docs/cli.md lists --%s, which %q does not define", f, c.name)
				}
			}
		})
	}
	for name := range rows {
		if _, ok := lookup(strings.Fields(name)); !ok {
			t.Errorf("docs/cli.md has a row for %q, which is not a command", name)
		}
	}
	if !strings.Contains(string(data), "`--db PATH`") || !strings.Contains(string(data), "$STAFFSURVEY_DB") {
		t.Error("docs/cli.md does not describe the global --db flag")
	}
}
