package results_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"staffsurvey/results"
	"staffsurvey/survey"
)

// memStore is a Store in memory that counts the scans, to see the cache at work.
type memStore struct {
	surveys   map[string]*survey.Survey
	responses map[string][]*survey.Response
	decisions map[string]string
	scans     int
}

func (m *memStore) Survey(id string) (*survey.Survey, error) {
	sv, ok := m.surveys[id]
	if !ok {
		return nil, survey.Errorf(survey.ENOTFOUND, "調査 %q はありません", "no survey %q", id)
	}
	return sv, nil
}

func (m *memStore) Surveys() ([]*survey.Survey, error) {
	var out []*survey.Survey
	for _, sv := range m.surveys {
		out = append(out, sv)
	}
	return out, nil
}

func (m *memStore) EachResponse(id string, fn func(*survey.Response) error) error {
	m.scans++
	for _, r := range m.responses[id] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// SectionCounts: the responses in memory keep their leaf sections, as before the ballot box.
func (m *memStore) SectionCounts(string) (map[string]int, error) { return nil, nil }

func (m *memStore) EachComment(string, func(string, int, string) error) error { return nil }

func (m *memStore) Decisions(string) (map[string]string, error) { return m.decisions, nil }

func questionnaire(tb testing.TB, id string, year int) *survey.Questionnaire {
	tb.Helper()
	t := func(s string) survey.Text { return survey.Text{JA: s, EN: s} }
	q := &survey.Questionnaire{ID: id, Year: year, Title: t("t"),
		Scale:     survey.Scale{Points: 5, Labels: survey.Texts{JA: []string{"1", "2", "3", "4", "5"}}, NotApplicable: t("NA")},
		Anonymity: survey.Anonymity{MinGroupSize: 5, MinCommentGroupSize: 5},
		Categories: []survey.Category{
			{ID: "m", Title: t("M"), Axis: survey.AxisMotivation, Items: []survey.Item{{ID: "m1", Text: t("m1")}}},
			{ID: "i", Title: t("I"), Axis: survey.AxisCohesion, Items: []survey.Item{{ID: "i1", Text: t("i1")}}},
		},
		Comments: []survey.Comment{{ID: "c", Text: t("c"), MaxLength: 100}},
		Sections: []survey.Section{{Code: "a", Name: t("A")}, {Code: "b", Name: t("B")}, {Code: "tiny", Name: t("T")}},
	}
	q.SetDefaults()
	if err := q.Validate(); err != nil {
		tb.Fatal(err)
	}
	return q
}

// newStore holds a closed survey of 2024 and 2025 (6 in a, 6 in b, 2 in tiny), an open one
// and a draft.
func newStore(tb testing.TB) *memStore {
	m := &memStore{surveys: map[string]*survey.Survey{}, responses: map[string][]*survey.Response{}}
	for i, st := range []string{survey.StateClosed, survey.StateClosed, survey.StateOpen, survey.StateDraft} {
		id := fmt.Sprintf("s%d", i)
		q := questionnaire(tb, id, 2024+i)
		m.surveys[id] = &survey.Survey{Questionnaire: q, State: st, Revision: 1}
		for j, section := range []string{"a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "tiny", "tiny"} {
			r := survey.NewResponse(q, section)
			r.Answers[0], r.Answers[1] = int8(1+j%5), int8(1+(j+i)%5)
			r.Comments[0] = fmt.Sprintf("comment %s %d", section, j)
			m.responses[id] = append(m.responses[id], r)
		}
	}
	return m
}

// TestClosedOnly: every way to results refuses a survey that is not closed, with ESTATE and a
// message that says which state it is in.
func TestClosedOnly(t *testing.T) {
	st := newStore(t)
	svc := results.New(st)
	ctx := context.Background()
	calls := map[string]func(id string) error{
		"Result":   func(id string) error { _, _, err := svc.Result(ctx, id); return err },
		"Report":   func(id string) error { _, err := svc.Report(ctx, id); return err },
		"Comments": func(id string) error { _, _, _, err := svc.Comments(ctx, id, survey.Root); return err },
		"Export":   func(id string) error { return svc.Export(ctx, &bytes.Buffer{}, id, survey.ExportOptions{}, nil) },
	}
	for name, call := range calls {
		for id, want := range map[string]string{"s2": "回答受付中", "s3": "準備中"} {
			err := call(id)
			var e *survey.Error
			if !errors.As(err, &e) || e.Code != survey.ESTATE || !strings.Contains(e.Message.JA, want) {
				t.Errorf("%s(%s): got %v; want ESTATE saying %s", name, id, err, want)
			}
		}
		if err := call("nope"); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("%s(nope): got %v; want ENOTFOUND", name, err)
		}
	}
	if st.scans != 0 {
		t.Errorf("%d scans of surveys that are not closed; want none", st.scans)
	}
}

