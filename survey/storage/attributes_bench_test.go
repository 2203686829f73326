package storage_test

import (
	"os"
	"testing"
	"time"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// BenchmarkCloseAttributes is BenchmarkClose for a survey with 3 attributes (the attributes
// fixture's questionnaire): opening the ballot box of 100,000 sealed responses, aggregating
// them into sums with the disclosure check, storing the comments apart and compacting the file,
// all of it timed. Run with -benchtime 1x.
func BenchmarkCloseAttributes(b *testing.B) {
	const total = 100000
	var cpu time.Duration
	steps := timeCloseSteps(b)
	storage.SetAggregator(analysis.Aggregate)
	defer storage.SetAggregator(nil)
	for range b.N {
		b.StopTimer()
		st := MustOpenStore(b)
		q, _ := fixtureload.Attributes(b, "2026")
		if err := st.CreateSurvey(q); err != nil {
			b.Fatal(err)
		}
		if err := storagetest.OpenSurvey(st, q.ID); err != nil {
			b.Fatal(err)
		}
		leaves := q.Leaves()
		var toks []string
		var rs []*survey.Response
		for i, leaf := range leaves {
			n := total / len(leaves)
			if i == 0 {
				n += total % len(leaves)
			}
			issued, err := st.IssueTokens(q.ID, leaf, n)
			if err != nil {
				b.Fatal(err)
			}
			for j, tok := range issued {
				r := answered(q, "", int8(1+j%5))
				if j%3 != 0 {
					r.Comments[0] = ""
				}
				r.Attributes = []int8{int8((i + j) % 3), int8(j % 4), int8(j % 7 % 3)}
				if j%17 == 0 {
					r.Attributes[j%3] = survey.NA
				}
				toks, rs = append(toks, tok), append(rs, r)
			}
		}
		if err := storagetest.SubmitAll(st, toks, rs); err != nil {
			b.Fatal(err)
		}
		before, _ := os.Stat(st.Path())
		cpu0 := processCPU()
		steps.start()
		b.StartTimer()
		if err := storagetest.CloseSurvey(st, q.ID); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += processCPU() - cpu0
		after, _ := os.Stat(st.Path())
		b.ReportMetric(float64(before.Size())/1e6, "MB-open")
		b.ReportMetric(float64(after.Size())/1e6, "MB-closed")
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/close")
	// The CPU time of the close (user + system, every thread), which other processes' load
	// does not inflate: on an idle 2-core machine the close takes about half of it.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/close")
	steps.report(b)
}
