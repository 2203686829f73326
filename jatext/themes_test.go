package jatext

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestThemesFixture: over the fixture, the themes staff write about come out with the comments
// that hold them, and no theme is, or holds, a name.
func TestThemesFixture(t *testing.T) {
	cs := loadComments(t)
	themes := Themes(texts(cs), 2, 0)
	byTerm := map[string]Theme{}
	for _, th := range themes {
		byTerm[th.Term] = th
	}
	want := []struct {
		term     string
		compound bool
	}{
		{"業務量", true}, {"超過勤務", true}, {"人事評価制度", true}, {"人事評価", true},
		{"情報共有", true}, {"休暇取得", true}, {"窓口対応", true}, {"人員配置", true},
		{"ペーパーレス化", true}, {"テレワーク", false}, {"研修", false}, {"雰囲気", false},
		{"人事", false}, // a word of a compound counts on its own when it is found apart too
	}
	for _, w := range want {
		th, ok := byTerm[w.term]
		if !ok {
			t.Errorf("theme %q missing", w.term)
			continue
		}
		if th.Compound != w.compound {
			t.Errorf("theme %q: Compound %v; want %v", w.term, th.Compound, w.compound)
		}
		// Texts are exactly the comments holding the term (for these terms, as a substring),
		// ascending; Count is their number.
		var holding []int
		for i, c := range cs {
			if strings.Contains(c.Text, w.term) {
				holding = append(holding, i)
			}
		}
		if th.Count != len(th.Texts) || !reflect.DeepEqual(th.Texts, holding) {
			t.Errorf("theme %q: Count %d, Texts %v; want the comments holding it, %v", w.term, th.Count, th.Texts, holding)
		}
	}
	if _, ok := byTerm["勤務"]; ok {
		t.Errorf("theme 勤務, found only inside 超過勤務 in the same comments, is listed beside it")
	}
	for _, th := range themes {
		for _, u := range themes {
			if u.Term != th.Term && strings.Contains(u.Term, th.Term) && reflect.DeepEqual(u.Texts, th.Texts) {
				t.Errorf("theme %q adds nothing beside %q (the same comments)", th.Term, u.Term)
			}
		}
		for _, c := range cs {
			for _, n := range c.Names {
				if strings.Contains(th.Term, n) {
					t.Errorf("theme %q holds the name %q", th.Term, n)
				}
			}
		}
		if th.Count < 2 {
			t.Errorf("theme %q: Count %d below min 2", th.Term, th.Count)
		}
	}
	for i := 1; i < len(themes); i++ {
		a, b := themes[i-1], themes[i]
		if a.Count < b.Count || a.Count == b.Count && (!a.Compound && b.Compound || a.Compound == b.Compound && a.Term >= b.Term) {
			t.Errorf("themes %d and %d out of order: %+v before %+v", i-1, i, a, b)
		}
	}
	top := Themes(texts(cs), 2, 5)
	if len(top) != 5 || !reflect.DeepEqual(top, themes[:5]) {
		t.Errorf("Themes(…, 2, 5) = %v; want the first 5 of all, %v", top, themes[:5])
	}
	t.Logf("top themes: %v", top)
}

