package page

import (
	"html/template"
	"strings"
	"testing"
)

// TestTemplateFuncs checks that a template parsed with Funcs alone gets the number formats too,
// not only the functions of render.go.
func TestTemplateFuncs(t *testing.T) {
	x := 1.25
	tmpl, err := template.New("t").Funcs(Funcs()).Parse(`{{tr "en" "ja" "en"}} {{f1 .}}`)
	if err != nil {
		t.Fatalf("parse with Funcs: %v", err)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, &x); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "en "+FmtNum(&x, 1, false); got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}
