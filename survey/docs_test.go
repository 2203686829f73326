package survey_test

import (
	"bytes"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// TestDocsFormats: docs/formats.md names every key a questionnaire file may have, and the CSV
// headers it shows are the ones written.
func TestDocsFormats(t *testing.T) {
	data, err := os.ReadFile(testfixture.Root() + "/docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("docs/formats.md has no yaml example")
	}
	example := m[1]
	seen := map[reflect.Type]bool{}
	var keys func(t reflect.Type)
	keys = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `:`).MatchString(example) {
				t.Errorf("docs/formats.md's example lacks the key %s: (%s.%s)", name, typ.Name(), f.Name)
			}
			keys(f.Type)
		}
	}
	keys(reflect.TypeOf(survey.Questionnaire{}))

	q := mustFixture(t)
	for _, format := range []string{survey.FormatWide, survey.FormatLong} {
		var b bytes.Buffer
		w, err := survey.NewCSVWriter(&b, q, survey.ExportOptions{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		head := strings.TrimSpace(b.String())
		if format == survey.FormatWide {
			// The doc names the columns after section; the fixed ones must match.
			head = "survey,year,section,<item ids in file order>,<satisfaction id>,<enps id>,<comment ids>"
			if !strings.HasPrefix(strings.TrimSpace(b.String()), "survey,year,section,") {
				t.Errorf("wide header %q does not start with survey,year,section", b.String())
			}
		}
		if !strings.Contains(doc, "    "+head+"\n") {
			t.Errorf("docs/formats.md does not show the %s header %q", format, head)
		}
	}
}
