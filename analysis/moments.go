package analysis

import (
	"math"
	"math/bits"
)

// moments are the streaming sufficient statistics of one variable: count, mean and the sum
// of squared deviations (Welford). They merge exactly as if the values had been added to one
// accumulator (Chan et al.), which is how leaf sections roll up into their ancestors and how
// a cached survey result keeps what a later Welch test needs.
type moments struct {
	n    int
	mean float64
	m2   float64
}

func (m *moments) add(x float64) {
	m.n++
	d := x - m.mean
	m.mean += d / float64(m.n)
	m.m2 += d * (x - m.mean)
}

func (m *moments) merge(o moments) {
	if o.n == 0 {
		return
	}
	if m.n == 0 {
		*m = o
		return
	}
	n := float64(m.n + o.n)
	d := o.mean - m.mean
	m.mean += d * float64(o.n) / n
	m.m2 += o.m2 + d*d*float64(m.n)*float64(o.n)/n
	m.n += o.n
}

// variance is the sample variance (n−1); NaN when n < 2.
func (m moments) variance() float64 {
	if m.n < 2 {
		return math.NaN()
	}
	return m.m2 / float64(m.n-1)
}

// comoments are the streaming statistics of a pair of variables, for Pearson's r.
type comoments struct {
	n        int
	mx, my   float64
	m2x, m2y float64
	cxy      float64
}

func (c *comoments) add(x, y float64) {
	c.n++
	n := float64(c.n)
	dx := x - c.mx
	dy := y - c.my
	c.mx += dx / n
	c.my += dy / n
	c.m2x += dx * (x - c.mx)
	c.m2y += dy * (y - c.my)
	c.cxy += dx * (y - c.my)
}

func (c *comoments) merge(o comoments) {
	if o.n == 0 {
		return
	}
	if c.n == 0 {
		*c = o
		return
	}
	n := float64(c.n + o.n)
	f := float64(c.n) * float64(o.n) / n
	dx := o.mx - c.mx
	dy := o.my - c.my
	c.mx += dx * float64(o.n) / n
	c.my += dy * float64(o.n) / n
	c.m2x += o.m2x + dx*dx*f
	c.m2y += o.m2y + dy*dy*f
	c.cxy += o.cxy + dx*dy*f
	c.n += o.n
}

// r is Pearson's correlation; NaN when fewer than 3 pairs or either variable has no variance.
func (c comoments) r() float64 {
	if c.n < 3 || c.m2x <= 0 || c.m2y <= 0 {
		return math.NaN()
	}
	r := c.cxy / math.Sqrt(c.m2x*c.m2y)
	return math.Max(-1, math.Min(1, r))
}

// sumSquares returns n·Σx² − (Σx)², which is n(n−1) times the sample variance, computed from
// exact integer sums in 128-bit arithmetic so that Cronbach's α of a large survey loses
// nothing to cancellation, and an all-equal column gives exactly zero.
func sumSquares(n, s1, s2 int64) float64 {
	// All operands are non-negative (values are v−1 ≥ 0).
	hi1, lo1 := bits.Mul64(uint64(n), uint64(s2))
	hi2, lo2 := bits.Mul64(uint64(s1), uint64(s1))
	lo, borrow := bits.Sub64(lo1, lo2, 0)
	hi, _ := bits.Sub64(hi1, hi2, borrow)
	if int64(hi) < 0 { // cannot happen for real data (Cauchy–Schwarz); be safe
		return 0
	}
	return float64(hi)*(1<<64) + float64(lo)
}
