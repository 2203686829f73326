package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"time"

	"staffsurvey/survey"
)

// BenchmarkAPISubmit is durable submissions through HTTP on loopback with 64 concurrent
// clients: JSON API, token check, validation and the store's group commit with fsync. Compare
// with BenchmarkSubmitParallel in survey/storage, the same writes without HTTP.
func BenchmarkAPISubmit(b *testing.B) {
	st := MustOpenStore(b)
	s, err := New(st, Config{AnswerRate: -1}) // no rate limit: every client is 127.0.0.1
	if err != nil {
		b.Fatal(err)
	}
	_, tokens := mustOpenSurvey(b, st, b.N)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	bodies := make([][]byte, b.N)
	for i, tok := range tokens {
		bodies[i] = []byte(fmt.Sprintf(`{"token":%q,"answers":{"m1":4,"m2":3,"m3":5,"i1":4,"i2":4,"i3":3,"c1":5,"c2":4,"c3":4,"ch1":3,"ch2":2,"ch3":4,"b1":5,"b2":4,"b3":4,"b4":3,"t1":4,"t2":null},"outcomes":{"overall":4,"enps":8}}`, tok))
	}
	var next atomic.Int64
	b.SetParallelism(32) // × GOMAXPROCS 2 = 64 clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(srv.URL+"/api/v1/responses", "application/json", bytes.NewReader(bodies[next.Add(1)-1]))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}

// BenchmarkAnswerFormFirstByte is the questionnaire page of the shipped kita-2026 (46
// questions) over loopback HTTP, gzipped as a browser asks for it: token check, page build,
// template and compression. ms-first-byte is the time to the first byte of the answer (the
// budget is 20 ms, so that a phone on a slow line starts drawing at once); ns/op is the whole page.
func BenchmarkAnswerFormFirstByte(b *testing.B) {
	st := MustOpenStore(b)
	s, err := New(st, Config{AnswerRate: -1}) // no rate limit: every client is 127.0.0.1
	if err != nil {
		b.Fatal(err)
	}
	q := kitaQuestionnaire(b)
	mustCreateSurvey(b, st, q, survey.StateOpen)
	tok := mustIssueTokens(b, st, q.ID, q.Leaves()[0], 1)[0]
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	var first time.Duration
	for b.Loop() {
		req, _ := http.NewRequest("GET", srv.URL+"/a?t="+tok, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		var start time.Time
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotFirstResponseByte: func() { first += time.Since(start) },
		}))
		start = time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
			b.Fatalf("got %d %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
	}
	b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "ms-first-byte")
}
