package jatext

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What the morphological analysis alone does not see, read from the text itself: names in
// Latin letters (Mr. Suzuki, Tanaka-san, John Smith), initials before a title or an honorific
// (Ｓ係長, Ｙさん, K課長), and references that single out one person of a small group by role
// (例の主査, うちの新人, 窓口の再任用の方).

// The kinds of Span.Why.
const (
	WhyName      = "人名"   // a word the dictionary knows as a person's name
	WhyTitled    = "敬称"   // before an honorific or a title
	WhyLatin     = "ローマ字" // a name in Latin letters
	WhyInitial   = "イニシャル"
	WhyRole      = "役割" // may identify by role inside a small group
	WhyAgain     = "再出" // another occurrence of a name found in the same text
	WhyFindWords = "指定" // a word given to Find
)

// variants maps variant kanji that surnames are written with to the form the dictionary
// knows (髙橋 is 高橋, 山﨑 is 山崎). Each pair has the same length in UTF-8, so that offsets
// in the text read stay those of the text written.
var variants = strings.NewReplacer(
	"髙", "高", "﨑", "崎", "德", "徳", "濵", "濱", "邉", "邊", "槇", "槙", "桒", "桑", "曻", "昇",
)

// normalise returns text with variant kanji replaced, byte for byte the same length.
func normalise(text string) string {
	n := variants.Replace(text)
	if len(n) != len(text) {
		return text // never: every pair keeps its length
	}
	return n
}

// latin matches ASCII and full-width Latin letters.
const latin = `A-Za-zＡ-Ｚａ-ｚ`

var (
	// Mr. Suzuki, Ms Kato, Mrs. Hayashi (the name words only).
	latinAddressed = regexp.MustCompile(`\b(?:Mr|Ms|Mrs|Miss|Dr)\.?\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)`)
	// Tanaka-san, Ogawa san, Smithさん, Nakamura kakaricho: a capitalised word and an honorific
	// or a title, in Latin letters or in Japanese.
	latinTitled = regexp.MustCompile(`([A-ZＡ-Ｚ][a-zａ-ｚ]+(?:\s+[A-ZＡ-Ｚ][a-zａ-ｚ]+)?)(?:[-‐\s]?(?:san|sama|kun|chan|sensei|senpai|kacho|kachou|kakaricho|kakarichou|shunin|shusa|bucho|kucho)\b|\s?(?:さん|様|さま|くん|君|ちゃん|氏|先輩|先生|課長|係長|主任|主査|部長|所長|次長|参事))`)
	// John Smith, Mike Brown: two capitalised words that are not words of the trade.
	latinPair = regexp.MustCompile(`\b([A-Z][a-z]+)\s+([A-Z][a-z]+)\b`)
	// Ｓ係長, Ｙさん, K課長, H.主任: one Latin letter, not part of a word, before a title or an
	// honorific.
	initialTitled = regexp.MustCompile(`(^|[^` + latin + `])([A-ZＡ-Ｚ])[.．]?\s?(?:さん|様|さま|くん|君|ちゃん|氏|先輩|先生|課長|係長|主任|主査|主事|部長|所長|次長|室長|参事|区長|補佐|館長|園長)`)
)

// notLatinNames are capitalised words staff write that are not names: products, trades and
// words that start an English sentence.
var notLatinNames = map[string]bool{
	"Microsoft": true, "Teams": true, "Google": true, "Chrome": true, "Excel": true, "Word": true,
	"Zoom": true, "Web": true, "Windows": true, "Office": true, "Outlook": true, "Power": true,
	"Point": true, "Access": true, "Line": true, "Slack": true, "Box": true, "Apple": true,
	"Edge": true, "The": true, "This": true, "That": true, "These": true, "Those": true, "It": true,
	"We": true, "Our": true, "My": true, "Please": true, "Thank": true, "Thanks": true, "In": true,
	"On": true, "At": true, "For": true, "And": true, "But": true, "If": true, "When": true,
	"There": true, "They": true, "He": true, "She": true, "You": true, "Your": true, "All": true,
	"Kita": true, "Osaka": true, "Ward": true, "City": true, "Japan": true, "Monday": true,
	"Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true,
	"Sunday": true, "January": true, "February": true, "March": true, "April": true, "May": true,
	"June": true, "July": true, "August": true, "September": true, "October": true,
	"November": true, "December": true, "Mr": true, "Ms": true, "Mrs": true, "Dr": true,
}

