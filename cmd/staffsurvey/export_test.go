package main

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

// TestExportComments exports the fixture of 2026 (min_group_size 5,
// min_comment_group_size 10) and checks which exported sections carry comments: only those
// whose rows are exactly what the comments page shows for some group (docs/anonymity.md, rule 7).
// soumu-b (6 respondents) and soumu-a (27, but soumu's 33 minus them would be soumu-b's)
// are named in the export and lose their comments; so do hoken-b (7) and "all" (hoken-a and
// kikaku, 10), which the comments page shows only together, as part of all.
func TestExportComments(t *testing.T) {
	dir := fixtureDir
	c := newCLI(t)
	c.must("survey", "create", "--file", dir+"/fixture-2026.yaml")
	c.must("import", "--survey", "fixture-2026", "--csv", dir+"/responses-2026.csv")
	c.must("survey", "close", "fixture-2026")
	publishPending(t, c, "fixture-2026")
	tests := []struct {
		format  string
		comment func(row []string) string
	}{
		{"wide", func(row []string) string { return row[len(row)-1] }},
		{"long", func(row []string) string {
			if row[4] == "good" { // survey,year,section,respondent,question,value
				return row[5]
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			rows, err := csv.NewReader(strings.NewReader(c.must("export", "--survey", "fixture-2026", "--format", tt.format))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, row := range rows[1:] {
				if tt.comment(row) != "" {
					got[row[2]]++
				}
			}
			// shimin (shimin-b and shimin-c, 11) and shimin-a (14) are comment groups of their own
			if want := map[string]int{"madoguchi": 7, "shimin": 3, "shimin-a": 1}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("comments per exported section: got %v; want %v", got, want)
			}
		})
	}
}
