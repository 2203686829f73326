package analysis

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"slices"
)

// The cross-partition disclosure check (docs/analysis.md, "Attributes"). Within one metric,
// every published group — a shown section, a shown option — publishes linear numbers (sums,
// means with their n, shares) of the values of that metric's respondents. Respondents who are
// in exactly the same published groups are indistinguishable in all of them: they form an atom.
// With M the 0/1 matrix of published groups × atoms, a combination of published numbers isolates
// the values of a set T of atoms exactly when some vector of M's row space is zero outside T;
// that happens iff removing T's columns lowers M's rank. The principle of §6.5c forbids it for
// every T of 1..k−1 respondents.
//
// Two ways decide it, both exact:
//
//   - Disjoint bases (fast, for real surveys). If k bases of M's column space can be packed
//     into the respondents (an atom of s respondents serving at most s of them), every T of
//     fewer than k respondents misses one of the bases, so M without T keeps its rank. The
//     bases are built by peeling: each new column brings exactly one new coordinate, so each
//     basis is unit-triangular and independent over every field, and it spans all coordinates.
//     The coordinates are M's rows after an integer change of basis with determinant 1 (per
//     attribute, its most common option is subtracted from the whole organisation), which
//     gives the common atoms a single coordinate to start from; a row that is an integer
//     combination of others (an attribute everyone states) is dropped.
//   - Search (when peeling fails: small surveys). T lowers the rank iff the rows of a basis of
//     M's right null space at T's atoms are linearly dependent; a depth-first search over unions
//     of atoms of at most k−1 respondents looks for such a dependency, modulo the prime
//     2^61−1. Every T also contains an atom of any basis of M, which orders the search. The
//     rank of M modulo p is first certified equal to its rational rank (fraction-free
//     elimination in integers), so a set that lowers the rational rank lowers it modulo p too
//     and none is missed; a dependency found modulo p only would withhold one option too many,
//     never too few. When the search would exceed its budget it answers "leak": the caller
//     then withholds an option rather than publish what it could not prove safe.

// searchBudget bounds the search's nodes per check.
const searchBudget = 4_000_000

// discAtom is an atom of one metric: its respondents, the published section group that
// holds them most narrowly (−1: none), and per attribute their published option or −1.
type discAtom struct {
	size int
	g    int
	opt  []int
}

// disclosureCheck runs the check over every metric of a survey's result.
type disclosureCheck struct {
	a       *Accumulator
	k       int
	entries []atomEntry
	totals  []*groupAcc
	gen     [][]int // per metric unit, per tree node: the nearest published section at or above it, or −1
	itemCat []int   // per question: its category
	itemIdx []int   // per question: its index in the category
	cache   map[string]bool
}

func newDisclosureCheck(a *Accumulator, totals []*groupAcc, sections hiddenSets) *disclosureCheck {
	d := &disclosureCheck{a: a, k: a.k, entries: a.atoms.entries(), totals: totals, cache: map[string]bool{}}
	for c, spec := range a.cats {
		for j := range spec.reverse {
			d.itemCat = append(d.itemCat, c)
			d.itemIdx = append(d.itemIdx, j)
		}
	}
	parent := a.tree.Parent
	for u := range a.atoms.units() {
		gen := make([]int, len(totals))
		for i := range totals {
			switch {
			case d.published(sections, totals[i], u, i):
				gen[i] = i
			case parent[i] >= 0:
				gen[i] = gen[parent[i]]
			default:
				gen[i] = -1
			}
		}
		d.gen = append(d.gen, gen)
	}
	return d
}

// count returns the respondents of metric unit u in g.
func (d *disclosureCheck) count(g *groupAcc, u int) int {
	t := d.a.atoms
	switch {
	case u < t.cats:
		return g.cats[u].score.count()
	case u < t.satUnit():
		i := u - t.cats
		return g.cats[d.itemCat[i]].itemN[d.itemIdx[i]]
	case u == t.satUnit():
		return g.sat.n
	case u == t.enpsUnit():
		return g.enps.n
	}
	return g.act.index.count()
}

// published reports whether group i (of the tree of h) publishes numbers of metric unit u.
func (d *disclosureCheck) published(h hiddenSets, g *groupAcc, u, i int) bool {
	t := d.a.atoms
	if h.group[i] || d.count(g, u) < d.k {
		return false
	}
	switch {
	case u < t.cats:
		return !h.cats[u][i]
	case u < t.satUnit():
		return !h.items[d.itemCat[u-t.cats]][i]
	case u == t.satUnit():
		return !h.sat[i]
	case u == t.enpsUnit():
		return !h.enps[i]
	}
	return !h.act[i]
}

