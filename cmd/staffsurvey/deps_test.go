package main

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden is one import a package may not have, and why.
type forbidden struct {
	prefix string // an import path, or the start of one ("gonum.org/")
	reason string
}

// importRules is the import rule of the README's "Layout" section: for each package, the
// imports it may not have. With direct false the rule covers every dependency, indirect ones
// included (go list -deps); with direct true only the package's own imports.
var importRules = []struct {
	pkg       string
	direct    bool
	forbidden []forbidden
}{
	{"staffsurvey/survey", false, []forbidden{
		{"github.com/ikawaha/", "the domain imports only the standard library, uuid and YAML; text is jatext's"},
		{"github.com/labstack/", "the domain knows nothing of HTTP; web adapts it"},
		{"gonum.org/", "statistics live in analysis"},
		{"github.com/go-echarts/", "charts are web's"},
		{"go.etcd.io/bbolt", "the database is survey/storage's; the nouns and rules stay storage-free"},
		{"golang.org/x/crypto/", "the domain imports only the standard library, uuid and YAML; passwords are internal/password's"},
		{"staffsurvey/", "the domain is the bottom layer: it imports no other package of the module"},
	}},
	{"staffsurvey/survey/storage", false, []forbidden{
		{"github.com/labstack/", "the store is called by web and cmd, never calls them"},
		{"gonum.org/", "the store keeps responses; it computes nothing from them"},
		{"github.com/go-echarts/", "charts are web's"},
		{"golang.org/x/crypto/bcrypt", "passwords are hashed and checked by internal/password, not here"},
		{"staffsurvey/analysis", "results are computed from what the store returns, not inside it"},
		{"staffsurvey/web", "adapters depend on the store, not the other way round"},
		{"staffsurvey/internal/", "the store ships; demo data and test helpers do not belong in it"},
	}},
	{"staffsurvey/analysis", false, []forbidden{
		{"github.com/ikawaha/", "analysis imports the standard library, gonum and survey only (README, Layout); text is jatext's"},
		{"github.com/labstack/", "analysis is pure functions on plain data"},
		{"go.etcd.io/bbolt", "analysis is pure functions on plain data: callers read the store"},
		{"staffsurvey/survey/storage", "analysis is pure functions on plain data: callers read the store"},
		{"github.com/go-echarts/", "charts are web's"},
		{"staffsurvey/web", "web shows analysis, not the other way round"},
		{"staffsurvey/internal/", "analysis ships; demo data and test helpers do not belong in it"},
	}},
	{"staffsurvey/web", true, []forbidden{
		{"gonum.org/", "web shows analysis results, never computes statistics itself"},
		{"golang.org/x/crypto/", "passwords are hashed and checked by internal/password"},
		{"go.etcd.io/bbolt", "web reaches the database only through survey/storage"},
		{"staffsurvey/internal/demo", "demo data is made by `serve --demo` in cmd, not by the server"},
	}},
	// The trust boundary (DESIGN §1, docs/anonymity.md): what anonymous staff reach cannot reach
	// the results, the analysis or the store, so no answering page can read a response, sealed
	// or opened, or a result — the compiler keeps it, not a review.
	{"staffsurvey/web/answer", false, []forbidden{
		{"staffsurvey/results", "the answering side (token entry, questionnaire, JSON API) never reaches results"},
		{"staffsurvey/analysis", "the answering side never reaches the analysis of responses"},
		{"staffsurvey/survey/storage", "the answering side gets the three store methods it needs through its own Store interface, never the store (which can unseal)"},
		{"go.etcd.io/bbolt", "the answering side never reaches the database"},
		{"staffsurvey/web/admin", "the answering side never reaches the signed-in side"},
		{"gonum.org/", "the answering side computes nothing from responses"},
	}},
	{"staffsurvey/web/page", false, []forbidden{
		{"staffsurvey/results", "the answering side imports the shared page helpers, so they never reach results"},
		{"staffsurvey/analysis", "the answering side imports the shared page helpers, so they never reach the analysis"},
		{"staffsurvey/survey/storage", "the answering side imports the shared page helpers, so they never reach the store"},
		{"staffsurvey/web/", "the shared helpers are below both sides: they import neither"},
	}},
	{"staffsurvey/web/admin", true, []forbidden{
		{"gonum.org/", "web shows analysis results, never computes statistics itself"},
		{"golang.org/x/crypto/", "passwords are hashed and checked by internal/password"},
		{"go.etcd.io/bbolt", "web reaches the database only through survey/storage"},
		{"staffsurvey/internal/demo", "demo data is made by `serve --demo` in cmd, not by the server"},
		{"staffsurvey/web/answer", "the two sides share only web/page; web wires them"},
	}},
	{"staffsurvey/slips", false, []forbidden{
		{"github.com/labstack/", "the command line prints slips and token lists without the web server"},
		{"staffsurvey/web", "the command line prints slips and token lists without the web server"},
		{"staffsurvey/survey/storage", "it prints the tokens it is given; it reads no database"},
	}},
	{"staffsurvey/results", false, []forbidden{
		{"github.com/labstack/", "both adapters call it; it knows nothing of HTTP"},
		{"go.etcd.io/bbolt", "it reads the store through its small Store interface"},
		{"staffsurvey/web", "web calls results, not the other way round"},
		{"staffsurvey/internal/", "results ship; demo data and test helpers do not belong in them"},
	}},
	{"staffsurvey/results/insight", true, []forbidden{
		{"github.com/labstack/", "the rules that read results know nothing of HTTP: pages only render them"},
		{"staffsurvey/survey/storage", "it reads published results, never the store"},
		{"staffsurvey/web", "web renders findings, not the other way round"},
		{"gonum.org/", "it ranks published numbers; the statistics are analysis's"},
	}},
	{"staffsurvey/internal/password", false, []forbidden{
		{"github.com/labstack/", "used by web and cmd alike; it knows nothing of HTTP"},
		{"go.etcd.io/bbolt", "it hashes and checks; the store keeps the hashes"},
	}},
	{"staffsurvey/internal/demo", false, []forbidden{
		{"go.etcd.io/bbolt", "the generator returns responses; its callers store them"},
		{"gonum.org/", "the generator is plain math/rand, so its output does not change with gonum"},
		{"staffsurvey/analysis", "demo data must not depend on what analyses it"},
	}},
	{"staffsurvey/internal/testfixture", false, []forbidden{
		{"staffsurvey/", "every package's tests use it, survey's own included: it must import none of them"},
	}},
	{"staffsurvey/jatext", false, []forbidden{
		{"staffsurvey/", "it reads text for whoever asks: it imports no package of the module"},
		{"go.etcd.io/bbolt", "it reads text; the store keeps it"},
		{"github.com/labstack/", "it knows nothing of HTTP"},
		{"gonum.org/", "counting terms needs no statistics library"},
	}},
	{"staffsurvey/questionnaires", false, []forbidden{
		{"staffsurvey/", "only embedded files: it imports no package of the module"},
	}},
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
					if strings.HasPrefix(dep, f.prefix) {
						t.Errorf("%s depends on %s: %s", r.pkg, dep, f.reason)
					}
				}
			}
		})
	}
}

// TestNothingImportsCmdOrTestHelpers: nothing imports a command, and no shipped (non-test)
// code imports the test helpers.
func TestNothingImportsCmdOrTestHelpers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "staffsurvey/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			switch {
			case strings.HasPrefix(imp, "staffsurvey/cmd/"):
				t.Errorf("%s imports %s: nothing imports a command", pkg, imp)
			case (imp == "staffsurvey/internal/testfixture" || imp == "staffsurvey/internal/testfixture/fixtureload" ||
				imp == "staffsurvey/survey/storage/storagetest") && !strings.HasPrefix(pkg, imp):
				t.Errorf("%s imports %s: test helpers are for _test.go files only", pkg, imp)
			}
		}
	}
}
