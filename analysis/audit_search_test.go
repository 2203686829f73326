package analysis_test

// The linear algebra of the differencing auditor (see audit_test.go): published numbers are
// rows of a matrix whose columns are (respondent, variable) pairs; a leak is a nonzero vector
// of the row space whose support touches 1..k−1 respondents (docs/analysis.md, "Suppression").
//
// The fast search works modulo the prime 2^61−1 and is exact all the same: for each block it
// checks that the rank modulo p equals the rational rank (then no leak can be missed, as a rank
// modulo p never exceeds the rational one), and it confirms every leak it finds with math/big
// rationals (it panics if one is a leak modulo p only, which would take p dividing a minor).
// The search relies on three facts:
//
//   - Blocks. Variables that never share a row form independent blocks (a row space vector is
//     the sum of its block parts, each again in the row space), so the smallest supports are
//     found block by block.
//   - Atoms. Respondents whose columns are equal in every row of a block enter every row space
//     vector together; one column per atom and variable is enough, and candidate supports
//     are unions of atoms.
//   - Null space. The row space holds a vector supported on the columns T iff the rows of a
//     right null space basis restricted to T are linearly dependent. A depth-first search over
//     unions of atoms of total size ≤ k−1 keeps those rows in echelon form incrementally.
//
// bruteLeaks checks the search on small systems by the definition itself: for every respondent
// set T of size 1..k−1, rank(A) > rank(A without T's columns).

import (
	"fmt"
	"math/big"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"staffsurvey/analysis"
)

// auditCoef is a small exact rational num/den, den > 0: the coefficient of one variable of one
// respondent in one published number.
type auditCoef struct{ num, den int64 }

func (c auditCoef) rat() *big.Rat { return big.NewRat(c.num, c.den) }

func (c auditCoef) mod() uint64 {
	n := c.num % int64(modP)
	if n < 0 {
		n += int64(modP)
	}
	return modMul(uint64(n), modInv(uint64(c.den)%modP))
}

// auditTerm is one nonzero entry of a row.
type auditTerm struct {
	resp, v int
	c       auditCoef
}

// auditRow is one published linear number: Σ c·value(resp, v) over its terms.
type auditRow struct {
	label string
	terms []auditTerm
}

// leak is a minimal set of respondents whose values some combination of published numbers
// isolates, with the variables of the block it was found in.
type auditLeak struct {
	resps []int
	vars  []int
}

const modP = 1<<61 - 1

func modMul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// 2^64 ≡ 8 (mod 2^61−1); a, b < 2^61 so hi < 2^58
	r := (lo & modP) + (lo >> 61) + (hi << 3)
	r = (r & modP) + (r >> 61)
	if r >= modP {
		r -= modP
	}
	return r
}

func modSub(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + modP - b
}

func modInv(a uint64) uint64 {
	if a == 0 {
		panic("inverse of 0 mod p")
	}
	// Fermat: a^(p−2)
	r, e := uint64(1), uint64(modP-2)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = modMul(r, a)
		}
		a = modMul(a, a)
	}
	return r
}

