// Package revcache keeps values derived from a survey's responses — its analysis, the
// comments of a group — until the survey's revision changes.
//
// A closed survey's responses change only when survey.Survey.Revision does (an import), so a
// value computed at one revision stays right until the revision moves on: callers never need
// to invalidate by hand, and a report page never rescans responses that have not changed.
package revcache

import "sync"

// Cache maps keys to the value computed at a revision. The zero value is ready to use and safe
// for concurrent use.
type Cache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]entry[V]
}

type entry[V any] struct {
	revision uint64
	value    V
}

// Get returns the value cached for key at revision, or computes, caches and returns it. A value
// cached at another revision is replaced. Two callers that miss at once may both compute; the
// later one's value is kept. An error is returned and nothing is cached.
func (c *Cache[K, V]) Get(key K, revision uint64, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && e.revision == revision {
		return e.value, nil
	}
	v, err := compute()
	if err != nil {
		var zero V
		return zero, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[K]entry[V]{}
	}
	c.m[key] = entry[V]{revision: revision, value: v}
	c.mu.Unlock()
	return v, nil
}

// Forget drops the value cached for key.
func (c *Cache[K, V]) Forget(key K) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}
