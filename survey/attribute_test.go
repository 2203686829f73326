package survey_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// attrBlock is a valid attributes block; badAttributes change one thing in it.
const attrBlock = `attributes:
  - id: rank
    title: {ja: 職層, en: Position}
    options:
      - {id: staff, label: {ja: 係員, en: Staff}}
      - {id: manager, label: {ja: 管理職, en: Manager}}
`

// badAttributes are attribute blocks the parser refuses, each with the line it must name.
var badAttributes = []struct {
	name, block, want string
}{
	{"one option", `attributes:
  - id: rank
    title: {ja: 職層}
    options:
      - {id: staff, label: {ja: 係員}}
`, ":2: attributes.rank.options: 選択肢は 2〜10 個"},
	{"eleven options", `attributes:
  - id: age
    title: {ja: 年代}
    options: [{id: a1, label: {ja: x}}, {id: a2, label: {ja: x}}, {id: a3, label: {ja: x}}, {id: a4, label: {ja: x}}, {id: a5, label: {ja: x}}, {id: a6, label: {ja: x}}, {id: a7, label: {ja: x}}, {id: a8, label: {ja: x}}, {id: a9, label: {ja: x}}, {id: a10, label: {ja: x}}, {id: a11, label: {ja: x}}]
`, ":2: attributes.age.options"},
	{"duplicate option", `attributes:
  - id: rank
    title: {ja: 職層}
    options:
      - {id: staff, label: {ja: 係員}}
      - {id: staff, label: {ja: 係員2}}
`, ":6: attributes.rank.options.id: 選択肢 id \"staff\" が重複"},
	{"duplicate attribute", attrBlock + `  - id: rank
    title: {ja: 職層2}
    options:
      - {id: a, label: {ja: A}}
      - {id: b, label: {ja: B}}
`, ":7: attributes.id: 属性 id \"rank\" が重複"},
	{"bad id", strings.Replace(attrBlock, "id: rank", "id: Rank", 1), ":2: attributes.id"},
	{"bad option id", strings.Replace(attrBlock, "id: manager", "id: 管理", 1), ":6: attributes.rank.options.id"},
	{"missing title", strings.Replace(attrBlock, "title: {ja: 職層, en: Position}", "title: {en: Position}", 1), ":2: attributes.rank.title.ja"},
	{"missing label", strings.Replace(attrBlock, "label: {ja: 管理職, en: Manager}", "label: {en: Manager}", 1), ":6: attributes.rank.options.manager.label.ja"},
	{"unknown key", strings.Replace(attrBlock, "title:", "titel:", 1), "titel"},
	{"six attributes", "attributes:\n" + sixAttributes(), ":17: attributes: attributes は 5 個まで"},
}

func sixAttributes() string {
	var b strings.Builder
	for i := range 6 {
		b.WriteString("  - id: a" + string(rune('0'+i)) + "\n    title: {ja: 属性}\n    options: [{id: x, label: {ja: X}}, {id: y, label: {ja: Y}}]\n")
	}
	return b.String()
}

// withAttributes puts block before the sections of the minimal questionnaire, so that the
// block's own lines count from the line "attributes:" is on (returned).
func withAttributes(tb testing.TB, block string) (string, int) {
	tb.Helper()
	i := strings.Index(minimal, "sections:")
	if i < 0 {
		tb.Fatal("minimal has no sections")
	}
	return minimal[:i] + block + minimal[i:], strings.Count(minimal[:i], "\n") + 1
}