// rrefMod brings m to reduced row echelon form in place and returns the pivot column of each
// of its first rank rows.
func rrefMod(m [][]uint64) []int {
	var pivots []int
	if len(m) == 0 {
		return nil
	}
	cols := len(m[0])
	row := 0
	for col := 0; col < cols && row < len(m); col++ {
		p := -1
		for i := row; i < len(m); i++ {
			if m[i][col] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[row], m[p] = m[p], m[row]
		inv := modInv(m[row][col])
		for j := col; j < cols; j++ {
			m[row][j] = modMul(m[row][j], inv)
		}
		for i := range m {
			if i == row || m[i][col] == 0 {
				continue
			}
			f := m[i][col]
			for j := col; j < cols; j++ {
				if m[row][j] != 0 {
					m[i][j] = modSub(m[i][j], modMul(f, m[row][j]))
				}
			}
		}
		pivots = append(pivots, col)
		row++
	}
	return pivots
}

func rankMod(m [][]uint64) int {
	c := make([][]uint64, len(m))
	for i := range m {
		c[i] = slices.Clone(m[i])
	}
	return len(rrefMod(c))
}

// auditCol is a column: a variable of a unit, which is a respondent or an atom.
type auditCol struct{ unit, v int }

// auditMatrices returns the rows over the columns cols (skipping columns in drop) modulo p and as
// rationals. entry(row, col) gives a row's coefficient on a column, or ok false.
func auditMatrices(nRows int, cols []auditCol, drop func(auditCol) bool, entry func(i int, c auditCol) (auditCoef, bool), wantRat bool) ([][]uint64, [][]*big.Rat) {
	var keep []auditCol
	for _, c := range cols {
		if drop == nil || !drop(c) {
			keep = append(keep, c)
		}
	}
	mp := make([][]uint64, nRows)
	var mq [][]*big.Rat
	if wantRat {
		mq = make([][]*big.Rat, nRows)
	}
	for i := range nRows {
		mp[i] = make([]uint64, len(keep))
		if wantRat {
			mq[i] = make([]*big.Rat, len(keep))
		}
		for j, c := range keep {
			e, ok := entry(i, c)
			if ok {
				mp[i][j] = e.mod()
			}
			if wantRat {
				if ok {
					mq[i][j] = e.rat()
				} else {
					mq[i][j] = new(big.Rat)
				}
			}
		}
	}
	return mp, mq
}

// findLeaks returns, block by block, the minimal sets of 1..k−1 respondents on which the row
// space of rows has a nonzero vector: the fast search (blocks, atoms, null space, modulo p),
// every set confirmed with rationals. nVars is the number of variables per respondent.
// minimalLeaks of its result are the minimal leaking sets of the whole system.
func findLeaks(rows []auditRow, nVars, k int) []auditLeak {
	// blocks: union of the variables that share a row
	parent := make([]int, nVars)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, r := range rows {
		for _, t := range r.terms[1:] {
			parent[find(t.v)] = find(r.terms[0].v)
		}
	}
	blocks := map[int][]int{} // block → rows
	for i, r := range rows {
		if len(r.terms) > 0 {
			b := find(r.terms[0].v)
			blocks[b] = append(blocks[b], i)
		}
	}
	var keys []int
	for b := range blocks {
		keys = append(keys, b)
	}
	sort.Ints(keys)
	var out []auditLeak
	for _, b := range keys {
		var vars []int
		for v := range nVars {
			if find(v) == b {
				vars = append(vars, v)
			}
		}
		var brows []auditRow
		for _, i := range blocks[b] {
			brows = append(brows, rows[i])
		}
		for _, set := range blockLeaks(brows, k) {
			out = append(out, auditLeak{resps: set, vars: vars})
		}
	}
	return out
}

// blockLeaks is findLeaks within one block.
func blockLeaks(rows []auditRow, k int) [][]int {
	// atoms: respondents with equal coefficients in every row of the block
	sig := map[int]*strings.Builder{}
	for i, r := range rows {
		for _, t := range r.terms {
			b := sig[t.resp]
			if b == nil {
				b = &strings.Builder{}
				sig[t.resp] = b
			}
			fmt.Fprintf(b, "%d:%d:%d/%d;", i, t.v, t.c.num, t.c.den)
		}
	}
	var resps []int
	for r := range sig {
		resps = append(resps, r)
	}
	sort.Ints(resps)
	atomOf := map[string]int{}
	var atoms [][]int
	for _, r := range resps {
		s := sig[r].String()
		a, ok := atomOf[s]
		if !ok {
			a = len(atoms)
			atomOf[s] = a
			atoms = append(atoms, nil)
		}
		atoms[a] = append(atoms[a], r)
	}
	rep := map[int]int{} // respondent → atom, for representatives only
	for a, rs := range atoms {
		rep[rs[0]] = a
	}
	// columns: (atom, variable) with a nonzero entry somewhere
	entries := make([]map[auditCol]auditCoef, len(rows))
	seen := map[auditCol]bool{}
	var cols []auditCol
	for i, r := range rows {
		entries[i] = map[auditCol]auditCoef{}
		for _, t := range r.terms {
			a, ok := rep[t.resp]
			if !ok {
				continue
			}
			c := auditCol{a, t.v}
			old := entries[i][c]
			if old.den == 0 {
				entries[i][c] = t.c
			} else { // a respondent listed twice in a row: add
				s := new(big.Rat).Add(old.rat(), t.c.rat())
				entries[i][c] = auditCoef{s.Num().Int64(), s.Denom().Int64()}
			}
			if !seen[c] {
				seen[c] = true
				cols = append(cols, c)
			}
		}
	}
	entry := func(i int, c auditCol) (auditCoef, bool) {
		e, ok := entries[i][c]
		return e, ok && e.num != 0
	}
	a, _ := auditMatrices(len(rows), cols, nil, entry, false)
	m := make([][]uint64, len(a))
	for i := range a {
		m[i] = slices.Clone(a[i])
	}
	pivots := rrefMod(m)
	// A rank modulo p never exceeds the rational rank. When they are equal, every set whose
	// removal lowers the rational rank lowers the one modulo p too: no leak goes unseen.
	_, q := auditMatrices(len(rows), cols, nil, entry, true)
	fullRat := analysis.RankRat(q)
	if fullRat != len(pivots) {
		panic(fmt.Sprintf("rank %d modulo p, %d over the rationals", len(pivots), fullRat))
	}
	isPivot := map[int]int{}
	for i, p := range pivots {
		isPivot[p] = i
	}
	var free []int
	for j := range cols {
		if _, ok := isPivot[j]; !ok {
			free = append(free, j)
		}
	}
	// null space basis: one vector per free column; nb[j] is column j's row of it
	nb := make([][]uint64, len(cols))
	for j := range cols {
		nb[j] = make([]uint64, len(free))
		if i, ok := isPivot[j]; ok {
			for t, f := range free {
				nb[j][t] = modSub(0, m[i][f])
			}
		} else {
			nb[j][slices.Index(free, j)] = 1
		}
	}
	colsOf := make([][]int, len(atoms))
	for j, c := range cols {
		colsOf[c.unit] = append(colsOf[c.unit], j)
	}
	var cand []int
	for at, rs := range atoms {
		if len(rs) < k {
			cand = append(cand, at)
		}
	}
	// depth-first over unions of candidate atoms, keeping their null space rows in echelon form
	type vec struct {
		pivot int
		x     []uint64
	}
	var basis []vec
	var found [][]int // atom sets
	var chosen []int
	var dfs func(from, weight int)
	dfs = func(from, weight int) {
		for ci := from; ci < len(cand); ci++ {
			at := cand[ci]
			if weight+len(atoms[at]) >= k {
				continue
			}
			before := len(basis)
			dependent := false
			for _, j := range colsOf[at] {
				x := slices.Clone(nb[j])
				for _, b := range basis {
					if f := x[b.pivot]; f != 0 {
						for t := range x {
							if b.x[t] != 0 {
								x[t] = modSub(x[t], modMul(f, b.x[t]))
							}
						}
					}
				}
				p := slices.IndexFunc(x, func(u uint64) bool { return u != 0 })
				if p < 0 {
					dependent = true
					break
				}
				inv := modInv(x[p])
				for t := range x {
					x[t] = modMul(x[t], inv)
				}
				basis = append(basis, vec{p, x})
			}
			chosen = append(chosen, at)
			if dependent {
				found = append(found, slices.Clone(chosen))
			} else {
				dfs(ci+1, weight+len(atoms[at]))
			}
			chosen = chosen[:len(chosen)-1]
			basis = basis[:before]
		}
	}
	dfs(0, 0)
	// keep the minimal atom sets, then confirm each with rationals: rank(A) > rank(A − T)
	var out [][]int
	var minimal [][]int
	for _, s := range found {
		if !slices.ContainsFunc(found, func(o []int) bool { return len(o) < len(s) && auditSubset(o, s) }) {
			minimal = append(minimal, s)
		}
	}
	if len(minimal) == 0 {
		return nil
	}
	for _, s := range minimal {
		_, qt := auditMatrices(len(rows), cols, func(c auditCol) bool { return slices.Contains(s, c.unit) }, entry, true)
		if analysis.RankRat(qt) == fullRat {
			// dependent modulo p only: p divides a minor, and the search, which stops at
			// dependent sets, could have missed a leak above this one
			panic(fmt.Sprintf("atoms %v are dependent modulo p only", s))
		}
		var rs []int
		for _, at := range s {
			rs = append(rs, atoms[at]...)
		}
		sort.Ints(rs)
		out = append(out, rs)
	}
	return out
}

// auditSubset reports whether every element of a is in b.
func auditSubset(a, b []int) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// minimalLeaks drops the leaks whose respondents include another leak's, and duplicates,
// and sorts the rest by size and respondents.
func minimalLeaks(ls []auditLeak) []auditLeak {
	var out []auditLeak
	for i, l := range ls {
		dominated := false
		for j, o := range ls {
			if i != j && auditSubset(o.resps, l.resps) && (len(o.resps) < len(l.resps) || j < i) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].resps) != len(out[j].resps) {
			return len(out[i].resps) < len(out[j].resps)
		}
		return slices.Compare(out[i].resps, out[j].resps) < 0
	})
	return out
}

