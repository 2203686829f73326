package results_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"staffsurvey/internal/demo"
	"staffsurvey/internal/testfixture"
	"staffsurvey/results"
	"staffsurvey/survey"
)

// BenchmarkCommentsFirstView is the first view of the comments page of a closed survey of
// 100,000 respondents, one in five writing each of its two comment questions (40,000 comments,
// every one different, drawn from testdata/comments with a number added): collecting them
// under rule 7, checking each for names, and finding the themes of the organisation. Later
// views come from the cache. Run with -benchtime 1x or 3x.
func BenchmarkCommentsFirstView(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(testfixture.Dir(), "comments", "kita-comments.json"))
	if err != nil {
		b.Fatal(err)
	}
	var fixture []struct{ Text string }
	if err := json.Unmarshal(data, &fixture); err != nil {
		b.Fatal(err)
	}
	q, err := survey.LoadFile(filepath.Join(testfixture.Root(), "questionnaires", "kita-2026.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	rs := demo.Responses(q, 2026, 1, demo.Sizes(q, 2026))
	for len(rs) < 100000 {
		rs = append(rs, demo.Responses(q, 2026, len(rs), demo.Sizes(q, 2026))...)
	}
	rs = rs[:100000]
	comments := 0
	for i, r := range rs {
		for j := range r.Comments {
			r.Comments[j] = ""
			if (i+j)%5 == 0 {
				r.Comments[j] = fmt.Sprintf("%s（%d）", fixture[(i+j)%len(fixture)].Text, i)
				comments++
			}
		}
	}
	st := &memStore{surveys: map[string]*survey.Survey{q.ID: {Questionnaire: q, State: survey.StateClosed, Revision: 1}},
		responses: map[string][]*survey.Response{q.ID: rs}}
	ctx := context.Background()
	b.ReportMetric(float64(comments), "comments")
	b.ResetTimer()
	for range b.N {
		svc := results.New(st) // a cold cache
		if _, _, ok, err := svc.Comments(ctx, q.ID, survey.Root); err != nil || !ok {
			b.Fatal(ok, err)
		}
		if _, err := svc.Themes(ctx, q.ID, survey.Root); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareThemes is the first comparison of the less and the more satisfied on a
// closed survey of 100,000 respondents, one in five writing each of its two comment questions
// (as BenchmarkCommentsFirstView, every comment published), once the page has its themes and
// the report its analysis (both cached, untimed): the classes of the respondents and the
// disclosure check of every row tried. Run with -benchtime 1x or 3x.
func BenchmarkCompareThemes(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(testfixture.Dir(), "comments", "kita-comments.json"))
	if err != nil {
		b.Fatal(err)
	}
	var fixture []struct{ Text string }
	if err := json.Unmarshal(data, &fixture); err != nil {
		b.Fatal(err)
	}
	q, err := survey.LoadFile(filepath.Join(testfixture.Root(), "questionnaires", "kita-2026.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	q.Attributes = nil // a survey with attributes keeps no comment beside its answers
	var rs []*survey.Response
	for len(rs) < 100000 {
		rs = append(rs, demo.Responses(q, 2026, len(rs), demo.Sizes(q, 2026))...)
	}
	rs = rs[:100000]
	for i, r := range rs {
		for j := range r.Comments {
			r.Comments[j] = ""
			if (i+j)%5 == 0 {
				r.Comments[j] = fmt.Sprintf("%s（%d）", fixture[(i+j)%len(fixture)].Text, i)
			}
		}
	}
	st := &memStore{surveys: map[string]*survey.Survey{q.ID: {Questionnaire: q, State: survey.StateClosed, Revision: 1}},
		responses: map[string][]*survey.Response{q.ID: rs}, decisions: publishAll(q, rs)}
	ctx := context.Background()
	var rows int
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		svc := results.New(st)
		if _, err := svc.Themes(ctx, q.ID, survey.Root); err != nil {
			b.Fatal(err)
		}
		if _, _, err := svc.Result(ctx, q.ID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cs, err := svc.CompareThemes(ctx, q.ID, survey.Root)
		if err != nil {
			b.Fatal(err)
		}
		rows = 0
		for _, c := range cs {
			rows += len(c.Rows)
		}
	}
	b.ReportMetric(float64(rows), "rows")
}
