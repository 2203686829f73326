// Package progress draws a progress bar for long commands (import, export, demo data,
// close) on a terminal's standard error, and nothing at all when standard error is not a
// terminal, so that logs and pipes stay clean.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Bar is one progress bar. Its methods are safe for concurrent use; a nil *Bar does nothing.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int
	done  int
	start time.Time
	last  time.Time
	stop  chan struct{} // ends the ticker of a bar without a total
}

// IsTerminal reports whether w is a terminal (a character device), the only place a bar is drawn.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// New returns a bar of total steps (0: unknown, shows a count) labelled label drawn on w, or
// nil when w is not a terminal.
func New(w io.Writer, label string, total int) *Bar {
	if !IsTerminal(w) {
		return nil
	}
	return newBar(w, label, total)
}

func newBar(w io.Writer, label string, total int) *Bar {
	b := &Bar{w: w, label: label, total: total, start: time.Now()}
	b.draw()
	if total <= 0 { // nothing will call Set: show the time going by
		b.stop = make(chan struct{})
		go func() {
			t := time.NewTicker(500 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-b.stop:
					return
				case <-t.C:
					b.mu.Lock()
					b.draw()
					b.mu.Unlock()
				}
			}
		}()
	}
	return b
}

// Set records that done steps are finished, redrawing at most ten times a second.
func (b *Bar) Set(done int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = done
	if now := time.Now(); now.Sub(b.last) >= 100*time.Millisecond {
		b.last = now
		b.draw()
	}
}

// Add records n more finished steps.
func (b *Bar) Add(n int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	d := b.done + n
	b.mu.Unlock()
	b.Set(d)
}

// Done draws the final state and ends the line.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	if b.stop != nil {
		close(b.stop)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.total > 0 {
		b.done = b.total
	}
	b.draw()
	fmt.Fprintln(b.w)
}

const width = 30

func (b *Bar) draw() {
	el := time.Since(b.start).Round(100 * time.Millisecond)
	if b.total <= 0 {
		fmt.Fprintf(b.w, "\r%s … (%v)\x1b[K", b.label, el)
		return
	}
	frac := float64(b.done) / float64(b.total)
	frac = min(max(frac, 0), 1)
	n := int(frac * width)
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%% %d/%d (%v)\x1b[K", b.label, strings.Repeat("█", n), strings.Repeat("·", width-n),
		frac*100, b.done, b.total, el)
}

// Reader counts the bytes read through it on a bar whose total is the input's size.
type Reader struct {
	R   io.Reader
	Bar *Bar
}

func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.R.Read(p)
	r.Bar.Add(n)
	return n, err
}
