// Command loadgen measures durable submissions through HTTP: it sets up a survey with the real
// staffsurvey binary (survey create, survey open with three custodians, tokens issue), starts `staffsurvey serve` on
// loopback, submits every token once through the JSON API with C concurrent clients, and
// reports submissions per second, latency percentiles and the server's CPU time per submission
// (from /proc/PID/stat, user+system, over the submissions only). Before that it measures
// bbolt's raw DB.Batch rate with as many writers on the same disk (rawBatchRate), the ceiling
// the server's group commit is compared with. It then stops the server and checks with
// `survey list` that every acknowledged submission was stored.
//
// With -seal aes the survey is opened with an AES-GCM key file instead, as the version before
// the custodians did: the sealing that issue 24's 120 µs goal names. The shipped binary cannot
// make such a file, so loadgen does it itself, through the storage package, in a build with
// -tags loadtest (keyfile.go); the server then seals with it as it does for such a survey.
//
//	go build -o /tmp/staffsurvey ./cmd/staffsurvey
//	go run ./cmd/loadgen -bin /tmp/staffsurvey -n 20000 -c 64
//	go run -tags loadtest ./cmd/loadgen -bin /tmp/staffsurvey -n 20000 -c 64 -seal aes
//
// Only loopback addresses are used.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/questionnaires"
	"staffsurvey/survey"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run() error {
	bin := flag.String("bin", "staffsurvey", "the staffsurvey binary")
	n := flag.Int("n", 10000, "submissions (one token each)")
	conc := flag.Int("c", 64, "concurrent clients")
	questionnaire := flag.String("questionnaire", "kita-2026", "questionnaire file or shipped name")
	keep := flag.String("db", "", "database file (default: a temporary one)")
	timeout := flag.Duration("timeout", 10*time.Minute, "stop after this long")
	raw := flag.Bool("raw", true, "measure bbolt's raw DB.Batch rate first")
	seal := flag.String("seal", "hpke", "how answers are sealed: hpke (to the custodians' key, as shipped) or aes "+
		"(an AES-GCM key file, as the version before the custodians did; needs loadgen built with -tags loadtest)")
	flag.Parse()

	dir, err := os.MkdirTemp("", "loadgen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db := *keep
	if db == "" {
		db = filepath.Join(dir, "load.db")
	}
	cli := func(args ...string) (string, error) {
		out, err := exec.Command(*bin, append([]string{"--db", db}, args...)...).Output()
		if ee, ok := err.(*exec.ExitError); ok {
			return "", fmt.Errorf("staffsurvey %s: %s", strings.Join(args, " "), ee.Stderr)
		}
		return string(out), err
	}
	id, err := cli("survey", "create", "--file", *questionnaire)
	if err != nil {
		return err
	}
	id = strings.TrimSpace(id)
	// The ballot box's shares go to a folder of their own (never the database's); the load
	// test does not close the survey, so they are thrown away with it.
	shares, err := os.MkdirTemp("", "loadgen-shares")
	if err != nil {
		return err
	}
	defer os.RemoveAll(shares)
	switch *seal {
	case "hpke":
		if _, err := cli("survey", "open", id, "--custodians", "a,b,c", "--shares-dir", shares); err != nil {
			return err
		}
	case "aes":
		if err := openWithKeyFile(db, id); err != nil {
			return err
		}
	default:
		return fmt.Errorf("-seal %q: hpke or aes", *seal)
	}
	var tokens []string
	leaves, err := leafSections(*questionnaire)
	if err != nil {
		return err
	}
	for i, leaf := range leaves {
		k := *n / len(leaves)
		if i < *n%len(leaves) {
			k++
		}
		if k == 0 {
			continue
		}
		out, err := cli("tokens", "issue", "--survey", id, "--section", leaf, "--count", fmt.Sprint(k))
		if err != nil {
			return err
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			return err
		}
		for _, r := range rows[1:] {
			tokens = append(tokens, r[0])
		}
	}

	var rawRate float64
	if *raw {
		if rawRate, err = rawBatchRate(filepath.Join(dir, "raw.db"), *n, *conc); err != nil {
			return err
		}
		fmt.Printf("raw DB.Batch: %d writes with %d writers: %.0f/s\n", *n, *conc, rawRate)
	}

	srv := exec.Command(*bin, "--db", db, "serve", "--addr", "127.0.0.1:0", "--answer-rate", "-1") // every client is 127.0.0.1
	stdout, _ := srv.StdoutPipe()
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Process.Kill()
	sc := bufio.NewScanner(stdout)
	base := ""
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "staffsurvey: listening on "); ok {
			base = u
			break
		}
	}
	if base == "" {
		return fmt.Errorf("server did not start")
	}
	go io.Copy(io.Discard, stdout)

	items, err := itemIDs(base, tokens[0])
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}}
	lat := make([]time.Duration, len(tokens))
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	cpu0, err := processCPU(srv.Process.Pid)
	if err != nil {
		return err
	}
	start := time.Now()
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(tokens) {
					return
				}
				answers := map[string]any{}
				for j, it := range items {
					answers[it] = 1 + (i+j)%5
				}
				body, _ := json.Marshal(map[string]any{"token": tokens[i], "answers": answers,
					"outcomes": map[string]any{"overall": 1 + i%5, "enps": i % 11}})
				t0 := time.Now()
				resp, err := client.Post(base+"/api/v1/responses", "application/json", bytes.NewReader(body))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != http.StatusCreated {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, err := processCPU(srv.Process.Pid)
	if err != nil {
		return err
	}
	done := min(int(next.Load()), len(tokens))
	lat = lat[:done]
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("submissions: %d in %.2fs with %d clients: %.0f/s; latency p50 %.1fms p99 %.1fms max %.1fms; failed %d\n",
		done, elapsed.Seconds(), *conc, float64(done)/elapsed.Seconds(),
		ms(pct(0.50)), ms(pct(0.99)), ms(lat[len(lat)-1]), failed.Load())
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(done) }
	fmt.Printf("server CPU: %.2fs user+system: %.0fµs per submission (user %.0fµs, system %.0fµs)\n",
		(cpu1.user + cpu1.sys - cpu0.user - cpu0.sys).Seconds(), per(cpu1.user+cpu1.sys-cpu0.user-cpu0.sys),
		per(cpu1.user-cpu0.user), per(cpu1.sys-cpu0.sys))
	if rawRate > 0 {
		fmt.Printf("against raw DB.Batch: %.2f×\n", float64(done)/elapsed.Seconds()/rawRate)
	}

	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()
	list, err := cli("survey", "list")
	if err != nil {
		return err
	}
	want := fmt.Sprintf("\t%d responses", done-int(failed.Load()))
	if !strings.Contains(list, want) {
		return fmt.Errorf("stored responses: %q; want %s", strings.TrimSpace(list), want)
	}
	fmt.Printf("stored: %s\n", strings.TrimSpace(list))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// leafSections returns the leaf sections of a questionnaire file or shipped name.
