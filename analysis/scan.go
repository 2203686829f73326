package analysis

import (
	"runtime"
	"sync"

	"staffsurvey/survey"
)

// Source is one survey to analyse: its questionnaire, a function that streams its
// responses (such as a closure over storage.Store.EachResponse), and for a survey closed
// through the ballot box the respondent counts recorded at close (Accumulator.SetSectionCounts).
type Source struct {
	Questionnaire *survey.Questionnaire
	Each          func(fn func(*survey.Response) error) error
	Counts        map[string]int // nil: count the responses
	// State is the aggregated state a survey with attributes keeps instead of responses
	// (Aggregate); when set, Each and Counts are not used.
	State []byte
}

// Scan analyses one source.
func (src Source) Scan() (*SurveyResult, error) {
	if src.State != nil {
		return ResultFromState(src.Questionnaire, src.State)
	}
	a := NewAccumulator(src.Questionnaire)
	if src.Counts != nil {
		a.SetSectionCounts(src.Counts)
	}
	err := src.Each(func(r *survey.Response) error {
		a.Add(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a.Result(), nil
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
				results[i], errs[i] = sources[i].Scan()
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
