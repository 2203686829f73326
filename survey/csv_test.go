package survey_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"staffsurvey/survey"
)

func TestReadFixtureCSV(t *testing.T) {
	q := mustFixture(t)
	f, err := os.Open(filepath.Join(fixtureDir, "responses-2025.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := survey.ReadCSV(q, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 97 {
		t.Fatalf("got %d rows; want 97", len(rs))
	}
	r := rs[0] // fixture-2025,2025,shimin-a,4,3,3,2,3,3,4,4,4,,,4,3,4,2,4,5,3,5,6,
	if r.Section != "shimin-a" || r.Answers[0] != 4 || r.Answers[9] != survey.NA || r.Satisfaction != 5 || r.ENPS != 6 || r.Comments[0] != "" {
		t.Fatalf("got %+v", r)
	}
}

const header = "survey,year,section,m1,m2,m3,i1,i2,i3,c1,c2,c3,ch1,ch2,ch3,b1,b2,b3,b4,t1,t2,overall,enps,good\n"
const row = "fixture-2025,2025,soumu-a,4,3,3,2,3,3,4,4,4,,,4,3,4,2,4,5,3,5,6,よい\n"

// badCSV are broken imports, each with what the message must contain.
var badCSV = []struct {
	name string
	data string
	want string
}{
	{"empty", "", "空"},
	{"missing column", strings.Replace(header, ",enps", "", 1) + row, `"enps"`},
	{"unknown column", strings.Replace(header, "good", "good,extra", 1) + strings.Replace(row, "よい", "よい,x", 1), `"extra"`},
	{"out of range", header + row + strings.Replace(row, "4,3,3", "6,3,3", 1), "3 行目: m1"},
	{"eNPS out of range", header + strings.Replace(row, ",5,6,", ",5,11,", 1), "enps"},
	{"not a number", header + strings.Replace(row, "4,3,3", "x,3,3", 1), "2 行目"},
	{"negative", header + strings.Replace(row, "4,3,3", "-1,3,3", 1), "2 行目"},
	{"parent section", header + strings.Replace(row, "soumu-a", "soumu", 1), "soumu"},
	{"other survey", header + strings.Replace(row, "fixture-2025,", "other,", 1), "survey"},
	{"other year", header + strings.Replace(row, ",2025,", ",2024,", 1), "year"},
	{"short row", header + "fixture-2025,2025,soumu-a,4\n", "2 行目"},
	{"bad quotes", header + strings.Replace(row, "よい", `"よ"い`, 1), "2 行目"},
	{"invalid UTF-8", header + strings.Replace(row, "よい", "\xff\xfe", 1), "UTF-8"},
	{"comment too long", header + strings.Replace(row, "よい", strings.Repeat("長", 2001), 1), "2000"},
}

func TestReadCSVErrors(t *testing.T) {
	q := mustFixture(t)
	for _, tt := range badCSV {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := survey.ReadCSV(q, strings.NewReader(tt.data))
			if err == nil {
				t.Fatalf("got %d rows and no error", len(rs))
			}
			e, ok := err.(*survey.Error)
			if !ok || !strings.Contains(e.Message.JA+e.Message.EN, tt.want) {
				t.Fatalf("got %v; want a message containing %q", err, tt.want)
			}
		})
	}
}

func TestReadCSVBOMAndColumnOrder(t *testing.T) {
	q := mustFixture(t)
	// Columns in another order and a BOM, as Excel writes them.
	rec, _ := csv.NewReader(strings.NewReader(header + row)).ReadAll()
	for i := range rec {
		rec[i][0], rec[i][len(rec[i])-1] = rec[i][len(rec[i])-1], rec[i][0]
	}
	var buf bytes.Buffer
	buf.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	w.WriteAll(rec)
	rs, err := survey.ReadCSV(q, &buf)
	if err != nil || len(rs) != 1 || rs[0].Comments[0] != "よい" {
		t.Fatalf("got %v, %v", rs, err)
	}
}

