package web

import (
	"regexp"
	"strings"
	"testing"
)

// TestTeamView: a manager signs in and lands on his section's team view of the newest closed
// survey: named, with its activity index and type in words, three strengths and three things
// to work on, the changes since last year in plain phrases, the response rate and a link to
// his plan; the organisation's figure is labelled as such; no statistic (p, r, α, CI, n) is on
// it. Another section answers 403.
func TestTeamView(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	mustAddManager(t, st, "chief", "hokennenkin")
	ac := newAdminClient(t, ts)
	login := ac.get("/admin/login")
	r := ac.post("/admin/login", map[string][]string{"name": {"chief"}, "password": {adminTestPassword}, "next": {"/admin"}, csrfField: {formToken(t, login.Body)}})
	if loc := r.Header.Get("Location"); loc != "/admin/team" {
		t.Fatalf("a manager lands on %q; want /admin/team", loc)
	}
	r = ac.get("/admin/team")
	if loc := r.Header.Get("Location"); loc != "/admin/surveys/"+id+"/team" {
		t.Fatalf("/admin/team sends to %q; want the newest closed survey's team view", loc)
	}
	body := ac.get("/admin/surveys/" + id + "/team").Body
	for _, want := range []string{"保険年金課", "組織活性度", "強み", "取り組みたいこと", "昨年度からの変化", "回答率", "参考: 組織全体は",
		`href="/admin/surveys/` + id + `/plans?section=hokennenkin"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the team view lacks %q", want)
		}
	}
	for _, list := range []string{"good", "todo"} {
		m := regexp.MustCompile(`(?s)<ol class="team-list ` + list + `">(.*?)</ol>`).FindStringSubmatch(body)
		if m == nil || strings.Count(m[1], "<li>") != 3 {
			t.Errorf("the %s list does not have 3 entries", list)
		}
	}
	// Plain words: no statistic and no unlabelled comparison.
	text := regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " ")
	for _, stat := range []string{"p =", "p <", "r =", "α", "95%", "CI", "n =", "有意"} {
		if strings.Contains(text, stat) {
			t.Errorf("the team view shows the statistic %q", stat)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "より") && !strings.Contains(line, "組織全体より") {
			t.Errorf("a comparison without saying with what: %q", strings.TrimSpace(line))
		}
	}
	if ch := regexp.MustCompile(`(?s)<ul class="changes">(.*?)</ul>`).FindStringSubmatch(body); ch != nil {
		if !strings.Contains(ch[1], "はっきり下がった") && !strings.Contains(ch[1], "はっきり上がった") {
			t.Errorf("changes are not in plain phrases: %s", ch[1])
		}
	}
	if r := ac.get("/admin/surveys/" + id + "/team?section=soumu"); r.Status != 403 {
		t.Errorf("another section: %d; want 403", r.Status)
	}
}
