package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"staffsurvey/survey"
)

func momentsOf(xs ...float64) moments {
	var m moments
	for _, x := range xs {
		m.add(x)
	}
	return m
}

func seq(from, to int) []float64 {
	var out []float64
	for i := from; i <= to; i++ {
		out = append(out, float64(i))
	}
	return out
}

// welchTests are checked against R's t.test (Welch is its default).
var welchTests = []struct {
	name string
	a, b []float64
	want float64 // two-sided p; NaN when undefined
}{
	// t.test(1:10, y = c(7:20)): t = -5.4349, df = 21.982, p-value = 1.855e-05 (R's own example)
	{"R example", seq(1, 10), seq(7, 20), 1.855e-05},
	// equal means: t = 0, p = 1
	{"equal means", []float64{1, 2, 3}, []float64{0, 2, 4}, 1},
	// no variance in either year: undefined
	{"no variance", []float64{5, 5, 5}, []float64{7, 7}, math.NaN()},
	// one value: undefined
	{"one value", []float64{5}, []float64{7, 8}, math.NaN()},
}

func TestWelch(t *testing.T) {
	for _, tt := range welchTests {
		t.Run(tt.name, func(t *testing.T) {
			got := welch(momentsOf(tt.a...), momentsOf(tt.b...))
			if math.IsNaN(tt.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-tt.want) > 1e-3*tt.want) {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}

func TestMomentsMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var all, a, b moments
	var ca, cb, call comoments
	for i := range 1000 {
		x, y := 50+10*rng.NormFloat64(), rng.Float64()
		all.add(x)
		call.add(x, x+y)
		if i%3 == 0 {
			a.add(x)
			ca.add(x, x+y)
		} else {
			b.add(x)
			cb.add(x, x+y)
		}
	}
	a.merge(b)
	ca.merge(cb)
	if a.n != all.n || math.Abs(a.mean-all.mean) > 1e-12 || math.Abs(a.variance()-all.variance()) > 1e-9 {
		t.Errorf("merged moments: got %+v; want %+v", a, all)
	}
	if math.Abs(ca.r()-call.r()) > 1e-12 {
		t.Errorf("merged r: got %v; want %v", ca.r(), call.r())
	}
	var empty moments
	empty.merge(all)
	if empty != all {
		t.Errorf("merge into empty: got %+v; want %+v", empty, all)
	}
}

func TestSumSquares(t *testing.T) {
	tests := []struct {
		n, s1, s2 int64
		want      float64
	}{
		{3, 6, 14, 3*14 - 36}, // 1, 2, 3
		{4, 8, 16, 0},         // 2, 2, 2, 2
		// a million respondents with totals near 200: past int64 in the intermediate products
		{1_000_000, 200_000_000, 40_000_000_000 + 1_000_000, 1e12},
		{1 << 40, 1 << 41, 1 << 42, float64(1<<40)*float64(1<<42) - float64(1<<41)*float64(1<<41)},
	}
	for _, tt := range tests {
		if got := sumSquares(tt.n, tt.s1, tt.s2); got != tt.want {
			t.Errorf("sumSquares(%d, %d, %d): got %v; want %v", tt.n, tt.s1, tt.s2, got, tt.want)
		}
	}
}

// axisOf returns the indices of the categories on axis.
func axisOf(cats []survey.Category, axis string) []int {
	var out []int
	for i, c := range cats {
		if c.Axis == axis {
			out = append(out, i)
		}
	}
	return out
}

func TestAxisDenominator(t *testing.T) {
	items := func(n int) []survey.Item { return make([]survey.Item, n) }
	tests := []struct {
		name string
		cats []survey.Category
		want int64
	}{
		// 3 items: 2 or 3 answered, p−1 = 4: lcm(8, 12)
		{"one category", []survey.Category{{Axis: "motivation", Items: items(3)}}, 24},
		// two categories of 2 and 4 items, K = 2: lcm(8, 16)·… = lcm(8, 16, 16, 24, 32) = 96
		{"two categories", []survey.Category{{Axis: "motivation", Items: items(2)}, {Axis: "motivation", Items: items(4)}, {Axis: "cohesion", Items: items(7)}}, 96},
		{"absurd", []survey.Category{{Axis: "motivation", Items: items(40)}}, 0},
	}
	for _, tt := range tests {
		if got := axisDenominator(tt.cats, axisOf(tt.cats, "motivation"), 5); got != tt.want {
			t.Errorf("%s: got %d; want %d", tt.name, got, tt.want)
		}
	}
	// Whatever the shape, D must be a multiple of K·a·(p−1) for K the number of categories of
	// the axis (a respondent has an axis score only with all of them, §6.3) and every number a
	// of answered items of each.
	for sizes := range 200 {
		var cats []survey.Category
		for i, n := 0, sizes; n > 0 || i == 0; i, n = i+1, n/5 {
			cats = append(cats, survey.Category{Axis: "cohesion", Items: items(1 + n%5)})
		}
		for _, p := range []int64{2, 5, 7, 11} {
			d := axisDenominator(cats, axisOf(cats, "cohesion"), p)
			if d == 0 {
				continue
			}
			k := int64(len(cats))
			for _, c := range cats {
				for a := int64(len(c.Items)+1) / 2; a <= int64(len(c.Items)); a++ {
					if d%(k*a*(p-1)) != 0 {
						t.Fatalf("%d categories, points %d: D %d is not a multiple of %d·%d·%d", len(cats), p, d, k, a, p-1)
					}
				}
			}
		}
	}
}

func TestSample(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const denom = 24 // scores of a 3-item category on a 5-point scale
	var nums []int64
	for range 5000 {
		nums = append(nums, int64(rng.IntN(100*denom+1)))
	}
	add := func(nums []int64) (sample, moments) {
		s := sample{denom: denom}
		var f moments
		for _, x := range nums {
			s.add(x, float64(x)/denom)
			f.add(float64(x) / denom)
		}
		return s, f
	}
	exact, float := add(nums)
	got := exact.moments()
	if got.n != float.n || math.Abs(got.mean-float.mean) > 1e-9 || math.Abs(got.variance()-float.variance()) > 1e-6 {
		t.Errorf("exact: got %+v; want about %+v", got, float)
	}
	// exact sums do not depend on the order, to the last bit
	rng.Shuffle(len(nums), func(i, j int) { nums[i], nums[j] = nums[j], nums[i] })
	again, _ := add(nums)
	if again.moments() != got {
		t.Errorf("shuffled: got %+v; want %+v", again.moments(), got)
	}
	// merging halves is the same as adding all
	a, _ := add(nums[:1234])
	b, _ := add(nums[1234:])
	a.merge(&b)
	if a.moments() != got {
		t.Errorf("merged: got %+v; want %+v", a.moments(), got)
	}
	// identical values: exactly no variance
	same, _ := add([]int64{1800, 1800, 1800})
	if m := same.moments(); m.m2 != 0 || m.mean != 75 {
		t.Errorf("identical: got %+v; want mean 75, m2 0", m)
	}
	// fallback
	fb := sample{}
	fb.add(0, 1)
	fb.add(0, 3)
	if m := fb.moments(); m.n != 2 || m.mean != 2 || m.variance() != 2 {
		t.Errorf("fallback: got %+v; want n 2, mean 2, variance 2", m)
	}
}

func TestRankDrivers(t *testing.T) {
	r := func(x float64) *float64 { return &x }
	got := RankDrivers([]Driver{{Category: "a", R: nil}, {Category: "b", R: r(0.2)}, {Category: "c", R: r(0.5)}, {Category: "d", R: r(0.2)}, {Category: "e", R: r(-0.1)}})
	var order []string
	for _, d := range got {
		order = append(order, d.Category)
	}
	if want := []string{"c", "b", "d", "e", "a"}; !slices.Equal(order, want) {
		t.Errorf("got %v; want %v", order, want)
	}
	p := func(x float64) *float64 { return &x }
	for _, tt := range []struct {
		p    *float64
		want bool
	}{{nil, false}, {p(0.049), true}, {p(0.05), false}, {p(0.5), false}} {
		if got := (Change{P: tt.p}).Significant(); got != tt.want {
			t.Errorf("Significant(p=%v): got %v; want %v", tt.p, got, tt.want)
		}
	}
}
