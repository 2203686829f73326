package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoUnsealInHandlers: while a survey is open its responses are sealed (docs/anonymity.md, rule
// 3), and no page may open them. storage.Store.Unseal exists for tests only.
func TestNoUnsealInHandlers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), ".Unseal(") {
			t.Errorf("%s calls Unseal: no page may open sealed responses", f)
		}
	}
}
