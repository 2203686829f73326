package survey

import (
	"strings"
	"unicode/utf8"
)

// Short names label rows and axes where a full name does not fit: a phone's card, a chart's
// axis. A file may give one (`short: {ja, en}` on a section or category, docs/formats.md);
// otherwise one is generated, so that rows can still be told apart: a section's name without
// its parent's name in front (「保険年金課 国民健康保険担当」 under 保険年金課 is
// 「国民健康保険担当」), then cut to MaxShortJA / MaxShortEN characters.

// Limits of a short name, in characters.
const (
	MaxShortJA = 10
	MaxShortEN = 24
)

// ShortName generates the short name of a section called name under a parent called parent
// (top is true for a child of the root, whose name is not prefixed with the root's).
func ShortName(name, parent Text, top bool) Text {
	strip := func(s, prefix string) string {
		if top || prefix == "" || !strings.HasPrefix(s, prefix) {
			return s
		}
		rest := strings.TrimLeft(s[len(prefix):], " 　,、・-–")
		if rest == "" {
			return s
		}
		return rest
	}
	return Text{JA: Abbreviate(strip(name.JA, parent.JA), MaxShortJA), EN: Abbreviate(strip(name.EN, parent.EN), MaxShortEN)}
}

// Abbreviate cuts s to at most n characters, ending it with "…" when it was cut.
func Abbreviate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// ShortTitle is the category's short title in lang: the file's, or the title cut to size.
func (c Category) ShortTitle(lang string) string {
	if c.Short.JA != "" {
		return c.Short.In(lang)
	}
	if lang == "en" && c.Title.EN != "" {
		return Abbreviate(c.Title.EN, MaxShortEN)
	}
	return Abbreviate(c.Title.JA, MaxShortJA)
}
