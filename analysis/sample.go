package analysis

import (
	"math/big"
	"math/bits"
)

// sample accumulates one variable whose values are fractions num/denom with a denominator
// fixed by the questionnaire (a respondent's category score is 100·u/(a·(p−1)), for example).
// With denom > 0 it keeps exact integer sums of the numerators and their squares, so the mean
// and variance it reports are the exact ones, correctly rounded, whatever the order of the
// responses: the same data gives the same report to the last bit, and a group mean exactly
// at the 組織活性度 cutoff is at it. With denom == 0 (a questionnaire so unusual that no
// small common denominator exists) it falls back to Welford moments.
type sample struct {
	denom int64
	n     int64
	s1    int64     // Σ num
	s2    [2]uint64 // Σ num², 128 bits (high, low)
	float moments   // used instead when denom == 0
}

// maxDenominator bounds the exact arithmetic: a numerator is at most 100·denom, so its square
// fits in int64 and the sums of tens of millions of respondents stay exact.
const maxDenominator = 1 << 20

func (s *sample) add(num int64, x float64) {
	if s.denom == 0 {
		s.float.add(x)
		return
	}
	s.n++
	s.s1 += num
	var carry uint64
	s.s2[1], carry = bits.Add64(s.s2[1], uint64(num*num), 0)
	s.s2[0] += carry
}

func (s *sample) merge(o *sample) {
	if s.denom == 0 {
		s.float.merge(o.float)
		return
	}
	s.n += o.n
	s.s1 += o.s1
	var carry uint64
	s.s2[1], carry = bits.Add64(s.s2[1], o.s2[1], 0)
	s.s2[0] += o.s2[0] + carry
}

func (s *sample) count() int {
	if s.denom == 0 {
		return s.float.n
	}
	return int(s.n)
}

// moments returns the count, mean and sum of squared deviations.
func (s *sample) moments() moments {
	if s.denom == 0 {
		return s.float
	}
	if s.n == 0 {
		return moments{}
	}
	m := moments{n: int(s.n)}
	// Fast path: with every integer below 2^53 the float operations are exact up to one
	// rounding each, and as deterministic as the exact path.
	if nd := s.n * s.denom; s.s2[0] == 0 && s.s2[1] < 1<<62 && nd < 1<<53 && s.s1 < 1<<53 && s.s1 > -1<<53 {
		m.mean = float64(s.s1) / float64(nd)
		m.m2 = sumSquares(s.n, s.s1, int64(s.s2[1])) / float64(nd) / float64(s.denom)
		return m
	}
	n, d := big.NewInt(s.n), big.NewInt(s.denom)
	m.mean, _ = new(big.Rat).SetFrac(big.NewInt(s.s1), new(big.Int).Mul(n, d)).Float64()
	// m2 = Σ(x − mean)² = (n·Σnum² − (Σnum)²) / (n·denom²)
	sq := new(big.Int).Lsh(new(big.Int).SetUint64(s.s2[0]), 64)
	sq.Add(sq, new(big.Int).SetUint64(s.s2[1]))
	sq.Mul(sq, n)
	s1 := big.NewInt(s.s1)
	sq.Sub(sq, s1.Mul(s1, s1))
	den := new(big.Int).Mul(n, new(big.Int).Mul(d, d))
	m.m2, _ = new(big.Rat).SetFrac(sq, den).Float64()
	return m
}

// denominator returns the least common multiple of xs, or 0 when it exceeds maxDenominator.
func denominator(xs ...int64) int64 {
	d := int64(1)
	for _, x := range xs {
		if d = lcm(d, x); d <= 0 || d > maxDenominator {
			return 0
		}
	}
	return d
}

func lcm(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}
