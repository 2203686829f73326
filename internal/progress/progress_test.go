package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestQuietWhenNotATerminal: a bar on a pipe or a buffer draws nothing.
func TestQuietWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "import", 10)
	b.Set(5)
	b.Done()
	if buf.Len() != 0 || b != nil {
		t.Errorf("bar on a buffer wrote %q", buf.String())
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if IsTerminal(w) {
		t.Error("a pipe is a terminal")
	}
}

// TestDraw: on a terminal the bar shows its label, the share done and ends its line.
func TestDraw(t *testing.T) {
	var buf bytes.Buffer
	b := newBar(&buf, "import", 4)
	b.Add(2)
	b.Done()
	out := buf.String()
	for _, want := range []string{"import [", "100%", "4/4", "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar output %q lacks %q", out, want)
		}
	}
}
