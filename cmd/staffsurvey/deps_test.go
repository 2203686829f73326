package main

import (
	"os/exec"
	"strings"
	"testing"
)

// importRules is DESIGN.md §1: which module paths each package may not depend on,
// directly or indirectly.
var importRules = []struct {
	pkg       string
	direct    bool // only the package's own imports, not their dependencies
	forbidden []string
}{
	{"staffsurvey/survey", false, []string{"github.com/labstack/", "gonum.org/", "github.com/go-echarts/", "staffsurvey/analysis", "staffsurvey/web"}},
	{"staffsurvey/analysis", false, []string{"github.com/labstack/", "go.etcd.io/bbolt", "github.com/go-echarts/", "staffsurvey/web"}},
	{"staffsurvey/web", true, []string{"gonum.org/"}}, // web shows analysis results, never computes statistics itself
	{"staffsurvey/questionnaires", false, []string{"staffsurvey/"}},
}

func TestImportRule(t *testing.T) {
	for _, r := range importRules {
		t.Run(r.pkg, func(t *testing.T) {
			args := []string{"list", "-deps", r.pkg}
			if r.direct {
				args = []string{"list", "-f", `{{join .Imports "\n"}}`, r.pkg}
			}
			out, err := exec.Command("go", args...).CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			for _, dep := range strings.Fields(string(out)) {
				if dep == r.pkg {
					continue
				}
				for _, f := range r.forbidden {
					if strings.HasPrefix(dep, f) {
						t.Errorf("%s depends on %s (DESIGN.md §1)", r.pkg, dep)
					}
				}
			}
		})
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "staffsurvey/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if strings.Contains(string(out), " staffsurvey/cmd/") {
		t.Errorf("a package imports cmd:\n%s", out)
	}
}
