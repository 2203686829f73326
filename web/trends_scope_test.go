package web

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// TestChiefOpensOwnSection: a manager's trends and comments pages open on his own section
// (the trends beside the organisation); the picker's 「組織全体のみ」 (section= empty) still
// shows the organisation alone, and an admin still opens on the organisation.
func TestChiefOpensOwnSection(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	mustAddManager(t, st, "chief", "hokennenkin")
	chief, admin := adminLogin(t, ts, "chief"), adminLogin(t, ts, "admin")
	selected := regexp.MustCompile(`<option value="([^"]*)" selected>`)
	pick := func(body string) string {
		if m := selected.FindStringSubmatch(body); m != nil {
			return m[1]
		}
		return ""
	}
	trends := chief.get("/admin/trends").Body
	if !strings.Contains(trends, `id="chart-trend-section"`) || pick(trends) != "hokennenkin" {
		t.Errorf("a chief's trends open on %q; want his section hokennenkin with its chart", pick(trends))
	}
	if body := chief.get("/admin/trends?section=").Body; strings.Contains(body, `id="chart-trend-section"`) {
		t.Errorf("「組織全体のみ」 still draws a section")
	}
	if body := admin.get("/admin/trends").Body; strings.Contains(body, `id="chart-trend-section"`) {
		t.Errorf("an admin's trends open on a section")
	}
	if got := pick(chief.get("/admin/surveys/" + id + "/comments").Body); got != "hokennenkin" {
		t.Errorf("a chief's comments open on %q; want hokennenkin", got)
	}
	if got := pick(admin.get("/admin/surveys/" + id + "/comments").Body); got != "all" {
		t.Errorf("an admin's comments open on %q; want the organisation", got)
	}
}

// TestTrendColours: on the trends page one measure has one colour, on the organisation's
// chart and on the section's, solid and dashed alike, and no two measures share one; the
// legend is the page's, listing every line with its colour.
func TestTrendColours(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	seedDemoSurveys(t, st)
	body := adminLogin(t, ts, "admin").get("/admin/trends?section=hokennenkin&metric=activity&metric=motivation&metric=cohesion").Body
	colours := map[string]map[string]bool{} // measure → colours
	for _, id := range []string{"chart-trend-org", "chart-trend-section"} {
		_, lines := lineChartOf(t, body, id)
		if len(lines) == 0 {
			t.Fatalf("%s has no lines", id)
		}
		for _, s := range lines {
			measure := s.Name
			if i := strings.LastIndex(measure, ": "); i >= 0 {
				measure = measure[i+2:]
			}
			if colours[measure] == nil {
				colours[measure] = map[string]bool{}
			}
			colours[measure][s.Colour] = true
			if !strings.Contains(html.UnescapeString(body), `</svg>`+s.Name+`</li>`) {
				t.Errorf("the legend lacks %q", s.Name)
			}
		}
	}
	seen := map[string]string{}
	for measure, cs := range colours {
		if len(cs) != 1 {
			t.Errorf("%s is drawn in %d colours: %v", measure, len(cs), cs)
		}
		for c := range cs {
			if c == "" {
				t.Errorf("%s has no colour of its own", measure)
			}
			if other, ok := seen[c]; ok {
				t.Errorf("%s and %s share the colour %s", measure, other, c)
			}
			seen[c] = measure
		}
	}
	if len(colours) != 3 {
		t.Errorf("%d measures drawn; want 3", len(colours))
	}
}