// safe reports whether no metric's published numbers, sections and options together, isolate
// 1..k−1 respondents.
func (d *disclosureCheck) safe(hs []attrHidden, stats *DisclosureStats) bool {
	a := d.a
	for u := range a.atoms.units() {
		pub := make([][]bool, len(a.opts))
		any := false
		for j := range a.opts {
			pub[j] = make([]bool, len(a.opts[j]))
			for o, g := range a.opts[j] {
				pub[j][o] = d.published(hs[j].hiddenSets, g, u, 1+o)
				any = any || pub[j][o]
			}
		}
		if !any {
			continue // the section tree alone: rules a and b on this metric's counts
		}
		byKey := map[string]int{}
		key := make([]byte, 0, 4+len(a.opts))
		for e := range d.entries {
			ent := &d.entries[e]
			if !ent.in(u) {
				continue
			}
			key = binary.BigEndian.AppendUint32(key[:0], uint32(int32(d.gen[u][ent.node])))
			for j, o := range ent.opts {
				if o >= 0 && !pub[j][o] {
					o = -1
				}
				key = append(key, byte(o))
			}
			byKey[string(key)] += ent.n
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var sig []byte
		atoms := make([]discAtom, 0, len(keys))
		for _, k := range keys {
			b := []byte(k)
			at := discAtom{size: byKey[k], g: int(int32(binary.BigEndian.Uint32(b)))}
			for _, o := range b[4:] {
				at.opt = append(at.opt, int(int8(o)))
			}
			atoms = append(atoms, at)
			sig = binary.AppendUvarint(append(sig, k...), uint64(at.size))
		}
		ok, seen := d.cache[string(sig)]
		if !seen {
			stats.Checks++
			leak, peeled := leaks(atoms, d.k)
			ok = !leak
			if peeled {
				stats.Peeled++
			} else {
				stats.Searched++
			}
			d.cache[string(sig)] = ok
		}
		if !ok {
			return false
		}
	}
	return true
}

// leaks reports whether some set of atoms of 1..k−1 respondents lowers the rank of the
// groups × atoms matrix (or whether that could not be ruled out within the search budget),
// and whether the disjoint bases decided it.
func leaks(atoms []discAtom, k int) (leak, peeled bool) {
	if peel(atoms, k) {
		return false, true
	}
	return search(atoms, k), false
}

// peel tries to pack k disjoint unit-triangular bases (see the package comment above).
func peel(atoms []discAtom, k int) bool {
	if len(atoms) == 0 {
		return true
	}
	nAttr := len(atoms[0].opt)
	weight := make([]map[int]int, nAttr)
	bottom := make([]bool, nAttr)
	for j := range weight {
		weight[j] = map[int]int{}
	}
	for _, at := range atoms {
		if at.g < 0 {
			return false
		}
		for j, o := range at.opt {
			if o < 0 {
				bottom[j] = true
			} else {
				weight[j][o] += at.size
			}
		}
	}
	// Coordinates: sections, then per attribute its reference (when some atom lacks a published
	// option of it) and its other options.
	coord := map[[2]int]int{} // {−1, g} for a section, {j, o} for an option, {j, −1} for j's reference
	id := func(key [2]int) int {
		if c, ok := coord[key]; ok {
			return c
		}
		coord[key] = len(coord)
		return coord[key]
	}
	ref := make([]int, nAttr)
	for j := range ref {
		ref[j] = -1
		for o, w := range weight[j] {
			if ref[j] < 0 || w > weight[j][ref[j]] || w == weight[j][ref[j]] && o < ref[j] {
				ref[j] = o
			}
		}
	}
	cols := make([][]int, len(atoms))
	for a, at := range atoms {
		cols[a] = append(cols[a], id([2]int{-1, at.g}))
		for j, o := range at.opt {
			if ref[j] < 0 || o == ref[j] {
				continue
			}
			if bottom[j] {
				cols[a] = append(cols[a], id([2]int{j, -1}))
			}
			if o >= 0 {
				cols[a] = append(cols[a], id([2]int{j, o}))
			}
		}
	}
	n := len(coord)
	adj := make([][]int, n)
	for a, cs := range cols {
		for _, c := range cs {
			adj[c] = append(adj[c], a)
		}
	}
	capacity := make([]int, len(atoms))
	for a, at := range atoms {
		capacity[a] = at.size
	}
	left := make([]int, len(atoms))
	covered := make([]bool, n)
	q := &peelQueue{capacity: capacity}
	for range k {
		q.items = q.items[:0]
		for a, cs := range cols {
			left[a] = len(cs)
			if left[a] == 1 && capacity[a] > 0 {
				q.items = append(q.items, int32(a))
			}
		}
		clear(covered)
		q.init()
		done := 0
		for done < n && len(q.items) > 0 {
			a := q.pop()
			if left[a] != 1 || capacity[a] == 0 {
				continue
			}
			c := -1
			for _, x := range cols[a] {
				if !covered[x] {
					c = x
				}
			}
			capacity[a]--
			covered[c] = true
			done++
			for _, b := range adj[c] {
				left[b]--
				if left[b] == 1 && capacity[b] > 0 {
					q.push(int32(b))
				}
			}
		}
		if done < n {
			return false
		}
	}
	return true
}

// peelQueue is a binary max-heap of atoms by remaining capacity (ties: lower index), so that
// each basis uses the atoms with the most respondents left.
type peelQueue struct {
	items    []int32
	capacity []int
}

func (q *peelQueue) less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	ca, cb := q.capacity[a], q.capacity[b]
	return ca > cb || ca == cb && a < b
}

