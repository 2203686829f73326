package survey_test

import (
	"strings"
	"testing"

	"staffsurvey/survey"
)

// A valid code, its canonical form, and a UUID token of an earlier version.
const (
	exampleCode = "K7QF-2M9X-HD4R-8WNCS"
	exampleUUID = "0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11"
)

var tokenCases = []struct {
	in   string
	want string // canonical form, "" for an error
	err  error  // the error, when it is more precise than ErrTokenUnknown
}{
	{exampleCode, exampleCode, nil},
	{"k7qf-2m9x-hd4r-8wncs", exampleCode, nil},                 // typed in lower case
	{"K7QF2M9XHD4R8WNCS", exampleCode, nil},                    // hyphens left out
	{"K7QF 2M9X HD4R 8WNC S", exampleCode, nil},                // spaces, the check set apart
	{"Ｋ７ＱＦ－２Ｍ９Ｘ－ＨＤ４Ｒ－８ＷＮＣＳ", exampleCode, nil},                 // full-width, from a Japanese input method
	{"ｋ７ｑｆー２ｍ９ｘ　ｈｄ４ｒ ８ｗｎｃｓ", exampleCode, nil},                 // full-width lower case, 長音 and ideographic space
	{"K7QF-2M9X-HD4R-8WNCS\n", exampleCode, nil},               // pasted with a newline
	{"K7-QF2M-9XHD-4R8W-NCS", exampleCode, nil},                // hyphens misplaced
	{"K7QF-2M9X-HD4R-8WNC5", "", survey.ErrTokenTypo},          // S read as 5
	{"K7QF-2M9X-HD4R-8WCNS", "", survey.ErrTokenTypo},          // two swapped
	{"K7QF-2M9X-HD4R-8WNC", "", survey.ErrTokenLength},         // check character left off
	{"K7QF-2M9X-HD4R-8WNCSS", "", survey.ErrTokenLength},       // one too many
	{"K7QF-2M9X-HD4R", "", survey.ErrTokenUnknown},             // far too short
	{"K7QF-2M9X-HD4R-8WNC!", "", survey.ErrTokenUnknown},       // not a symbol
	{exampleUUID, exampleUUID, nil},                            // an earlier version's token
	{"0B3F1E9E-5D0C-4C43-9D4E-7F0E7D3B2A11", exampleUUID, nil}, // typed in capitals
	{"0b3f1e9e5d0c4c439d4e7f0e7d3b2a11", exampleUUID, nil},     // no hyphens
	{"０ｂ３ｆ１ｅ９ｅ－５ｄ０ｃ－４ｃ４３－９ｄ４ｅ－７ｆ０ｅ７ｄ３ｂ２ａ１１", exampleUUID, nil}, // full-width
	{"urn:uuid:0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11", "", nil},
	{"{0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11}", "", nil},
	{"0b3f1e9e-5d0c-1c43-9d4e-7f0e7d3b2a11", "", nil}, // version 1: never issued
	{"", "", nil},
	{"../../etc/passwd", "", nil},
	{strings.Repeat("a", 10000), "", nil},
	{strings.Repeat("Ａ", 17), "", nil}, // 17 symbols, but the check does not match
}

func TestParseToken(t *testing.T) {
	for _, tt := range tokenCases {
		got, err := survey.ParseToken(tt.in)
		if (err != nil) != (tt.want == "") || got != tt.want {
			t.Errorf("ParseToken(%.40q): got %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if tt.err != nil && err != tt.err {
			t.Errorf("ParseToken(%.40q): got %v; want %v", tt.in, err, tt.err)
		}
		if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("ParseToken(%.40q): code %s; want not_found (a malformed token is an unknown one)", tt.in, survey.ErrorCode(err))
		}
	}
}

// TestNewToken: new tokens are canonical codes, 4-4-4-5, of 80 random bits (no two alike in
// many, and every symbol in every data position).
func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	symbols := make([]map[byte]bool, 20)
	for i := range symbols {
		symbols[i] = map[byte]bool{}
	}
	for range 5000 {
		tok := survey.NewToken()
		if c := mustParse(t, tok); c != tok {
			t.Fatalf("a new token is not canonical: %s → %s", tok, c)
		}
		if g := strings.Split(tok, "-"); len(g) != 4 || len(g[0]) != 4 || len(g[1]) != 4 || len(g[2]) != 4 || len(g[3]) != 5 {
			t.Fatalf("token %s is not grouped 4-4-4-5", tok)
		}
		if seen[tok] {
			t.Fatalf("token %s issued twice", tok)
		}
		seen[tok] = true
		for i := range len(tok) {
			symbols[i][tok[i]] = true
		}
	}
	for i, s := range symbols[:19] {
		if i%5 == 4 {
			continue // a hyphen
		}
		if len(s) != 32 {
			t.Errorf("position %d saw %d of the 32 symbols in 5000 tokens", i, len(s))
		}
	}
	if survey.TokenBits < 80 {
		t.Errorf("tokens carry %d random bits; want at least 80", survey.TokenBits)
	}
}

