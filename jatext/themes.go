package jatext

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Theme is a frequent term of a set of texts.
type Theme struct {
	Term     string   `json:"term"`               // as most texts write it: a noun, a compound noun or a phrase
	Compound bool     `json:"compound"`           // a compound noun (人事評価, 窓口対応)
	Phrase   bool     `json:"phrase,omitempty"`   // a noun, a particle and a predicate (残業が多い)
	Variants []string `json:"variants,omitempty"` // the other spellings counted with it (引き継ぎ beside 引継ぎ)
	Count    int      `json:"count"`              // how many texts contain it
	Texts    []int    `json:"texts"`              // the indices of those texts, ascending
}

// Themes returns up to max themes found in at least min of texts (min below 1 counts as 1;
// max below 1 means no limit), most frequent first; among equally frequent, phrases, then
// compound nouns, then single words, then in the byte order of Term.
//
// A theme is one of:
//
//   - a phrase: a noun or compound noun, the particle が or を (は and も read as が) and the
//     predicate right after it — an adjective, a verb, an adjectival noun — with にくい,
//     づらい or やすい kept and a negation kept (残業が多い, 休暇が取りにくい, 人員が足りない,
//     引継ぎが不十分); not when the predicate says nothing (ある, する, なる, 思う, …);
//   - a compound noun: a run of two or more nouns written together, perhaps after a prefix
//     and with suffixes (人事評価制度, 超過勤務, ペーパーレス化, 引継ぎ資料); a compound counts
//     the texts of the longer compounds that hold it (a comment on 人事評価制度 is on 人事評価);
//   - a single noun of two characters or more that is not on the stop list (業務, 仕事, 職員
//     and the like say nothing on their own), or the noun of a compound verb (見直す as
//     見直し). Verbs and adjectives count only inside phrases: alone (多い, 困る, 止める) they
//     say nothing a chief could act on. Latin letters count only as an acronym (OJT, PC).
//
// Spelling variants are one theme, shown as most texts write it: width (ＰＣ, ﾃﾚﾜｰｸ),
// okurigana (引継ぎ, 引き継ぎ, 引継), and the long vowel at the end of a katakana word
// (コンピューター, コンピュータ). A theme only ever seen inside one longer theme, in the same
// texts, says nothing that one does not and is left out (超過 beside 超過勤務, 残業 beside
// 残業が多い). A run of katakana is one word (ペーパー+レス is ペーパーレス). No name is a
// theme or part of one: the words Names flags are left out, and so is every compound or
// phrase holding one.
func Themes(texts []string, min, max int) []Theme {
	min = maxInt(min, 1)
	type key struct {
		key  string
		kind kind
	}
	found := map[key]*Theme{}
	spellings := map[key]map[string]int{}
	for i, ws := range eachWords(texts) {
		seen := map[key]bool{}
		for _, w := range ws {
			k := key{w.key, w.kind}
			if spellings[k] == nil {
				spellings[k] = map[string]int{}
			}
			if seen[k] {
				continue
			}
			spellings[k][w.term]++
			seen[k] = true
			th := found[k]
			if th == nil {
				th = &Theme{Compound: w.kind == kindCompound, Phrase: w.kind == kindPhrase}
				found[k] = th
			}
			th.Count++
			th.Texts = append(th.Texts, i)
		}
	}
	keyOf := map[*Theme]string{}
	for k, th := range found {
		keyOf[th] = k.key
		th.Term, th.Variants = mostWritten(spellings[k])
	}
	// A compound counts the texts of the longer compounds holding it: a comment on 人事評価制度
	// is on 人事評価 too.
	var compounds, longers []*Theme
	for _, th := range found {
		if th.Compound {
			compounds = append(compounds, th)
		}
		if th.Compound || th.Phrase {
			longers = append(longers, th)
		}
	}
	holds := func(b, a *Theme) bool {
		return a != b && len(keyOf[b]) > len(keyOf[a]) && strings.Contains(keyOf[b], keyOf[a])
	}
	longer := map[*Theme][]int{}
	for _, a := range compounds {
		for _, b := range compounds {
			if holds(b, a) {
				longer[a] = append(longer[a], b.Texts...)
			}
		}
	}
	for th, more := range longer {
		th.Texts = union(th.Texts, more)
		th.Count = len(th.Texts)
	}
	// A theme that only ever appears inside one longer theme says nothing that one does not
	// (超過 and 勤務 beside 超過勤務, in the same comments): it is left out.
	redundant := func(th *Theme) bool {
		for _, c := range longers {
			if holds(c, th) && slices.Equal(c.Texts, th.Texts) {
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
	rank := func(th Theme) int {
		switch {
		case th.Phrase:
			return 0
		case th.Compound:
			return 1
		}
		return 2
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a.Term < b.Term
	})
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}

// mostWritten returns the spelling most texts use (ties: the first in byte order) and the
// others, in byte order.
func mostWritten(counts map[string]int) (string, []string) {
	var all []string
	for s := range counts {
		all = append(all, s)
	}
	sort.Strings(all)
	best := ""
	for _, s := range all {
		if best == "" || counts[s] > counts[best] {
			best = s
		}
	}
	var others []string
	for _, s := range all {
		if s != best {
			others = append(others, s)
		}
	}
	return best, others
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

// kind is what a word of a text is.
type kind int

const (
	kindWord kind = iota
	kindCompound
	kindPhrase
)

// word is a theme candidate of a text: as written (term), and the key its spelling variants
// share (variantKey).
type word struct {
	term, key string
	kind      kind
}

// stopTerms are words that say nothing about what a comment is about, on their own: the
// generic nouns of every workplace comment and the vague adjectival nouns. Inside a compound or
// a phrase they still count (業務量, 職員が足りない).
var stopTerms = setOf(
	"こと", "もの", "ため", "よう", "これ", "それ", "あれ", "ところ", "など", "とき", "感じ", "自分",
	"業務", "仕事", "職員", "職場", "今後", "現在", "最近", "本当", "全体", "全員", "部分", "状況",
	"場合", "以上", "以外", "一番", "大変", "必要", "十分", "可能", "様々", "色々", "大切", "重要",
	"大事", "簡単", "特別", "普通", "適切", "本来", "気持ち", "みんな", "皆さん", "お互い", "他人",
	"意見", "内容", "関係", "対応", "今年", "昨年", "毎日", "時間", "自身",
)

// stopPredicates are predicates a phrase is not made with: they say nothing of the noun.
var stopPredicates = setOf(
	"ある", "いる", "おる", "なる", "する", "思う", "言う", "いう", "感じる", "考える", "くる",
	"来る", "いく", "行く", "みる", "見る", "もらう", "くれる", "いただく", "頂く", "くださる",
	"下さる", "ほしい", "欲しい", "いい", "よい", "良い", "おく", "しまう", "やる", "分かる", "わかる",
)

// phraseNouns are nouns too vague to head a phrase (方が良い, 事がある).
var phraseNouns = setOf("方", "人", "時", "事", "こと", "もの", "ため", "よう", "ところ", "それ", "これ",
	"何", "誰", "自分", "私", "気", "の", "点", "際", "中", "他")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// words returns the themes a text holds, in order, with repeats.
func words(text string) []word {
	text = widthFold(text)
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
		n, isNamed := run, runNamed
		run, runNamed = 0, false
		if n == 0 || isNamed {
			return
		}
		rs := ts[end-n : end]
		for len(rs) > 0 && rs[len(rs)-1].pos(0) == "接頭詞" {
			rs = rs[:len(rs)-1]
		}
		if len(rs) == 0 {
			return
		}
		noun := joined(rs)
		if len(rs) >= 2 {
			out = append(out, word{term: noun, key: variantKey(noun), kind: kindCompound})
		}
		// A phrase starts right after the noun: not after a prefix that ends the run.
		if rs[len(rs)-1].end == ts[end-1].end && (len(rs) >= 2 || headsPhrase(rs[0])) {
			if p, ok := phraseAt(ts, end); ok {
				out = append(out, word{term: noun + p.particle + p.pred, key: variantKey(noun) + p.key, kind: kindPhrase})
			}
		}
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
			out = append(out, word{term: term, key: variantKey(term), kind: kindWord})
		}
	}
	flush(len(ts))
	return out
}

// headsPhrase reports whether a single noun may head a phrase (手が足りない, 残業が多い).
func headsPhrase(t token) bool {
	switch t.pos(1) {
	case "一般", "サ変接続", "形容動詞語幹":
	case "固有名詞":
		if t.pos(2) == "人名" {
			return false
		}
	default:
		return false
	}
	return !phraseNouns[t.surface] && !hasRedaction(t.surface) && hasLetter(t.surface)
}

// phrase is the particle and the predicate after a noun.
type phrase struct {
	particle, pred string
	key            string // the particle as read (は and も as が) and the predicate
}

// phraseAt reads a particle and a predicate at ts[i:]: が, を, は or も, then an independent
// adjective, an independent verb (with にくい, づらい or やすい), or an adjectival noun;
// negated when a negation follows before anything else does.
func phraseAt(ts []token, i int) (phrase, bool) {
	if i+1 >= len(ts) || ts[i].pos(0) != "助詞" || ts[i].end != ts[i+1].start {
		return phrase{}, false
	}
	p := phrase{particle: ts[i].surface}
	read := p.particle
	switch p.particle {
	case "が", "を":
	case "は", "も":
		read = "が"
	default:
		return phrase{}, false
	}
	t := ts[i+1]
	j := i + 2
	var pred, neg string
	switch {
	case t.pos(0) == "形容詞" && t.pos(1) == "自立":
		pred = t.base()
		neg = strings.TrimSuffix(pred, "い") + "くない"
	case t.pos(0) == "動詞" && t.pos(1) == "自立":
		pred = t.base()
		if stopPredicates[pred] {
			return phrase{}, false
		}
		neg = verbNegative(t)
		if j < len(ts) && ts[j].pos(0) == "形容詞" && ts[j].pos(1) == "非自立" && ts[j].start == t.end {
			switch s := ts[j].base(); s {
			case "にくい", "づらい", "やすい", "がたい":
				pred = t.surface + s
				neg = strings.TrimSuffix(pred, "い") + "くない"
				j++
			}
		}
	case t.pos(0) == "名詞" && t.pos(1) == "形容動詞語幹" && hasLetter(t.surface):
		pred = t.surface
		neg = pred + "でない"
	default:
		return phrase{}, false
	}
	if stopPredicates[pred] || neg == "" {
		return phrase{}, false
	}
	if negated(ts, j) {
		pred = neg
	}
	p.pred = pred
	p.key = read + pred
	return p, true
}

// negated reports whether a negation follows at ts[j:] before the predicate ends: ない, ぬ (ず)
// or ん, past auxiliaries, non-independent verbs (ている), て and は (ではない).
func negated(ts []token, j int) bool {
	for ; j < len(ts) && ts[j].start == ts[j-1].end; j++ {
		t := ts[j]
		switch {
		case t.pos(0) == "助動詞":
			switch t.base() {
			case "ない", "ぬ", "ん":
				return true
			}
		case t.pos(0) == "形容詞" && t.base() == "ない":
			return true
		case t.pos(0) == "動詞" && (t.pos(1) == "非自立" || t.base() == "ある"):
		case t.pos(0) == "助詞" && (t.surface == "て" || t.surface == "で" || t.surface == "は"):
		default:
			return false
		}
	}
	return false
}

// aRow maps the last kana of a 五段 verb to that of its negative stem (取る → 取ら).
var aRow = map[rune]rune{'う': 'わ', 'く': 'か', 'ぐ': 'が', 'す': 'さ', 'つ': 'た', 'ぬ': 'な', 'ぶ': 'ば', 'む': 'ま', 'る': 'ら'}

// verbNegative returns the negative form of verb t (取る → 取らない, 足りる → 足りない), or ""
// when its conjugation is not one of the regular ones.
func verbNegative(t token) string {
	b := t.base()
	c := t.pos(4)
	r, n := utf8.DecodeLastRuneInString(b)
	switch {
	case strings.HasPrefix(c, "五段"):
		if a, ok := aRow[r]; ok {
			return b[:len(b)-n] + string(a) + "ない"
		}
	case strings.HasPrefix(c, "一段") && r == 'る':
		return b[:len(b)-n] + "ない"
	case strings.HasPrefix(c, "サ変"):
		return strings.TrimSuffix(b, "する") + "しない"
	}
	return ""
}

// termOf returns the single-word theme of t, if t is a noun worth a theme: a noun of two
// characters or more not on the stop list, or for a compound verb (見直す) its noun when the
// dictionary knows one (見直し).
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
	case "動詞":
		if t.pos(1) != "自立" || !strings.HasPrefix(t.pos(4), "五段") {
			return "", false
		}
		n := nominal(t.base())
		if n == t.base() || kanjiCount(n) < 2 {
			return "", false // no noun, or a simple verb's (休み, 作り, 乗り)
		}
		return n, true
	default:
		return "", false
	}
	b := t.base()
	if stopTerms[b] || hasRedaction(b) || utf8.RuneCountInString(b) < 2 || !hasLetter(b) {
		return "", false
	}
	if isLatinWord(b) && !isAcronym(b) {
		return "", false
	}
	return b, true
}

