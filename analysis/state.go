package analysis

import (
	"encoding/json"
	"fmt"

	"staffsurvey/survey"
)

// A survey with attributes keeps no response record after close (docs/anonymity.md): the store
// keeps what Aggregate returns instead, and reports, trends and changes come from it through
// ResultFromState. It is the suppressed result itself — every number a report publishes, the n
// of every group (suppressed ones too), and for each shown metric the count, mean and sum of
// squared deviations that Welch's test of a later change needs — so the file holds nothing
// about groups a report may not show, and no attribute table an integer program could use to
// rebuild who is in which group. The cross-partition check ran on the responses before they
// were dropped; its decisions are in the result.

// stateVersion is the version of the encoding of a stored result.
const stateVersion = 1

type storedMoments struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	M2   float64 `json:"m2"`
}

type storedResult struct {
	Version       int                                            `json:"version"`
	Result        *SurveyResult                                  `json:"result"`
	Samples       map[string]map[string]storedMoments            `json:"samples"`
	OptionSamples map[string]map[string]map[string]storedMoments `json:"option_samples,omitempty"`
	Disclosure    struct{ Withheld []string }                    `json:"disclosure"`
}

func storeMoments(m map[string]moments) map[string]storedMoments {
	out := make(map[string]storedMoments, len(m))
	for k, v := range m {
		out[k] = storedMoments{N: v.n, Mean: v.mean, M2: v.m2}
	}
	return out
}

func loadMoments(m map[string]storedMoments) map[string]moments {
	out := make(map[string]moments, len(m))
	for k, v := range m {
		out[k] = moments{n: v.N, mean: v.Mean, m2: v.M2}
	}
	return out
}

// Aggregate analyses the responses of q that each yields and returns the state a survey with
// attributes keeps instead of them (see above); it is the store's Aggregator
// (storage.SetAggregator). each calls its argument with every response, one at a time, in any
// order; the Accumulator keeps nothing of a response, so each may reuse it for the next (a
// close decodes every opened record into one of a few) and need never hold them all.
func Aggregate(q *survey.Questionnaire, each func(fn func(*survey.Response) error) error) ([]byte, error) {
	r, err := Scan(q, each)
	if err != nil {
		return nil, err
	}
	return r.MarshalState()
}

// MarshalState encodes s for the store (Aggregate).
func (s *SurveyResult) MarshalState() ([]byte, error) {
	st := storedResult{Version: stateVersion, Result: s, Samples: map[string]map[string]storedMoments{}}
	for code, m := range s.samples {
		st.Samples[code] = storeMoments(m)
	}
	if s.optionSamples != nil {
		st.OptionSamples = map[string]map[string]map[string]storedMoments{}
		for a, byOpt := range s.optionSamples {
			st.OptionSamples[a] = map[string]map[string]storedMoments{}
			for o, m := range byOpt {
				st.OptionSamples[a][o] = storeMoments(m)
			}
		}
	}
	st.Disclosure.Withheld = s.Disclosure.Withheld
	return json.Marshal(st)
}

// ResultFromState decodes a result that MarshalState encoded for questionnaire q.
func ResultFromState(q *survey.Questionnaire, data []byte) (*SurveyResult, error) {
	var st storedResult
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("decode stored result of %s: %w", q.ID, err)
	}
	if st.Version != stateVersion || st.Result == nil || st.Result.ID != q.ID {
		return nil, fmt.Errorf("decode stored result of %s: version %d, survey %v", q.ID, st.Version, st.Result != nil)
	}
	s := st.Result
	s.tree = q.OrgTree()
	s.commentK = q.MinCommentGroupSize()
	for _, c := range q.Categories {
		s.categories = append(s.categories, c.ID)
	}
	for _, g := range s.Groups {
		if i, ok := s.tree.Index(g.Section); ok {
			n := s.tree.Nodes[i]
			g.Depth, g.Parent = n.Depth, n.Parent
		}
	}
	if s.Drivers == nil {
		s.Drivers = []Driver{}
	}
	s.samples = map[string]map[string]moments{}
	for code, m := range st.Samples {
		s.samples[code] = loadMoments(m)
	}
	if st.OptionSamples != nil {
		s.optionSamples = map[string]map[string]map[string]moments{}
		for a, byOpt := range st.OptionSamples {
			s.optionSamples[a] = map[string]map[string]moments{}
			for o, m := range byOpt {
				s.optionSamples[a][o] = loadMoments(m)
			}
		}
	}
	s.Disclosure.Withheld = st.Disclosure.Withheld
	return s, nil
}
