package jatext

import (
	"reflect"
	"strings"
	"testing"
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
		{"業務", false}, // a word of a compound counts on its own when it is found apart too
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
		{"counted once per text", []string{"残業、残業、また残業。", "残業が多い。"}, 2, []Theme{
			{Term: "残業", Count: 2, Texts: []int{0, 1}},
		}},
		// A word seen only inside the compound adds nothing beside it; one seen elsewhere too does.
		{"compound and its words", []string{"人事評価制度の見直し", "人事評価制度が形式的", "人事異動が多い"}, 2, []Theme{
			{Term: "人事", Count: 3, Texts: []int{0, 1, 2}},
			{Term: "人事評価制度", Compound: true, Count: 2, Texts: []int{0, 1}},
		}},
		{"base forms", []string{"業務が忙しかった", "いつも忙しい"}, 2, []Theme{
			{Term: "忙しい", Count: 2, Texts: []int{0, 1}},
		}},
		{"a verb and its noun", []string{"人員配置を見直してほしい", "業務量の見直しを", "休む人が多い", "休みが取れない"}, 2, []Theme{
			{Term: "休み", Count: 2, Texts: []int{2, 3}},
			{Term: "見直し", Count: 2, Texts: []int{0, 1}},
		}},
		{"stop words", []string{"することがあると思う", "することがあると思った"}, 1, []Theme{}},
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
