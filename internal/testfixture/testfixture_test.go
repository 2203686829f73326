package testfixture

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestAnalysisFixture: the fixture is in the repository, and when the shared set it was copied
// from is beside the checkout (as in CI), the copy is current (testdata/README.md says how to
// refresh it).
func TestAnalysisFixture(t *testing.T) {
	names := []string{"expected.json", "fixture-2025.yaml", "fixture-2026.yaml", "responses-2025.csv", "responses-2026.csv"}
	for _, name := range names {
		if _, err := os.Stat(Analysis(name)); err != nil {
			t.Errorf("fixture file missing: %v", err)
		}
	}
	shared := filepath.Join(Root(), "..", "shared", "fixtures", "analysis")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("comparison with the shared set skipped: %s not found", shared)
	}
	for _, name := range names {
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Errorf("shared set: %v", err)
			continue
		}
		got, _ := os.ReadFile(Analysis(name))
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/fixtures/analysis/%s differs from the shared set: refresh it (testdata/README.md)", name)
		}
	}
}
