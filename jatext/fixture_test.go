package jatext

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"staffsurvey/internal/testfixture"
)

// comment is a comment of testdata/comments/kita-comments.json (testdata/comments/README.md).
type comment struct {
	Question string   `json:"question"` // good or improve
	Text     string   `json:"text"`
	Names    []string `json:"names"`    // the names the comment contains, in order
	Redacted string   `json:"redacted"` // the text with the names redacted, when it has any
}

// loadComments reads the fixture of realistic comments.
func loadComments(tb testing.TB) []comment {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(testfixture.Dir(), "comments", "kita-comments.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cs []comment
	if err := json.Unmarshal(b, &cs); err != nil {
		tb.Fatalf("kita-comments.json: %v", err)
	}
	if len(cs) < 48 {
		tb.Fatalf("kita-comments.json: %d comments; want at least 48", len(cs))
	}
	return cs
}

func texts(cs []comment) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}
