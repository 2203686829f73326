package analysis_test

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture"
)

// TestDocsJSONShape: the keys of the JSON example in docs/analysis.md are exactly those of
// analysis.Report's json tags, at every level.
func TestDocsJSONShape(t *testing.T) {
	data, err := os.ReadFile(testfixture.Root() + "/docs/analysis.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(data)
	if m == nil {
		t.Fatal("docs/analysis.md has no json example")
	}
	var example any
	if err := json.Unmarshal(m[1], &example); err != nil {
		t.Fatalf("the example is not JSON: %v", err)
	}
	var documented, defined []string
	jsonPaths("", example, &documented)
	typePaths("", reflect.TypeOf(analysis.Report{}), &defined)
	sort.Strings(documented)
	sort.Strings(defined)
	documented = slices.Compact(documented)
	if !slices.Equal(documented, defined) {
		t.Errorf("docs/analysis.md's example has the keys\n%s\nthe Go types have\n%s", strings.Join(documented, "\n"), strings.Join(defined, "\n"))
	}
}

// jsonPaths lists the key paths of a decoded JSON value; a key written <like this> stands for
// any key (a map), shown as *.
func jsonPaths(prefix string, v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if strings.HasPrefix(k, "<") {
				k = "*"
			}
			*out = append(*out, prefix+"."+k)
			jsonPaths(prefix+"."+k, x, out)
		}
	case []any:
		for _, x := range v {
			jsonPaths(prefix+"[]", x, out)
		}
	}
}

// typePaths lists the key paths of the JSON encoding of t.
func typePaths(prefix string, t reflect.Type, out *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			*out = append(*out, prefix+"."+name)
			typePaths(prefix+"."+name, f.Type, out)
		}
	case reflect.Map:
		*out = append(*out, prefix+".*")
		typePaths(prefix+".*", t.Elem(), out)
	case reflect.Slice:
		typePaths(prefix+"[]", t.Elem(), out)
	}
}
