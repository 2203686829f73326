package main

import (
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
)

// TestAttributesE2E runs the real binary over the attributes fixture: the questionnaire with
// attributes is stored, its codebook lists them, and its responses with attr: columns are read
// — and refused, with the reason, because the store cannot yet keep a survey with attributes as
// sums only (docs/formats.md): nothing is stored and the survey can still be closed empty.
func TestAttributesE2E(t *testing.T) {
	c := newCLI(t)
	if id := strings.TrimSpace(c.must("survey", "create", "--file", testfixture.Attributes("attr-2025.yaml"))); id != "attr-2025" {
		t.Fatalf("create printed %q", id)
	}
	book := c.must("export", "--survey", "attr-2025", "--format", "codebook")
	for _, want := range []string{"attribute,attr:rank,職層,Position", "option,manager,課長代理級以上,Deputy manager and above", "attr:employment\n"} {
		if !strings.Contains(book, want) {
			t.Errorf("codebook lacks %q", want)
		}
	}
	c.fails("attributes", "import", "--survey", "attr-2025", "--csv", testfixture.Attributes("responses-2025.csv"))
	if out := c.must("survey", "list"); !strings.Contains(out, "attr-2025") {
		t.Errorf("survey list: %q", out)
	}
	c.must("survey", "close", "attr-2025") // empty: no record to keep
	if out := c.must("analyze", "--json"); !strings.Contains(out, `"id":"attr-2025"`) && !strings.Contains(out, `"id": "attr-2025"`) {
		t.Errorf("analyze: %.300s", out)
	}
}