// bruteLeaks returns the minimal respondent sets T, 1 ≤ |T| ≤ k−1, with
// rank(A) > rank(A without T's columns), by trying every such T of the nResp respondents on
// the whole matrix: no blocks, no atoms. Ranks are taken modulo p, every leak is confirmed
// with rationals, and exact is true when rank(A) modulo p equals its rational rank, which
// makes the "no leak" verdicts exact too (a rank modulo p never exceeds the rational one).
func bruteLeaks(rows []auditRow, nResp, k int) (sets [][]int, exact bool) {
	ent := make([]map[auditCol]auditCoef, len(rows))
	seen := map[auditCol]bool{}
	var cols []auditCol
	for i, r := range rows {
		ent[i] = map[auditCol]auditCoef{}
		for _, t := range r.terms {
			c := auditCol{t.resp, t.v}
			if old, ok := ent[i][c]; ok {
				s := new(big.Rat).Add(old.rat(), t.c.rat())
				ent[i][c] = auditCoef{s.Num().Int64(), s.Denom().Int64()}
			} else {
				ent[i][c] = t.c
			}
			if !seen[c] {
				seen[c] = true
				cols = append(cols, c)
			}
		}
	}
	entry := func(i int, c auditCol) (auditCoef, bool) {
		e, ok := ent[i][c]
		return e, ok && e.num != 0
	}
	mp, mq := auditMatrices(len(rows), cols, nil, entry, true)
	full, fullRat := rankMod(mp), analysis.RankRat(mq)
	exact = full == fullRat
	// keep returns the indices of the columns outside the respondents t
	keep := func(t []int) []int {
		var out []int
		for j, c := range cols {
			if !slices.Contains(t, c.unit) {
				out = append(out, j)
			}
		}
		return out
	}
	without := func(t []int) [][]uint64 {
		js := keep(t)
		out := make([][]uint64, len(mp))
		for i, row := range mp {
			out[i] = make([]uint64, len(js))
			for x, j := range js {
				out[i][x] = row[j]
			}
		}
		return out
	}
	withoutRat := func(t []int) [][]*big.Rat {
		js := keep(t)
		out := make([][]*big.Rat, len(mq))
		for i, row := range mq {
			out[i] = make([]*big.Rat, len(js))
			for x, j := range js {
				out[i][x] = row[j]
			}
		}
		return out
	}
	// by size, so that a set is tested only after all its subsets
	for size := 1; size < k; size++ {
		var bySize func(from int, t []int)
		bySize = func(from int, t []int) {
			if len(t) == size {
				for _, s := range sets {
					if auditSubset(s, t) {
						return // leaks, but not minimal
					}
				}
				if len(rrefMod(without(t))) < full && analysis.RankRat(withoutRat(t)) < fullRat {
					sets = append(sets, slices.Clone(t))
				}
				return
			}
			for r := from; r < nResp; r++ {
				bySize(r+1, append(t, r))
			}
		}
		bySize(0, nil)
	}
	return sets, exact
}