// TestTokenCheckCatchesTypos: every single wrong character and every exchange of two different
// characters, in any position, is caught by the check character, in a few hundred random codes.
func TestTokenCheckCatchesTypos(t *testing.T) {
	const symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	for range 200 {
		tok := strings.ReplaceAll(survey.NewToken(), "-", "")
		for i := range len(tok) {
			for j := range len(symbols) {
				if symbols[j] == tok[i] {
					continue
				}
				typo := tok[:i] + string(symbols[j]) + tok[i+1:]
				if _, err := survey.ParseToken(typo); err != survey.ErrTokenTypo {
					t.Fatalf("%s with position %d changed to %c (%s): %v; want the typo caught", tok, i, symbols[j], typo, err)
				}
			}
			for j := i + 1; j < len(tok); j++ {
				if tok[i] == tok[j] {
					continue
				}
				b := []byte(tok)
				b[i], b[j] = b[j], b[i]
				if _, err := survey.ParseToken(string(b)); err != survey.ErrTokenTypo {
					t.Fatalf("%s with positions %d and %d swapped (%s): %v; want the typo caught", tok, i, j, b, err)
				}
			}
		}
	}
}

// TestTokenConfusions: I and L read as 1, O as 0, U as V, wherever they are typed.
func TestTokenConfusions(t *testing.T) {
	for range 200 {
		tok := survey.NewToken()
		typed := strings.NewReplacer("1", "l", "0", "O", "V", "u").Replace(strings.ToLower(tok))
		if got := mustParse(t, typed); got != tok {
			t.Errorf("%s typed as %s: got %s", tok, typed, got)
		}
		typed = strings.NewReplacer("1", "I", "0", "o").Replace(tok)
		if got := mustParse(t, typed); got != tok {
			t.Errorf("%s typed as %s: got %s", tok, typed, got)
		}
	}
}

func mustParse(t *testing.T, s string) string {
	t.Helper()
	c, err := survey.ParseToken(s)
	if err != nil {
		t.Fatalf("ParseToken(%q): %v", s, err)
	}
	return c
}

// toFullWidth writes s as a Japanese input method in full-width mode would.
func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '!' && r <= '~' {
			r += '！' - '!'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func FuzzParseToken(f *testing.F) {
	for _, tt := range tokenCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := survey.ParseToken(s)
		if err != nil {
			if survey.ErrorCode(err) != survey.ENOTFOUND {
				t.Fatalf("ParseToken(%q): %v; want not_found", s, err)
			}
			return
		}
		// A token that parses has exactly one canonical form, which parses to itself, also
		// typed in lower case, full-width or without hyphens.
		for _, typed := range []string{c, strings.ToLower(c), toFullWidth(c), strings.ReplaceAll(c, "-", "")} {
			if again, err := survey.ParseToken(typed); err != nil || again != c {
				t.Fatalf("ParseToken(%q) = %q, but %q gives %q, %v", s, c, typed, again, err)
			}
		}
		switch len(c) {
		case 36: // an earlier version's UUID
			if strings.ToLower(c) != c {
				t.Fatalf("ParseToken(%q) = %q: not lower case", s, c)
			}
		case 20: // a code
			if strings.ToUpper(c) != c || strings.ContainsAny(c, "ILOU") {
				t.Fatalf("ParseToken(%q) = %q: not the canonical symbols", s, c)
			}
		default:
			t.Fatalf("ParseToken(%q) = %q: neither a code nor a UUID", s, c)
		}
		if len(survey.HashToken(c)) != 32 {
			t.Fatal("hash is not SHA-256")
		}
	})
}

// Tokens of earlier versions (UUIDs) typed by hand come out canonical; what is not a token
// stays unlike one.
func TestParseTokenUUIDTypedByHand(t *testing.T) {
	const want = "0f8d3c1e-7a2b-4c5d-9e8f-1a2b3c4d5e6f"
	tests := []struct{ name, in string }{
		{"canonical", want},
		{"spaces", "  " + want + "\n"},
		{"upper case", strings.ToUpper(want)},
		{"no hyphens", strings.ReplaceAll(want, "-", "")},
		{"full width", "０ｆ８ｄ３ｃ１ｅ－７ａ２ｂ－４ｃ５ｄ－９ｅ８ｆ－１ａ２ｂ３ｃ４ｄ５ｅ６ｆ"},
		{"long vowel marks", strings.ReplaceAll(want, "-", "ー")},
		{"ideographic spaces", "　" + want + "　"},
		{"spaces inside, in groups of four", "0f8d 3c1e 7a2b 4c5d 9e8f 1a2b 3c4d 5e6f"},
		{"a hyphen left out", "0f8d3c1e7a2b-4c5d-9e8f-1a2b3c4d5e6f"},
		{"hyphens misplaced", "0f8d-3c1e-7a2b-4c5d-9e8f-1a2b-3c4d-5e6f"},
		{"full-width spaces and digits mixed", "０f８d３c１e　7a2b　4c5d　9e8f　1a2b3c4d5e6f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := survey.ParseToken(tt.in); err != nil || got != want {
				t.Errorf("got %q, %v; want %q", got, err, want)
			}
		})
	}
	for _, in := range []string{"abc", want + "0", want[:35], "0f8d3c1e-7a2b-4c5d-9e8f-1a2b3c4d5e6g"} {
		if _, err := survey.ParseToken(in); err == nil {
			t.Errorf("%q: normalised to a token", in)
		}
	}
}