// hasLetter reports whether s has a letter (not only symbols or digits).
func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// isLatinWord reports whether s is Latin letters only.
func isLatinWord(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return s != ""
}

// isAcronym reports whether s is an acronym of 2 to 6 capital letters (OJT, PC, DX).
func isAcronym(s string) bool {
	if len(s) < 2 || len(s) > 6 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func kanjiCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || r == '々' {
			n++
		}
	}
	return n
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
			return !hasRedaction(t.surface) && hasLetter(t.surface) && (!isLatinWord(t.surface) || isAcronym(t.surface))
		case "副詞可能": // 通勤時間, but not 今回研修
			return !first
		case "接尾":
			return !first && t.pos(2) != "人名" && t.pos(2) != "助数詞"
		}
	}
	return false
}

// variantKey returns the key spelling variants of a term share: okurigana left out between and
// after kanji when at least two kanji remain (引き継ぎ, 引継ぎ and 引継 are 引継; 打ち合わせ and
// 打合せ are 打合), and a long vowel mark ending a katakana word of three kana or more left out
// (コンピューター is コンピュータ). Width is folded before (widthFold).
func variantKey(term string) string {
	rs := []rune(term)
	var b strings.Builder
	seenKanji := 0
	for _, r := range rs {
		if isHan(r) {
			seenKanji++
		}
	}
	strip := seenKanji >= 2
	kanjiBefore := false
	for i, r := range rs {
		switch {
		case isHan(r):
			kanjiBefore = true
		case strip && kanjiBefore && r >= 0x3041 && r <= 0x3096 && okuriganaRun(rs, i):
			continue
		case r == 'ー' && i >= 3 && (i+1 == len(rs) || !isKatakanaRune(rs[i+1])) && isKatakanaRune(rs[i-1]) && isKatakanaRune(rs[i-2]) && isKatakanaRune(rs[i-3]):
			continue
		default:
			kanjiBefore = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// okuriganaRun reports whether the hiragana at rs[i] is in a run of one or two hiragana that
// follows a kanji and ends the word or comes before a kanji: okurigana (引き継ぎ), not a
// particle inside a phrase, which is longer or comes before kana.
func okuriganaRun(rs []rune, i int) bool {
	start := i
	for start > 0 && isHiraganaRune(rs[start-1]) {
		start--
	}
	end := i
	for end < len(rs) && isHiraganaRune(rs[end]) {
		end++
	}
	if end-start > 2 || start == 0 || !isHan(rs[start-1]) {
		return false
	}
	return end == len(rs) || isHan(rs[end])
}

func isHan(r rune) bool          { return unicode.Is(unicode.Han, r) || r == '々' }
func isHiraganaRune(r rune) bool { return r >= 0x3041 && r <= 0x3096 }
func isKatakanaRune(r rune) bool { return r >= 0x30A1 && r <= 0x30FA || r == 0x30FC }

// widthFold returns s with full-width ASCII made half-width (ＰＣ is PC) and half-width
// katakana made full-width (ﾃﾚﾜｰｸ is テレワーク); letter case and kana stay.
func widthFold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r >= 0xFF61 && r <= 0xFF9F:
			r = halfKana[r-0xFF61]
			if next, m := utf8.DecodeRuneInString(s[i+n:]); next == 0xFF9E || next == 0xFF9F {
				if v := soundMark(r, next == 0xFF9F); v != r {
					r, n = v, n+m
				}
			}
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
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
