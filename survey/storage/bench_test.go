package storage_test

import (
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// submitSetup opens a store with an open survey, b.N fresh tokens and a response to submit.
func submitSetup(b *testing.B) (*storage.Store, []string, *survey.Response) {
	b.Helper()
	st := MustOpenStore(b)
	q := mustOpenSurvey(b, st)
	tokens, err := st.IssueTokens(q.ID, "madoguchi", b.N)
	if err != nil {
		b.Fatal(err)
	}
	r := answered(q, "", 4)
	return st, tokens, r
}

// BenchmarkSubmitParallel is the raw rate of durable, batched submissions to the store with
// 64 concurrent writers (fsync on): the ceiling the HTTP path is compared with in BENCHMARKS.md.
func BenchmarkSubmitParallel(b *testing.B) {
	st, tokens, r := submitSetup(b)
	var next atomic.Int64
	b.SetParallelism(32) // × GOMAXPROCS 2 = 64 writers
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := st.Submit(tokens[next.Add(1)-1], r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}

// BenchmarkSubmitSerial is one writer at a time: one fsync per submission.
func BenchmarkSubmitSerial(b *testing.B) {
	st, tokens, r := submitSetup(b)
	b.ResetTimer()
	for i := range b.N {
		if err := st.Submit(tokens[i], r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}

// BenchmarkClose is closing a survey of 100,000 sealed responses (fixture questionnaire, 18
// questions, one respondent in three with a comment): opening the ballot box, generalising,
// destroying the key and compacting the file, all of it timed. Run with -benchtime 1x.
func BenchmarkClose(b *testing.B) {
	const total = 100000
	var cpu time.Duration
	steps := timeCloseSteps(b)
	for range b.N {
		b.StopTimer()
		st := MustOpenStore(b)
		q := mustOpenSurvey(b, st)
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
	// The CPU time of the close (user + system, every thread), which the machine's load does not
	// inflate: on an idle 2-core machine a close takes about half of it (the records are opened
	// on both cores) plus the compaction's I/O.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/close")
	steps.report(b)
}

// closeSteps times the steps of the closes of a benchmark (storagetest.CloseSteps), on the
// wall clock and in the process's CPU time: start before each close, report after the last.
type closeSteps struct {
	names     []string
	wall, cpu map[string]time.Duration
	lastWall  time.Time
	lastCPU   time.Duration
}

func timeCloseSteps(b *testing.B) *closeSteps {
	c := &closeSteps{wall: map[string]time.Duration{}, cpu: map[string]time.Duration{}}
	storagetest.CloseSteps(func(step string) {
		now, cpu := time.Now(), processCPU()
		if _, ok := c.wall[step]; !ok {
			c.names = append(c.names, step)
		}
		c.wall[step] += now.Sub(c.lastWall)
		c.cpu[step] += cpu - c.lastCPU
		c.lastWall, c.lastCPU = now, cpu
	})
	b.Cleanup(func() { storagetest.CloseSteps(nil) })
	return c
}

func (c *closeSteps) start() { c.lastWall, c.lastCPU = time.Now(), processCPU() }

// report reports each step's wall time and CPU time per close, in seconds, as "STEP-s" and
// "STEP-cpu-s", and logs them in the order the steps ran.
func (c *closeSteps) report(b *testing.B) {
	n := float64(b.N)
	for _, step := range c.names {
		b.ReportMetric(c.wall[step].Seconds()/n, step+"-s")
		b.ReportMetric(c.cpu[step].Seconds()/n, step+"-cpu-s")
		b.Logf("%-10s %6.2f s wall %6.2f s CPU", step, c.wall[step].Seconds()/n, c.cpu[step].Seconds()/n)
	}
}

// processCPU returns the user and system CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRedact is hiding a name in a comment 100 respondents wrote, in a closed survey of
// 100,000 responses (one in three with a comment): rewriting every copy and compacting the
// file, all of it timed. Run with -benchtime 1x.
func BenchmarkRedact(b *testing.B) {
	const total, named = 100000, "上司の田中課長に相談しにくい"
	st := MustOpenStore(b)
	q := mustFixture(b)
	if err := st.CreateSurvey(q); err != nil {
		b.Fatal(err)
	}
	leaves := q.Leaves()
	rs := make([]*survey.Response, total)
	for i := range rs {
		r := answered(q, leaves[i%len(leaves)], int8(1+i%5))
		switch {
		case i%1000 == 0:
			r.Comments[0] = named
		case i%3 != 0:
			r.Comments[0] = ""
		}
		rs[i] = r
	}
	if err := st.Import(q.ID, rs); err != nil {
		b.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		b.Fatal(err)
	}
	text := named
	b.ResetTimer()
	for i := range b.N {
		redacted := fmt.Sprintf("上司の＊＊課長に相談しにくい%d", i)
		n, err := st.Redact(q.ID, 0, text, redacted)
		if err != nil || n != total/1000 {
			b.Fatalf("Redact: %d, %v", n, err)
		}
		text = redacted
	}
}