// auditCombination returns how to compute a leak from the published numbers: weights y on rows
// such that Σ y_i·row_i is nonzero and involves only the respondents t, and that sum's
// terms. It returns nil when there is none (t does not leak).
func auditCombination(rows []auditRow, t []int) (y []*big.Rat, result []auditTerm) {
	seen := map[auditCol]bool{}
	var outside, inside []auditCol
	for _, r := range rows {
		for _, x := range r.terms {
			c := auditCol{x.resp, x.v}
			if seen[c] {
				continue
			}
			seen[c] = true
			if slices.Contains(t, x.resp) {
				inside = append(inside, c)
			} else {
				outside = append(outside, c)
			}
		}
	}
	at := func(cols []auditCol) [][]*big.Rat { // the transpose: one row per column
		m := make([][]*big.Rat, len(cols))
		for j, c := range cols {
			m[j] = make([]*big.Rat, len(rows))
			for i, r := range rows {
				m[j][i] = new(big.Rat)
				for _, x := range r.terms {
					if x.resp == c.unit && x.v == c.v {
						m[j][i].Add(m[j][i], x.c.rat())
					}
				}
			}
		}
		return m
	}
	in := at(inside)
	for _, v := range ratNullSpace(at(outside), len(rows)) {
		var res []auditTerm
		for j, c := range inside {
			s := new(big.Rat)
			for i := range rows {
				s.Add(s, new(big.Rat).Mul(in[j][i], v[i]))
			}
			if s.Sign() != 0 {
				res = append(res, auditTerm{c.unit, c.v, auditCoef{s.Num().Int64(), s.Denom().Int64()}})
			}
		}
		if len(res) > 0 {
			return v, res
		}
	}
	return nil, nil
}

