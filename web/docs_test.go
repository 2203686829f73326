package web

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/web/page"
)

// docRoute matches a route row of docs/http.md: | METHOD | `path` | ...
var docRoute = regexp.MustCompile("(?m)^\\| (GET|POST|PUT|PATCH|DELETE) \\| `([^`]+)` \\|")

// TestDocsRoutes: every route the server registers is in docs/http.md, and every route there
// is registered.
func TestDocsRoutes(t *testing.T) {
	data, err := os.ReadFile(testfixture.Root() + "/docs/http.md")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, m := range docRoute.FindAllStringSubmatch(string(data), -1) {
		documented = append(documented, m[1]+" "+m[2])
	}
	s, _ := newTestServer(t)
	var registered []string
	for _, r := range s.echo.Routes() {
		if strings.HasPrefix(r.Method, "echo_") { // the router's own not-found entries
			continue
		}
		registered = append(registered, r.Method+" "+r.Path)
	}
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in docs/http.md", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(registered, r) {
			t.Errorf("docs/http.md lists %s, which the server does not register", r)
		}
	}
	// The table of error codes is page.StatusOf.
	for code, status := range page.StatusOf {
		if row := fmt.Sprintf("| %s | %d |", code, status); !strings.Contains(string(data), row) {
			t.Errorf("docs/http.md lacks the row %q", row)
		}
	}
}
