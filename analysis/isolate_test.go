package analysis

import "testing"

// TestIsolates: sets that, with the section groups, pin down fewer than k respondents are
// found; sets that do not are not (k = 5).
func TestIsolates(t *testing.T) {
	tests := []struct {
		name  string
		atoms []SetAtom
		want  bool
	}{
		{"one set of 10 in one section", []SetAtom{{Size: 10, Group: 0, In: []bool{true}}, {Size: 20, Group: 0, In: []bool{false}}}, false},
		{"a set of 3", []SetAtom{{Size: 3, Group: 0, In: []bool{true}}, {Size: 20, Group: 0, In: []bool{false}}}, true},
		// Sections 1 and 2 are inside the set: the set minus them is the 3 of section 3.
		{"a set minus sections", []SetAtom{
			{Size: 6, Group: 1, In: []bool{true}}, {Size: 6, Group: 2, In: []bool{true}},
			{Size: 3, Group: 3, In: []bool{true}}, {Size: 9, Group: 3, In: []bool{false}},
		}, true},
		// The writers spread over sections that keep k outside the set: nothing to subtract.
		{"a set across sections", []SetAtom{
			{Size: 3, Group: 1, In: []bool{true}}, {Size: 6, Group: 1, In: []bool{false}},
			{Size: 3, Group: 2, In: []bool{true}}, {Size: 6, Group: 2, In: []bool{false}},
		}, false},
		// B inside A, A minus B is 2.
		{"nested sets", []SetAtom{
			{Size: 8, Group: -1, In: []bool{true, true}}, {Size: 2, Group: -1, In: []bool{true, false}},
			{Size: 30, Group: -1, In: []bool{false, false}},
		}, true},
		// Two sets overlapping in 2: the overlap alone is not spanned.
		{"overlapping sets", []SetAtom{
			{Size: 6, Group: -1, In: []bool{true, false}}, {Size: 2, Group: -1, In: []bool{true, true}},
			{Size: 6, Group: -1, In: []bool{false, true}}, {Size: 30, Group: -1, In: []bool{false, false}},
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Isolates(tt.atoms, 5); got != tt.want {
				t.Errorf("Isolates(%+v, 5) = %v; want %v", tt.atoms, got, tt.want)
			}
		})
	}
}
