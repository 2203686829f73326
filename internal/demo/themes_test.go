package demo

import (
	"fmt"
	"strings"
	"testing"

	"staffsurvey/jatext"
	"staffsurvey/questionnaires"
	"staffsurvey/survey"
)

// TestDemoThemes measures the themes of the demo's comments (jatext/doc.go, "Themes"): those
// of the last closed kita-2026 year that `serve --demo` makes (seed 2026, year index 4), per
// question. Among the top 15 of each, phrases or compound nouns come first often enough to be
// read, and no bare verb, adjective or single character is one.
func TestDemoThemes(t *testing.T) {
	data, err := questionnaires.Open("kita-2026")
	if err != nil {
		t.Fatal(err)
	}
	q, err := survey.Parse("kita-2026.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	rs := Responses(q, 2026, 4, nil)
	for k, c := range q.Comments {
		var texts []string
		for _, r := range rs {
			if r.Comments[k] != "" {
				texts = append(texts, r.Comments[k])
			}
		}
		top := jatext.Themes(texts, 2, 15)
		var b strings.Builder
		multi := 0
		for _, th := range top {
			fmt.Fprintf(&b, "%s %d、", th.Term, th.Count)
			if th.Phrase || th.Compound {
				multi++
			}
			for _, bad := range []string{"手", "止める", "困る", "他", "多い", "忙しい", "乗り", "作り"} {
				if th.Term == bad {
					t.Errorf("%s: theme %q is a bare word", c.ID, th.Term)
				}
			}
		}
		if multi < 3 {
			t.Errorf("%s: %d phrases or compounds among the top %d; want at least 3", c.ID, multi, len(top))
		}
		t.Logf("%s, %d comments: %s", c.ID, len(texts), strings.TrimSuffix(b.String(), "、"))
	}
}
