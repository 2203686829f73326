package analysis

import (
	"encoding/binary"
	"slices"

	"staffsurvey/survey"
)

// atomTable counts respondents by everything the disclosure check needs to know about them:
// their section, their option of every attribute, and which metrics count them (a category's
// respondents, a question's answerers, satisfaction, eNPS, 組織活性度). Respondents with equal
// keys are indistinguishable in every published number: they form the check's atoms. It holds
// counts, never answers, and lives only while the accumulator does.
type atomTable struct {
	cats, items int // categories, questions
	attrs       int
	key         []byte
	counts      map[string]int
}

// Metric units of the disclosure check, by index: the categories, then every question, then
// satisfaction, eNPS and 組織活性度.
func (t *atomTable) units() int         { return t.cats + t.items + 3 }
func (t *atomTable) itemUnit(i int) int { return t.cats + i }
func (t *atomTable) satUnit() int       { return t.cats + t.items }
func (t *atomTable) enpsUnit() int      { return t.cats + t.items + 1 }
func (t *atomTable) actUnit() int       { return t.cats + t.items + 2 }

func newAtomTable(a *Accumulator) *atomTable {
	t := &atomTable{cats: len(a.cats), items: len(a.xs), attrs: len(a.q.Attributes), counts: map[string]int{}}
	return t
}

// add counts respondent r, of tree node node, from the accumulator's scratch of r.
func (t *atomTable) add(a *Accumulator, r *survey.Response, node int, active bool) {
	b := binary.BigEndian.AppendUint32(t.key[:0], uint32(node))
	for j := range t.attrs {
		o := r.Attribute(j)
		if o < 0 || int(o) >= len(a.opts[j]) {
			o = -1
		}
		b = append(b, byte(o))
	}
	mask := len(b)
	for range (t.units() + 7) / 8 {
		b = append(b, 0)
	}
	set := func(u int) { b[mask+u/8] |= 1 << (u % 8) }
	for c, spec := range a.cats {
		if !a.defined[c] || spec.axis != noAxis && !active {
			continue
		}
		set(c)
		for j := range spec.reverse {
			if a.xs[spec.start+j] >= 0 {
				set(t.itemUnit(spec.start + j))
			}
		}
	}
	if v := int64(r.Satisfaction); a.sat && v >= 1 && v <= a.points {
		set(t.satUnit())
	}
	if v := r.ENPS; a.enps && v >= 0 && v <= 10 {
		set(t.enpsUnit())
	}
	if active {
		set(t.actUnit())
	}
	t.key = b
	t.counts[string(b)]++
}

// atomEntry is one decoded key of the table with its count.
type atomEntry struct {
	node int
	opts []int8
	mask []byte
	n    int
}

func (e *atomEntry) in(u int) bool { return e.mask[u/8]&(1<<(u%8)) != 0 }

func (t *atomTable) entries() []atomEntry {
	keys := make([]string, 0, len(t.counts))
	for k := range t.counts {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the check's order, and so its work, does not depend on map order
	out := make([]atomEntry, 0, len(t.counts))
	for _, k := range keys {
		n := t.counts[k]
		b := []byte(k)
		e := atomEntry{node: int(binary.BigEndian.Uint32(b)), n: n}
		for _, o := range b[4 : 4+t.attrs] {
			e.opts = append(e.opts, int8(o))
		}
		e.mask = b[4+t.attrs:]
		out = append(out, e)
	}
	return out
}
