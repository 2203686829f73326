package password

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

//go:embed common.txt
var commonBases string

// suffixes are what people add to a common base to pass a length rule.
var suffixes = func() []string {
	s := []string{"", "!", "!!", "?", ".", "@", "#", "$", "*", "1", "12", "123", "1234", "12345", "123456",
		"!1", "1!", "123!", "01", "007", "69", "77", "88", "99", "00", "000", "111", "321", "4321"}
	for y := 1950; y <= 2035; y++ {
		s = append(s, strconv.Itoa(y), strconv.Itoa(y)+"!", strconv.Itoa(y%100))
	}
	for d := 0; d <= 9; d++ {
		s = append(s, strconv.Itoa(d))
	}
	return s
}()

// bases is the list of common.txt, lowercased.
var bases = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonBases, "\n") {
		base := strings.ToLower(strings.TrimSpace(line))
		if base != "" && !strings.HasPrefix(base, "#") {
			m[base] = true
		}
	}
	return m
})

// commonExpanded reports whether p (lowercase) is a base, or a base doubled, followed by one
// of the suffixes: the expanded list, checked without building it.
func commonExpanded(p string) bool {
	m := bases()
	for _, suf := range suffixes {
		stem, ok := strings.CutSuffix(p, suf)
		if !ok {
			continue
		}
		if m[stem] {
			return true
		}
		if half := len(stem) / 2; len(stem)%2 == 0 && stem[:half] == stem[half:] && m[stem[:half]] {
			return true
		}
	}
	return false
}

// CommonCount is how many passwords the common-password check covers: every base alone and
// doubled, with every suffix (for the docs and tests).
func CommonCount() int { return 2 * len(bases()) * len(suffixes) }

// IsCommon reports whether password is a common password or a trivial variation of one: the
// expanded list in any letter case, a base of the list followed only by digits and symbols,
// one character repeated, or a run of consecutive characters (abcdef…, 123456…).
func IsCommon(password string) bool {
	p := strings.ToLower(password)
	if commonExpanded(p) {
		return true
	}
	m := bases()
	stem := strings.TrimRightFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if stem != "" && stem != p && (m[stem] || commonExpanded(stem)) {
		return true
	}
	stem = strings.TrimLeftFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if stem != "" && stem != p && (m[stem] || commonExpanded(stem)) {
		return true
	}
	rs := []rune(p)
	same, up, down := true, true, true
	for i := 1; i < len(rs); i++ {
		same = same && rs[i] == rs[0]
		up = up && rs[i] == rs[i-1]+1
		down = down && rs[i] == rs[i-1]-1
	}
	return len(rs) > 1 && (same || up || down)
}
