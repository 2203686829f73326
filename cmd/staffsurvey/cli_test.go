package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// helpFlag matches a flag in the output of flag.PrintDefaults.
var helpFlag = regexp.MustCompile(`(?m)^  -(\S+)`)

// commandFlags returns the flags a command defines, as COMMAND --help prints them.
func commandFlags(t *testing.T, c command) []string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"--db", filepath.Join(t.TempDir(), "help.db")}, strings.Fields(c.name)...)
	if err := Run(context.Background(), append(args, "--help"), strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("%s --help: %v; want success", c.name, err)
	}
	if !strings.Contains(stdout.String(), c.usage) {
		t.Fatalf("%s --help: %q; want the usage line %q", c.name, stdout.String(), c.usage)
	}
	var out []string
	for _, m := range helpFlag.FindAllStringSubmatch(stdout.String(), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestUsageListsEveryFlag: every command answers --help with success, and its usage line
// names every flag it defines.
func TestUsageListsEveryFlag(t *testing.T) {
	for _, c := range commandTable() {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range commandFlags(t, c) {
				if !regexp.MustCompile(`--` + regexp.QuoteMeta(f) + `\b`).MatchString(c.usage) {
					t.Errorf("usage %q does not name --%s", c.usage, f)
				}
			}
		})
	}
}

// TestHelp: --help, -h and help print the usage on stdout and succeed; help COMMAND prints
// that command's.
func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "survey sections ID"},
		{[]string{"-h"}, "survey sections ID"},
		{[]string{"help"}, "survey sections ID"},
		{[]string{"help", "export"}, "-bom"},
		{[]string{"survey", "open", "--help"}, "survey open ID"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := Run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr); err != nil {
				t.Fatalf("got %v; want success", err)
			}
			if !strings.Contains(stdout.String(), tt.want) {
				t.Errorf("stdout %q; want it to contain %q", stdout.String(), tt.want)
			}
		})
	}
}
