package ballot

import (
	"strings"
	"testing"
)

// FuzzParseShare: any text either parses into a share that prints back to the same share, or
// is refused with a message in both languages; it never panics.
func FuzzParseShare(f *testing.F) {
	box, err := NewBox(3, 2)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range box.Shares {
		f.Add(s.String())
		f.Add(strings.ToLower(strings.ReplaceAll(s.String(), "-", " ")))
	}
	f.Add("")
	f.Add("0000-0000")
	f.Add(strings.Repeat("Z", ShareChars))
	f.Add("ＡＢＣ－123　ー")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseShare(text)
		if err != nil {
			if e, ok := err.(interface{ Error() string }); !ok || e.Error() == "" {
				t.Fatalf("ParseShare(%q): empty error", text)
			}
			return
		}
		again, err := ParseShare(s.String())
		if err != nil || again != s {
			t.Fatalf("ParseShare(%q) = %v; its String %q parses to %v, %v", text, s, s.String(), again, err)
		}
	})
}
