package survey

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
)

// roundTripFiles are questionnaires the writer must give back unchanged: the shipped one, the
// analysis and attribute fixtures (attributes, places, short names, reverse items).
func roundTripFiles(tb testing.TB) []string {
	tb.Helper()
	files := []string{filepath.Join("..", "questionnaires", "kita-2026.yaml"),
		testfixture.Analysis("fixture-2025.yaml"), testfixture.Analysis("fixture-2026.yaml")}
	more, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	return append(files, more...)
}

// TestYAMLRoundTrip: Parse(q.YAML()) is q again, field for field (compared as the stored JSON,
// which is what the store keeps), and writing it again gives the same bytes.
func TestYAMLRoundTrip(t *testing.T) {
	for _, f := range roundTripFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			q, err := LoadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, err := q.YAML()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse("draft.yaml", out)
			if err != nil {
				t.Fatalf("the written file does not parse: %v\n%s", err, out)
			}
			want, _ := json.Marshal(q)
			got, _ := json.Marshal(back)
			if !bytes.Equal(got, want) {
				t.Errorf("round trip changed the questionnaire:\n got %s\nwant %s", got, want)
			}
			again, err := back.YAML()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, out) {
				t.Errorf("writing twice differs:\n%s\n---\n%s", again, out)
			}
		})
	}
}

// TestYAMLForm: texts on one line in flow style, an empty English text left out, places as
// plain strings — the form of the shipped file a person would write.
func TestYAMLForm(t *testing.T) {
	q, err := LoadFile(filepath.Join("..", "questionnaires", "kita-2026.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	q.Contact = &Text{JA: "総務課 人事担当 内線1234"}
	out, err := q.YAML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		"id: kita-2026\n",
		"title: {ja: 北区 職員満足度調査 2026, en: Kita Ward Staff Satisfaction Survey 2026}\n",
		"contact: {ja: 総務課 人事担当 内線1234}\n",
		"period: {opens: \"2026-12-01\", closes: \"2026-12-14\"}\n",
		"\n  - code: ",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the file lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, `en: ""`) {
		t.Errorf("an empty English text is written:\n%s", s)
	}
}

// TestYAMLHostileText: texts with YAML's own characters, line breaks and look-alikes of other
// types come back as the same strings.
func TestYAMLHostileText(t *testing.T) {
	q, err := LoadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	hostile := []string{"yes", "2026-12-01", "- a: b", "#not a comment", "{ja: x}", "'\"", "1e3", "null", "~", "行1\n行2", " 前後の空白 ", "&anchor *ref", "!!str x", "%TAG"}
	for i, h := range hostile {
		q.Categories[0].Items[0].Text.JA = h
		q.Categories[0].Items[0].Text.EN = h
		q.Title = Text{JA: h}
		out, err := q.YAML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("draft.yaml", out)
		if err != nil {
			t.Fatalf("%d %q: %v\n%s", i, h, err, out)
		}
		if got := back.Categories[0].Items[0].Text; got.JA != h || got.EN != h || back.Title.JA != h {
			t.Errorf("%q came back as %q / %q", h, got, back.Title.JA)
		}
	}
}

// TestYAMLErrorLine: an error in a questionnaire written by YAML names the line of the
// element in the written file, as for a file a person wrote.
func TestYAMLErrorLine(t *testing.T) {
	q, err := LoadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	q.Sections[1].Code = q.Sections[0].Code
	out, err := q.YAML()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("draft.yaml", out)
	if err == nil {
		t.Fatal("a duplicate section code parsed")
	}
	lines := strings.Split(string(out), "\n")
	var want int
	seen := 0
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "- code: "+q.Sections[0].Code) {
			seen++
			if seen == 2 {
				want = i + 1
			}
		}
	}
	msg := ErrorMessage(err)
	if prefix := "draft.yaml:" + strconv.Itoa(want) + ": sections.code"; !strings.HasPrefix(msg.JA, prefix) || !strings.HasPrefix(msg.EN, prefix) {
		t.Errorf("message %q / %q; want it to start %q", msg.JA, msg.EN, prefix)
	}
}
