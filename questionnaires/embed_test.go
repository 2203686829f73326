package questionnaires_test

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"staffsurvey/questionnaires"
	"staffsurvey/survey"
)

// TestShipped checks that every shipped questionnaire parses and validates, and that it has
// the shape of a full survey: the policy's 13 categories with both axes of 組織活性度,
// reverse-keyed items, both outcomes, two comments, the three attributes and an organisation tree.
func TestShipped(t *testing.T) {
	names := questionnaires.Names()
	if !slices.Contains(names, "kita-2026") {
		t.Fatalf("Names() = %v; want kita-2026 among them", names)
	}
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %v; not sorted", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, err := questionnaires.Open(name)
			if err != nil {
				t.Fatal(err)
			}
			q, err := survey.Parse(name+".yaml", data)
			if err != nil {
				t.Fatal(err)
			}
			if q.ID != name {
				t.Errorf("id %q in file %s.yaml; the file must be named after its id", q.ID, name)
			}
			if len(q.Categories) != 13 {
				t.Errorf("%d categories; want 13", len(q.Categories))
			}
			axes := map[string]int{}
			reverse := 0
			for _, c := range q.Categories {
				axes[c.Axis]++
				if n := len(c.Items); n < 3 || n > 4 {
					t.Errorf("category %s has %d items; want 3–4", c.ID, n)
				}
				for _, it := range c.Items {
					if it.Text.EN == "" {
						t.Errorf("item %s has no English text", it.ID)
					}
					if it.Reverse {
						reverse++
					}
				}
			}
			if axes[survey.AxisMotivation] != 1 || axes[survey.AxisCohesion] != 1 {
				t.Errorf("axes %v; want exactly one motivation and one cohesion category", axes)
			}
			if reverse == 0 {
				t.Error("no reverse-keyed item")
			}
			if q.Outcomes.Satisfaction == nil || q.Outcomes.ENPS == nil {
				t.Errorf("outcomes %+v; want satisfaction and enps", q.Outcomes)
			}
			if len(q.Comments) != 2 {
				t.Errorf("%d comments; want 2", len(q.Comments))
			}
			if len(q.Leaves()) == 0 {
				t.Error("the section tree has no leaves")
			}
			// 職層, 年代 and 雇用形態, asked first, each with every text in English too.
			var ids []string
			for _, a := range q.Attributes {
				ids = append(ids, a.ID)
				for _, o := range a.Options {
					if a.Title.EN == "" || o.Label.EN == "" {
						t.Errorf("attribute %s option %s has no English text", a.ID, o.ID)
					}
				}
			}
			if !slices.Equal(ids, []string{"level", "age", "employment"}) {
				t.Errorf("attributes %v; want level, age, employment", ids)
			}
			if q.Anonymity.MinGroupSize < 10 || q.Anonymity.MinCommentGroupSize < 10 {
				t.Errorf("anonymity %+v; a shipped file keeps the default of 10", q.Anonymity)
			}
		})
	}
}

func TestOpenByFileName(t *testing.T) {
	a, err := questionnaires.Open("kita-2026")
	if err != nil {
		t.Fatal(err)
	}
	b, err := questionnaires.Open("kita-2026.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) || len(a) == 0 {
		t.Error(`Open("kita-2026") and Open("kita-2026.yaml") differ`)
	}
}

func TestOpenUnknown(t *testing.T) {
	for _, name := range []string{"nope-1999", "", ".", "*", "../survey/doc.go", "kita-2026.yml", "/kita-2026"} {
		_, err := questionnaires.Open(name)
		if err == nil {
			t.Errorf("Open(%q) succeeded", name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "同梱の調査票") || !strings.Contains(msg, "kita-2026") {
			t.Errorf("Open(%q): %q; want a Japanese-first message listing the shipped files", name, msg)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q): %v does not match fs.ErrNotExist", name, err)
		}
	}
}