// ratNullSpace returns a basis of {y : m·y = 0}, y of length n.
func ratNullSpace(m [][]*big.Rat, n int) [][]*big.Rat {
	a := make([][]*big.Rat, len(m))
	for i := range m {
		a[i] = make([]*big.Rat, n)
		for j := range n {
			a[i][j] = new(big.Rat).Set(m[i][j])
		}
	}
	var pivots []int
	row := 0
	for col := 0; col < n && row < len(a); col++ {
		p := slices.IndexFunc(a[row:], func(r []*big.Rat) bool { return r[col].Sign() != 0 })
		if p < 0 {
			continue
		}
		a[row], a[row+p] = a[row+p], a[row]
		inv := new(big.Rat).Inv(a[row][col])
		for j := range n {
			a[row][j].Mul(a[row][j], inv)
		}
		for i := range a {
			if i == row || a[i][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(a[i][col])
			for j := range n {
				a[i][j].Sub(a[i][j], new(big.Rat).Mul(f, a[row][j]))
			}
		}
		pivots = append(pivots, col)
		row++
	}
	var basis [][]*big.Rat
	for f := range n {
		if slices.Contains(pivots, f) {
			continue
		}
		v := make([]*big.Rat, n)
		for j := range v {
			v[j] = new(big.Rat)
		}
		v[f].SetInt64(1)
		for i, p := range pivots {
			v[p].Neg(a[i][f])
		}
		basis = append(basis, v)
	}
	return basis
}
