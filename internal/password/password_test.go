package password

import (
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

func TestValidate(t *testing.T) {
	tests := []struct {
		password string
		want     string // error code, "" for none
	}{
		{"1234567", survey.EINVALID},
		{"12345678", ""},
		{"パスワード七文字", ""}, // characters, not bytes
		{"パスワード", survey.EINVALID},
	}
	for _, tt := range tests {
		if got := survey.ErrorCode(Validate(tt.password)); got != tt.want {
			t.Errorf("Validate(%q): got %q; want %q", tt.password, got, tt.want)
		}
	}
}
