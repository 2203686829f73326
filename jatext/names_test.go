package jatext

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// surfaces returns the texts of spans.
func surfaces(spans []Span) []string {
	out := []string{}
	for _, s := range spans {
		out = append(out, s.Text)
	}
	return out
}

// nameTests are short comments, each on one rule of Names.
var nameTests = []struct {
	name, text string
	want       []string
}{
	// A name and a title: the name only.
	{"surname and title", "上司の田中課長に相談しにくい", []string{"田中"}},
	{"title alone", "課長が忙しすぎる", []string{}},
	{"post and title", "総務課長と戸籍係長に相談した", []string{}},
	{"prefix and title", "前課長と新課長と副区長と各係長", []string{}},
	{"ward head", "北区長の方針", []string{}},
	{"one-kanji unit and title", "税係長に聞いた", []string{}},
	{"adnominal and title", "この課長とあの係長", []string{}},
	{"katakana post and title", "システム課長に聞いた", []string{}},
	{"katakana surname and title", "タナカ係長に聞いた", []string{"タナカ"}},
	{"name, space, title", "中村　次長との面談", []string{"中村"}},
	{"name read into the title", "関係長と南部長に相談した", []string{"関", "南"}},
	{"name read as a prefix", "中係長に相談した", []string{"中"}},
	{"prefixes that are not names", "両課長と某係長と故課長", []string{}},
	// Honorifics.
	{"surname and さん", "鈴木さんが教えてくれた", []string{"鈴木"}},
	{"full name", "高橋一郎さんの件", []string{"高橋一郎"}},
	{"full name with a space", "田中 太郎さんと話した", []string{"田中 太郎"}},
	{"given name", "太郎さんが作った", []string{"太郎"}},
	{"katakana", "派遣のヤマダさんとスズキさん", []string{"ヤマダ", "スズキ"}},
	{"katakana unknown to the dictionary as a name", "マイクさんに聞いた", []string{"マイク"}},
	{"hiragana split by the dictionary", "課長とたなかさんに聞いた", []string{"たなか"}},
	{"hiragana given name", "はなこちゃんが来た。ゆうこさんと", []string{"はなこ", "ゆうこ"}},
	{"one kanji, a name", "森さんと林係長", []string{"森", "林"}},
	{"one kanji, a common noun", "東さんと北さん", []string{"東", "北"}},
	{"place as surname", "千葉さんと神谷さん", []string{"千葉", "神谷"}},
	{"other honorifics", "斎藤くんと山田君と山口様と田中氏", []string{"斎藤", "山田", "山口", "田中"}},
	// Ordinary people.
	{"everyone", "皆さんとみなさんと皆様", []string{}},
	{"customers", "お客さんとお客様と住民の方", []string{}},
	{"jobs", "パートさんとアルバイトさんとヘルパーさんと業者さんと保健師さん", []string{}},
	{"staff", "職員さんと区民と上司と先輩と同僚と担当者", []string{}},
	{"greetings", "お疲れさんです。ご苦労さまでした。", []string{}},
	{"family", "奥さんとお子さんとお父さん", []string{}},
	// Places the dictionary knows as surnames: the ward's own (kitaPlaces) are places.
	{"places", "梅田の出張所と扇町の本庁舎と天満", []string{}},
	{"places as surnames", "堂島と本庄と長柄と浮田と中之島", []string{}},
	{"place as surname with an honorific", "梅田さんと本庄係長", []string{"梅田", "本庄"}},
	{"place and suffix", "葛飾区役所と板橋区と目黒駅", []string{}},
	{"north ward", "北区の窓口", []string{}},
	// Words of the workplace.
	{"workplace words", "係と課と窓口と休暇と残業と人事と研修", []string{}},
	{"katakana word holding a name", "テレワークとＰＣでテレワーク", []string{}},
	{"hiragana word read as a name", "そのなかで、なかなか進まない", []string{}},
	// Initials, full-width too, before a title or an honorific; not letters of a word.
	{"initials", "Ｓ係長とＹさんとK課長とH.主任", []string{"Ｓ", "Ｙ", "K", "H."}},
	{"letters of a word", "ＩＴ担当係長とDX推進課長とOJT担当", []string{}},
	// Names in Latin letters, whole.
	{"addressed", "Mr. Suzuki and Ms Kato and Mrs. Hayashi", []string{"Suzuki", "Kato", "Hayashi"}},
	{"honorific in Latin", "Tanaka-san and Yamamoto san and Ogawa kakaricho", []string{"Tanaka", "Yamamoto", "Ogawa"}},
	{"honorific in Japanese", "Smithさんと Ito係長", []string{"Smith", "Ito"}},
	{"full name in Latin", "John Smith from the vendor", []string{"John Smith"}},
	{"given name beside a surname", "Ken 田中さんと Taro Yamada-san", []string{"Ken 田中", "Taro Yamada"}},
	{"initial beside a surname", "Ｋ・田中さん", []string{"Ｋ・田中"}},
	{"products", "Microsoft TeamsとGoogle Chromeで Excel", []string{}},
	// Variant kanji read as the surname they are.
	{"variant kanji", "髙橋課長と山﨑さん", []string{"髙橋", "山﨑"}},
	// Roles that single out one person of a small group.
	{"roles", "例の主査とうちの新人と窓口の再任用の方", []string{"例の主査", "うちの新人", "再任用の方"}},
	{"roles in general", "再任用職員の経験と新人研修と派遣職員と区長の方針", []string{}},
	// Redacted already.
	{"redacted title", "＊＊課長と＊＊さん", []string{}},
	// A name found once is hidden everywhere.
	{"again", "田中課長は田中と呼ばれたい", []string{"田中", "田中"}},
}

