package results

import (
	"strings"
	"sync"
)

// revisionCache keeps one value per key for the revision it was computed at: a closed
// survey's responses, and so everything computed from them, change only when its revision
// does (an import). The zero value is ready to use and safe for concurrent use.
type revisionCache[V any] struct {
	mu sync.Mutex
	m  map[string]revisionEntry[V]
}

type revisionEntry[V any] struct {
	revision uint64
	value    V
}

// lookup returns the value of key kept for revision.
func (c *revisionCache[V]) lookup(key string, revision uint64) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.revision != revision {
		var zero V
		return zero, false
	}
	return e.value, true
}

// put keeps v as the value of key at revision, replacing any other revision's.
func (c *revisionCache[V]) put(key string, revision uint64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]revisionEntry[V]{}
	}
	c.m[key] = revisionEntry[V]{revision, v}
}

// dropStale forgets the values of the keys starting with prefix that were computed at another
// revision than revision: after a redaction, the comments of the revision before must not stay
// in memory waiting for their group to be viewed again.
func (c *revisionCache[V]) dropStale(prefix string, revision uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if strings.HasPrefix(k, prefix) && e.revision != revision {
			delete(c.m, k)
		}
	}
}

// get returns the value of key at revision, computing and keeping it on a miss. Two callers
// that miss at once may both compute; the values are equal. A failed computation is not kept.
func (c *revisionCache[V]) get(key string, revision uint64, compute func() (V, error)) (V, error) {
	if v, ok := c.lookup(key, revision); ok {
		return v, nil
	}
	v, err := compute()
	if err == nil {
		c.put(key, revision, v)
	}
	return v, err
}
