package storage_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// withAggregator wires analysis.Aggregate for the test, as the command does.
func withAggregator(t *testing.T) {
	storage.SetAggregator(analysis.Aggregate)
	t.Cleanup(func() { storage.SetAggregator(nil) })
}

// sameReport fails unless the result kept as sums equals the analysis of the responses.
func sameReport(t *testing.T, st *storage.Store, q *survey.Questionnaire, rs []*survey.Response) {
	t.Helper()
	state, err := st.Sums(q.ID)
	if err != nil || state == nil {
		t.Fatalf("Sums: %v, %d bytes", err, len(state))
	}
	got, err := analysis.ResultFromState(q, state)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(analysis.Build(got))
	b, _ := json.Marshal(analysis.Build(analysis.Analyze(q, rs)))
	var x, y any
	json.Unmarshal(a, &x)
	json.Unmarshal(b, &y)
	// The responses come out of the ballot box in another order; drivers' correlations are
	// summed in floating point, so the last bits may differ.
	if d := firstDiff("", x, y); d != "" {
		t.Errorf("the report from the sums differs from the responses' at %s", d)
	}
}

// firstDiff returns where two decoded JSON values differ (numbers by more than 1e-9), or "".
func firstDiff(path string, x, y any) string {
	switch x := x.(type) {
	case map[string]any:
		ym, ok := y.(map[string]any)
		if !ok || len(ym) != len(x) {
			return path
		}
		for k, v := range x {
			if d := firstDiff(path+"."+k, v, ym[k]); d != "" {
				return d
			}
		}
	case []any:
		ys, ok := y.([]any)
		if !ok || len(ys) != len(x) {
			return path
		}
		for i := range x {
			if d := firstDiff(path+"[]", x[i], ys[i]); d != "" {
				return d
			}
		}
	case float64:
		if yf, ok := y.(float64); !ok || math.Abs(x-yf) > 1e-9 {
			return path
		}
	default:
		if x != y {
			return path
		}
	}
	return ""
}

// noRecords fails if survey id has any response record; it returns the comments kept apart.
func noRecords(t *testing.T, st *storage.Store, id string) []string {
	t.Helper()
	n := 0
	if err := st.EachResponse(id, func(*survey.Response) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d response records kept; want none", n)
	}
	var cs []string
	if err := st.EachComment(id, func(_ string, _ int, text string) error { cs = append(cs, text); return nil }); err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestAttributesNoAggregator: without the aggregation wired in, opening the ballot box of a
// survey with attributes is refused and changes nothing.
func TestAttributesNoAggregator(t *testing.T) {
	st := MustOpenStore(t)
	q, rs := fixtureload.Attributes(t, "2025")
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	if err := st.Import(q.ID, rs); code(err) != survey.EINVALID || !strings.Contains(err.Error(), "aggregation") {
		t.Fatalf("import: got %v; want the refusal", err)
	}
	if sums, _ := st.Sums(q.ID); sums != nil || len(noRecords(t, st, q.ID)) != 0 {
		t.Error("the refused import stored something")
	}
}

// TestAttributesKeepSums: import and close of a survey with attributes keep no record, only the
// sums (whose report equals the responses'), the counts, and the comments apart; more
// responses cannot be added.
func TestAttributesKeepSums(t *testing.T) {
	withAggregator(t)
	t.Run("import", func(t *testing.T) {
		st := MustOpenStore(t)
		q, rs := fixtureload.Attributes(t, "2025")
		if err := st.CreateSurvey(q); err != nil {
			t.Fatal(err)
		}
		if err := st.Import(q.ID, rs); err != nil {
			t.Fatal(err)
		}
		if err := storagetest.CloseSurvey(st, q.ID); err != nil {
			t.Fatal(err)
		}
		comments := noRecords(t, st, q.ID)
		want := 0
		for _, r := range rs {
			for _, c := range r.Comments {
				if c != "" {
					want++
				}
			}
		}
		if len(comments) != want {
			t.Errorf("%d comments kept apart; want %d", len(comments), want)
		}
		sameReport(t, st, q, rs)
		if err := st.Import(q.ID, rs[:3]); code(err) != survey.ECONFLICT {
			t.Errorf("append: got %v; want ECONFLICT", err)
		}
		counts, _ := st.SectionCounts(q.ID)
		total := 0
		for _, n := range counts {
			total += n
		}
		if sv, _ := st.Survey(q.ID); total != len(rs) || sv.Responses != len(rs) {
			t.Errorf("counts %d, survey responses %d; want %d", total, sv.Responses, len(rs))
		}
	})
	t.Run("close", func(t *testing.T) {
		st := MustOpenStore(t)
		q, rs := fixtureload.Attributes(t, "2026")
		if err := st.CreateSurvey(q); err != nil {
			t.Fatal(err)
		}
		if err := storagetest.OpenSurvey(st, q.ID); err != nil {
			t.Fatal(err)
		}
		var sent []*survey.Response
		for _, r := range rs[:40] {
			toks, err := st.IssueTokens(q.ID, r.Section, 1)
			if err != nil {
				t.Fatal(err)
			}
			c := r.Clone()
			c.Section = ""
			if err := st.Submit(toks[0], c); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, r)
		}
		if err := storagetest.CloseSurvey(st, q.ID); err != nil {
			t.Fatal(err)
		}
		noRecords(t, st, q.ID)
		sameReport(t, st, q, sent)
	})
}
