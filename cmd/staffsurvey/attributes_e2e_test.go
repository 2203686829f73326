package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
)

// TestAttributesE2E runs the real binary over the attributes fixture: the questionnaire with
// attributes is stored and its codebook lists them; the responses with attr: columns are
// imported as sums (the store's own test shows no record is kept), `import --append`
// is refused, the report has the option groups and the export is the table of groups and
// metrics.
func TestAttributesE2E(t *testing.T) {
	c := newCLI(t)
	if id := strings.TrimSpace(c.must("survey", "create", "--file", testfixture.Attributes("attr-2025.yaml"))); id != "attr-2025" {
		t.Fatalf("create printed %q", id)
	}
	book := c.must("export", "--survey", "attr-2025", "--format", "codebook")
	for _, want := range []string{"attribute,attr:rank,職層,Position", "option,manager,課長代理級以上,Deputy manager and above", "attr:employment\n"} {
		if !strings.Contains(book, want) {
			t.Errorf("codebook lacks %q", want)
		}
	}
	c.must("import", "--survey", "attr-2025", "--csv", testfixture.Attributes("responses-2025.csv"))
	c.fails("--append", "import", "--survey", "attr-2025", "--csv", testfixture.Attributes("responses-2025.csv"), "--append")
	c.must("survey", "close", "attr-2025")

	var rep struct {
		Surveys []struct {
			Attributes []struct {
				ID     string `json:"id"`
				Groups []struct {
					Option string `json:"option"`
					N      int    `json:"n"`
				} `json:"groups"`
			} `json:"attributes"`
		} `json:"surveys"`
	}
	if err := json.Unmarshal([]byte(c.must("analyze", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Surveys) != 1 || len(rep.Surveys[0].Attributes) != 3 || rep.Surveys[0].Attributes[0].Groups[2].Option != "manager" {
		t.Fatalf("analyze: %+v", rep)
	}

	rows, err := csv.NewReader(strings.NewReader(c.must("export", "--survey", "attr-2025"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "survey,year,group_type,group,attribute,option,metric,n,score,favourable,sd,ci_low,ci_high,alpha,motivation,cohesion,type,withheld" {
		t.Fatalf("export header: %v", rows[0])
	}
	var options, withheld int
	for _, r := range rows[1:] {
		if r[2] == "option" {
			options++
		}
		if r[17] != "" && r[8] != "" {
			t.Errorf("row %v has a score and a reason to withhold it", r)
		}
		if r[17] != "" {
			withheld++
		}
	}
	if options == 0 || withheld == 0 {
		t.Errorf("%d option rows, %d withheld; want some of both", options, withheld)
	}
	xlsx := filepath.Join(t.TempDir(), "a.xlsx")
	c.must("export", "--survey", "attr-2025", "--format", "xlsx", "--out", xlsx)
	if fi, err := os.Stat(xlsx); err != nil || fi.Size() == 0 {
		t.Errorf("xlsx: %v", err)
	}
}
