// Package questionnaires holds the questionnaire files shipped with the binary
// (同梱の調査票), embedded with go:embed. A file is named after its survey id, e.g.
// kita-2026.yaml; the format is docs/formats.md.
//
// The package only hands out the bytes: parsing and validation are the survey package's
// (survey.Parse), so that this package depends on the standard library alone.
package questionnaires

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

const ext = ".yaml"

// Names returns the ids of the shipped questionnaires (file names without .yaml), sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, ".")
	if err != nil { // cannot happen with an embed.FS
		return nil
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ext) {
			names = append(names, strings.TrimSuffix(e.Name(), ext))
		}
	}
	sort.Strings(names)
	return names
}

// Open returns the contents of the shipped questionnaire name, given as its id
// ("kita-2026") or its file name ("kita-2026.yaml"). An unknown name gives an error that
// lists the shipped ones and matches fs.ErrNotExist under errors.Is.
func Open(name string) ([]byte, error) {
	id := strings.TrimSuffix(name, ext)
	for _, n := range Names() {
		if n == id {
			return files.ReadFile(n + ext)
		}
	}
	return nil, &notFoundError{name: name, available: Names()}
}

// notFoundError is the error of Open for a name that is not shipped.
type notFoundError struct {
	name      string
	available []string
}

func (e *notFoundError) Error() string {
	list := strings.Join(e.available, ", ")
	return fmt.Sprintf("同梱の調査票 %q はありません（あるもの: %s）/ no shipped questionnaire %q (available: %s)",
		e.name, list, e.name, list)
}

// Is makes errors.Is(err, fs.ErrNotExist) true.
func (e *notFoundError) Is(target error) bool { return target == fs.ErrNotExist }
