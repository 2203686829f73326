package jatext_test

import (
	"fmt"

	"staffsurvey/jatext"
)

func ExampleNames() {
	text := "上司の田中課長に相談しにくい。総務課長は北区の窓口にいる。"
	spans := jatext.Names(text)
	for _, s := range spans {
		fmt.Println(s.Text, s.Why)
	}
	fmt.Println(jatext.Redact(text, spans))
	// Output:
	// 田中 敬称
	// 上司の＊＊課長に相談しにくい。総務課長は北区の窓口にいる。
}

func ExampleThemes() {
	texts := []string{
		"超過勤務が多く、人事評価制度にも不満がある。",
		"超過勤務の縮減を進めてほしい。",
		"人事評価制度の目標設定が形式的だ。",
		"人事異動の内示が遅い。",
	}
	for _, th := range jatext.Themes(texts, 2, 3) {
		fmt.Println(th.Term, th.Compound, th.Count, th.Texts)
	}
	// Output:
	// 人事 false 3 [0 2 3]
	// 人事評価制度 true 2 [0 2]
	// 超過勤務 true 2 [0 1]
}

func ExampleMatches() {
	fmt.Println(jatext.Matches("ＰＣの更新でテレワークが快適に", "pc　てれわーく"))
	// Output: true
}