func leafSections(file string) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		if data, err = questionnaires.Open(file); err != nil {
			return nil, err
		}
	}
	q, err := survey.Parse(file, data)
	if err != nil {
		return nil, err
	}
	return q.Leaves(), nil
}

// itemIDs reads the item ids of the token's questionnaire from the API.
func itemIDs(base, token string) ([]string, error) {
	resp, err := http.Get(base + "/api/v1/questionnaire?t=" + token)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var q struct {
		Categories []struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		} `json:"categories"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&q); err != nil {
		return nil, fmt.Errorf("questionnaire: %w", err)
	}
	var ids []string
	for _, c := range q.Categories {
		for _, it := range c.Items {
			ids = append(ids, it.ID)
		}
	}
	return ids, nil
}

// cpuTimes is a process's user and system CPU time so far.
type cpuTimes struct{ user, sys time.Duration }

// processCPU returns the CPU time of process pid so far (Linux, /proc/PID/stat; the kernel
// counts it in clock ticks of 10 ms, so measure over thousands of submissions).
func processCPU(pid int) (cpuTimes, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpuTimes{}, fmt.Errorf("server CPU time: %w", err)
	}
	// The command name (field 2) may hold spaces: the fields after it follow its ')'.
	_, rest, ok := strings.Cut(string(data), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return cpuTimes{}, fmt.Errorf("server CPU time: cannot parse /proc/%d/stat", pid)
	}
	var utime, stime int64
	if _, err := fmt.Sscan(f[11], &utime); err != nil {
		return cpuTimes{}, fmt.Errorf("server CPU time: %w", err)
	}
	if _, err := fmt.Sscan(f[12], &stime); err != nil {
		return cpuTimes{}, fmt.Errorf("server CPU time: %w", err)
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return cpuTimes{time.Duration(utime) * tick, time.Duration(stime) * tick}, nil
}

// rawBatchRate is bbolt's own group commit without the server: conc goroutines each run
// DB.Batch n/conc times in a fresh file at path (fsync on), each call writing what a
// submission writes — a sealed record of the first size class under a random key, its token's
// used mark and the survey's state. It returns calls per second.
func rawBatchRate(path string, n, conc int) (float64, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{InitialMmapSize: 1 << 30})
	if err != nil {
		return 0, err
	}
	defer os.Remove(path)
	defer db.Close()
	names := [][]byte{[]byte("ballots"), []byte("tokens"), []byte("states")}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, b := range names {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return 0, err
	}
	record := make([]byte, 12+512+16) // nonce ‖ 512-byte class ‖ tag
	state := []byte(`{"state":"open","revision":12345,"responses":12345}`)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key, token := make([]byte, 16), make([]byte, 32)
			for next.Add(1) <= int64(n) {
				rand.Read(key)
				rand.Read(token)
				err := db.Batch(func(tx *bolt.Tx) error {
					if err := tx.Bucket(names[0]).Put(key, record); err != nil {
						return err
					}
					if err := tx.Bucket(names[1]).Put(token, []byte("\x01madoguchi")); err != nil {
						return err
					}
					return tx.Bucket(names[2]).Put([]byte("survey-id"), state)
				})
				if err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
