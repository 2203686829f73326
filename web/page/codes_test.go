package page

import "testing"

// TestCodesRedacted: the access log holds no answer code, however it was typed into a path.
func TestCodesRedacted(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/admin/K7QF-2M9X-HD4R-8WNCS", "/admin/[redacted]"},
		{"/admin/k7qf2m9xhd4r8wncs/x", "/admin/[redacted]/x"},
		{"/x/0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11", "/x/[redacted]"},
		{"/admin/surveys/kita-2026/review/0123456789abcdef01234567/redact", "/admin/surveys/kita-2026/review/0123456789abcdef01234567/redact"},
		{"/admin/surveys/kita-2026-soumu-shomu", "/admin/surveys/kita-2026-soumu-shomu"},
	} {
		if got := RedactTokens(tt.in); got != tt.want {
			t.Errorf("RedactTokens(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
