package jatext

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Theme is a frequent term of a set of texts.
type Theme struct {
	Term     string `json:"term"`     // a word's base form, or a compound noun
	Compound bool   `json:"compound"` // a compound noun (人事評価, 窓口対応)
	Count    int    `json:"count"`    // how many texts contain it
	Texts    []int  `json:"texts"`    // the indices of those texts, ascending
}

// Themes returns up to max terms found in at least min of texts (min below 1 counts as 1; max
// below 1 means no limit), most frequent first; among equally frequent, compound nouns first,
// then in the byte order of Term.
//
// A term is the base form of a content word: a noun (一般, サ変接続, 形容動詞語幹, 固有名詞), an
// independent verb or adjective, less a stop list of words that say nothing (する, ある, こと,
// 思う, …), numbers, pronouns, single hiragana and redactions (＊＊). A compound noun is a run of
// two or more nouns written together, perhaps after a prefix and with suffixes (人事評価制度,
// 超過勤務, ペーパーレス化); its words count on their own too, and a compound counts the texts
// of the longer compounds that hold it (a comment on 人事評価制度 is on 人事評価). A run of katakana is one word
// (ペーパー+レス is ペーパーレス). No name is a term or part of one: the words Names flags are
// left out, and so is every compound holding one.
func Themes(texts []string, min, max int) []Theme {
	min = maxInt(min, 1)
	type key struct {
		term     string
		compound bool
	}
	found := map[key]*Theme{}
	for i, ws := range eachWords(texts) {
		seen := map[key]bool{}
		for _, w := range ws {
			k := key{w.term, w.compound}
			if seen[k] {
				continue
			}
			seen[k] = true
			th := found[k]
			if th == nil {
				th = &Theme{Term: w.term, Compound: w.compound}
				found[k] = th
			}
			th.Count++
			th.Texts = append(th.Texts, i)
		}
	}
	// A compound counts the texts of the longer compounds holding it: a comment on 人事評価制度
	// is on 人事評価 too.
	var compounds []*Theme
	for _, th := range found {
		if th.Compound {
			compounds = append(compounds, th)
		}
	}
	longer := map[*Theme][]int{}
	for _, a := range compounds {
		for _, b := range compounds {
			if a != b && len(b.Term) > len(a.Term) && strings.Contains(b.Term, a.Term) {
				longer[a] = append(longer[a], b.Texts...)
			}
		}
	}
	for th, more := range longer {
		th.Texts = union(th.Texts, more)
		th.Count = len(th.Texts)
	}
	// A term that only ever appears inside one longer compound says nothing that compound
	// does not (超過 and 勤務 beside 超過勤務, in the same comments): it is left out.
	redundant := func(th *Theme) bool {
		for _, c := range compounds {
			if c != th && len(c.Term) > len(th.Term) && strings.Contains(c.Term, th.Term) && slices.Equal(c.Texts, th.Texts) {
				return true
			}
		}
		return false
	}
	out := make([]Theme, 0, len(found))
	for _, th := range found {
		if th.Count >= min && !redundant(th) {
			out = append(out, *th)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Compound != b.Compound {
			return a.Compound
		}
		return a.Term < b.Term
	})
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}

// eachWords returns the words of every text, analysed on every CPU (inParallel).
func eachWords(texts []string) [][]word {
	out := make([][]word, len(texts))
	inParallel(len(texts), func(i int) { out[i] = words(texts[i]) })
	return out
}

