package page

import (
	"testing"
)

func TestWithheldMark(t *testing.T) {
	tests := []struct {
		k, n int
		lang Lang
		want string
	}{
		{10, 3, "ja", "n<10"},   // too few
		{10, 0, "ja", "n<10"},   // nobody answered this metric
		{5, 5, "ja", "非表示"},     // enough, but withheld by the remainder rule
		{5, 27, "en", "hidden"}, // ditto, in English
	}
	for _, tt := range tests {
		if got := WithheldMark(tt.k, tt.n, tt.lang); got != tt.want {
			t.Errorf("WithheldMark(%d, %d, %s): got %q; want %q", tt.k, tt.n, tt.lang, got, tt.want)
		}
	}
}