func (q *peelQueue) init() {
	for i := len(q.items)/2 - 1; i >= 0; i-- {
		q.down(i)
	}
}

func (q *peelQueue) push(a int32) {
	q.items = append(q.items, a)
	for i := len(q.items) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q.items[i], q.items[p] = q.items[p], q.items[i]
		i = p
	}
}

func (q *peelQueue) pop() int {
	a := q.items[0]
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items = q.items[:last]
	q.down(0)
	return int(a)
}

func (q *peelQueue) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(q.items) {
			return
		}
		m := l
		if r := l + 1; r < len(q.items) && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			return
		}
		q.items[i], q.items[m] = q.items[m], q.items[i]
		i = m
	}
}

// search is the exact search of the package comment; true means a leak, or no proof of none.
func search(atoms []discAtom, k int) bool {
	// Columns heaviest first, so that the pivots (a basis of M) are the largest atoms and
	// as few small ones as possible.
	order := make([]int, len(atoms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(atoms[y].size, atoms[x].size) })
	rowOf := map[[2]int]int{}
	row := func(key [2]int) int {
		if r, ok := rowOf[key]; ok {
			return r
		}
		rowOf[key] = len(rowOf)
		return rowOf[key]
	}
	entries := make([][]int, len(order)) // per column: its rows
	for c, a := range order {
		at := atoms[a]
		if at.g >= 0 {
			entries[c] = append(entries[c], row([2]int{-1, at.g}))
		}
		for j, o := range at.opt {
			if o >= 0 {
				entries[c] = append(entries[c], row([2]int{j, o}))
			}
		}
	}
	nr, nc := len(rowOf), len(order)
	m := make([][]uint64, nr)
	z := make([][]int64, nr)
	for r := range m {
		m[r] = make([]uint64, nc)
		z[r] = make([]int64, nc)
	}
	for c, rs := range entries {
		for _, r := range rs {
			m[r][c], z[r][c] = 1, 1
		}
	}
	pivots := rrefMod(m)
	if rq, ok := rankInt(z); !ok || rq != len(pivots) {
		return true // the rank modulo p is not certified: refuse rather than risk a leak
	}
	isPivot := make([]int, nc) // column → its row in the echelon form, or −1
	for c := range isPivot {
		isPivot[c] = -1
	}
	for r, c := range pivots {
		isPivot[c] = r
	}
	var free []int
	for c := range nc {
		if isPivot[c] < 0 {
			free = append(free, c)
		}
	}
	// The null space basis: one vector per free column f, 1 at f and −m[r][f] at the pivot of
	// row r. The row of column c over it ("dual row") is e_f for a free column, −m[r][·] over the
	// free columns for a pivot column.
	dual := func(c int) []uint64 {
		v := make([]uint64, len(free))
		if r := isPivot[c]; r >= 0 {
			for i, f := range free {
				v[i] = modSub(0, m[r][f])
			}
			return v
		}
		i, _ := slices.BinarySearch(free, c)
		v[i] = 1
		return v
	}
	// Candidates: atoms of at most k−1 respondents, pivots first (every leak holds one).
	var cand []int
	for _, pass := range []bool{true, false} {
		for c := range nc {
			if (isPivot[c] >= 0) == pass && atoms[order[c]].size <= k-1 {
				cand = append(cand, c)
			}
		}
	}
	firstFree := len(cand)
	for i, c := range cand {
		if isPivot[c] < 0 {
			firstFree = i
			break
		}
	}
	rows := make([][]uint64, len(cand))
	size := make([]int, len(cand))
	for i, c := range cand {
		rows[i], size[i] = dual(c), atoms[order[c]].size
	}
	s := &dualSearch{rows: rows, size: size, budget: searchBudget, limit: k - 1}
	for i := range firstFree {
		if s.grow(i, 0) {
			return true
		}
	}
	return false
}

