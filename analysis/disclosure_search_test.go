package analysis

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestSearchAgreesWithBruteForce compares the exact check (peeling, the matroid reduction and
// the hyperplane search) with trying every set of atoms, on many small random surveys: atoms
// of a few sections and attributes, some respondents not stating an option, some atoms heavy
// enough to be contracted and some classes that merge.
func TestSearchAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var leaky, safe, searched int
	for c := range 3000 {
		k := 3 + rng.IntN(4)
		atoms := randomAtoms(rng, k)
		want := bruteLeaks(atoms, k)
		if got, _ := search(atoms, k); got != want {
			t.Fatalf("case %d (k=%d): search says leak=%v, every set says %v; atoms %+v", c, k, got, want, atoms)
		}
		got, peeled, _ := leaks(atoms, k)
		if got != want {
			t.Fatalf("case %d (k=%d): leaks says leak=%v (peeled %v), every set says %v; atoms %+v", c, k, got, peeled, want, atoms)
		}
		if want {
			leaky++
		} else {
			safe++
		}
		if !peeled {
			searched++
		}
	}
	t.Logf("%d leaky, %d safe, %d decided by the search", leaky, safe, searched)
	if leaky < 300 || safe < 300 || searched < 300 {
		t.Fatalf("the cases do not exercise both answers and the search: %d leaky, %d safe, %d searched", leaky, safe, searched)
	}
}

// randomAtoms draws up to 13 distinct atoms over 1–4 sections (a few in none) and 1–3
// attributes of 2–3 published options (−1: not stated or not published).
func randomAtoms(rng *rand.Rand, k int) []discAtom {
	nSec, nAttr := 1+rng.IntN(4), 1+rng.IntN(3)
	seen := map[[4]int]bool{}
	var atoms []discAtom
	for range 3 + rng.IntN(11) {
		key := [4]int{rng.IntN(nSec), -2, -2, -2}
		if rng.IntN(8) == 0 {
			key[0] = -1 // in no published section
		}
		for j := range nAttr {
			key[1+j] = rng.IntN(4) - 1
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		at := discAtom{g: key[0], size: 1 + rng.IntN(3*k)}
		if rng.IntN(4) == 0 {
			at.size = 1 + rng.IntN(2)
		}
		for j := range nAttr {
			at.opt = append(at.opt, key[1+j])
		}
		atoms = append(atoms, at)
	}
	return atoms
}

// bruteLeaks tries every set of atoms of at most k−1 respondents: does removing it lower the
// rank (over the rationals) of the groups × atoms matrix?
func bruteLeaks(atoms []discAtom, k int) bool {
	full := ratRank(atoms, 0)
	for mask := uint(1); mask < 1<<len(atoms); mask++ {
		w := 0
		for a := range atoms {
			if mask&(1<<a) != 0 {
				w += atoms[a].size
			}
		}
		if w <= k-1 && ratRank(atoms, mask) < full {
			return true
		}
	}
	return false
}

// ratRank is the rank of the matrix of sections and published options × the atoms not in drop.
func ratRank(atoms []discAtom, drop uint) int {
	rowOf := map[[2]int]int{}
	var cols [][][2]int
	for a, at := range atoms {
		if drop&(1<<a) != 0 {
			continue
		}
		var col [][2]int
		if at.g >= 0 {
			col = append(col, [2]int{-1, at.g})
		}
		for j, o := range at.opt {
			if o >= 0 {
				col = append(col, [2]int{j, o})
			}
		}
		for _, key := range col {
			if _, ok := rowOf[key]; !ok {
				rowOf[key] = len(rowOf)
			}
		}
		cols = append(cols, col)
	}
	m := make([][]*big.Rat, len(rowOf))
	for r := range m {
		m[r] = make([]*big.Rat, len(cols))
		for c := range cols {
			m[r][c] = new(big.Rat)
		}
	}
	for c, col := range cols {
		for _, key := range col {
			m[rowOf[key]][c].SetInt64(1)
		}
	}
	return RankRat(m)
}
