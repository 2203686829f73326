package jatext

import "testing"

func TestMatches(t *testing.T) {
	tests := []struct {
		text, query string
		want        bool
	}{
		{"テレワークの導入", "", true},
		{"テレワークの導入", "　 ", true},
		{"テレワークの導入", "テレワーク", true},
		{"ｔｅｌｅｗｏｒｋの導入", "tele", true},
		{"ＰＣの更新", "pc", true},
		{"PCの更新", "ＰＣ", true},
		{"Web会議", "WEB", true},
		{"年１回の面談", "1回", true},
		{"テレワークの導入", "てれわーく", true},
		{"ぺーぱーれす", "ペーパーレス", true},
		{"人事評価制度の見直し", "人事 見直し", true},
		{"人事評価制度の見直し", "人事　見直し", true},
		{"人事評価制度の見直し", "人事 研修", false},
		{"窓口対応", "窓口対応が", false},
		{"課長", "係長", false},
		{"ﾃﾚﾜｰｸの導入", "テレワーク", true},
		{"ﾃﾞｼﾞﾀﾙ化とﾍﾟｰﾊﾟｰﾚｽ", "デジタル ぺーぱー", true},
		{"デジタル化", "ﾃﾞｼﾞﾀﾙ", true},
		{"テジタル化", "ﾃﾞｼﾞﾀﾙ", false},
		{"ｱﾞ", "ア", true}, // a sound mark on a kana that takes none stays apart
	}
	for _, tt := range tests {
		if got := Matches(tt.text, tt.query); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v; want %v", tt.text, tt.query, got, tt.want)
		}
	}
}