func TestThemes(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		min   int
		want  []Theme
	}{
		{"none", nil, 1, []Theme{}},
		{"counted once per text", []string{"残業、残業、また残業。", "残業の削減を。"}, 2, []Theme{
			{Term: "残業", Count: 2, Texts: []int{0, 1}},
		}},
		// A word seen only inside the compound adds nothing beside it; one seen elsewhere too does.
		{"compound and its words", []string{"人事評価制度の見直し", "人事評価制度が形式的", "人事異動が頻繁"}, 2, []Theme{
			{Term: "人事", Count: 3, Texts: []int{0, 1, 2}},
			{Term: "人事評価制度", Compound: true, Count: 2, Texts: []int{0, 1}},
		}},
		// A phrase: the noun, the particle and the predicate, in its base form; は and も read
		// as が; the noun alone, only ever inside the phrase, adds nothing beside it.
		{"phrases", []string{"残業が多く、疲れます", "残業は多いです", "休暇が取りにくい", "休暇を取りづらい雰囲気"}, 2, []Theme{
			{Term: "残業が多い", Phrase: true, Variants: []string{"残業は多い"}, Count: 2, Texts: []int{0, 1}},
			{Term: "休暇", Count: 2, Texts: []int{2, 3}},
		}},
		// A negation stays: 足りない is not 足りる.
		{"negation", []string{"人員が足りず大変", "人員が足りない", "人員が足りている", "人員が足りていない"}, 2, []Theme{
			{Term: "人員", Count: 4, Texts: []int{0, 1, 2, 3}},
			{Term: "人員が足りない", Phrase: true, Count: 3, Texts: []int{0, 1, 3}},
		}},
		// Alone, verbs and adjectives say nothing (忙しい, 困る): only nouns are single themes.
		{"no bare verbs or adjectives", []string{"業務が忙しかった", "いつも忙しい", "困ったときに手を止めて", "困っています。手が回らない"}, 2, []Theme{}},
		// A compound verb's noun is one theme with the noun (見直し); a simple verb's is not (休み).
		{"a verb and its noun", []string{"人員配置を見直してほしい", "業務量の見直しを", "休む人が多い", "休みが取れない"}, 2, []Theme{
			{Term: "見直し", Count: 2, Texts: []int{0, 1}},
		}},
		{"stop words", []string{"仕事のことで職員に聞く", "職員の仕事のこと"}, 1, []Theme{}},
		// Okurigana variants are one theme, as most texts write it, in compounds too.
		{"okurigana", []string{"引継ぎ資料がない", "引き継ぎ資料を作って", "引継資料の整備", "引継ぎ資料の時間", "引き継ぎの時期"}, 2, []Theme{
			{Term: "引き継ぎ", Variants: []string{"引継", "引継ぎ"}, Count: 5, Texts: []int{0, 1, 2, 3, 4}},
			{Term: "引継ぎ資料", Compound: true, Variants: []string{"引き継ぎ資料", "引継資料"}, Count: 4, Texts: []int{0, 1, 2, 3}},
		}},
		// Width and the long vowel at the end of a katakana word.
		{"width and long vowels", []string{"ＰＣが古い", "PCの更新", "ﾃﾚﾜｰｸの拡充", "テレワークの推進", "サーバーの更新", "サーバの停止"}, 2, []Theme{
			{Term: "PC", Variants: nil, Count: 2, Texts: []int{0, 1}},
			{Term: "サーバ", Variants: []string{"サーバー"}, Count: 2, Texts: []int{4, 5}},
			{Term: "テレワーク", Count: 2, Texts: []int{2, 3}},
			{Term: "更新", Count: 2, Texts: []int{1, 4}},
		}},
		{"english words are no themes", []string{"The workload is too heavy.", "the OJT is short", "OJT again"}, 2, []Theme{
			{Term: "OJT", Count: 2, Texts: []int{1, 2}},
		}},
		{"no names", []string{"田中課長と佐藤係長", "田中課長と山田さん"}, 1, []Theme{
			{Term: "課長", Count: 2, Texts: []int{0, 1}},
			{Term: "係長", Count: 1, Texts: []int{0}},
		}},
		{"no redactions", []string{"＊＊課長に相談", "＊＊課長に相談"}, 2, []Theme{
			{Term: "相談", Count: 2, Texts: []int{0, 1}},
			{Term: "課長", Count: 2, Texts: []int{0, 1}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Themes(tt.texts, tt.min, 0)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Themes(%q, %d, 0) = %+v; want %+v", tt.texts, tt.min, got, tt.want)
			}
		})
	}
}

// TestThemesMeasured measures the themes of testdata/bench.tsv (doc.go, "Themes"): the top 15
// hold no bare verb or adjective, no single character and no generic noun, and phrases and
// compounds are among them.
func TestThemesMeasured(t *testing.T) {
	var ts []string
	for _, c := range loadBench(t) {
		ts = append(ts, c.text)
	}
	top := Themes(ts, 2, 15)
	var b strings.Builder
	multi := 0
	for _, th := range top {
		fmt.Fprintf(&b, "%s %d、", th.Term, th.Count)
		if th.Compound || th.Phrase {
			multi++
		}
		if utf8.RuneCountInString(th.Term) < 2 || stopTerms[th.Term] {
			t.Errorf("theme %q: a single character or a stop word", th.Term)
		}
		for _, w := range []string{"多い", "困る", "止める", "思う", "the", "."} {
			if th.Term == w {
				t.Errorf("theme %q: a bare verb, adjective or English word", th.Term)
			}
		}
	}
	all := Themes(ts, 2, 0)
	phrases, compounds := 0, 0
	for _, th := range all {
		switch {
		case th.Phrase:
			phrases++
		case th.Compound:
			compounds++
		}
	}
	if phrases == 0 || compounds == 0 {
		t.Errorf("%d phrases and %d compounds among %d themes; want some of each", phrases, compounds, len(all))
	}
	t.Logf("bench.tsv, %d comments: %d themes in 2 comments or more (%d phrases, %d compounds); top 15 (%d phrases or compounds): %s",
		len(ts), len(all), phrases, compounds, multi, strings.TrimSuffix(b.String(), "、"))
}