// inParallel calls fn(0) … fn(n−1) on every CPU: the morphological analysis is most of the
// time of reading many comments, and comments are independent. The tokenizer is safe for
// concurrent use.
func inParallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// union returns the distinct ints of a and b, ascending.
func union(a, b []int) []int {
	out := append(append([]int(nil), a...), b...)
	sort.Ints(out)
	u := out[:0]
	for i, x := range out {
		if i == 0 || x != out[i-1] {
			u = append(u, x)
		}
	}
	return u
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// word is a term or a compound noun of a text.
type word struct {
	term     string
	compound bool
}

// stopTerms are content words that say nothing about what a comment is about.
var stopTerms = map[string]bool{
	"する": true, "なる": true, "ある": true, "いる": true, "こと": true, "もの": true, "ため": true,
	"よう": true, "これ": true, "それ": true, "あれ": true, "思う": true, "感じる": true, "等": true,
	"できる": true, "出来る": true, "おる": true, "くる": true, "来る": true, "いく": true, "みる": true,
	"くれる": true, "もらう": true, "いう": true, "言う": true, "ない": true, "いい": true, "よい": true,
	"良い": true, "人": true, "方": true, "時": true, "際": true, "点": true, "さ": true, "とき": true,
	"ところ": true, "など": true, "やる": true, "しまう": true, "おく": true, "られる": true, "れる": true,
	"せる": true, "分かる": true, "わかる": true, "ほしい": true, "欲しい": true,
}

// words returns the terms and compound nouns of text, in order, with repeats.
func words(text string) []word {
	ts := tokens(text)
	named := make([]bool, len(ts))
	spans := (&Finder{}).names(text, ts)
	k := 0 // spans and tokens are both in order
	for i, t := range ts {
		for k < len(spans) && spans[k].End <= t.start {
			k++
		}
		named[i] = k < len(spans) && spans[k].Start < t.end
	}
	ts, named = joinKatakana(ts, named)
	var out []word
	run, runNamed := 0, false // the length of the run of nouns ending at the current token
	flush := func(end int) {
		if n := run; n >= 2 && !runNamed {
			rs := ts[end-n : end]
			for len(rs) > 0 && rs[len(rs)-1].pos(0) == "接頭詞" {
				rs = rs[:len(rs)-1]
			}
			if len(rs) >= 2 {
				out = append(out, word{term: joined(rs), compound: true})
			}
		}
		run, runNamed = 0, false
	}
	for i, t := range ts {
		if run > 0 && ts[i-1].end != t.start || !inCompound(t, run == 0) {
			flush(i)
		}
		if inCompound(t, run == 0) {
			run++
			runNamed = runNamed || named[i] || isPersonName(t)
		}
		if term, ok := termOf(t); ok && !named[i] {
			out = append(out, word{term: term})
		}
	}
	flush(len(ts))
	return out
}

// termOf returns the term of t, if t is a content word worth counting: its base form, or for a
// 五段 verb its continuative form when that is a noun too (見直す → 見直し, 休む → 休み), so that
// 「見直してほしい」 and 「見直しを」 are one theme.
func termOf(t token) (string, bool) {
	switch t.pos(0) {
	case "名詞":
		switch t.pos(1) {
		case "一般", "サ変接続", "形容動詞語幹":
		case "固有名詞":
			if t.pos(2) == "人名" {
				return "", false
			}
		default:
			return "", false
		}
	case "動詞", "形容詞":
		if t.pos(1) != "自立" {
			return "", false
		}
	default:
		return "", false
	}
	b := t.base()
	if stopTerms[b] || hasRedaction(b) || utf8.RuneCountInString(b) == 1 && isHiragana(b) {
		return "", false
	}
	if t.pos(0) == "動詞" && strings.HasPrefix(t.pos(4), "五段") {
		return nominal(b), true
	}
	return b, true
}

// continuative maps the last kana of a 五段 verb to that of its continuative form (見直す → 見直し).
var continuative = map[rune]rune{'う': 'い', 'く': 'き', 'ぐ': 'ぎ', 'す': 'し', 'つ': 'ち', 'ぬ': 'に', 'ぶ': 'び', 'む': 'み', 'る': 'り'}

// nominals caches nominal: verb base form → term.
var nominals sync.Map

// nominal returns the continuative form of the 五段 verb base when the dictionary knows it as a
// noun (見直す → 見直し), or base.
func nominal(base string) string {
	if v, ok := nominals.Load(base); ok {
		return v.(string)
	}
	term := base
	r, n := utf8.DecodeLastRuneInString(base)
	if i, ok := continuative[r]; ok && n < len(base) {
		stem := base[:len(base)-n] + string(i)
		if ts := tokens(stem); len(ts) == 1 && ts[0].pos(0) == "名詞" && (ts[0].pos(1) == "一般" || ts[0].pos(1) == "サ変接続") {
			term = stem
		}
	}
	nominals.Store(base, term)
	return term
}

// inCompound reports whether t may be part of a compound noun; first, whether it may start one.
func inCompound(t token, first bool) bool {
	switch t.pos(0) {
	case "接頭詞":
		return first && t.pos(1) == "名詞接続"
	case "名詞":
		switch t.pos(1) {
		case "一般", "サ変接続", "形容動詞語幹", "固有名詞":
			return !hasRedaction(t.surface)
		case "副詞可能": // 通勤時間, but not 今回研修
			return !first
		case "接尾":
			return !first && t.pos(2) != "人名" && t.pos(2) != "助数詞"
		}
	}
	return false
}

// joinKatakana joins each run of katakana tokens written together into one noun (ペーパー+レス
// is ペーパーレス, テレ+ワーク is テレワーク), named if any part of it is.
func joinKatakana(ts []token, named []bool) ([]token, []bool) {
	var out []token
	var outNamed []bool
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && isKatakana(ts[i].surface) && isKatakana(ts[j].surface) && ts[j].start == ts[j-1].end {
			j++
		}
		if j == i+1 {
			out, outNamed = append(out, ts[i]), append(outNamed, named[i])
			i++
			continue
		}
		t := token{start: ts[i].start, end: ts[j-1].end, surface: joined(ts[i:j]), feat: []string{"名詞", "一般"}}
		n := false
		for k := i; k < j; k++ {
			n = n || named[k]
		}
		out, outNamed = append(out, t), append(outNamed, n)
		i = j
	}
	return out, outNamed
}