// TestNamesSayWhy: each span says what kind of name it is.
func TestNamesSayWhy(t *testing.T) {
	got := map[string]string{}
	for _, s := range Names("田中課長とＳ係長とMr. Suzukiと例の主査と太郎") {
		got[s.Text] = s.Why
	}
	want := map[string]string{"田中": WhyTitled, "Ｓ": WhyInitial, "Suzuki": WhyLatin, "例の主査": WhyRole, "太郎": WhyName}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
}

func TestNames(t *testing.T) {
	f := NewFinder(kitaPlaces)
	for _, tt := range nameTests {
		t.Run(tt.name, func(t *testing.T) {
			got := surfaces(f.Names(tt.text))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Names(%q) = %q; want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestNamesFixture: on the fixture of realistic comments, every name is found, with the right
// span, and nothing else; redacting gives the expected text, in which no name is found.
func TestNamesFixture(t *testing.T) {
	var tp, fp, fn, flaggedClean, clean int
	f := NewFinder(kitaPlaces)
	for i, c := range loadComments(t) {
		got := f.Names(c.Text)
		want := wantSpans(t, c.Text, c.Names)
		hit := map[Span]bool{}
		for _, s := range want {
			hit[Span{Start: s.Start, End: s.End}] = true
		}
		for _, s := range got {
			if hit[Span{Start: s.Start, End: s.End}] {
				tp++
				delete(hit, Span{Start: s.Start, End: s.End})
			} else {
				fp++
				t.Errorf("comment %d %q: flagged %q [%d,%d) (%s), not a name", i, c.Text, s.Text, s.Start, s.End, s.Why)
			}
		}
		for s := range hit {
			fn++
			t.Errorf("comment %d %q: missed %q [%d,%d)", i, c.Text, c.Text[s.Start:s.End], s.Start, s.End)
		}
		if len(c.Names) == 0 {
			clean++
			if len(got) > 0 {
				flaggedClean++
			}
			continue
		}
		red := Redact(c.Text, got)
		if red != c.Redacted {
			t.Errorf("comment %d: Redact = %q; want %q", i, red, c.Redacted)
		}
		if again := f.Names(red); len(again) > 0 {
			t.Errorf("comment %d: Names(%q) = %v; want none", i, red, again)
		}
	}
	t.Logf("names: %d found, %d false, %d missed: precision %.1f%%, recall %.1f%%; comments without a name flagged: %d of %d",
		tp, fp, fn, 100*float64(tp)/float64(max(tp+fp, 1)), 100*float64(tp)/float64(max(tp+fn, 1)), flaggedClean, clean)
}

// wantSpans locates names in text, in order.
func wantSpans(tb testing.TB, text string, names []string) []Span {
	tb.Helper()
	var out []Span
	at := 0
	for _, n := range names {
		j := strings.Index(text[at:], n)
		if j < 0 {
			tb.Fatalf("fixture: %q not in %q after byte %d", n, text, at)
		}
		out = append(out, Span{Start: at + j, End: at + j + len(n), Text: n})
		at += j + len(n)
	}
	return out
}

func TestFind(t *testing.T) {
	tests := []struct {
		name, text string
		words      []string
		want       []Span
	}{
		{"none", "窓口が混む", []string{"田中"}, nil},
		{"empty word", "窓口が混む", []string{""}, nil},
		{"two words, out of order", "赤羽の山田と王子の山田", []string{"王子", "山田"}, []Span{
			{9, 15, "山田", "指定"}, {18, 24, "王子", "指定"}, {27, 33, "山田", "指定"},
		}},
		{"overlapping words merge", "総務課長", []string{"総務課", "課長"}, []Span{{0, 12, "総務課長", "指定"}}},
		{"width, case and kana", "ＹＡＭＡＤＡとやまだ", []string{"yamada", "ヤマダ"}, []Span{{0, 18, "ＹＡＭＡＤＡ", "指定"}, {21, 30, "やまだ", "指定"}}},
		{"half-width kana", "ﾔﾏﾀﾞさんとヤマタさん", []string{"ヤマダ"}, []Span{{0, 12, "ﾔﾏﾀﾞ", "指定"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Find(tt.text, tt.words); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Find(%q, %q) = %v; want %v", tt.text, tt.words, got, tt.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	text := "田中課長と鈴木さん"
	tests := []struct {
		name  string
		spans []Span
		want  string
	}{
		{"none", nil, text},
		{"sorted", []Span{{Start: 0, End: 6}, {Start: 15, End: 21}}, "＊＊課長と＊＊さん"},
		{"unsorted", []Span{{Start: 15, End: 21}, {Start: 0, End: 6}}, "＊＊課長と＊＊さん"},
		{"overlapping", []Span{{Start: 0, End: 6}, {Start: 3, End: 12}}, "＊＊と鈴木さん"},
		{"touching", []Span{{Start: 0, End: 6}, {Start: 6, End: 12}}, "＊＊と鈴木さん"},
		{"out of bounds", []Span{{Start: -3, End: 6}, {Start: 15, End: 99}}, "＊＊課長と＊＊"},
		{"empty and reversed", []Span{{Start: 6, End: 6}, {Start: 9, End: 3}}, text},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(text, tt.spans); got != tt.want {
				t.Errorf("Redact(%v) = %q; want %q", tt.spans, got, tt.want)
			}
		})
	}
}

func FuzzNames(f *testing.F) {
	for _, tt := range nameTests {
		f.Add(tt.text)
	}
	for _, s := range []string{"", "　", "＊＊", "さん", "課長", "田中", "\xff田中\xfeさん", "ｶﾀｶﾅさん", "a\x00b田中", "田中田中田中", "森森さん"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		spans := Names(text)
		boundary := map[int]bool{len(text): true} // rune boundaries, a byte that is not UTF-8 being a rune
		for i, n := 0, 0; i < len(text); i += n {
			boundary[i] = true
			_, n = utf8.DecodeRuneInString(text[i:])
		}
		last := 0
		for _, s := range spans {
			if s.Start < last || s.End <= s.Start || s.End > len(text) {
				t.Fatalf("Names(%q): span [%d,%d) after %d: out of order, overlapping or out of bounds: %v", text, s.Start, s.End, last, spans)
			}
			if !boundary[s.Start] || !boundary[s.End] {
				t.Fatalf("Names(%q): span [%d,%d) not on rune boundaries", text, s.Start, s.End)
			}
			if s.Text != text[s.Start:s.End] {
				t.Fatalf("Names(%q): span text %q; want %q", text, s.Text, text[s.Start:s.End])
			}
			last = s.End
		}
		red := Redact(text, spans)
		for _, s := range spans {
			if strings.Contains(red, s.Text) {
				t.Fatalf("Redact(%q) = %q still contains %q", text, red, s.Text)
			}
		}
	})
}

// TestNamesConcurrent: the shared analyser serves several goroutines at once (a server reviews
// and reports in parallel) with the same answers as one.
func TestNamesConcurrent(t *testing.T) {
	ts := texts(loadComments(t))
	want := make([][]Span, len(ts))
	for i, text := range ts {
		want[i] = Names(text)
	}
	errs := make(chan string, 4*len(ts))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, text := range ts {
				if got := Names(text); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("Names(%q) = %v; want %v", text, got, want[i])
				}
			}
			Themes(ts, 2, 10)
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func FuzzFind(f *testing.F) {
	f.Add("赤羽の山田と王子の山田", "山田")
	f.Add("ＹＡＭＡＤＡとやまだ", "ヤマダ")
	f.Add("ﾔﾏﾀﾞさんとヤマタさん", "ﾔﾏﾀﾞ")
	f.Add("ｶﾞｶﾞ\xff", "ｶ")
	f.Add("あああ", "ああ")
	f.Fuzz(func(t *testing.T, text, word string) {
		spans := Find(text, []string{word, ""})
		last := 0
		for _, s := range spans {
			if s.Start < last || s.End <= s.Start || s.End > len(text) || s.Text != text[s.Start:s.End] {
				t.Fatalf("Find(%q, %q): bad span %+v after %d", text, word, s, last)
			}
			last = s.End
		}
		if red := Redact(text, spans); len(spans) > 0 && !strings.Contains(red, Redaction) {
			t.Fatalf("Redact(%q, %v) = %q: nothing redacted", text, spans, red)
		}
		if utf8.ValidString(text) && utf8.ValidString(word) && word != "" && !strings.ContainsFunc(word, unicode.IsSpace) { // Matches splits words at spaces
			if got := len(spans) > 0; got != Matches(text, word) {
				t.Fatalf("Find(%q, %q) found %v; Matches says %v", text, word, got, !got)
			}
		}
	})
}