func TestWriteCSV(t *testing.T) {
	q := mustFixture(t)
	rs, err := survey.ReadCSV(q, strings.NewReader(header+row+strings.Replace(row, "よい", `"=HYPERLINK(""x"")"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts survey.ExportOptions
		want string
	}{
		// neutralised without a BOM too: a file for R is opened in Excel as often
		{"wide", survey.ExportOptions{}, header + row + strings.Replace(row, "よい", `"'=HYPERLINK(""x"")"`, 1)},
		{"excel", survey.ExportOptions{BOM: true}, "\xef\xbb\xbf" + strings.ReplaceAll(header+row, "\n", "\r\n") +
			strings.Replace(strings.Replace(row, "よい", `"'=HYPERLINK(""x"")"`, 1), "\n", "\r\n", 1)},
		{"generalised", survey.ExportOptions{Section: func(string) string { return "soumu" }}, header +
			strings.Replace(row, "soumu-a", "soumu", 1) + strings.Replace(strings.Replace(row, "soumu-a", "soumu", 1), "よい", `"'=HYPERLINK(""x"")"`, 1)},
		// comments withheld for the leaf soumu-a (asked with the leaf, not the section written)
		{"comments withheld", survey.ExportOptions{Section: func(string) string { return "soumu" }, Comments: func(code string) bool { return code != "soumu-a" }},
			header + strings.Replace(strings.Replace(row, "soumu-a", "soumu", 1), "よい", "", 1) +
				strings.Replace(strings.Replace(row, "soumu-a", "soumu", 1), "よい", "", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			cw, err := survey.NewCSVWriter(&buf, q, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				cw.Write(r)
			}
			if err := cw.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	// The neutralised export imports as it was: the comment is the formula-like text again.
	var wide bytes.Buffer
	wcw, _ := survey.NewCSVWriter(&wide, q, survey.ExportOptions{})
	for _, r := range rs {
		wcw.Write(r)
	}
	wcw.Flush()
	back, err := survey.ReadCSV(q, &wide)
	if err != nil || len(back) != 2 || back[1].Comments[0] != `=HYPERLINK("x")` || back[0].Comments[0] != "よい" {
		t.Errorf("wide round trip: got %v, %v", back, err)
	}
	var buf bytes.Buffer
	cw, _ := survey.NewCSVWriter(&buf, q, survey.ExportOptions{Format: survey.FormatLong})
	cw.Write(rs[0])
	cw.Write(rs[1])
	cw.Flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// 18 items of which 2 unanswered, 2 outcomes, 1 comment, plus the header.
	if lines[0] != "survey,year,section,respondent,question,value" || len(lines) < 1+16+2+1 {
		t.Fatalf("long format: got %q", lines)
	}
	f := strings.Split(lines[1], ",")
	if len(f) != 6 || f[0] != "fixture-2025" || f[2] != "soumu-a" || f[4] != "m1" || f[5] != "4" || len(f[3]) != 16 {
		t.Fatalf("long format row: got %q", lines[1])
	}
	// One key for every row of a respondent, another for the next one.
	keys := map[string]int{}
	for _, l := range lines[1:] {
		keys[strings.Split(l, ",")[3]]++
	}
	if len(keys) != 2 || keys[f[3]] != 1+16+2 {
		t.Fatalf("respondent keys: %v; want two, the first on %d rows", keys, 1+16+2)
	}
	// A new export draws new keys.
	var again bytes.Buffer
	cw, _ = survey.NewCSVWriter(&again, q, survey.ExportOptions{Format: survey.FormatLong})
	cw.Write(rs[0])
	cw.Flush()
	if k := strings.Split(strings.Split(again.String(), "\n")[1], ",")[3]; k == f[3] {
		t.Errorf("the same key %s in two exports", k)
	}
	buf.Reset()
	cw, _ = survey.NewCSVWriter(&buf, q, survey.ExportOptions{Format: survey.FormatLong, Comments: func(string) bool { return false }})
	cw.Write(rs[0])
	cw.Flush()
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 1+16+2 || strings.Contains(buf.String(), "good") {
		t.Fatalf("long format, comments withheld: got %q; want the items and outcomes only", lines)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(header + row)
	for _, tt := range badCSV {
		f.Add(tt.data)
	}
	q, err := survey.LoadFile(filepath.Join(fixtureDir, "fixture-2025.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string) {
		rs, err := survey.ReadCSV(q, strings.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range rs {
			if err := r.Validate(q); err != nil {
				t.Fatalf("accepted an invalid row: %v", err)
			}
		}
	})
}

func TestCodebook(t *testing.T) {
	q := mustFixture(t)
	var buf bytes.Buffer
	if err := survey.WriteCodebook(&buf, q, false); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != strings.Join(survey.CodebookHeader, ",") {
		t.Fatalf("header %q", got)
	}
	kinds := map[string]int{}
	for _, r := range rows[1:] {
		kinds[r[0]]++
	}
	if kinds["item"] != q.NumItems() || kinds["section"] != len(q.Tree()) || kinds["comment"] != len(q.Comments) {
		t.Errorf("rows by kind %v; want %d items, %d sections", kinds, q.NumItems(), len(q.Tree()))
	}
	if r := rows[1]; r[1] != q.Items()[0].ID || r[4] != q.Categories[0].ID || r[10] != "5" {
		t.Errorf("first item row %q", r)
	}
}
