package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"staffsurvey/survey"
)

// TestManagerRates: a manager sees response counts only of his own sections, only for groups
// of at least min_group_size issued codes (his three-person team within its 課), as of the last
// hourly count — an answer given in front of him does not move them; the survey office sees
// the live counts of every section. Requests for other sections' counts are refused.
func TestManagerRates(t *testing.T) {
	clock := time.Now()
	_, st, ts := newAdminTestServer(t, Config{Now: func() time.Time { return clock }})
	q := testQuestionnaire(t, testSurveyID) // min_group_size 5
	mustCreateSurvey(t, st, q, survey.StateOpen)
	toks := map[string][]string{}
	for code, n := range map[string]int{"soumu-a": 6, "soumu-b": 3, "shimin-a": 10, "kikaku": 8} {
		toks[code] = mustIssueTokens(t, st, q.ID, code, n)
	}
	answer := func(tok string) {
		t.Helper()
		r := survey.NewResponse(q, "")
		r.Answers[0] = 3
		if err := st.Submit(tok, r); err != nil {
			t.Fatal(err)
		}
	}
	answer(toks["soumu-b"][0])
	answer(toks["shimin-a"][0])
	mustAddManager(t, st, "chief", "soumu-b") // a three-person team
	mustAddManager(t, st, "kacho", "shimin")
	chief, kacho, admin := adminLogin(t, ts, "chief"), adminLogin(t, ts, "kacho"), adminLogin(t, ts, "admin")

	type rateJSON struct {
		Group        string
		Issued, Used int
		AsOf         string `json:"as_of"`
	}
	rates := func(ac *adminClient, section string) (int, rateJSON) {
		t.Helper()
		r := ac.get("/admin/api/rates?survey=" + q.ID + "&section=" + section)
		var out rateJSON
		if r.Status == http.StatusOK {
			if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
				t.Fatal(err)
			}
		}
		return r.Status, out
	}
	// The chief's team is counted within soumu (9 codes), never alone.
	if code, got := rates(chief, "soumu-b"); code != http.StatusOK || got.Group != "soumu" || got.Issued != 9 || got.Used != 1 || got.AsOf == "" {
		t.Errorf("chief, own team: %d %+v; want soumu's 1 of 9, with its time", code, got)
	}
	for _, other := range []string{"shimin-a", "shimin", "kikaku", "soumu-a", "soumu"} {
		if code, _ := rates(chief, other); code != http.StatusForbidden {
			t.Errorf("chief asks for %s: %d; want 403", other, code)
		}
	}
	if code, got := rates(kacho, "shimin-a"); code != http.StatusOK || got.Used != 1 || got.Issued != 10 {
		t.Errorf("kacho, own section: %d %+v", code, got)
	}
	if code, _ := rates(kacho, "soumu-b"); code != http.StatusForbidden {
		t.Errorf("kacho asks for another 課's team: %d; want 403", code)
	}
	if code, got := rates(admin, "soumu-b"); code != http.StatusOK || got.Group != "soumu-b" || got.Issued != 3 || got.Used != 1 || got.AsOf != "" {
		t.Errorf("survey office: %d %+v; want soumu-b's live 1 of 3", code, got)
	}

	// An answer in front of the chief: nothing moves for him within the hour; it does for the
	// survey office at once, and for him after the hour.
	answer(toks["soumu-b"][1])
	page := chief.get("/admin/surveys/" + q.ID)
	if page.Status != http.StatusOK {
		t.Fatalf("chief's survey page: %d", page.Status)
	}
	for _, hidden := range []string{"市民", "企画", ">3<"} {
		if strings.Contains(page.Body, hidden) {
			t.Errorf("chief's page shows %q", hidden)
		}
	}
	if _, got := rates(chief, "soumu-b"); got.Used != 1 {
		t.Errorf("chief within the hour: %d used; want the count of the hour before (1)", got.Used)
	}
	if _, got := rates(admin, "soumu-b"); got.Used != 2 {
		t.Errorf("survey office: %d used; want 2 at once", got.Used)
	}
	clock = clock.Add(59 * time.Minute)
	if _, got := rates(chief, "soumu-b"); got.Used != 1 {
		t.Errorf("chief after 59 minutes: %d used; want still 1", got.Used)
	}
	clock = clock.Add(time.Minute)
	if _, got := rates(chief, "soumu-b"); got.Used != 2 {
		t.Errorf("chief after an hour: %d used; want 2", got.Used)
	}

	// The reminder names nobody and counts nothing; another section's is refused.
	r := chief.get("/admin/surveys/" + q.ID + "/reminder?section=soumu-b")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "回答") {
		t.Fatalf("chief's reminder: %d", r.Status)
	}
	notice := r.Body[strings.Index(r.Body, `<article class="card reminder">`):]
	notice = notice[:strings.Index(notice, "</article>")]
	for _, bad := range []string{"chief", "kacho", "admin", ">1<", ">2<", ">9<"} {
		if strings.Contains(notice, bad) {
			t.Errorf("the printed reminder holds %q:\n%s", bad, notice)
		}
	}
	if r := chief.get("/admin/surveys/" + q.ID + "/reminder?section=kikaku"); r.Status != http.StatusForbidden {
		t.Errorf("chief's reminder for kikaku: %d; want 403", r.Status)
	}
}
