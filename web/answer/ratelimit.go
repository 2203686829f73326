package answer

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// The answer routes (/, /a, /thanks, /api/v1/*) are rate-limited per client address with a
// token bucket: a client may make answerBurst requests at once and answerRate a second after
// that. A person answering makes a handful of requests, and a whole office behind one NAT or
// proxy address answering in the same hour makes well under one a second, so nobody real ever
// waits; a participation oracle that tries thousands of tokens is slowed to answerRate a
// second. Past the limit the server answers 429 with Retry-After.
const (
	DefaultRate       = 3.0 // tokens a second
	DefaultBurst      = 60
	maxLimitedClients = 100_000 // bounds memory under a spray of addresses
)

// rateLimiter holds one bucket per client. It is safe for concurrent use.
type rateLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	rate    float64
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newRateLimiter returns a limiter of rate requests a second after a burst; a negative rate
// turns limiting off (benchmarks and load tests from one address).
func newRateLimiter(rate float64, burst int) *rateLimiter {
	if rate < 0 {
		return nil
	}
	if rate == 0 {
		rate = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	return &rateLimiter{now: time.Now, rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// allow takes a token from client's bucket, or reports how long until one is there.
func (rl *rateLimiter) allow(client string) (bool, time.Duration) {
	if rl == nil {
		return true, 0
	}
	rl.mu.Lock()
	defer rl.mu.Unlock()
	now := rl.now()
	b := rl.buckets[client]
	if b == nil {
		if len(rl.buckets) >= maxLimitedClients {
			rl.prune(now)
		}
		b = &bucket{tokens: rl.burst, last: now}
		rl.buckets[client] = b
	}
	b.tokens = math.Min(rl.burst, b.tokens+now.Sub(b.last).Seconds()*rl.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / rl.rate * float64(time.Second))
}

// prune forgets buckets that have filled up again: they are as good as new.
func (rl *rateLimiter) prune(now time.Time) {
	full := time.Duration(rl.burst / rl.rate * float64(time.Second))
	for k, b := range rl.buckets {
		if now.Sub(b.last) >= full {
			delete(rl.buckets, k)
		}
	}
}

// RateLimit is the middleware of the answer routes.
func (s *Server) RateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ok, wait := s.answerLimit.allow(s.site.ClientIP(c)); !ok {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			return echo.NewHTTPError(http.StatusTooManyRequests)
		}
		return next(c)
	}
}
