package demo_test

import (
	"math"
	"reflect"
	"testing"

	"staffsurvey/internal/demo"
	"staffsurvey/survey"
)

// demoYAML is a small questionnaire for the demo generator: two categories, a reverse-keyed
// item, both outcomes, a comment, and a tree with an inner section.
const demoYAML = `
id: demo-2026
year: 2026
title: {ja: デモ 2026}
scale:
  points: 5
  labels: {ja: [1, 2, 3, 4, 5]}
  not_applicable: {ja: 該当しない}
categories:
  - id: motivation
    title: {ja: 意欲}
    axis: motivation
    items:
      - {id: m1, text: {ja: m1}}
      - {id: m2, text: {ja: m2}, reverse: true}
  - id: cohesion
    title: {ja: 一体感}
    axis: cohesion
    items:
      - {id: i1, text: {ja: i1}}
      - {id: i2, text: {ja: i2}}
outcomes:
  satisfaction: {id: overall, text: {ja: 満足}}
  enps: {id: enps, text: {ja: 推奨}}
comments:
  - {id: free, text: {ja: 自由記述}}
sections:
  - code: soumu
    name: {ja: 総務課}
    children:
      - {code: soumu-a, name: {ja: 庶務}}
      - {code: soumu-b, name: {ja: 人事}}
  - code: kikaku
    name: {ja: 企画課}
`

func demoQuestionnaire(tb testing.TB) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.Parse("demo.yaml", []byte(demoYAML))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

func TestDemoResponsesDeterministic(t *testing.T) {
	q := demoQuestionnaire(t)
	a := demo.Responses(q, 1, 0, nil)
	b := demo.Responses(q, 1, 0, nil)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed: got different responses; want the same")
	}
	tests := []struct {
		name      string
		seed      int64
		yearIndex int
	}{{"other seed", 2, 0}, {"other year", 1, 1}}
	for _, tt := range tests {
		if c := demo.Responses(q, tt.seed, tt.yearIndex, nil); reflect.DeepEqual(a, c) {
			t.Errorf("%s: got the same responses; want different ones", tt.name)
		}
	}
	if got, want := demo.Sizes(q, 1), demo.Sizes(q, 1); !reflect.DeepEqual(got, want) {
		t.Errorf("DemoSizes: got %v; want %v", got, want)
	}
}

func TestDemoResponsesRealistic(t *testing.T) {
	q := demoQuestionnaire(t)
	sizes := map[string]int{"soumu-a": 400, "soumu-b": 300, "kikaku": 300}
	rs := demo.Responses(q, 7, 0, sizes)
	got := map[string]int{}
	var answers, na, comments int
	var m1, m2 []float64
	for _, r := range rs {
		if err := r.Validate(q); err != nil {
			t.Fatalf("invalid response: %v", err)
		}
		got[r.Section]++
		for _, v := range r.Answers {
			answers++
			if v == survey.NA {
				na++
			}
		}
		if r.Answers[0] != survey.NA && r.Answers[1] != survey.NA {
			m1 = append(m1, float64(r.Answers[0]))
			m2 = append(m2, float64(r.Answers[1]))
		}
		if r.Comments[0] != "" {
			comments++
		}
	}
	if !reflect.DeepEqual(got, sizes) {
		t.Errorf("responses per section: got %v; want %v", got, sizes)
	}
	if rate := float64(na) / float64(answers); rate < 0.01 || rate > 0.08 {
		t.Errorf("not applicable: got %.3f of answers; want between 0.01 and 0.08", rate)
	}
	if rate := float64(comments) / float64(len(rs)); rate < 0.05 || rate > 0.2 {
		t.Errorf("comments: got %.3f of respondents; want between 0.05 and 0.2", rate)
	}
	// m2 is reverse-keyed: raw answers run against m1's
	if r := correlation(m1, m2); r > -0.3 {
		t.Errorf("correlation of m1 with reverse-keyed m2: got %.2f; want clearly negative", r)
	}
}

func TestDemoResponsesTrend(t *testing.T) {
	q := demoQuestionnaire(t)
	sizes := map[string]int{"soumu-a": 1000, "soumu-b": 1000, "kikaku": 1000}
	mean := func(year int) float64 {
		var sum, n float64
		for _, r := range demo.Responses(q, 3, year, sizes) {
			for _, i := range []int{0, 2, 3} { // not the reverse-keyed m2
				if v := r.Answers[i]; v != survey.NA {
					sum += float64(v)
					n++
				}
			}
		}
		return sum / n
	}
	first, last := mean(0), mean(5)
	if last-first < 0.1 || last-first > 0.6 {
		t.Errorf("mean answer: got %.2f in year 0 and %.2f in year 5; want a slow rise", first, last)
	}
}

func TestDemoYears(t *testing.T) {
	q := demoQuestionnaire(t)
	qs := demo.Years(q, 3)
	var got []string
	for _, x := range qs {
		got = append(got, x.ID)
		if err := x.Validate(); err != nil {
			t.Errorf("%s: %v", x.ID, err)
		}
	}
	want := []string{"demo-2024", "demo-2025", "demo-2026"}
	if !reflect.DeepEqual(got, want) || qs[0].Year != 2024 || qs[0].Title.JA != "デモ 2024" {
		t.Errorf("got %v (first year %d, title %q); want %v", got, qs[0].Year, qs[0].Title.JA, want)
	}
	if q.ID != "demo-2026" {
		t.Errorf("q changed: got id %q; want demo-2026", q.ID)
	}
}

// TestDemoYearsDated: an earlier year's period and results note are as many years earlier
// (a staff edition of 2024 says 実施期間 2024年12月, not the latest year's), and q keeps its own.
func TestDemoYearsDated(t *testing.T) {
	q := demoQuestionnaire(t)
	q.Period = &survey.Period{Opens: "2026-12-01", Closes: "2026-12-14"}
	q.Results = &survey.Text{JA: "結果は2027年2月にお知らせします。", EN: "Results in February 2027."}
	qs := demo.Years(q, 3)
	if p := qs[0].Period; p.Opens != "2024-12-01" || p.Closes != "2024-12-14" {
		t.Errorf("2024's period: %+v; want 2024-12-01 to 2024-12-14", *p)
	}
	if r := qs[0].Results; r.JA != "結果は2025年2月にお知らせします。" || r.EN != "Results in February 2025." {
		t.Errorf("2024's results note: %+v", *r)
	}
	if p := qs[2].Period; p.Opens != "2026-12-01" {
		t.Errorf("the latest year's period moved: %+v", *p)
	}
	if q.Period.Opens != "2026-12-01" || q.Results.JA != "結果は2027年2月にお知らせします。" {
		t.Errorf("q changed: %+v, %+v", *q.Period, *q.Results)
	}
	for _, x := range qs {
		if err := x.Validate(); err != nil {
			t.Errorf("%s: %v", x.ID, err)
		}
	}
}

func correlation(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}
