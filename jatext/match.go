package jatext

import (
	"strings"
	"unicode/utf8"
)

// Matches reports whether text contains every word of query. Words are separated by spaces,
// half-width or full-width (　); an empty query matches every text. The comparison ignores the
// width of ASCII letters, digits and symbols (ＰＣ = PC) and of katakana (ﾃﾚﾜｰｸ = テレワーク),
// letter case (pc = PC) and the difference between katakana and hiragana (テレワーク = てれわーく).
func Matches(text, query string) bool {
	words := QueryWords(fold(query))
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

// QueryWords returns the words of a search query as Matches reads them: separated by spaces,
// half-width or full-width. Find marks them in a text the way Matches compares them.
func QueryWords(query string) []string { return strings.Fields(query) }

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

// fold returns s folded: every rune by foldRune, after half-width katakana is made full-width
// (ﾃﾞ is デ).
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		f := foldAt(s, i)
		b.WriteRune(f.r)
		i += f.size
	}
	return b.String()
}

// foldedRune is a rune of a folded text and the byte offset and size of its original: one rune,
// or two for a half-width kana and its sound mark (ﾃﾞ).
type foldedRune struct {
	r        rune
	at, size int
}

// foldRunes returns the folded runes of s with their offsets in s. Bytes that are not UTF-8
// stand for themselves (as utf8.RuneError, one byte long) and match nothing but each other.
func foldRunes(s string) []foldedRune {
	out := make([]foldedRune, 0, len(s)/2)
	for i := 0; i < len(s); {
		f := foldAt(s, i)
		out = append(out, f)
		i += f.size
	}
	return out
}

// foldAt returns the folded rune of s at byte offset i.
func foldAt(s string, i int) foldedRune {
	r, n := utf8.DecodeRuneInString(s[i:])
	if r >= 0xFF61 && r <= 0xFF9F {
		r = halfKana[r-0xFF61]
		if next, m := utf8.DecodeRuneInString(s[i+n:]); next == 0xFF9E || next == 0xFF9F {
			if v := soundMark(r, next == 0xFF9F); v != r {
				r, n = v, n+m
			}
		}
	}
	return foldedRune{r: foldRune(r), at: i, size: n}
}

// halfKana maps the half-width katakana block, U+FF61 (｡) to U+FF9F (ﾟ), to full width.
var halfKana = []rune("。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜")

// soundMark returns kana r with a voiced (ガ) or, when semi, a semi-voiced (パ) sound mark, or r
// itself when it takes none.
func soundMark(r rune, semi bool) rune {
	switch {
	case semi && strings.ContainsRune("ハヒフヘホ", r):
		return r + 2
	case !semi && strings.ContainsRune("カキクケコサシスセソタチツテトハヒフヘホ", r):
		return r + 1
	case !semi && r == 'ウ':
		return 'ヴ'
	}
	return r
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
