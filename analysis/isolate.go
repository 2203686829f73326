package analysis

// SetAtom is a set of respondents who are in exactly the same published groups: the section
// group Group (an index of the caller's, −1 for none) and, per other published set of the
// caller's, whether they are In it. The sets need not partition anything (themes of comments
// overlap).
type SetAtom struct {
	Size  int
	Group int
	In    []bool
}

// Isolates reports whether the numbers published over the section groups and the sets of
// atoms — sums, counts or shares of any value of their respondents — combine into a number over
// 1..k−1 respondents: the principle of §6.5c, checked exactly as for attributes (disclosure.go).
// It also says true when the search could not rule that out within its budget: the caller then
// publishes less.
func Isolates(atoms []SetAtom, k int) bool {
	da := make([]discAtom, 0, len(atoms))
	for _, a := range atoms {
		if a.Size <= 0 {
			continue
		}
		at := discAtom{size: a.Size, g: a.Group, opt: make([]int, len(a.In))}
		for j, in := range a.In {
			if !in {
				at.opt[j] = -1
			}
		}
		da = append(da, at)
	}
	leak, _, _ := leaks(da, k)
	return leak
}
