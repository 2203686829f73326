package survey_test

import (
	"strings"
	"testing"

	"staffsurvey/survey"
)

var tokenCases = []struct {
	in   string
	want string // canonical form, "" for an error
}{
	{"0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11", "0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11"},
	{"0B3F1E9E-5D0C-4C43-9D4E-7F0E7D3B2A11", "0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11"}, // typed in capitals
	{"0b3f1e9e5d0c4c439d4e7f0e7d3b2a11", ""},                                         // no hyphens: the web layer tidies first
	{"urn:uuid:0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11", ""},
	{"{0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11}", ""},
	{"0b3f1e9e-5d0c-1c43-9d4e-7f0e7d3b2a11", ""}, // version 1: never issued
	{"", ""},
	{"../../etc/passwd", ""},
	{strings.Repeat("a", 10000), ""},
}

func TestParseToken(t *testing.T) {
	for _, tt := range tokenCases {
		got, err := survey.ParseToken(tt.in)
		if (err != nil) != (tt.want == "") || got != tt.want {
			t.Errorf("ParseToken(%.40q): got %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("ParseToken(%.40q): code %s; want not_found (a malformed token is an unknown one)", tt.in, survey.ErrorCode(err))
		}
	}
	if tok := survey.NewToken(); tok != mustParse(t, tok) {
		t.Errorf("a new token is not canonical: %s", tok)
	}
}

func mustParse(t *testing.T, s string) string {
	t.Helper()
	c, err := survey.ParseToken(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func FuzzParseToken(f *testing.F) {
	for _, tt := range tokenCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := survey.ParseToken(s)
		if err != nil {
			return
		}
		// A token that parses has exactly one canonical form, which parses to itself.
		if again, err := survey.ParseToken(c); err != nil || again != c || len(c) != 36 || strings.ToLower(c) != c {
			t.Fatalf("ParseToken(%q) = %q, which gives %q, %v", s, c, again, err)
		}
		if len(survey.HashToken(c)) != 32 {
			t.Fatal("hash is not SHA-256")
		}
	})
}
