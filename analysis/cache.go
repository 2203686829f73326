package analysis

import (
	"runtime"
	"sync"

	"staffsurvey/survey"
)

// Cache keeps per-survey results by survey id and revision. A closed survey's responses, and
// so its result, change only when survey.Survey.Revision does (an import), so a report page
// can be rebuilt with Build from cached results without rescanning a single response.
// The zero value is ready to use and safe for concurrent use.
type Cache struct {
	mu sync.Mutex
	m  map[string]cacheEntry
}

type cacheEntry struct {
	revision uint64
	result   *SurveyResult
}

// Get returns the cached result of survey id at revision, or computes, caches and returns it.
// Two callers that miss at once may both compute; the results are equal.
func (c *Cache) Get(id string, revision uint64, compute func() (*SurveyResult, error)) (*SurveyResult, error) {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && e.revision == revision {
		return e.result, nil
	}
	res, err := compute()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]cacheEntry{}
	}
	c.m[id] = cacheEntry{revision: revision, result: res}
	c.mu.Unlock()
	return res, nil
}

// Forget drops the cached result of survey id.
func (c *Cache) Forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

// Source is one survey to analyse: its questionnaire and a function that streams its
// responses, such as a closure over storage.Store.EachResponse.
type Source struct {
	Questionnaire *survey.Questionnaire
	Each          func(fn func(*survey.Response) error) error
}

// ScanAll analyses sources on up to workers goroutines (GOMAXPROCS when workers ≤ 0), one
// survey per goroutine at a time, and returns the results in the order of sources. It returns
// the first error.
func ScanAll(sources []Source, workers int) ([]*SurveyResult, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	results := make([]*SurveyResult, len(sources))
	errs := make([]error, len(sources))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(sources)) {
		wg.Go(func() {
			for i := range next {
				results[i], errs[i] = Scan(sources[i].Questionnaire, sources[i].Each)
			}
		})
	}
	for i := range sources {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}
