package survey_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"staffsurvey/survey"
)

func TestLoadFixtures(t *testing.T) {
	for _, f := range []string{"fixture-2025.yaml", "fixture-2026.yaml"} {
		q, err := survey.LoadFile(filepath.Join(fixtureDir, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if q.Anonymity.MinGroupSize != 5 || q.NumItems() != 18 || len(q.Leaves()) != 9 || q.Tree()[0].Code != survey.Root {
			t.Errorf("%s: got k=%d items=%d leaves=%v", f, q.Anonymity.MinGroupSize, q.NumItems(), q.Leaves())
		}
		if !q.Categories[3].Items[1].Reverse {
			t.Errorf("%s: ch2 should be reverse-keyed", f)
		}
	}
}

// minimal is a valid questionnaire that the bad cases below break one line at a time.
const minimal = `id: t-2026
year: 2026
title: {ja: テスト}
scale:
  points: 5
  labels: {ja: [1, 2, 3, 4, 5]}
  not_applicable: {ja: わからない}
categories:
  - id: mot
    title: {ja: 意欲}
    axis: motivation
    items:
      - {id: m1, text: {ja: 設問}}
  - id: coh
    title: {ja: 一体感}
    axis: cohesion
    items:
      - {id: c1, text: {ja: 設問}}
sections:
  - code: a
    name: {ja: A課}
`

// badFiles are broken questionnaires, each with what its message must contain.
var badFiles = []struct {
	name string
	old  string // replaced in minimal
	new  string
	want string
}{
	// the message names the file, the line and the field
	{"duplicate item id", "{id: c1,", "{id: m1,", "q.yaml:18: items.id"},
	{"reserved item id", "{id: c1,", "{id: t,", "q.yaml:18: items.id"},
	{"item named like a CSV column", "{id: c1,", "{id: section,", "q.yaml:18: items.id"},
	{"reverse misspelt", "{id: c1, text: {ja: 設問}}", "{id: c1, text: {ja: 設問}, revers: true}", "q.yaml:18:"},
	{"unknown axis", "axis: cohesion", "axis: belonging", "q.yaml:14: categories.coh.axis"},
	{"missing Japanese text", "{id: m1, text: {ja: 設問}}", "{id: m1, text: {en: Item}}", "q.yaml:13: items.m1.text.ja"},
	{"group size below 5", "sections:", "anonymity: {min_group_size: 3}\nsections:", "min_group_size"},
	{"bad id", "id: t-2026", "id: T 2026", "id"},
	{"labels do not match points", "points: 5", "points: 4", "scale.labels.ja"},
	{"section code all is reserved", "code: a", "code: all", "q.yaml:20: sections.code"},
	{"no cohesion axis", "axis: cohesion", "", "axis"},
	{"not YAML", "title: {ja: テスト}", "title: {ja: [", "q.yaml:"},
	{"wrong type", "year: 2026", "year: twenty", "q.yaml:2:"},
	{"empty", minimal, "", "空"},
	{"period date not YYYY-MM-DD", "sections:", "period: {opens: 2026-12-01, closes: 2026/12/14}\nsections:", "q.yaml:19: period.closes"},
	{"period date that does not exist", "sections:", "period: {opens: \"2026-02-30\", closes: \"2026-03-14\"}\nsections:", "q.yaml:19: period.opens"},
	{"period ends before it opens", "sections:", "period: {opens: \"2026-12-14\", closes: \"2026-12-01\"}\nsections:", "q.yaml:19: period: 終了日"},
	{"period without closes", "sections:", "period: {opens: \"2026-12-01\"}\nsections:", "q.yaml:19: period.closes"},
	{"period misspelt", "sections:", "period: {open: \"2026-12-01\", closes: \"2026-12-14\"}\nsections:", "q.yaml:19:"},
	{"contact without Japanese", "sections:", "contact: {en: HR}\nsections:", "q.yaml:19: contact.ja"},
	{"results without Japanese", "sections:", "results: {en: In February}\nsections:", "q.yaml:19: results.ja"},
}

func TestParseErrors(t *testing.T) {
	if _, err := survey.Parse("q.yaml", []byte(minimal)); err != nil {
		t.Fatalf("minimal: %v", err)
	}
	for _, tt := range badFiles {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(minimal, tt.old, tt.new, 1)
			_, err := survey.Parse("q.yaml", []byte(data))
			if err == nil {
				t.Fatal("got no error")
			}
			e, ok := err.(*survey.Error)
			if !ok || e.Code != survey.EINVALID {
				t.Fatalf("got %T %v; want an EINVALID *survey.Error", err, err)
			}
			if !strings.Contains(e.Message.JA, tt.want) || !strings.HasPrefix(e.Message.JA, "q.yaml") {
				t.Errorf("got %q; want it to contain %q", e.Message.JA, tt.want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	q, err := survey.Parse("q.yaml", []byte(minimal+"comments:\n  - {id: good, text: {ja: 良い点}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if q.Anonymity.MinGroupSize != 10 || q.Anonymity.MinCommentGroupSize != 10 || q.Activity.Cutoff != 62.5 || q.Comments[0].MaxLength != 2000 {
		t.Fatalf("got %+v %+v %d; want the defaults of docs/formats.md", q.Anonymity, q.Activity, q.Comments[0].MaxLength)
	}
}

// Period, contact and results are optional; given, they are read as written.
func TestPeriodContactResults(t *testing.T) {
	q, err := survey.Parse("q.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if q.Period != nil || q.Contact != nil || q.Results != nil {
		t.Errorf("got %+v %+v %+v; want nil when the file has none", q.Period, q.Contact, q.Results)
	}
	extra := "period: {opens: \"2026-12-01\", closes: \"2026-12-01\"}\ncontact: {ja: 総務課 内線1234, en: \"General Affairs, ext. 1234\"}\nresults: {ja: 2月に公開}\n"
	q, err = survey.Parse("q.yaml", []byte(minimal+extra))
	if err != nil {
		t.Fatal(err)
	}
	opens, closes := q.Period.Dates()
	if q.Period.Opens != "2026-12-01" || !opens.Equal(closes) || q.Contact.In("en") != "General Affairs, ext. 1234" || q.Results.In("en") != "2月に公開" {
		t.Errorf("got %+v %+v %+v", q.Period, q.Contact, q.Results)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	if data, err := os.ReadFile(filepath.Join(fixtureDir, "fixture-2025.yaml")); err == nil {
		f.Add(data)
	}
	for _, tt := range badFiles {
		f.Add([]byte(strings.Replace(minimal, tt.old, tt.new, 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := survey.Parse("f.yaml", data)
		if err != nil {
			if _, ok := err.(*survey.Error); !ok {
				t.Fatalf("got %T; want *survey.Error", err)
			}
			return
		}
		if err := q.Validate(); err != nil {
			t.Fatalf("parsed questionnaire does not validate: %v", err)
		}
		_ = q.Tree()
	})
}
