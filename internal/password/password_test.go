package password

import (
	"strings"
	"testing"

	"staffsurvey/survey"
)

func TestHashAndCheck(t *testing.T) {
	tests := []struct {
		name string
		hash func(string) ([]byte, error)
	}{
		{"Hash", Hash},
		{"HashCheap", HashCheap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // bcrypt is slow by design, more so under -race
			h, err := tt.hash("correct horse battery")
			if err != nil {
				t.Fatal(err)
			}
			if !Check(h, "correct horse battery") {
				t.Error("Check(right password) = false; want true")
			}
			if Check(h, "correct horse batterY") {
				t.Error("Check(wrong password) = true; want false")
			}
		})
	}
	t.Run("CheckNone", func(t *testing.T) {
		t.Parallel()
		if CheckNone("anything") {
			t.Error("CheckNone = true; want false")
		}
	})
}

// TestGenerate: generated passwords pass the rules and differ.
func TestGenerate(t *testing.T) {
	a, b := Generate(), Generate()
	if Validate(a) != nil || a == b || len(a) != 16 {
		t.Errorf("Generate: %q, %q", a, b)
	}
	if n := CommonCount(); n < 2000 {
		t.Errorf("CommonCount() = %d; want a few thousand", n)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		password string
		want     string // error code, "" for none
	}{
		{"1234567", survey.EINVALID},               // too short
		{"kitaward-tsuki-9", ""},                   // long enough, not common
		{"区役所の職員満足度調査二〇二六", ""},                    // characters, not bytes
		{"パスワード七文字です", survey.EINVALID},            // 10 characters
		{"password1234", survey.EINVALID},          // common base and digits
		{"Password2026!", survey.EINVALID},         // any case, a year and a symbol
		{"qwertyuiop12", survey.EINVALID},          // keyboard walk
		{"123456789012", survey.EINVALID},          // a run
		{"aaaaaaaaaaaa", survey.EINVALID},          // one character
		{"iloveyouiloveyou", survey.EINVALID},      // doubled
		{"            ", survey.EINVALID},          // spaces
		{strings.Repeat("長", 25), survey.EINVALID}, // 75 bytes: past bcrypt's 72
	}
	for _, tt := range tests {
		if got := survey.ErrorCode(Validate(tt.password)); got != tt.want {
			t.Errorf("Validate(%q): got %q; want %q", tt.password, got, tt.want)
		}
	}
}
