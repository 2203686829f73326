package analysis_test

import (
	"encoding/json"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/survey"
)

// yieldAll yields rs one at a time, as analysis.Aggregate asks.
func yieldAll(rs []*survey.Response) func(fn func(*survey.Response) error) error {
	return func(fn func(*survey.Response) error) error {
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// keptResult is the result a survey with attributes reports after close: rs aggregated into the
// state it keeps, read back.
func keptResult(tb testing.TB, q *survey.Questionnaire, rs []*survey.Response) *analysis.SurveyResult {
	tb.Helper()
	data, err := analysis.Aggregate(q, yieldAll(rs))
	if err != nil {
		tb.Fatal(err)
	}
	res, err := analysis.ResultFromState(q, data)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// TestStateAgrees: the report built from the stored state of the attributes fixture (what a
// survey with attributes keeps after close) equals the one from its responses, changes
// between the years (Welch from n, mean and M2) included.
func TestStateAgrees(t *testing.T) {
	var direct, stored []*analysis.SurveyResult
	for _, year := range []string{"2025", "2026"} {
		q, rs := fixtureload.Attributes(t, year)
		direct = append(direct, analysis.Analyze(q, rs))
		data, err := analysis.Aggregate(q, yieldAll(rs))
		if err != nil {
			t.Fatal(err)
		}
		res, err := analysis.ResultFromState(q, data)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, res)
		if _, err := analysis.ResultFromState(q, data[:len(data)/2]); err == nil {
			t.Error("a truncated state decoded")
		}
	}
	want, _ := json.Marshal(analysis.Build(direct...))
	got, _ := json.Marshal(analysis.Build(stored...))
	if string(got) != string(want) {
		t.Errorf("report from the stored state differs:\n got %.400s\nwant %.400s", got, want)
	}
	for i := range direct {
		if h1, h2 := direct[i].Heatmap(), stored[i].Heatmap(); len(h1.Rows) != len(h2.Rows) || h1.Rows[3].Depth != h2.Rows[3].Depth {
			t.Errorf("heatmaps differ: %+v / %+v", h1.Rows[3], h2.Rows[3])
		}
	}
	if len(analysis.Build(stored...).Changes) != 84 {
		t.Errorf("%d changes; want the fixture's 84", len(analysis.Build(stored...).Changes))
	}
}

// TestAggregateReusedResponse: Aggregate keeps nothing of a response, so an each that decodes
// every response into the same *Response (as a close does) gives the same state.
func TestAggregateReusedResponse(t *testing.T) {
	q, rs := fixtureload.Attributes(t, "2026")
	want, err := analysis.Aggregate(q, yieldAll(rs))
	if err != nil {
		t.Fatal(err)
	}
	got, err := analysis.Aggregate(q, func(fn func(*survey.Response) error) error {
		one := &survey.Response{Survey: q.ID}
		for _, r := range rs {
			data, err := r.MarshalBinary()
			if err != nil {
				return err
			}
			if err := one.UnmarshalBinary(data); err != nil {
				return err
			}
			if err := fn(one); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("state from one reused response differs:\n got %.300s\nwant %.300s", got, want)
	}
}
