package admin

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "/admin"},
		{"/admin/trends?section=x", "/admin/trends?section=x"},
		{"//evil.example/admin", "/admin"},
		{"https://evil.example/admin", "/admin"},
		{"/administrator/../../x", "/administrator/../../x"}, // stays on this host; 404 at worst
		{"/\\evil.example", "/admin"},
		{"/admin\r\nSet-Cookie: x", "/admin"},
		{"/", "/admin"},
	} {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
