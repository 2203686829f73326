package admin

import (
	"slices"
	"testing"
	"time"
)

// Two reviewers get different comments; a claim expires; a reviewer keeps their own.
func TestReviewClaims(t *testing.T) {
	var c reviewClaims
	now := time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)
	ids := []string{"a", "b", "c", "d", "e"}
	mine, others := c.take("s", "alice", ids, 2, now)
	if !slices.Equal(mine, []string{"a", "b"}) || others != 0 {
		t.Fatalf("alice: %v, %d others", mine, others)
	}
	mine, others = c.take("s", "bob", ids, 2, now)
	if !slices.Equal(mine, []string{"c", "d"}) || others != 2 {
		t.Errorf("bob: %v, %d others; want c, d and 2 held by alice", mine, others)
	}
	mine, _ = c.take("s", "alice", ids, 2, now.Add(time.Minute))
	if !slices.Equal(mine, []string{"a", "b"}) {
		t.Errorf("alice again: %v; want her own a, b", mine)
	}
	if mine, _ = c.take("other", "bob", ids, 1, now); !slices.Equal(mine, []string{"a"}) {
		t.Errorf("another survey: %v; want a", mine)
	}
	mine, others = c.take("s", "carol", ids, 5, now.Add(reviewHold+2*time.Minute))
	if !slices.Equal(mine, ids) || others != 0 {
		t.Errorf("after the claims expired: %v, %d others; want all", mine, others)
	}
}
