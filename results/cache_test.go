package results

import "testing"

// TestDropStale: only the keys of the survey, and only those of another revision, go.
func TestDropStale(t *testing.T) {
	var c revisionCache[string]
	c.put("s1\x00all", 1, "old")
	c.put("s1\x00a", 2, "new")
	c.put("s10\x00all", 1, "other survey")
	c.dropStale("s1\x00", 2)
	if _, ok := c.lookup("s1\x00all", 1); ok {
		t.Errorf("an entry of the old revision is kept")
	}
	if _, ok := c.lookup("s1\x00a", 2); !ok {
		t.Errorf("an entry of the current revision is dropped")
	}
	if _, ok := c.lookup("s10\x00all", 1); !ok {
		t.Errorf("another survey's entry is dropped")
	}
}
