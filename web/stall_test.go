package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"staffsurvey/internal/demo"
	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// slowReader reads a download at about rate bytes a second, until stop is closed, and reports
// how many bytes it got.
func slowReader(tb testing.TB, c *http.Client, target string, rate int, stop <-chan struct{}, got *atomic.Int64, wg *sync.WaitGroup) {
	tb.Helper()
	resp, err := c.Get(target)
	if err != nil {
		tb.Errorf("GET %s: %v", target, err)
		wg.Done()
		return
	}
	if resp.StatusCode != http.StatusOK {
		tb.Errorf("GET %s: %d", target, resp.StatusCode)
	}
	go func() {
		defer wg.Done()
		defer resp.Body.Close()
		buf := make([]byte, rate/10)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			n, err := io.ReadFull(resp.Body, buf)
			got.Add(int64(n))
			if err != nil {
				return
			}
		}
	}()
}

// TestSlowReadersDoNotStall: a slow download must not stall submissions. While an admin downloads a backup and an
// analyst an export, each reading 1 KB/s, 64 clients submit answers. With downloads spooled to
// temporary files no read transaction waits for the slow readers (checked directly), so the p99
// of submissions stays under 100 ms on a quiet machine and no submission waits seconds on a
// loaded one, and a write that needs the whole database (an import that grows the file) does
// not wait for them either. The run is bounded (a few seconds) and checked while
// both slow readers are still reading.
func TestSlowReadersDoNotStall(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test of a few seconds")
	}
	s, st, ts := newAdminTestServer(t, Config{BaseURL: "https://survey.example.lg.jp", AnswerRate: -1})
	_ = s
	// A closed survey large enough that neither download fits in socket buffers.
	big := testQuestionnaire(t, "big-2024")
	mustCreateSurvey(t, st, big, survey.StateDraft)
	sizes := map[string]int{}
	for _, leaf := range big.Leaves() {
		sizes[leaf] = 4000
	}
	if err := st.Import(big.ID, demo.Responses(big, 1, 0, sizes)); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, big.ID); err != nil {
		t.Fatal(err)
	}
	_, tokens := mustOpenSurvey(t, st, 20000)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64 // the next unused token, across runs
	// Each client pauses thinkTime between its submissions: 64 clients then offer up to about
	// a thousand submissions a second, far above a ward's peak, without measuring only the
	// queue of a saturated 2-core machine.
	const thinkTime = 50 * time.Millisecond
	run := func(d time.Duration) (p99, max time.Duration, n int) {
		var mu sync.Mutex
		var lat []time.Duration
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				for time.Now().Before(deadline) {
					i := next.Add(1) - 1
					if int(i) >= len(tokens) {
						return
					}
					body := fmt.Sprintf(`{"token":%q,"answers":{"m1":4,"m2":3,"m3":5,"i1":4},"outcomes":{"overall":4,"enps":8}}`, tokens[i])
					t0 := time.Now()
					resp, err := client.Post(ts.URL+"/api/v1/responses", "application/json", bytes.NewReader([]byte(body)))
					if err != nil {
						t.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					el := time.Since(t0)
					if resp.StatusCode != http.StatusCreated {
						t.Errorf("submission: %d", resp.StatusCode)
						return
					}
					mu.Lock()
					lat = append(lat, el)
					mu.Unlock()
					time.Sleep(thinkTime)
				}
			})
		}
		wg.Wait()
		slices.Sort(lat)
		if len(lat) == 0 {
			return 0, 0, 0
		}
		return lat[len(lat)*99/100], lat[len(lat)-1], len(lat)
	}
	// The same load without slow readers first: the machine's own noise, for the message.
	base99, baseMax, baseN := run(1500 * time.Millisecond)
	t.Logf("without slow readers: %d submissions, p99 %v, max %v", baseN, base99, baseMax)

	ac := adminLogin(t, ts, "admin")
	stop := make(chan struct{})
	var slowWG sync.WaitGroup
	var backupGot, exportGot atomic.Int64
	slowWG.Add(2)
	slowReader(t, ac.c, ts.URL+"/admin/backup", 1024, stop, &backupGot, &slowWG)
	slowReader(t, ac.c, ts.URL+"/admin/surveys/"+big.ID+"/export.csv?format=long", 1024, stop, &exportGot, &slowWG)
	defer func() { close(stop); slowWG.Wait() }()

	// An import that grows the file, while both readers are reading.
	more := testQuestionnaire(t, "more-2023")
	mustCreateSurvey(t, st, more, survey.StateDraft)
	start := time.Now()
	if err := st.Import(more.ID, demo.Responses(more, 2, 0, sizes)); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("an import waited %v for the slow readers", d)
	}

	// Up to three runs absorb a noisy neighbour on a shared machine; a stall (a read
	// transaction held for the slow readers) lasts as long as their downloads — minutes — and
	// fails every run.
	var p99, max time.Duration
	var n int
	for attempt := range 3 {
		b0, e0 := backupGot.Load(), exportGot.Load()
		p99, max, n = run(3 * time.Second)
		t.Logf("attempt %d: %d submissions, p99 %v, max %v; slow readers got %d and %d bytes meanwhile",
			attempt+1, n, p99, max, backupGot.Load()-b0, exportGot.Load()-e0)
		if backupGot.Load() == b0 || exportGot.Load() == e0 {
			t.Fatal("a slow reader stopped reading: the run did not overlap the downloads")
		}
		if n := storagetest.OpenReadTransactions(st); n != 0 {
			t.Fatalf("%d read transactions open while only the slow readers are active; want 0", n)
		}
		if p99 < 100*time.Millisecond {
			return
		}
	}
	// A p99 over 100 ms with every submission back within 2 s is the machine's load (a baseline
	// under 100 ms does not prove it quiet: the load changes between runs), not a stall, which
	// holds writes for as long as the downloads last. The structural check above — no read
	// transaction open — is the guarantee; the timing only catches what it cannot name.
	if max >= 2*time.Second {
		t.Errorf("p99 of submissions %v (max %v) while slow readers download, %v without them: a submission waited as long as a stall", p99, max, base99)
		return
	}
	t.Logf("p99 %v over 100ms (%v without slow readers), but no submission waited 2 s: the machine is loaded, nothing waited for the readers", p99, base99)
}
