package jatext

import (
	"strings"
	"unicode/utf8"
)

// Matches reports whether text contains every word of query. Words are separated by spaces,
// half-width or full-width (　); an empty query matches every text. The comparison ignores the
// width of ASCII letters, digits and symbols (ＰＣ = PC), their case (pc = PC) and the
// difference between katakana and hiragana (テレワーク = てれわーく). Half-width katakana (ﾃﾚﾜｰｸ)
// is not folded.
func Matches(text, query string) bool {
	words := strings.Fields(fold(query))
	if len(words) == 0 {
		return true
	}
	t := fold(text)
	for _, w := range words {
		if !strings.Contains(t, w) {
			return false
		}
	}
	return true
}

// foldRune maps a rune to the one it is compared as: full-width ASCII (U+FF01–U+FF5E) and the
// ideographic space to ASCII, upper case ASCII to lower case, katakana to hiragana. One rune
// always maps to one rune, so that offsets in a folded text map back to the original.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // ！ … ～
		r -= 0xFEE0
	case r == 0x3000: // ideographic space
		return ' '
	}
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r >= 0x30A1 && r <= 0x30F6: // ァ … ヶ
		return r - 0x60
	case r == 0x30FD || r == 0x30FE: // ヽ ヾ
		return r - 0x60
	}
	return r
}

// fold returns s with every rune folded by foldRune.
func fold(s string) string {
	return strings.Map(foldRune, s)
}

// foldedRune is a rune of a folded text and the byte offset and size of its original.
type foldedRune struct {
	r        rune
	at, size int
}

// foldRunes returns the folded runes of s with their offsets in s. Bytes that are not UTF-8
// stand for themselves (as utf8.RuneError, one byte long) and match nothing but each other.
func foldRunes(s string) []foldedRune {
	out := make([]foldedRune, 0, len(s)/2)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		out = append(out, foldedRune{r: foldRune(r), at: i, size: n})
		i += n
	}
	return out
}

// runesEqualAt reports whether word occurs in text at rune index i.
func runesEqualAt(text []foldedRune, i int, word []foldedRune) bool {
	for k := range word {
		if text[i+k].r != word[k].r {
			return false
		}
	}
	return true
}