// TestCache: a closed survey is scanned once per revision, whichever method asks.
func TestCache(t *testing.T) {
	st := newStore(t)
	svc := results.New(st)
	ctx := context.Background()
	for range 3 {
		if _, _, err := svc.Result(ctx, "s0"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Report(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if st.scans != 2 { // s0 and s1, once each
		t.Errorf("got %d scans; want 2", st.scans)
	}
	st.surveys["s0"].Revision++
	rep, err := svc.Report(ctx)
	if err != nil || st.scans != 3 {
		t.Errorf("after a new revision: %d scans, err %v; want 3", st.scans, err)
	}
	if len(rep.Surveys) != 2 || rep.Surveys[0].ID != "s0" || len(rep.Changes) == 0 {
		t.Errorf("report: %d surveys, %d changes; want s0 and s1 in year order with changes", len(rep.Surveys), len(rep.Changes))
	}
	prev, _, err := svc.Previous(ctx, st.surveys["s1"])
	if err != nil || prev == nil || prev.ID() != "s0" {
		t.Errorf("previous of s1: %v, %v; want s0", prev, err)
	}
	for range 2 {
		svc.Comments(ctx, "s0", "a")
	}
	if st.scans != 4 {
		t.Errorf("comments twice: got %d scans; want 4", st.scans)
	}
}

// TestExport: rows are generalised and comments left out as the analysis says, and a bad
// format is refused before start is called.
func TestExport(t *testing.T) {
	svc := results.New(newStore(t))
	ctx := context.Background()
	var buf bytes.Buffer
	started := 0
	if err := svc.Export(ctx, &buf, "s0", survey.ExportOptions{}, func(*survey.Survey) { started++ }); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]int{}
	for _, row := range rows[1:] {
		sections[row[2]]++
		if row[2] == "tiny" {
			t.Errorf("a row names tiny, a section of 2")
		}
	}
	if len(rows) != 15 || started != 1 {
		t.Errorf("%d rows, start called %d times; want 14 rows and a header, once", len(rows), started)
	}
	err = svc.Export(ctx, &buf, "s0", survey.ExportOptions{Format: "xml"}, func(*survey.Survey) { t.Error("start called for a bad format") })
	if survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("bad format: got %v; want EINVALID", err)
	}
}

// TestExportLeavesOutUndecided: a comment waiting for review is in no export, CSV or Excel,
// wide or long. Under comment_review: flagged that is a comment that may name a person, until
// it is published; under all, the default, every comment until a person decides it, and a
// withheld one for good.
func TestExportLeavesOutUndecided(t *testing.T) {
	st := newStore(t)
	const named = "田中課長に相談しにくいです"
	for _, r := range st.responses["s0"][:6] { // section a: shown, comments exported
		r.Comments[0] = named
	}
	svc := results.New(st)
	ctx := context.Background()
	exports := func() map[string]string {
		st.surveys["s0"].Revision++
		out := map[string]string{}
		for _, format := range []string{survey.FormatWide, survey.FormatLong} {
			var buf bytes.Buffer
			if err := svc.Export(ctx, &buf, "s0", survey.ExportOptions{Format: format}, nil); err != nil {
				t.Fatal(err)
			}
			out[format] = buf.String()
		}
		var buf bytes.Buffer
		if err := svc.WriteXLSX(ctx, &buf, "s0", "ja", nil); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("data")
		if err != nil {
			t.Fatal(err)
		}
		out["xlsx"] = fmt.Sprint(rows)
		return out
	}
	q := st.surveys["s0"].Questionnaire
	// comment_review: all (the default): nothing before a decision.
	for format, body := range exports() {
		if strings.Contains(body, "田中") || strings.Contains(body, "comment b") {
			t.Errorf("%s export holds comments nobody decided", format)
		}
	}
	st.decisions = map[string]string{survey.CommentID("c", "comment b 7"): survey.DecidePublish, survey.CommentID("c", named): survey.DecideWithhold}
	for format, body := range exports() {
		if strings.Contains(body, "田中") || strings.Count(body, "comment b") != 1 || !strings.Contains(body, "comment b 7") {
			t.Errorf("%s export after one publish and one withhold: want the published comment only", format)
		}
	}
	// comment_review: flagged: what the finder flags waits; a withheld comment stays out.
	q.Anonymity.CommentReview = survey.ReviewFlagged
	st.decisions = nil
	for format, body := range exports() {
		if strings.Contains(body, "田中") {
			t.Errorf("%s export holds a comment that waits for review", format)
		}
		if !strings.Contains(body, "comment b") {
			t.Errorf("%s export lacks the other comments", format)
		}
	}
	st.decisions = map[string]string{survey.CommentID("c", named): survey.DecidePublish}
	for format, body := range exports() {
		if got := strings.Count(body, named); got != 6 {
			t.Errorf("%s export after publishing holds the comment %d times; want 6", format, got)
		}
	}
	st.decisions = map[string]string{survey.CommentID("c", named): survey.DecideWithhold}
	for format, body := range exports() {
		if strings.Contains(body, "田中") {
			t.Errorf("%s export holds a withheld comment", format)
		}
	}
}
