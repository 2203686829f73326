package analysis_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/demo"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// The store benchmark needs 1,000,000 stored responses (10 years × 100,000). Building them
// takes a while, so it happens only when a benchmark asks for it (never in `go test`), once
// per process; set STAFFSURVEY_BENCH_DB to a path to keep the database between runs.
const (
	benchYears   = 10
	benchPerYear = 100_000
)

var bench struct {
	once sync.Once
	st   *storage.Store
	dir  string // temporary directory to remove at exit, if any
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.st != nil {
		bench.st.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchQuestionnaire is shaped like a ward office's survey: 10 categories of 3 items (two of
// them reverse-keyed), both outcomes, two comment questions, and 15 divisions (課) of 3 teams
// (担当) each.
func benchQuestionnaire(year int) *survey.Questionnaire {
	t := func(s string) survey.Text { return survey.Text{JA: s, EN: s} }
	q := &survey.Questionnaire{
		ID: fmt.Sprintf("bench-%d", year), Year: year, Title: t(fmt.Sprintf("職員満足度調査 %d", year)),
		Scale:     survey.Scale{Points: 5, Labels: survey.Texts{JA: []string{"1", "2", "3", "4", "5"}}, NotApplicable: t("該当しない")},
		Anonymity: survey.Anonymity{MinGroupSize: 10, MinCommentGroupSize: 10},
		Activity:  survey.Activity{Cutoff: 62.5},
		Outcomes:  survey.Outcomes{Satisfaction: &survey.Outcome{ID: "overall", Text: t("満足")}, ENPS: &survey.Outcome{ID: "enps", Text: t("推奨")}},
		Comments:  []survey.Comment{{ID: "good", Text: t("良い点"), MaxLength: 2000}, {ID: "improve", Text: t("改善点"), MaxLength: 2000}},
	}
	for c := range 10 {
		cat := survey.Category{ID: fmt.Sprintf("c%d", c), Title: t(fmt.Sprintf("カテゴリ %d", c))}
		switch c {
		case 0:
			cat.Axis = survey.AxisMotivation
		case 1:
			cat.Axis = survey.AxisCohesion
		}
		for i := range 3 {
			cat.Items = append(cat.Items, survey.Item{ID: fmt.Sprintf("c%d-%d", c, i), Text: t("設問"), Reverse: i == 2 && c%5 == 4})
		}
		q.Categories = append(q.Categories, cat)
	}
	for d := range 15 {
		div := survey.Section{Code: fmt.Sprintf("ka%02d", d), Name: t(fmt.Sprintf("第%d課", d))}
		for k := range 3 {
			div.Children = append(div.Children, survey.Section{Code: fmt.Sprintf("ka%02d-%d", d, k), Name: t("担当")})
		}
		q.Sections = append(q.Sections, div)
	}
	q.SetDefaults()
	return q
}

// benchSizes spreads n respondents over the leaves with DemoSizes' proportions.
func benchSizes(q *survey.Questionnaire, n int) map[string]int {
	sizes := demo.Sizes(q, 42)
	total := 0
	for _, s := range sizes {
		total += s
	}
	out, left := map[string]int{}, n
	leaves := q.Leaves()
	for i, leaf := range leaves {
		k := sizes[leaf] * n / total
		if i == len(leaves)-1 {
			k = left
		}
		out[leaf] = k
		left -= k
	}
	return out
}

// benchStore returns the store with benchYears closed surveys of benchPerYear responses.
func benchStore(b *testing.B) *storage.Store {
	b.Helper()
	bench.once.Do(func() {
		path := os.Getenv("STAFFSURVEY_BENCH_DB")
		if path == "" {
			bench.dir, bench.err = os.MkdirTemp("", "analysis-bench-")
			if bench.err != nil {
				return
			}
			path = filepath.Join(bench.dir, "bench.db")
		}
		bench.st, bench.err = storage.Open(path)
		if bench.err != nil {
			return
		}
		for y := range benchYears {
			q := benchQuestionnaire(2017 + y)
			if sv, err := bench.st.Survey(q.ID); err == nil && sv.State == survey.StateClosed && sv.Responses == benchPerYear {
				continue // kept from an earlier run
			}
			if bench.err = bench.st.CreateSurvey(q); bench.err != nil {
				return
			}
			rs := demo.Responses(q, 42, y, benchSizes(q, benchPerYear))
			for len(rs) > 0 { // several transactions keep the import's memory small
				k := min(len(rs), 20_000)
				if bench.err = bench.st.Import(q.ID, rs[:k]); bench.err != nil {
					return
				}
				rs = rs[k:]
			}
			if bench.err = storagetest.CloseSurvey(bench.st, q.ID); bench.err != nil {
				return
			}
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.st
}

// reportFromStore is what `staffsurvey analyze --json` does with the store: every closed
// survey scanned into an accumulator, surveys in parallel, then the report.
func reportFromStore(st *storage.Store) (*analysis.Report, error) {
	svs, err := st.Surveys()
	if err != nil {
		return nil, err
	}
	var sources []analysis.Source
	for _, sv := range svs {
		if sv.State != survey.StateClosed {
			continue
		}
		id := sv.ID()
		sources = append(sources, analysis.Source{Questionnaire: sv.Questionnaire,
			Each: func(fn func(*survey.Response) error) error { return st.EachResponse(id, fn) }})
	}
	results, err := analysis.ScanAll(sources, 0)
	if err != nil {
		return nil, err
	}
	return analysis.Build(results...), nil
}

// BenchmarkReportFromStore computes the full report of 10 surveys × 100,000 responses from
// the bbolt store. Goal: under 1 s and 1 GiB on 2 cores, so that a page shows at once on the office's server. peak-RSS-MiB is the
// process's high-water mark during the timed runs (reset before them; Linux only), which
// includes the pages of the memory-mapped database file that the scan touches.
func BenchmarkReportFromStore(b *testing.B) {
	st := benchStore(b)
	if _, err := reportFromStore(st); err != nil { // warm the page cache like a running server
		b.Fatal(err)
	}
	runtime.GC()
	resetPeakRSS()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := reportFromStore(st)
		if err != nil {
			b.Fatal(err)
		}
		if n := r.Surveys[0].Groups[0].N; n != benchPerYear || len(r.Surveys) != benchYears {
			b.Fatalf("got %d surveys, %d responses in the first; want %d, %d", len(r.Surveys), n, benchYears, benchPerYear)
		}
	}
	b.StopTimer()
	if peak := peakRSS(); peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	}
	b.ReportMetric(float64(benchYears*benchPerYear)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

// BenchmarkBuildFromCache is a report page with every survey's result cached (as package results keeps them): only
// the changes between years are computed, from the kept moments.
func BenchmarkBuildFromCache(b *testing.B) {
	var results []*analysis.SurveyResult
	for y := range benchYears {
		q := benchQuestionnaire(2017 + y)
		results = append(results, analysis.Analyze(q, demo.Responses(q, 42, y, benchSizes(q, 2000))))
	}
	b.ReportAllocs()
	for b.Loop() {
		analysis.Build(results...)
	}
}

// BenchmarkScanFromStore is the store's part of BenchmarkReportFromStore: the same parallel
// scan and decoding of every response, with no analysis.
func BenchmarkScanFromStore(b *testing.B) {
	st := benchStore(b)
	svs, err := st.Surveys()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var wg sync.WaitGroup
		next := make(chan string)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for id := range next {
					if err := st.EachResponse(id, func(*survey.Response) error { return nil }); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for _, sv := range svs {
			next <- sv.ID()
		}
		close(next)
		wg.Wait()
	}
}

// BenchmarkAccumulator is the analysis alone, without the store: one response per op.
func BenchmarkAccumulator(b *testing.B) {
	q := benchQuestionnaire(2026)
	rs := demo.Responses(q, 1, 0, benchSizes(q, 10_000))
	acc := analysis.NewAccumulator(q)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		acc.Add(rs[i%len(rs)])
		i++
	}
	b.StopTimer()
	acc.Result()
}

// BenchmarkResult is the roll-up, suppression and statistics of one survey, from its
// accumulated statistics: what a page pays when the cache misses after the scan.
func BenchmarkResult(b *testing.B) {
	q := benchQuestionnaire(2026)
	acc := analysis.NewAccumulator(q)
	for _, r := range demo.Responses(q, 1, 0, benchSizes(q, 10_000)) {
		acc.Add(r)
	}
	b.ReportAllocs()
	for b.Loop() {
		acc.Result()
	}
}

// BenchmarkDecode compares the store's binary response encoding with JSON: decode time per
// response (what a scan pays) and bytes per response (what the file and the page cache pay).
func BenchmarkDecode(b *testing.B) {
	q := benchQuestionnaire(2026)
	rs := demo.Responses(q, 1, 0, benchSizes(q, 1000))
	encodings := []struct {
		name      string
		marshal   func(*survey.Response) ([]byte, error)
		unmarshal func([]byte, *survey.Response) error
	}{
		{"binary", (*survey.Response).MarshalBinary, func(d []byte, r *survey.Response) error { return r.UnmarshalBinary(d) }},
		{"json", func(r *survey.Response) ([]byte, error) { return json.Marshal(r) }, func(d []byte, r *survey.Response) error { return json.Unmarshal(d, r) }},
	}
	for _, e := range encodings {
		var data [][]byte
		size := 0
		for _, r := range rs {
			d, err := e.marshal(r)
			if err != nil {
				b.Fatal(err)
			}
			data = append(data, d)
			size += len(d)
		}
		b.Run(e.name, func(b *testing.B) {
			r := &survey.Response{}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := e.unmarshal(data[i%len(data)], r); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(size)/float64(len(data)), "bytes/response")
		})
	}
}

// resetPeakRSS resets the kernel's high-water mark of this process's resident set (Linux).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns the high-water mark of the resident set in bytes, or 0 if unknown.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
