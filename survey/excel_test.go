package survey_test

import (
	"bytes"
	"testing"

	"staffsurvey/survey"
)

func TestExcelCell(t *testing.T) {
	tests := []struct {
		in    string
		excel bool
		want  string
	}{
		{"=1+1", true, "'=1+1"},
		{"+81 3", true, "'+81 3"},
		{"-5", true, "'-5"},
		{"@SUM(A1)", true, "'@SUM(A1)"},
		{"\t=1", true, "'\t=1"},
		{"\r=1", true, "'\r=1"},
		{"良い職場です", true, "良い職場です"},
		{"", true, ""},
		{"=1+1", false, "=1+1"}, // for R and pandas, as it is
	}
	for _, tt := range tests {
		if got := survey.ExcelCell(tt.in, tt.excel); got != tt.want {
			t.Errorf("ExcelCell(%q, %v) = %q; want %q", tt.in, tt.excel, got, tt.want)
		}
	}
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
