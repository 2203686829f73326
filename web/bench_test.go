package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// BenchmarkAPISubmit is durable submissions through HTTP on loopback with 64 concurrent
// clients: JSON API, token check, validation and the store's group commit with fsync. Compare
// with BenchmarkSubmitParallel in survey/storage, the same writes without HTTP.
func BenchmarkAPISubmit(b *testing.B) {
	s, st := newTestServer(b)
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