// dualSearch looks for a linearly dependent set of dual rows of total size ≤ limit.
type dualSearch struct {
	rows   [][]uint64
	size   []int
	basis  [][]uint64 // echelon form of the chosen rows
	pivot  []int
	budget int
	limit  int
}

// grow adds row i to the chosen set of weight w and searches on from there; true means a
// dependent set was found or the budget ran out.
func (s *dualSearch) grow(i, w int) bool {
	if s.budget--; s.budget < 0 {
		return true
	}
	w += s.size[i]
	if w > s.limit {
		return false
	}
	v := slices.Clone(s.rows[i])
	for b, r := range s.basis {
		if f := v[s.pivot[b]]; f != 0 {
			for x := range v {
				if r[x] != 0 {
					v[x] = modSub(v[x], modMul(f, r[x]))
				}
			}
		}
	}
	p := slices.IndexFunc(v, func(x uint64) bool { return x != 0 })
	if p < 0 {
		return true // dependent: these atoms' values can be isolated
	}
	inv := modInv(v[p])
	for x := range v {
		v[x] = modMul(v[x], inv)
	}
	s.basis, s.pivot = append(s.basis, v), append(s.pivot, p)
	for j := i + 1; j < len(s.rows); j++ {
		if w+s.size[j] <= s.limit && s.grow(j, w) {
			return true
		}
	}
	s.basis, s.pivot = s.basis[:len(s.basis)-1], s.pivot[:len(s.pivot)-1]
	return false
}

const modP = 1<<61 - 1

func modMul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	r := (lo & modP) + (lo >> 61) + (hi << 3) // 2^64 ≡ 8 (mod 2^61−1)
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
	r, e := uint64(1), uint64(modP-2) // Fermat
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = modMul(r, a)
		}
		a = modMul(a, a)
	}
	return r
}

// rrefMod brings m to reduced row echelon form modulo p in place and returns the pivot column
// of each of its first rank rows.
func rrefMod(m [][]uint64) []int {
	var pivots []int
	if len(m) == 0 {
		return nil
	}
	row := 0
	for col := 0; col < len(m[0]) && row < len(m); col++ {
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
		for j := col; j < len(m[row]); j++ {
			m[row][j] = modMul(m[row][j], inv)
		}
		for i := range m {
			if i == row || m[i][col] == 0 {
				continue
			}
			f := m[i][col]
			for j := col; j < len(m[i]); j++ {
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

// rankInt is the rational rank of the integer matrix z by fraction-free (Bareiss)
// elimination, which it overwrites; ok is false when an intermediate would overflow int64.
func rankInt(z [][]int64) (rank int, ok bool) {
	if len(z) == 0 {
		return 0, true
	}
	prev := int64(1)
	for col := 0; col < len(z[0]) && rank < len(z); col++ {
		p := -1
		for i := rank; i < len(z); i++ {
			if z[i][col] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		z[rank], z[p] = z[p], z[rank]
		for i := rank + 1; i < len(z); i++ {
			for j := col + 1; j < len(z[i]); j++ {
				x, ok1 := mul64(z[rank][col], z[i][j])
				y, ok2 := mul64(z[i][col], z[rank][j])
				if !ok1 || !ok2 || (x > 0 && y < 0 && x-y < 0) || (x < 0 && y > 0 && x-y > 0) {
					return 0, false
				}
				z[i][j] = (x - y) / prev // exact: Sylvester's identity
			}
			z[i][col] = 0
		}
		prev = z[rank][col]
		rank++
	}
	return rank, true
}

// mul64 multiplies with an overflow check.
func mul64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == -1<<63) || (b == -1 && a == -1<<63) {
		return 0, false
	}
	return c, true
}