// latinNames returns the names in Latin letters and the initials of text.
func latinNames(text string) []Span {
	var out []Span
	for _, m := range latinAddressed.FindAllStringSubmatchIndex(text, -1) {
		out = append(out, Span{Start: m[2], End: m[3], Why: WhyLatin})
	}
	for _, m := range latinTitled.FindAllStringSubmatchIndex(text, -1) {
		words := strings.Fields(text[m[2]:m[3]])
		start := m[2]
		if len(words) == 2 && notLatinNames[words[0]] { // "Please Tanaka-san": the name only
			start = m[3] - len(words[1])
		}
		if !notLatinNames[words[len(words)-1]] {
			out = append(out, Span{Start: start, End: m[3], Why: WhyLatin})
		}
	}
	for _, m := range latinPair.FindAllStringSubmatchIndex(text, -1) {
		if !notLatinNames[text[m[2]:m[3]]] && !notLatinNames[text[m[4]:m[5]]] {
			out = append(out, Span{Start: m[2], End: m[5], Why: WhyLatin})
		}
	}
	for _, m := range initialTitled.FindAllStringSubmatchIndex(text, -1) {
		out = append(out, Span{Start: m[4], End: m[5], Why: WhyInitial})
	}
	return out
}

// Role references: a word that picks out one person of a small team by what they are rather
// than by name. They are flagged as "may identify by role" (WhyRole); whether they do depends
// on the team, which the reviewer knows.
var (
	// 例の主査, うちの新人, 隣の係長, 唯一の保健師, 最年長の職員, 再任用の方, 異動してきた主査.
	roleRef   = regexp.MustCompile(`(?:例の|うちの|ウチの|隣の|となりの|唯一の|たった一人の|一人しかいない|最年長の|最年少の|再任用の|嘱託の|派遣の|育休明けの|産休明けの|復職した|異動してきた|新しく来た|新任の|中途採用の)(?:` + roleNouns + `)`)
	roleNouns = `方|人|職員|新人|保健師|ケースワーカー|先輩|上司|後輩|部下|課長補佐|課長代理|課長|係長|主任|主査|主事|所長|次長|参事|室長|班長|担当者`
)

// roles returns the role references of text.
func roles(text string) []Span {
	var out []Span
	for _, m := range roleRef.FindAllStringIndex(text, -1) {
		out = append(out, Span{Start: m[0], End: m[1], Why: WhyRole})
	}
	return out
}

// widen makes every span of a name cover the name whole: a Latin given name or an initial
// written beside it (Ken 田中, Ｋ・田中, Taro Yamada) joins it, so that one name of two is
// never left showing.
func widen(text string, spans []Span) []Span {
	for i := range spans {
		if spans[i].Why == WhyRole {
			continue
		}
		for {
			s := latinWordBefore(text, spans[i].Start)
			if s < 0 {
				break
			}
			spans[i].Start = s
		}
		for {
			e := latinWordAfter(text, spans[i].End)
			if e < 0 {
				break
			}
			spans[i].End = e
		}
	}
	return spans
}

// latinWordBefore returns the start of a capitalised Latin word or an initial that ends at
// end, perhaps with one space, a dot or a middle dot between, or -1.
func latinWordBefore(text string, end int) int {
	i := end
	if r, n := utf8.DecodeLastRuneInString(text[:i]); r == ' ' || r == '・' || r == '.' || r == '．' || r == '　' {
		i -= n
	}
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if !isLatin(r) {
			break
		}
		j -= n
	}
	if j == i {
		return -1
	}
	w := text[j:i]
	if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) || notLatinNames[w] {
		return -1
	}
	return j
}

// latinWordAfter returns the end of a capitalised Latin word or an initial that starts at
// start, perhaps after one space or a middle dot, or -1.
func latinWordAfter(text string, start int) int {
	i := start
	if r, n := utf8.DecodeRuneInString(text[i:]); r == ' ' || r == '・' || r == '　' {
		i += n
	}
	j := i
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if !isLatin(r) {
			break
		}
		j += n
	}
	if j == i {
		return -1
	}
	w := text[i:j]
	if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) || notLatinNames[w] || isHonorificWord(w) {
		return -1
	}
	return j
}

func isLatin(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ'
}

// isHonorificWord reports whether w is an honorific or a title in Latin letters (san).
func isHonorificWord(w string) bool {
	switch strings.ToLower(w) {
	case "san", "sama", "kun", "chan", "sensei", "senpai", "kacho", "kakaricho", "shunin", "shusa":
		return true
	}
	return false
}
