package answer

import (
	"bytes"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadBody: readBody returns the body as io.ReadAll would, whatever Content-Length says
// (exact, absent, too small, too large, absurd) and however the reader splits it, and passes
// a reader's error on.
func TestReadBody(t *testing.T) {
	for _, size := range []int{0, 1, 511, 512, 513, 1500, 70 << 10} {
		body := strings.Repeat("ü", size/2) + strings.Repeat("x", size%2)
		for _, length := range []int64{int64(len(body)), -1, 0, int64(len(body)) / 2, int64(len(body)) + 7, 1 << 40} {
			for name, r := range map[string]io.Reader{
				"whole":    strings.NewReader(body),
				"one byte": iotest.OneByteReader(strings.NewReader(body)),
				"half":     iotest.HalfReader(strings.NewReader(body)),
				"data+EOF": iotest.DataErrReader(strings.NewReader(body)),
			} {
				req := httptest.NewRequest("POST", "/", r)
				req.ContentLength = length
				got, err := readBody(req)
				if err != nil || !bytes.Equal(got, []byte(body)) {
					t.Fatalf("%d bytes, Content-Length %d, %s: got %d bytes, %v; want the body", len(body), length, name, len(got), err)
				}
			}
		}
	}
	broken := errors.New("broken")
	req := httptest.NewRequest("POST", "/", io.MultiReader(strings.NewReader("{\"a\""), iotest.ErrReader(broken)))
	req.ContentLength = 100
	if _, err := readBody(req); !errors.Is(err, broken) {
		t.Errorf("a failing reader: got %v; want its error", err)
	}
}
