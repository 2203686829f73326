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

// common is the expanded list: each base, lowercased, with every suffix, and doubled.
var common = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonBases, "\n") {
		base := strings.ToLower(strings.TrimSpace(line))
		if base == "" || strings.HasPrefix(base, "#") {
			continue
		}
		for _, suf := range suffixes {
			m[base+suf] = true
			m[base+base+suf] = true
		}
	}
	return m
})

// CommonCount is how many passwords the common-password check knows (for the docs and tests).
func CommonCount() int { return len(common()) }

// IsCommon reports whether password is a common password or a trivial variation of one: the
// expanded list in any letter case, a base of the list followed only by digits and symbols,
// one character repeated, or a run of consecutive characters (abcdef…, 123456…).
func IsCommon(password string) bool {
	p := strings.ToLower(password)
	m := common()
	if m[p] {
		return true
	}
	stem := strings.TrimRightFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if stem != "" && stem != p && m[stem] {
		return true
	}
	stem = strings.TrimLeftFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if stem != "" && stem != p && m[stem] {
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
