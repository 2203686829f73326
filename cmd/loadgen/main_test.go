package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadgen runs the load generator as BENCHMARKS.md does, small: the real staffsurvey
// binary, both sealings, every submission acknowledged and counted by `survey list`
// afterwards (loadgen fails otherwise). It checks that -seal aes really opens the survey with
// a key file, and -seal hpke with custodians, and that a build without -tags loadtest refuses
// -seal aes with the way to build it.
func TestLoadgen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three binaries")
	}
	dir := t.TempDir()
	build := func(name string, args ...string) string {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", append([]string{"build", "-o", out}, args...)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", name, err, b)
		}
		return out
	}
	server := build("staffsurvey", "staffsurvey/cmd/staffsurvey")
	tagged := build("loadgen-loadtest", "-tags", "loadtest", ".")
	plain := build("loadgen", ".")
	questionnaire, err := filepath.Abs("../../testdata/fixtures/analysis/fixture-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run := func(bin, seal, db string) (string, error) {
		cmd := exec.Command(bin, "-bin", server, "-questionnaire", questionnaire, "-n", "60", "-c", "4",
			"-raw=false", "-seal", seal, "-db", db)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, seal := range []string{"aes", "hpke"} {
		t.Run(seal, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "load.db")
			out, err := run(tagged, seal, db)
			if err != nil {
				t.Fatalf("loadgen -seal %s: %v\n%s", seal, err, out)
			}
			for _, want := range []string{"failed 0", "server CPU:", "stored: fixture-2025\t2025\topen\t60 responses"} {
				if !strings.Contains(out, want) {
					t.Errorf("loadgen -seal %s: no %q in\n%s", seal, want, out)
				}
			}
			// The AES-GCM key file of a survey opened as the version before the custodians
			// did (storage.KeyDir); an HPKE survey has none.
			_, err = os.Stat(filepath.Join(db+".keys", "fixture-2025.key"))
			if hasKey := err == nil; hasKey != (seal == "aes") {
				t.Errorf("loadgen -seal %s: key file exists %v", seal, hasKey)
			}
		})
	}
	if out, err := run(plain, "aes", filepath.Join(t.TempDir(), "load.db")); err == nil || !strings.Contains(out, "-tags loadtest") {
		t.Errorf("loadgen without the loadtest tag, -seal aes: %v\n%s\nwant an error naming -tags loadtest", err, out)
	}
	if out, err := run(tagged, "rot13", filepath.Join(t.TempDir(), "load.db")); err == nil || !strings.Contains(out, "hpke or aes") {
		t.Errorf("loadgen -seal rot13: %v\n%s\nwant an error naming hpke and aes", err, out)
	}
}
