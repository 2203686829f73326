package analysis_test

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"staffsurvey/analysis"
	"staffsurvey/internal/demo"
	"staffsurvey/survey"
)

// benchAttrQuestionnaire is benchQuestionnaire (60 sections: 15 課 of 3 担当) with 3 attributes
// of 5 options each.
func benchAttrQuestionnaire() *survey.Questionnaire {
	q := benchQuestionnaire(2026)
	t := func(s string) survey.Text { return survey.Text{JA: s, EN: s} }
	for a, id := range []string{"rank", "age", "employment"} {
		at := survey.Attribute{ID: id, Title: t(id)}
		for o := range 5 {
			at.Options = append(at.Options, survey.Option{ID: fmt.Sprintf("o%d-%d", a, o), Label: t("選択肢")})
		}
		q.Attributes = append(q.Attributes, at)
	}
	if err := q.Validate(); err != nil {
		panic(err)
	}
	return q
}

// benchAttrResponses are demo responses with attributes drawn as a ward office's staff would
// answer: skewed shares (most staff are 係員 and 正規職員), a team's ranks leaning one way,
// 4% not stating each attribute.
func benchAttrResponses(q *survey.Questionnaire, n int) []*survey.Response {
	rs := demo.Responses(q, 1, 0, benchSizes(q, n))
	rng := rand.New(rand.NewPCG(21, 5))
	shares := [3][5]float64{{55, 25, 10, 6, 4}, {18, 24, 26, 24, 8}, {70, 20, 6, 2, 2}}
	draw := func(w [5]float64) int8 {
		total := 0.0
		for _, x := range w {
			total += x
		}
		x := rng.Float64() * total
		for i, v := range w {
			if x -= v; x < 0 {
				return int8(i)
			}
		}
		return 4
	}
	lean := map[string]int{}
	for _, r := range rs {
		if _, ok := lean[r.Section]; !ok {
			lean[r.Section] = rng.IntN(5)
		}
		r.Attributes = make([]int8, 3)
		for a := range 3 {
			w := shares[a]
			if a == 0 {
				w[lean[r.Section]] += 10
			}
			r.Attributes[a] = draw(w)
			if rng.IntN(25) == 0 {
				r.Attributes[a] = survey.NA
			}
		}
	}
	return rs
}

// BenchmarkDisclosureCheck is Result of a survey of 60 sections and 3 attributes of 5 options
// (k = 10), the cross-partition disclosure check included; disclosure-ms/op is the check alone.
func BenchmarkDisclosureCheck(b *testing.B) {
	for _, n := range []int{600, 800, 1_500, 10_000} {
		b.Run(fmt.Sprintf("respondents=%d", n), func(b *testing.B) {
			q := benchAttrQuestionnaire()
			acc := analysis.NewAccumulator(q)
			for _, r := range benchAttrResponses(q, n) {
				acc.Add(r)
			}
			var res *analysis.SurveyResult
			var total float64
			cpu := processCPU()
			for b.Loop() {
				res = acc.Result()
				total += float64(res.Disclosure.Time.Microseconds()) / 1000
			}
			b.ReportMetric(total/float64(b.N), "disclosure-ms/op")
			// The process's CPU time, which other work on the machine does not inflate as it
			// does wall time.
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.Logf("%d checks: %d by disjoint bases, %d searched (%d nodes); withheld %v", res.Disclosure.Checks, res.Disclosure.Peeled, res.Disclosure.Searched, res.Disclosure.Nodes, res.Disclosure.Withheld)
		})
	}
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAggregate is what closing (or importing) 100,000 responses with 3 attributes costs in
// the analysis: the whole analysis with the disclosure check, and its encoding for the store.
func BenchmarkAggregate(b *testing.B) {
	q := benchAttrQuestionnaire()
	rs := benchAttrResponses(q, 100_000)
	for b.Loop() {
		if _, err := analysis.Aggregate(q, yieldAll(rs)); err != nil {
			b.Fatal(err)
		}
	}
}
