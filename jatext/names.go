package jatext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Finder finds names in the comments of one ward: it knows the ward's places (the `places:`
// of its questionnaire), which it reads as places rather than surnames. The zero Finder knows
// no places. A Finder is safe for concurrent use.
type Finder struct {
	places []string
}

// NewFinder returns a Finder for a ward with places.
func NewFinder(places []string) *Finder {
	var ps []string
	for _, p := range places {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return &Finder{places: ps}
}

// Named reports for each of texts whether Names finds a name in it, analysing them on every
// CPU.
func (f *Finder) Named(texts []string) []bool {
	out := make([]bool, len(texts))
	inParallel(len(texts), func(i int) { out[i] = len(f.Names(texts[i])) > 0 })
	return out
}

// Names returns the person names in text, in order and not overlapping, for an admin to review
// (see the package documentation for the rules): each span covers the name only, never the
// title or honorific after it; adjacent name words, and name words apart by spaces only, are one
// span; every further occurrence of a name found is a span too (Why "再出"), so that
// Redact(text, Names(text)) contains no name Names found.
func (f *Finder) Names(text string) []Span {
	return f.names(text, tokens(text))
}

// Named is Finder.Named for a ward with no places of its own.
func Named(texts []string) []bool { return (&Finder{}).Named(texts) }

// Names is Finder.Names for a ward with no places of its own.
func Names(text string) []Span { return (&Finder{}).Names(text) }

// names is Names on the tokens ts of text.
func (f *Finder) names(text string, ts []token) []Span {
	var spans []Span
	taken := make([]bool, len(ts)) // a token already inside a span
	for i, t := range ts {
		if n, ok := nameInTitle(ts, i); ok {
			spans = append(spans, Span{Start: n.start, End: n.end, Why: "敬称"})
			taken[i-1] = true
			continue
		}
		hon, title := isHonorific(t), isTitle(t)
		if !hon && !title {
			continue
		}
		if j := nameBefore(ts, i, hon, t.surface); j >= 0 {
			spans = append(spans, Span{Start: ts[j].start, End: ts[i-1].end, Why: "敬称"})
			for k := j; k < i; k++ {
				taken[k] = true
			}
		}
	}
	places := f.placeRanges(text)
	for i, t := range ts {
		if taken[i] || !isPersonName(t) || !bareName(ts, i, places) {
			continue
		}
		spans = append(spans, Span{Start: t.start, End: t.end, Why: "人名"})
	}
	spans = append(spans, latinNames(text)...)
	spans = widen(text, spans)
	spans = merge(text, spans, true)
	spans = append(spans, roles(text)...)
	spans = merge(text, spans, false)
	if len(spans) == 0 {
		return nil
	}
	// A name found once is a name wherever it occurs in the comment.
	seen := make(map[string]bool, len(spans))
	var again []Span
	for _, s := range spans {
		if seen[s.Text] || s.Why == WhyRole {
			continue
		}
		seen[s.Text] = true
		for i := 0; ; {
			j := strings.Index(text[i:], s.Text)
			if j < 0 {
				break
			}
			again = append(again, Span{Start: i + j, End: i + j + len(s.Text), Why: "再出"})
			i += j + len(s.Text)
		}
	}
	return merge(text, append(spans, again...), true) // merge keeps the first Why: the found span sorts first
}

// titles are the posts of a ward office written after a name (田中課長). Alone, or after an
// ordinary noun (総務課長), they name a post, not a person.
var titles = map[string]bool{
	"課長": true, "係長": true, "部長": true, "主任": true, "主査": true, "主事": true,
	"所長": true, "室長": true, "次長": true, "局長": true, "区長": true, "参事": true,
	"副参事": true, "館長": true, "園長": true, "校長": true, "班長": true, "事務長": true,
	"補佐": true, "先生": true, "先輩": true,
}

// placeTitles are the titles a place comes before as the post of that place (北区長, 王子所長).
var placeTitles = map[string]bool{"区長": true, "所長": true, "局長": true, "館長": true, "園長": true}

// isHonorific reports whether t is an honorific suffix (さん, 様, 君, くん, ちゃん, 氏, 殿).
func isHonorific(t token) bool {
	return t.pos(0) == "名詞" && t.pos(1) == "接尾" && t.pos(2) == "人名"
}

// isTitle reports whether t is a title (課長, 係長, …).
func isTitle(t token) bool {
	return t.pos(0) == "名詞" && titles[t.surface]
}

// isPersonName reports whether the dictionary knows t as a person's name.
func isPersonName(t token) bool {
	return t.pos(0) == "名詞" && t.pos(1) == "固有名詞" && t.pos(2) == "人名"
}

// notNamesBeforeHonorific are kana words that take さん but name a job or a relation, not a
// person (パートさん, ヘルパーさん).
var notNamesBeforeHonorific = map[string]bool{
	"パート": true, "アルバイト": true, "バイト": true, "ヘルパー": true, "ケースワーカー": true,
	"ワーカー": true, "スタッフ": true, "ドライバー": true, "ボランティア": true, "ガードマン": true,
	"ケアマネ": true, "ケアマネジャー": true, "ケアマネージャー": true, "ナース": true, "コック": true,
	"シェフ": true, "ママ": true, "パパ": true, "みな": true, "みんな": true, "おきゃく": true,
	"おにい": true, "おねえ": true, "おかあ": true, "おとう": true, "おじい": true, "おばあ": true,
}

// notNamesSingleKanji are single-kanji nouns that come before a title or an honorific as a post,
// a unit or a relation (税係長, 課長, 嫁さん), not as a surname.
var notNamesSingleKanji = map[string]bool{
	"税": true, "課": true, "係": true, "局": true, "部": true, "区": true, "室": true, "班": true,
	"都": true, "国": true, "県": true, "市": true, "町": true, "村": true, "園": true, "館": true,
	"校": true, "所": true, "店": true, "社": true, "院": true, "庁": true, "父": true, "母": true,
	"兄": true, "姉": true, "弟": true, "妹": true, "嫁": true, "婿": true, "孫": true, "娘": true,
	"客": true, "皆": true, "他": true, "各": true, "全": true, "本": true, "当": true, "同": true,
	"新": true, "旧": true, "元": true, "前": true, "現": true, "副": true, "次": true, "主": true,
	"両": true, "某": true, "諸": true, "故": true, "総": true, "初": true, "第": true, "再": true,
	"歴": true, "代": true, "助": true, "準": true, "補": true, "正": true, "亡": true, "貴": true,
}

// maxNameTokens bounds how far back a kana name before an honorific is read: names are short,
// and the bound keeps Names linear in the length of the text.
const maxNameTokens = 6

// nameBefore returns the index of the first token of the name-like word that ends just before
// ts[i], an honorific (hon) or the title title, or -1 when the word before is not name-like.
func nameBefore(ts []token, i int, hon bool, title string) int {
	j := i - 1
	if j < 0 || ts[j].end != ts[i].start {
		return -1
	}
	p := ts[j]
	switch {
	case isKatakana(p.surface):
		k := j
		for k > 0 && j-k < maxNameTokens && ts[k-1].end == ts[k].start && isKatakana(ts[k-1].surface) {
			k--
		}
		word := joined(ts[k:i])
		if hon {
			if notNamesBeforeHonorific[word] {
				return -1
			}
			return k
		}
		// Before a title, a katakana word is a name only when the dictionary does not know it
		// as an ordinary word (タナカ係長, not システム課長).
		for _, t := range ts[k:i] {
			if t.unknown || t.pos(1) == "固有名詞" {
				return k
			}
		}
		return -1
	case isHiragana(p.surface):
		// たなかさん reads as た+なか: take the hiragana back to the nearest particle.
		k, noun := j, false
		for ; k >= 0 && j-k < maxNameTokens; k-- {
			t := ts[k]
			if !isHiragana(t.surface) || k < j && t.end != ts[k+1].start {
				break
			}
			if hiraganaStop(t) && !(t.pos(0) == "助詞" && startsPhrase(ts, k)) {
				break // a particle at the start of a phrase is a misreading (はなこ as は+なこ)
			}
			noun = noun || t.pos(0) == "名詞" && t.pos(1) != "代名詞" && t.pos(1) != "非自立"
		}
		k++
		if k > j {
			return -1
		}
		if notNamesBeforeHonorific[joined(ts[k:i])] || !hon && !noun {
			return -1
		}
		return k
	case isPersonName(p):
		return j
	case !hon && p.pos(0) == "接頭詞" && isSingleKanji(p.surface):
		if notNamesSingleKanji[p.surface] {
			return -1 // 前課長, 新係長, 各係長
		}
		return j // 中係長: the analyser reads 中 as a prefix
	case p.pos(0) != "名詞" || p.pos(1) == "数" || hasRedaction(p.surface):
		return -1
	case p.unknown:
		return j
	case p.pos(1) == "固有名詞":
		if !hon && p.pos(2) == "地域" && placeTitles[title] {
			return -1
		}
		return j
	case p.pos(1) == "一般" && isSingleKanji(p.surface):
		if notNamesSingleKanji[p.surface] || !hon && title == "区長" {
			return -1 // 北区長 is the head of 北区
		}
		return j
	}
	return -1
}

// nameInTitle finds a name the analyser read together with the first kanji of a title: 関係長
// read as 関係+長 is 関 and 係長, 南部長 read as 南部+長 is 南 and 部長. ts[i] is the suffix
// 長; the name is the word before it less its last kanji, when that alone is a name or a single
// kanji that may be one.
func nameInTitle(ts []token, i int) (token, bool) {
	t := ts[i]
	if i == 0 || t.surface != "長" || t.pos(1) != "接尾" || ts[i-1].end != t.start || ts[i-1].pos(0) != "名詞" {
		return token{}, false
	}
	p := ts[i-1]
	last, n := utf8.DecodeLastRuneInString(p.surface)
	if n == len(p.surface) || !titles[string(last)+"長"] {
		return token{}, false
	}
	name := p.surface[:len(p.surface)-n]
	ws := tokens(name)
	if len(ws) != 1 {
		return token{}, false
	}
	w := ws[0]
	if !isPersonName(w) && !(w.pos(0) == "名詞" && w.pos(1) == "一般" && isSingleKanji(name) && !notNamesSingleKanji[name]) {
		return token{}, false
	}
	return token{start: p.start, end: p.start + len(name), surface: name}, true
}

// hiraganaStop reports whether t ends a hiragana name read backwards: a particle, an adnominal
// (この課長), a conjunction or an adverb.
func hiraganaStop(t token) bool {
	switch t.pos(0) {
	case "助詞", "連体詞", "接続詞", "副詞", "感動詞", "記号":
		return true
	}
	return false
}

// startsPhrase reports whether ts[k] starts the text or follows a symbol or a gap.
func startsPhrase(ts []token, k int) bool {
	return k == 0 || ts[k-1].end != ts[k].start || ts[k-1].pos(0) == "記号"
}

// bareName reports whether the name ts[i], not before an honorific or a title, is flagged:
// not a hiragana word (the dictionary knows many ordinary hiragana words as given names: なか),
// not part of a longer katakana word (テレ in テレワーク), and not a place (赤羽, 葛飾区).
func bareName(ts []token, i int, places [][2]int) bool {
	t := ts[i]
	if isHiragana(t.surface) {
		return false
	}
	if isKatakana(t.surface) {
		if i > 0 && ts[i-1].end == t.start && isKatakana(ts[i-1].surface) ||
			i+1 < len(ts) && ts[i+1].start == t.end && isKatakana(ts[i+1].surface) {
			return false
		}
	}
	for _, p := range places {
		if t.start >= p[0] && t.end <= p[1] {
			return false
		}
	}
	if i+1 < len(ts) && ts[i+1].start == t.end {
		n := ts[i+1]
		if n.pos(1) == "接尾" && n.pos(2) == "地域" || placeHeads[n.surface] {
			return false // 葛飾区, 板橋駅, 荒川区役所
		}
	}
	return true
}

// placeHeads are nouns that make the word before them a place (葛飾区役所).
var placeHeads = map[string]bool{
	"区役所": true, "駅": true, "駅前": true, "出張所": true, "区民事務所": true, "支所": true,
	"図書館": true, "会館": true, "公園": true, "小学校": true, "中学校": true, "保育園": true,
	"庁舎": true, "地区": true, "線": true, "口": true, "町": true, "台": true,
}

// placeRanges returns the byte ranges of text that are the ward's places.
func (f *Finder) placeRanges(text string) [][2]int {
	var out [][2]int
	for _, p := range f.places {
		for i := 0; ; {
			j := strings.Index(text[i:], p)
			if j < 0 {
				break
			}
			out = append(out, [2]int{i + j, i + j + len(p)})
			i += j + len(p)
		}
	}
	return out
}

// joined returns the surfaces of ts joined.
func joined(ts []token) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.surface)
	}
	return b.String()
}

func hasRedaction(s string) bool { return strings.ContainsRune(s, '＊') }

// isKatakana reports whether s is katakana only (with ー), full-width or half-width.
func isKatakana(s string) bool {
	if s == "" || s == "ー" {
		return false
	}
	for _, r := range s {
		if !(r >= 0x30A1 && r <= 0x30FA || r == 0x30FC || r == 0x30FD || r == 0x30FE || r >= 0xFF66 && r <= 0xFF9F) {
			return false
		}
	}
	return true
}

// isHiragana reports whether s is hiragana only.
func isHiragana(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 0x3041 && r <= 0x3096 || r == 0x309D || r == 0x309E) {
			return false
		}
	}
	return true
}

// isSingleKanji reports whether s is one kanji.
func isSingleKanji(s string) bool {
	rs := []rune(s)
	return len(rs) == 1 && (unicode.Is(unicode.Han, rs[0]) || rs[0] == '々')
}
