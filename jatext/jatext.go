package jatext

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

// Span is a part of a text, by byte offsets [Start, End).
type Span struct {
	Start, End int
	Text       string // the text of the span
	Why        string // why it was found: "人名" (a name in the dictionary), "敬称" (before an honorific or a title), "再出" (another occurrence of a name found in the same text), "指定" (a word given to Find)
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

// token is a word of a text as the analyser reads it, with its byte offsets in that text.
type token struct {
	start, end int
	surface    string
	feat       []string // part of speech, subclasses, conjugation, base form, reading
	unknown    bool     // not in the dictionary
}

// pos returns the i-th feature, or "" when there is none.
func (t token) pos(i int) string {
	if i < len(t.feat) {
		return t.feat[i]
	}
	return ""
}

// base returns the word's base form (思っ → 思う), or its surface when the dictionary has none.
func (t token) base() string {
	if b := t.pos(6); b != "" && b != "*" {
		return b
	}
	return t.surface
}

// tokens reads text. Byte offsets are those of text itself: bytes that are not UTF-8 are read as
// spaces, one byte for one, so that no offset moves and none falls inside a rune.
func tokens(text string) []token {
	clean := normalise(text)
	if !utf8.ValidString(clean) {
		b := []byte(clean)
		for i := 0; i < len(b); {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				b[i] = ' '
			}
			i += n
		}
		clean = string(b)
	}
	ts := analyser().Tokenize(clean)
	out := make([]token, 0, len(ts))
	for _, t := range ts {
		end := t.Position + len(t.Surface)
		if t.Position < 0 || end > len(text) {
			continue // never seen; kept out so that no offset leaves the text
		}
		out = append(out, token{
			start:   t.Position,
			end:     end,
			surface: t.Surface,
			feat:    t.Features(),
			unknown: t.Class == tokenizer.UNKNOWN,
		})
	}
	return out
}

// Find returns the occurrences of words in text, in order and not overlapping (overlapping
// occurrences are merged into one span). It ignores the same differences as Matches — width,
// case, katakana against hiragana — so that hiding ヤマダ also hides やまだ, and Ｋｅｎ hides ken.
func Find(text string, words []string) []Span {
	var spans []Span
	ft := foldRunes(text)
	for _, w := range words {
		fw := foldRunes(w)
		if len(fw) == 0 {
			continue
		}
		for i := 0; i+len(fw) <= len(ft); i++ {
			if !runesEqualAt(ft, i, fw) {
				continue
			}
			start, end := ft[i].at, ft[i+len(fw)-1].at+ft[i+len(fw)-1].size
			spans = append(spans, Span{Start: start, End: end, Why: "指定"})
		}
	}
	return merge(text, spans, false)
}

// Redact returns text with every span replaced by Redaction. Spans may come in any order and may
// overlap: overlapping and touching spans become one Redaction. Offsets outside text are clipped.
func Redact(text string, spans []Span) string {
	ss := merge(text, spans, false)
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, s := range ss {
		b.WriteString(text[last:s.Start])
		b.WriteString(Redaction)
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// merge returns spans clipped to text, sorted, with overlapping and touching spans joined — and,
// when overBlanks, spans apart by spaces only (田中　太郎) — their Text set from text. A joined
// span keeps the Why of its first part. Empty spans are dropped.
func merge(text string, spans []Span, overBlanks bool) []Span {
	ss := make([]Span, 0, len(spans))
	for _, s := range spans {
		s.Start = max(s.Start, 0)
		s.End = min(s.End, len(text))
		if s.Start < s.End {
			ss = append(ss, s)
		}
	}
	sort.SliceStable(ss, func(i, j int) bool {
		if ss[i].Start != ss[j].Start {
			return ss[i].Start < ss[j].Start
		}
		return ss[i].End > ss[j].End
	})
	out := ss[:0]
	for _, s := range ss {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if s.Start <= last.End || overBlanks && strings.TrimSpace(text[last.End:s.Start]) == "" {
				last.End = max(last.End, s.End)
				continue
			}
		}
		out = append(out, s)
	}
	for i := range out {
		out[i].Text = text[out[i].Start:out[i].End]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
