// Package jatext reads Japanese free text — the comments staff write — with the morphological
// analyser kagome and its IPA dictionary: the person names a comment contains (so that it can
// be kept out of every report until an admin redacts or clears it), the frequent terms and
// compound nouns of a set of comments, and keyword search.
//
// The dictionary is large (about 90 MiB in memory, a second or more to load), so it is loaded
// once, on first use.
//
// The package imports only the standard library and kagome.
package jatext

import (
	"strings"
	"sync"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

// Span is a part of a text, by byte offsets [Start, End).
type Span struct {
	Start, End int
	Text       string // the text of the span
	Why        string // why it was found: "人名" (a name in the dictionary), "敬称" (before an honorific or a title), "指定" (a word given to Find)
}

// Redaction replaces a redacted span.
const Redaction = "＊＊"

var (
	loadOnce sync.Once
	tk       *tokenizer.Tokenizer
	loadErr  error
)

// analyser returns the shared tokenizer, loading the dictionary on first use.
func analyser() *tokenizer.Tokenizer {
	loadOnce.Do(func() {
		tk, loadErr = tokenizer.New(ipa.Dict(), tokenizer.OmitBosEos())
	})
	if loadErr != nil {
		panic("jatext: " + loadErr.Error()) // the dictionary is embedded: this cannot fail at run time
	}
	return tk
}

// Load loads the dictionary now rather than on first use (a server may do it in the background).
func Load() { analyser() }

// Names returns the person names in text, in order and not overlapping: words the dictionary
// knows as names (名詞,固有名詞,人名) and words before an honorific or a title (…さん, …課長).
// TODO(jatext): honorific patterns.
func Names(text string) []Span {
	var out []Span
	for _, t := range analyser().Tokenize(text) {
		f := t.Features()
		if len(f) >= 3 && f[0] == "名詞" && f[1] == "固有名詞" && f[2] == "人名" {
			out = append(out, Span{Start: t.Position, End: t.Position + len(t.Surface), Text: t.Surface, Why: "人名"})
		}
	}
	return out
}

// Find returns the occurrences of words in text, in order and not overlapping.
func Find(text string, words []string) []Span {
	var out []Span
	for _, w := range words {
		if w == "" {
			continue
		}
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			out = append(out, Span{Start: i + j, End: i + j + len(w), Text: w, Why: "指定"})
			i += j + len(w)
		}
	}
	return out
}

// Redact returns text with every span replaced by Redaction.
func Redact(text string, spans []Span) string {
	var b strings.Builder
	last := 0
	for _, s := range spans {
		if s.Start < last {
			continue
		}
		b.WriteString(text[last:s.Start])
		b.WriteString(Redaction)
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// Theme is a frequent term of a set of texts.
type Theme struct {
	Term     string `json:"term"`     // a word's base form, or a compound noun
	Compound bool   `json:"compound"` // a compound noun (人事評価, 窓口対応)
	Count    int    `json:"count"`    // how many texts contain it
	Texts    []int  `json:"texts"`    // the indices of those texts, ascending
}

// Themes returns up to max terms found in at least min of texts, most frequent first.
// TODO(jatext): compound nouns, stop words.
func Themes(texts []string, min, max int) []Theme {
	return nil
}

// Matches reports whether text contains query, ignoring the width of letters and digits and case.
func Matches(text, query string) bool {
	return strings.Contains(strings.ToLower(text), strings.ToLower(query))
}
