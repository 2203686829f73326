package progress

import (
	"bytes"
	"os"
	"strings"
	"sync"
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

// TestNoTotal: a bar without a total shows the time and stops when done.
func TestNoTotal(t *testing.T) {
	var buf syncBuffer
	b := newBar(&buf, "close", 0)
	b.Done()
	if out := buf.String(); !strings.Contains(out, "close …") || !strings.HasSuffix(out, "\n") {
		t.Errorf("output %q", out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
