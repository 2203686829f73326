package storage_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"staffsurvey/internal/demo"
	"staffsurvey/survey"
)

// importCSV returns a wide CSV of n synthetic responses to q.
func importCSV(tb testing.TB, q *survey.Questionnaire, n int) []byte {
	tb.Helper()
	sizes := map[string]int{}
	leaves := q.Leaves()
	for i := range n {
		sizes[leaves[i%len(leaves)]]++
	}
	var buf bytes.Buffer
	cw, err := survey.NewCSVWriter(&buf, q, survey.ExportOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range demo.Responses(q, 1, 0, sizes) {
		if err := cw.Write(r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := cw.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport reads a wide CSV and imports it into a fresh draft survey, as `staffsurvey
// import` does: the target is 100,000 rows/s (1 M rows, a large city's past years, in 10 s on 2 cores).
// The 1 M case runs only with -benchtime=1x (it takes seconds).
func BenchmarkImport(b *testing.B) {
	for _, n := range benchImportRows {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			q := mustFixture(b)
			data := importCSV(b, q, n)
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				st := MustOpenStore(b)
				q := mustFixture(b)
				q.ID = fmt.Sprintf("imp-%d", i)
				if err := st.CreateSurvey(q); err != nil {
					b.Fatal(err)
				}
				sv, err := st.Survey(q.ID) // frozen, as the command line gets it
				if err != nil {
					b.Fatal(err)
				}
				q = sv.Questionnaire
				csv := bytes.ReplaceAll(data, []byte(mustFixture(b).ID+","), []byte(q.ID+","))
				b.StartTimer()
				t0 := time.Now()
				rs, err := survey.ReadCSV(q, bytes.NewReader(csv))
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := st.Import(q.ID, rs); err != nil {
					b.Fatal(err)
				}
				b.Logf("%d rows: ReadCSV %v, Import %v", n, t1.Sub(t0), time.Since(t1))
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

var benchImportRows = []int{10_000, 100_000, 1_000_000}
