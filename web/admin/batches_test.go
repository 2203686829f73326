package admin

import (
	"crypto/sha256"
	"testing"
	"time"
)

// TestBatchStoreBounds: batches expire after batchTTL, are only for their session, and the
// oldest go when too many tokens are held.
func TestBatchStoreBounds(t *testing.T) {
	bs := newBatchStore()
	now := time.Now()
	bs.now = func() time.Time { return now }
	sess := "session-a"
	mk := func(n int) *batch {
		return &batch{session: sha256Sum(sess), survey: "s", tokens: make([]string, n)}
	}
	first := bs.put(mk(maxBatchTokens / 2))
	now = now.Add(time.Second)
	second := bs.put(mk(maxBatchTokens / 2))
	if _, ok := bs.get(first, "s", sess); !ok {
		t.Fatal("first batch gone too early")
	}
	if _, ok := bs.get(first, "s", "session-b"); ok {
		t.Error("another session sees the batch")
	}
	if _, ok := bs.get(first, "other", sess); ok {
		t.Error("the batch is shown under another survey")
	}
	now = now.Add(time.Second)
	third := bs.put(mk(10))
	if _, ok := bs.get(first, "s", sess); ok {
		t.Error("the oldest batch stayed past the token bound")
	}
	if _, ok := bs.get(second, "s", sess); !ok {
		t.Error("the second batch went too")
	}
	now = now.Add(batchTTL)
	if _, ok := bs.get(third, "s", sess); ok {
		t.Error("a batch outlived batchTTL")
	}
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }
