package revcache

import (
	"errors"
	"testing"
)

func TestGet(t *testing.T) {
	var c Cache[string, int]
	calls := 0
	compute := func(v int) func() (int, error) {
		return func() (int, error) { calls++; return v, nil }
	}
	steps := []struct {
		name      string
		key       string
		revision  uint64
		value     int // what compute would return
		want      int
		wantCalls int
	}{
		{"first get computes", "s", 1, 10, 10, 1},
		{"same revision is cached", "s", 1, 11, 10, 1},
		{"another key computes", "t", 1, 20, 20, 2},
		{"a new revision recomputes", "s", 2, 12, 12, 3},
		{"and is cached in turn", "s", 2, 13, 12, 3},
	}
	for _, st := range steps {
		got, err := c.Get(st.key, st.revision, compute(st.value))
		if err != nil || got != st.want || calls != st.wantCalls {
			t.Fatalf("%s: got %d, %v after %d computations; want %d after %d", st.name, got, err, calls, st.want, st.wantCalls)
		}
	}
	c.Forget("s")
	if got, _ := c.Get("s", 2, compute(14)); got != 14 {
		t.Errorf("after Forget: got %d; want a fresh 14", got)
	}
	boom := errors.New("boom")
	if _, err := c.Get("u", 1, func() (int, error) { return 0, boom }); err != boom {
		t.Errorf("error: got %v; want %v", err, boom)
	}
	if got, _ := c.Get("u", 1, compute(30)); got != 30 {
		t.Errorf("after an error: got %d; want 30 (errors are not cached)", got)
	}
}
