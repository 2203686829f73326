// Package testfixture finds the repository's test data, so that every package's tests read the
// same files from one place: testdata/ at the top of the repository (see testdata/README.md).
//
// It imports only the standard library, so tests of any package — survey's own included — may
// use it.
package testfixture

import (
	"path/filepath"
	"runtime"
)

// root is the repository root: two folders above this file.
var root = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("testfixture: no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// Root returns the repository root.
func Root() string { return root }

// Dir returns testdata/ at the repository root.
func Dir() string { return filepath.Join(root, "testdata") }

// AnalysisDir returns testdata/fixtures/analysis: two questionnaires (fixture-2025.yaml,
// fixture-2026.yaml, min_group_size 5), their responses (responses-2025.csv, 97 respondents;
// responses-2026.csv) and expected.json, the analysis report computed independently of this
// repository's code.
func AnalysisDir() string { return filepath.Join(root, "testdata", "fixtures", "analysis") }

// Analysis returns the path of a file in AnalysisDir, e.g. Analysis("fixture-2025.yaml").
func Analysis(name string) string { return filepath.Join(AnalysisDir(), name) }

// AttributesDir returns testdata/fixtures/attributes: the analysis fixture's questionnaire and
// tree with an attributes block (attr-2025.yaml, attr-2026.yaml, min_group_size 5), their
// responses with attr: columns, and expected.json with the option groups and their changes,
// computed independently of this repository's code.
func AttributesDir() string { return filepath.Join(root, "testdata", "fixtures", "attributes") }

// Attributes returns the path of a file in AttributesDir, e.g. Attributes("attr-2025.yaml").
func Attributes(name string) string { return filepath.Join(AttributesDir(), name) }