func TestParseAttributes(t *testing.T) {
	data, _ := withAttributes(t, attrBlock)
	q, err := survey.Parse("q.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Attributes) != 1 || q.Attributes[0].ID != "rank" || len(q.Attributes[0].Options) != 2 || !q.HasAttributes() {
		t.Fatalf("got %+v", q.Attributes)
	}
	if a, i, ok := q.Attribute("rank"); !ok || i != 0 || a.OptionIndex("manager") != 1 || a.OptionIndex("x") != -1 {
		t.Errorf("Attribute(rank) = %v %d %v", a, i, ok)
	}
	for _, tt := range badAttributes {
		t.Run(tt.name, func(t *testing.T) {
			data, first := withAttributes(t, tt.block)
			_, err := survey.Parse("q.yaml", []byte(data))
			if err == nil {
				t.Fatal("got no error")
			}
			e := err.(*survey.Error)
			// The wanted line is relative to the block: shift it to the file's.
			want := tt.want
			if strings.HasPrefix(want, ":") {
				var line int
				rest := want[1:]
				j := strings.Index(rest, ":")
				for _, c := range rest[:j] {
					line = line*10 + int(c-'0')
				}
				want = "q.yaml:" + itoa(line+first-1) + rest[j:]
			}
			if !strings.Contains(e.Message.JA, want) || e.Message.EN == "" {
				t.Errorf("got %q; want it to contain %q", e.Message.JA, want)
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func mustAttrFixture(tb testing.TB, year string) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.LoadFile(testfixture.Attributes("attr-" + year + ".yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

func TestResponseAttributes(t *testing.T) {
	q := mustAttrFixture(t, "2025")
	r := survey.NewResponse(q, "madoguchi")
	if want := []int8{survey.NA, survey.NA, survey.NA}; !slices.Equal(r.Attributes, want) {
		t.Fatalf("NewResponse attributes = %v; want %v", r.Attributes, want)
	}
	r.Attributes[0], r.Attributes[2] = 2, 0
	if err := r.Validate(q); err != nil {
		t.Fatal(err)
	}
	b, _ := r.MarshalBinary()
	var got survey.Response
	got.Attributes = []int8{9, 9, 9, 9} // reused and overwritten
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Attributes, r.Attributes) || got.Section != r.Section {
		t.Errorf("round trip: %v; want %v", got.Attributes, r.Attributes)
	}
	c := r.Clone()
	c.Attributes[0] = 1
	if r.Attributes[0] != 2 {
		t.Error("Clone shares Attributes")
	}
	// A response without attributes still encodes as before and decodes with none.
	plain := survey.NewResponse(mustFixture(t), "soumu-a")
	b, _ = plain.MarshalBinary()
	if b[0] != 1 {
		t.Errorf("version byte %d; want 1 for a response without attributes", b[0])
	}
	if err := got.UnmarshalBinary(b); err != nil || got.Attributes != nil {
		t.Errorf("decode without attributes: %v, %v", err, got.Attributes)
	}
	for _, bad := range [][]int8{{3, survey.NA, survey.NA}, {0, 0}, {-2, 0, 0}} {
		r.Attributes = bad
		if err := r.Validate(q); err == nil {
			t.Errorf("Validate accepted attributes %v", bad)
		}
	}
	r.Attributes = nil // not stated at all: valid
	if err := r.Validate(q); err != nil {
		t.Error(err)
	}
	plain.Attributes = []int8{0}
	if err := plain.Validate(mustFixture(t)); err == nil {
		t.Error("Validate accepted attributes for a questionnaire without any")
	}
}

func TestReadCSVAttributes(t *testing.T) {
	q := mustAttrFixture(t, "2025")
	data, err := os.ReadFile(testfixture.Attributes("responses-2025.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := survey.ReadCSV(q, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 97 {
		t.Fatalf("%d responses; want 97", len(rs))
	}
	// The first row: shimin-c, staff, 30s, regular.
	if want := []int8{0, 1, 0}; !slices.Equal(rs[0].Attributes, want) {
		t.Errorf("first row attributes = %v; want %v", rs[0].Attributes, want)
	}
	// The fourth leaves rank empty: not stated.
	if rs[3].Attributes[0] != survey.NA {
		t.Errorf("an empty attr: cell gave %d; want NA", rs[3].Attributes[0])
	}
	lines := strings.SplitN(string(data), "\n", 3)
	bad := []struct{ name, csv, want string }{
		{"unknown option", lines[0] + "\n" + strings.Replace(lines[1], ",staff,", ",boss,", 1) + "\n", "2 行目: attr:rank の値 \"boss\""},
		{"unknown attribute column", strings.Replace(lines[0], "attr:age", "attr:agee", 1) + "\n" + lines[1] + "\n", "列 \"attr:agee\""},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := survey.ReadCSV(q, strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.(*survey.Error).Message.JA, tt.want) {
				t.Errorf("got %v; want %q", err, tt.want)
			}
		})
	}
	// Without the attr: columns every respondent is "not stated".
	noAttr := strings.Replace(lines[0], "attr:rank,attr:age,attr:employment,", "", 1) + "\n" +
		strings.Replace(lines[1], "staff,30s,regular,", "", 1) + "\n"
	rs, err = survey.ReadCSV(q, strings.NewReader(noAttr))
	if err != nil || !slices.Equal(rs[0].Attributes, []int8{survey.NA, survey.NA, survey.NA}) {
		t.Errorf("without attr: columns: %v, %v", err, rs)
	}
}

func TestCodebookAttributes(t *testing.T) {
	rows := survey.CodebookRows(mustAttrFixture(t, "2025"))
	var got []string
	for _, r := range rows {
		if r[0] == survey.CodebookAttribute || r[0] == survey.CodebookOption {
			got = append(got, r[0]+":"+r[1]+":"+r[2]+":"+r[13])
		}
	}
	want := []string{"attribute:attr:rank:職層:", "option:staff:係員:attr:rank", "option:chief:係長級:attr:rank", "option:manager:課長代理級以上:attr:rank"}
	if len(got) < 4 || !slices.Equal(got[:4], want) {
		t.Errorf("got %v; want it to start with %v", got, want)
	}
	if len(got) != 3+3+4+3 {
		t.Errorf("%d attribute and option rows; want 13", len(got))
	}
}
