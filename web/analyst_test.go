package web

import (
	"regexp"
	"strings"
	"testing"
)

// TestReportStatisticsFolded: the report keeps its statistics (n, 95% CI, α, p, r) in folded
// sections for the analysts, each labelled as such; outside them the category table, the
// driver list and the comparison of two options show none (the comparison says in words
// whether a gap is clear). The organisation's figures under a section's summary are headed as
// the organisation's.
func TestReportStatisticsFolded(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	body := adminLogin(t, ts, "admin").get("/admin/surveys/" + id + "/report?section=hokennenkin").Body
	folded := regexp.MustCompile(`(?s)<details class="analyst">(.*?)</details>`)
	parts := folded.FindAllStringSubmatch(body, -1)
	if len(parts) < 3 {
		t.Fatalf("%d folded statistics sections; want the categories', the changes' and the drivers'", len(parts))
	}
	for _, p := range parts {
		if !strings.Contains(p[1], "分析担当者向け") {
			t.Errorf("a folded section does not say it is for analysts")
		}
	}
	if !strings.Contains(body, `class="numbers cards compare-table"`) || !strings.Contains(body, `class="numbers cards compare-stats"`) {
		t.Error("the demo report has no comparison of two options, or no analysts' detail of it")
	}
	rest := folded.ReplaceAllString(body, "")
	for _, stat := range []string{`<th scope="col" class="num">95% CI</th>`, `<th scope="col" class="num">α</th>`, "r = ",
		`<th scope="col" class="num">p</th>`, `data-label="p"`, "p = "} {
		if strings.Contains(rest, stat) {
			t.Errorf("%q is outside the analysts' sections", stat)
		}
	}
	if !strings.Contains(body, `<h2 class="org-h">組織全体の結果`) {
		t.Errorf("the organisation's figures are not headed as the organisation's")
	}
}
