package survey_test

import (
	"bytes"
	"strings"
	"testing"

	"staffsurvey/survey"
)

// safeCellTests are cells as written and as SafeCell neutralises them.
var safeCellTests = []struct{ in, want string }{
	{"=1+1", "'=1+1"},
	{"=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"},
	{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
	{"+81 3", "'+81 3"},
	{"-5", "'-5"},
	{"@SUM(A1)", "'@SUM(A1)"},
	{"\t=1", "'\t=1"},
	{"\r=1", "'\r=1"},
	{"'=1", "''=1"}, // an apostrophe of the comment itself stays, so that PlainCell can undo
	{"'quoted'", "''quoted'"},
	{"良い職場です", "良い職場です"},
	{"a=1", "a=1"},
	{"", ""},
}

func TestSafeCell(t *testing.T) {
	for _, tt := range safeCellTests {
		got := survey.SafeCell(tt.in)
		if got != tt.want {
			t.Errorf("SafeCell(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if back := survey.PlainCell(got); back != tt.in {
			t.Errorf("PlainCell(%q) = %q; want %q", got, back, tt.in)
		}
	}
}

// FuzzSafeCell: no neutralised cell starts as a formula, and PlainCell undoes SafeCell.
func FuzzSafeCell(f *testing.F) {
	for _, tt := range safeCellTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := survey.SafeCell(s)
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Errorf("SafeCell(%q) = %q starts as a formula", s, got)
		}
		if back := survey.PlainCell(got); back != s {
			t.Errorf("PlainCell(SafeCell(%q)) = %q", s, back)
		}
	})
}

func TestNewExcelCSV(t *testing.T) {
	for _, excel := range []bool{true, false} {
		var b bytes.Buffer
		w, err := survey.NewExcelCSV(&b, excel)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]string{"a", "b"})
		w.Flush()
		want := "a,b\n"
		if excel {
			want = "\xef\xbb\xbfa,b\r\n"
		}
		if got := b.String(); got != want {
			t.Errorf("excel %v: got %q; want %q", excel, got, want)
		}
	}
}
