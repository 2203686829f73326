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
//   - Search (when peeling fails: small groups, staff not stating an option). T lowers the rank
//     iff the atoms outside it span less than M: the search looks for a set Z of atoms of lower
//     rank than M whose complement weighs at most k−1 (see hyperplaneSearch). The linear algebra
//     is modulo the prime 2^61−1, over the options' coordinates only: a section's coordinate is
//     its own. The rank modulo p is first certified equal to the rational rank (fraction-free
//     elimination in integers), so a set that lowers the rational rank lowers it modulo p too
//     and none is missed; a set found modulo p only would withhold one option too many, never
//     too few. When the search would exceed its budget it answers "leak": the caller then
//     withholds an option rather than publish what it could not prove safe.

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
			leak, peeled, nodes := leaks(atoms, d.k)
			ok = !leak
			if peeled {
				stats.Peeled++
			} else {
				stats.Searched++
				stats.Nodes += nodes
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
// whether the disjoint bases decided it, and how many nodes the search visited.
func leaks(atoms []discAtom, k int) (leak, peeled bool, nodes int) {
	if peel(atoms, k) {
		return false, true, 0
	}
	leak, nodes = search(atoms, k)
	return leak, false, nodes
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
// It returns the nodes it visited too.
func search(atoms []discAtom, k int) (bool, int) {
	optRow := map[[2]int]int{} // {j, o} → its coordinate
	secRow := map[int]int{}
	for _, at := range atoms {
		if _, ok := secRow[at.g]; !ok && at.g >= 0 {
			secRow[at.g] = len(secRow)
		}
		for j, o := range at.opt {
			if _, ok := optRow[[2]int{j, o}]; !ok && o >= 0 {
				optRow[[2]int{j, o}] = len(optRow)
			}
		}
	}
	s := &hyperplaneSearch{limit: k - 1, budget: searchBudget, ref: make([]int, len(secRow))}
	for _, at := range atoms {
		col := searchAtom{sec: -1, size: at.size, u: make([]uint64, len(optRow))}
		if at.g >= 0 {
			col.sec = secRow[at.g]
		}
		for j, o := range at.opt {
			if o >= 0 {
				col.u[optRow[[2]int{j, o}]] = 1
			}
		}
		s.atoms = append(s.atoms, col)
	}
	// Section by section, the one with the heaviest atom first, each heaviest atom first: heavy
	// atoms fill Z's rank early and cannot go to T, and a section's atoms decided together
	// settle its difference space at once (a fifth of the nodes of a plain heaviest-first order).
	heaviest := map[int]int{}
	for _, a := range s.atoms {
		heaviest[a.sec] = max(heaviest[a.sec], a.size)
	}
	slices.SortStableFunc(s.atoms, func(x, y searchAtom) int {
		return cmp.Or(cmp.Compare(heaviest[y.sec], heaviest[x.sec]), cmp.Compare(x.sec, y.sec), cmp.Compare(y.size, x.size))
	})
	// W: the span of the differences within sections (to the first atom of each) and of the
	// options of atoms in no section; M's rank is its sections plus W's dimension, over the
	// rationals as modulo p. The rank of W modulo p is certified equal to its rational rank, so
	// that a set that lowers the rational rank lowers it modulo p too and none is missed (a set
	// that lowers it modulo p only would withhold one option too many, never too few).
	s.v, s.scratch = make([]uint64, len(optRow)), make([]uint64, len(optRow))
	for g := range s.ref {
		s.ref[g] = -1
	}
	w := &echelon{}
	wq := make([][]int64, len(optRow)) // W's generators as integer columns, for the certificate
	for i, at := range s.atoms {
		if !s.offset(i, s.v) {
			s.ref[at.sec] = i
			continue
		}
		w.add(s.v)
		for x, y := range s.v {
			switch y {
			case 0:
				wq[x] = append(wq[x], 0)
			case 1:
				wq[x] = append(wq[x], 1)
			default:
				wq[x] = append(wq[x], -1) // 0 − 1 modulo p
			}
		}
	}
	if rq, ok := rankInt(wq); !ok || rq != len(w.rows) {
		return true, 0 // the rank modulo p is not certified: refuse rather than risk a leak
	}
	s.rank = len(secRow) + len(w.rows)
	for g := range s.ref {
		s.ref[g] = -1
	}
	leak := s.next(0, 0)
	return leak, searchBudget - s.budget
}

// echelon is a basis in row echelon form modulo p, grown and shrunk one vector at a time:
// each row is zero at the pivots of the rows before it.
type echelon struct {
	rows  [][]uint64
	pivot []int
}

// reduce subtracts from v its part along the basis, leaving it zero at every pivot (and the
// same for every vector of one coset: a vector of the span that is zero at every pivot is
// zero); it reports whether anything is left.
func (e *echelon) reduce(v []uint64) bool {
	for i, r := range e.rows {
		if f := v[e.pivot[i]]; f != 0 {
			for x := range v {
				if r[x] != 0 {
					v[x] = modSub(v[x], modMul(f, r[x]))
				}
			}
		}
	}
	return slices.ContainsFunc(v, func(x uint64) bool { return x != 0 })
}

// add puts a copy of v into the span and reports whether that raised its rank.
func (e *echelon) add(v []uint64) bool {
	v = slices.Clone(v)
	e.reduce(v)
	p := slices.IndexFunc(v, func(x uint64) bool { return x != 0 })
	if p < 0 {
		return false
	}
	inv := modInv(v[p])
	for x := range v {
		v[x] = modMul(v[x], inv)
	}
	e.rows, e.pivot = append(e.rows, v), append(e.pivot, p)
	return true
}

// pop removes the last row added.
func (e *echelon) pop() {
	e.rows, e.pivot = e.rows[:len(e.rows)-1], e.pivot[:len(e.pivot)-1]
}

// hyperplaneSearch looks for a set Z of atoms whose rank is below M's and whose complement T
// weighs at most k−1: removing T lowers the rank, so T holds a light cocircuit (and every
// cocircuit is the complement of such a Z).
//
// Each atom's column is its section's coordinate plus its options' (u). For a set Z in which
// every section has a reference atom, span(Z) is the references' span plus that of D, the
// differences u(a) − u(ref) within sections: rank(Z) = sections touched + dim D, and an atom
// is in span(Z) iff its section is touched and its difference is in D; M's rank is its sections
// plus the dimension of W, the span of all those differences. The linear algebra is thus over
// the options' coordinates only.
//
// Atoms are decided in turn (search says in which order): one already in span(Z) joins Z; one that would give Z full
// rank joins T; any other is tried in Z (the first of its section as its reference) and then in
// T. A branch where an atom of T has come into span(Z) is dropped: moving it to Z is lighter,
// and that set is reached on another branch. Every branch adds a section or a dimension to Z,
// or weight to T, so paths are short.
type hyperplaneSearch struct {
	atoms   []searchAtom
	rank    int   // M's: its sections and the dimension of W
	ref     []int // per section: its reference atom in Z, or −1
	touched int   // sections with a reference
	d       echelon
	v       []uint64 // scratch: the offset of the atom being decided
	scratch []uint64 // scratch: the offset of an atom of T
	t       []int    // atoms put in T by choice
	limit   int      // the most T may weigh
	budget  int
}

// searchAtom is an atom of the search: its section's index (−1: none), respondents and the
// coordinates of its options.
type searchAtom struct {
	sec, size int
	u         []uint64
}

// offset writes to v what must be in D for atom i to be in span(Z): u(i) − u(its section's
// reference); false when its section has no reference yet.
func (s *hyperplaneSearch) offset(i int, v []uint64) bool {
	at := s.atoms[i]
	if at.sec < 0 {
		copy(v, at.u)
		return true
	}
	r := s.ref[at.sec]
	if r < 0 {
		return false
	}
	for x, y := range s.atoms[r].u {
		v[x] = modSub(at.u[x], y)
	}
	return true
}

// dominated reports whether an atom of T is in span(Z).
func (s *hyperplaneSearch) dominated() bool {
	return slices.ContainsFunc(s.t, func(i int) bool {
		return s.offset(i, s.scratch) && !s.d.reduce(s.scratch)
	})
}

// next decides the atoms from i on, with T weighing w so far; true means a light cocircuit
// was found or the budget ran out.
func (s *hyperplaneSearch) next(i, w int) bool {
	if s.budget--; s.budget < 0 {
		return true
	}
	for ; i < len(s.atoms); i++ {
		at := s.atoms[i]
		v := s.v
		if s.offset(i, v) {
			if !s.d.reduce(v) {
				continue // in span(Z)
			}
		} else {
			v = nil
		}
		if s.touched+len(s.d.rows) == s.rank-1 { // in Z it would give Z full rank
			if w += at.size; w > s.limit {
				return false
			}
			continue
		}
		if v == nil { // the first of its section in Z: its reference
			s.ref[at.sec] = i
			s.touched++
		} else {
			s.d.add(v)
		}
		found := !s.dominated() && s.next(i+1, w)
		if v == nil {
			s.ref[at.sec] = -1
			s.touched--
		} else {
			s.d.pop()
		}
		if found {
			return true
		}
		return s.toT(i, w)
	}
	return true // rank(Z) is below M's and T weighs at most the limit
}

// toT puts atom i in T and decides the rest.
func (s *hyperplaneSearch) toT(i, w int) bool {
	if w += s.atoms[i].size; w > s.limit {
		return false
	}
	s.t = append(s.t, i)
	found := s.next(i+1, w)
	s.t = s.t[:len(s.t)-1]
	return found
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
