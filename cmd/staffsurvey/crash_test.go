package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"staffsurvey/survey/storage/storagetest"
)

// TestCrashSafety kills the server with SIGKILL while staff are submitting, restarts it, and
// checks that every acknowledged submission survived, the database is consistent, and used
// tokens and stored responses match one to one.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the real server")
	}
	c := newCLI(t)
	c.openFixture("fixture-2025")
	tokens, _ := c.issue("fixture-2025", "madoguchi", 600)
	srv := c.serve("--answer-rate", "-1") // 64 clients from one address

	answers := map[string]any{"m1": 4, "m2": 3, "i1": 5, "c1": 2, "ch2": 1, "b1": 4, "t1": 3}
	acked := make([]atomic.Bool, len(tokens))
	var next atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tokens) {
					return
				}
				code, _ := submitJSONWith(client, srv.url, map[string]any{"token": tokens[i], "answers": answers})
				if code == http.StatusCreated {
					acked[i].Store(true)
				}
			}
		}()
	}
	// Kill once a good share of submissions is in flight.
	for next.Load() < int64(len(tokens)/3) {
		time.Sleep(time.Millisecond)
	}
	srv.cmd.Process.Signal(syscall.SIGKILL)
	srv.cmd.Wait()
	wg.Wait()
	nAcked := 0
	for i := range acked {
		if acked[i].Load() {
			nAcked++
		}
	}
	if nAcked == 0 || nAcked == len(tokens) {
		t.Fatalf("%d of %d acknowledged before the kill; the test needs some of each", nAcked, len(tokens))
	}

	// The file opens and passes bbolt's consistency check.
	storagetest.MustCheck(t, c.db)

	// Which tokens are used now? GET /a answers 409 for a used token and does not use it.
	srv = c.serve("--answer-rate", "-1")
	used := 0
	for i, tok := range tokens {
		resp, err := http.Get(srv.url + "/a?t=" + tok)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusConflict:
			used++
		case http.StatusOK:
			if acked[i].Load() {
				t.Fatalf("token %d was acknowledged but is unused after the crash", i)
			}
		default:
			t.Fatalf("GET /a: %d", resp.StatusCode)
		}
	}
	srv.stop(t)
	c.must("survey", "close", "fixture-2025")
	rows, err := csv.NewReader(strings.NewReader(c.must("export", "--survey", "fixture-2025"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	stored := len(rows) - 1
	if stored != used {
		t.Fatalf("%d responses stored but %d tokens used; want equal", stored, used)
	}
	if stored < nAcked {
		t.Fatalf("%d responses stored but %d acknowledged", stored, nAcked)
	}
	t.Logf("SIGKILL after %d acknowledged submissions: %d stored, %d tokens used, database consistent", nAcked, stored, used)
}

// TestGracefulShutdown sends SIGTERM while staff are submitting. The server finishes the
// requests it is handling and exits cleanly; a request it had not begun (sent on a keep-alive
// connection as the server closed it, or dialled after the listener closed) gets a transport
// error and is not stored, so its token stays usable for a retry. In the end, stored responses
// equal acknowledged submissions exactly.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("stops the real server")
	}
	c := newCLI(t)
	c.openFixture("fixture-2025")
	tokens, _ := c.issue("fixture-2025", "madoguchi", 400)
	srv := c.serve("--answer-rate", "-1") // 64 clients from one address

	var next, acked, unanswered atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tokens) {
					return
				}
				code, msg := submitJSONWith(client, srv.url, map[string]any{"token": tokens[i], "answers": map[string]any{"m1": 4}})
				switch code {
				case http.StatusCreated:
					acked.Add(1)
				case 0:
					unanswered.Add(1)
					if strings.Contains(msg, "connection refused") {
						return // the server has stopped listening
					}
				default:
					t.Errorf("status %d during shutdown: %s", code, msg)
				}
			}
		}()
	}
	for next.Load() < int64(len(tokens)/4) {
		time.Sleep(time.Millisecond)
	}
	srv.stop(t) // SIGTERM, and a zero exit status
	wg.Wait()
	list := c.must("survey", "list")
	if want := fmt.Sprintf("\t%d responses", acked.Load()); !strings.Contains(list, want) {
		t.Fatalf("after SIGTERM: %q; want exactly the %d acknowledged submissions stored", list, acked.Load())
	}
	t.Logf("SIGTERM after %d acknowledged submissions: all stored, none more; %d requests unanswered and not stored", acked.Load(), unanswered.Load())
}
