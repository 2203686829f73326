// Package docs holds only this test: the project's documentation stays inside the repository
// and its links resolve.
package docs

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
)

// outside are references to files outside the repository, which a clone does not have.
var outside = []string{"DESIGN.md", "../shared", "shared/DESIGN", "STYLE.md"}

// mayNameShared are the files that may name ../shared: where the fixture came from, and the CI
// cross-check that runs the independent checker when ../shared is beside the checkout.
var mayNameShared = []string{"testdata/README.md", "cmd/staffsurvey/e2e_test.go", ".ci/run", "docs/docs_test.go"}

// pendingDesignRefs are files that still cite DESIGN.md and belong to work in progress
// elsewhere (none left). Remove a file from this list when its references point to docs/; the
// test fails if a listed file has none left.
var pendingDesignRefs = []string{}

// TestDocsStayInside: no file refers to documents outside the repository.
func TestDocsStayInside(t *testing.T) {
	root := testfixture.Root()
	out, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		t.Skipf("git ls-files: %v (not a git checkout)", err)
	}
	for _, f := range strings.Fields(string(out)) {
		ext := filepath.Ext(f)
		if ext != ".go" && ext != ".md" && ext != ".yaml" && ext != ".html" && f != "Makefile" && f != ".ci/run" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the working tree
		}
		text := string(data)
		for _, ref := range outside {
			if !strings.Contains(text, ref) {
				if ref == "DESIGN.md" && slices.Contains(pendingDesignRefs, f) {
					t.Errorf("%s no longer cites DESIGN.md: remove it from pendingDesignRefs", f)
				}
				continue
			}
			switch {
			case ref == "DESIGN.md" && slices.Contains(pendingDesignRefs, f):
			case ref == "../shared" && slices.Contains(mayNameShared, f):
			case f == "docs/docs_test.go":
			default:
				t.Errorf("%s refers to %s, outside the repository: point to docs/ instead", f, ref)
			}
		}
	}
}

// mdLink matches a relative link of a Markdown file: [text](path) or [text](path#anchor).
var mdLink = regexp.MustCompile(`\]\(([^)#:]+)(#[^)]*)?\)`)

// TestDocsLinks: every relative link of the README and docs/ names a file of the repository.
func TestDocsLinks(t *testing.T) {
	root := testfixture.Root()
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append(files, filepath.Join(root, "README.md"), filepath.Join(root, "testdata", "README.md"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(data), -1) {
			target := filepath.Join(filepath.Dir(f), m[1])
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, m[1])
			}
		}
	}
}
