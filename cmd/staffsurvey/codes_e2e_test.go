package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"staffsurvey/survey"
)

// TestCodesE2E runs the real binary as staff, a survey office, a chief of a small team and
// a clerk would: codes typed in full width and lower case open the questionnaire and a typo is
// named; web backups taken between answers never tell which codes were used; the chief's
// requests for other sections' counts are refused; a paper form entered twice is refused the
// second time.
func TestCodesE2E(t *testing.T) {
	c := newCLI(t)
	c.openFixture("fixture-2025") // min_group_size 5
	for _, u := range [][]string{{"office", "admin"}, {"chief", "manager", "--sections", "soumu-b"}} {
		if _, errOut, err := c.run(e2ePassword+"\n", append([]string{"user", "add", "--name", u[0], "--role", u[1]}, u[2:]...)...); err != nil {
			t.Fatalf("user add %s: %v\n%s", u[0], err, errOut)
		}
	}
	tokens, _ := c.issue("fixture-2025", "soumu-a", 6)
	small, _ := c.issue("fixture-2025", "soumu-b", 3)
	other, _ := c.issue("fixture-2025", "shimin-a", 5)
	srv := c.serve()

	// Codes as people type them.
	wide := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= '!' && r <= '~' {
				r += '！' - '!'
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	get := func(cl *http.Client, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.url+path, nil)
		return getBody(t, cl, req)
	}
	staff := newBrowser()
	for _, typed := range []string{wide(tokens[0]), strings.ReplaceAll(tokens[0], "-", " "), strings.NewReplacer("0", "O", "1", "I").Replace(tokens[0])} {
		if code, body := get(staff, "/a?t="+url.QueryEscape(typed)); code != http.StatusOK || !strings.Contains(body, `value="`+tokens[0]+`"`) {
			t.Errorf("code typed as %q: %d; want its questionnaire", typed, code)
		}
	}
	typo := []byte(tokens[0])
	typo[5], typo[6] = typo[6], typo[5]
	if typo[5] != typo[6] {
		if code, body := get(staff, "/?t="+url.QueryEscape(string(typo))); code != http.StatusNotFound || !strings.Contains(body, "打ち間違い") {
			t.Errorf("a typo: %d; want 404 naming the typo", code)
		}
	}

	// Web backups between answers: every token's record is the same in every copy.
	office := newBrowser()
	if code := login(t, office, srv.url, "office", e2ePassword, ""); code != http.StatusSeeOther {
		t.Fatalf("office login: %d", code)
	}
	var copies [][]byte
	backup := func() {
		t.Helper()
		code, body := get(office, "/admin/backup")
		if code != http.StatusOK {
			t.Fatalf("backup: %d", code)
		}
		copies = append(copies, []byte(body))
	}
	backup()
	for _, tok := range append(tokens[:4], small[0]) {
		if code, body := submitJSON(t, srv.url, map[string]any{"token": tok, "answers": map[string]any{"m1": 4}}); code != http.StatusCreated {
			t.Fatalf("submit: %d %s", code, body)
		}
		backup()
	}
	all := append(append(append([]string{}, tokens...), small...), other...)
	for _, tok := range all {
		h := survey.HashToken(tok)
		seen := -1
		for i, raw := range copies {
			for at := 0; ; {
				j := bytes.Index(raw[at:], h)
				if j < 0 {
					break
				}
				at += j + len(h)
				if seen < 0 {
					seen = int(raw[at])
				}
				if int(raw[at]) != seen {
					t.Errorf("token %s: its record differs in backup %d (state %d, before %d)", tok, i, raw[at], seen)
				}
			}
		}
		if seen < 0 {
			t.Fatalf("token %s not found in the backups (the test reads the wrong thing)", tok)
		}
	}

	// The chief of the three-person soumu-b: his team only within soumu, nothing else.
	chief := newBrowser()
	if code := login(t, chief, srv.url, "chief", e2ePassword, ""); code != http.StatusSeeOther {
		t.Fatalf("chief login: %d", code)
	}
	code, body := get(chief, "/admin/api/rates?survey=fixture-2025&section=soumu-b")
	var own struct {
		Group        string
		Issued, Used int
	}
	if json.Unmarshal([]byte(body), &own); code != http.StatusOK || own.Group != "soumu" || own.Issued != 9 {
		t.Errorf("chief's own team: %d %s; want it within soumu (9 codes)", code, body)
	}
	for _, section := range []string{"shimin-a", "shimin", "soumu-a", "soumu", "kikaku"} {
		if code, _ := get(chief, "/admin/api/rates?survey=fixture-2025&section="+section); code != http.StatusForbidden {
			t.Errorf("chief asks for %s: %d; want 403", section, code)
		}
	}
	if code, page := get(chief, "/admin/surveys/fixture-2025"); code != http.StatusOK || strings.Contains(page, "市民") {
		t.Errorf("chief's survey page: %d, or it shows another 課", code)
	}

	// A paper form entered twice: the second time refused, nothing stored.
	_, entry := get(office, "/admin/surveys/fixture-2025/paper")
	csrf := e2eCSRF.FindStringSubmatch(entry)
	if csrf == nil {
		t.Fatalf("no data-entry form:\n%.400s", entry)
	}
	items := 0
	for _, m := range strings.Split(entry, `for="answers">`)[1:] {
		items = atoiPrefix(strings.TrimPrefix(strings.TrimSpace(m), "設問 1〜"))
	}
	if items == 0 {
		t.Fatalf("the entry form does not say how many items")
	}
	form := url.Values{"_csrf": {csrf[1]}, "code": {wide(other[0])}, "answers": {strings.Repeat("3", items)}, "satisfaction": {"3"}, "enps": {"7"}}
	post := func() int {
		req, _ := http.NewRequest(http.MethodPost, srv.url+"/admin/surveys/fixture-2025/paper", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		code, _ := getBody(t, office, req)
		return code
	}
	if code := post(); code != http.StatusSeeOther {
		t.Fatalf("paper form: %d; want 303", code)
	}
	if code := post(); code != http.StatusConflict {
		t.Errorf("the same paper form again: %d; want 409", code)
	}
	if code, body := submitJSON(t, srv.url, map[string]any{"token": other[0], "answers": map[string]any{"m1": 4}}); code != http.StatusConflict {
		t.Errorf("the paper form's code online: %d %s; want 409", code, body)
	}
	_, audit := get(office, "/admin/audit.csv")
	srv.stop(t)
	if got := c.must("survey", "list"); !strings.Contains(got, "6 responses") {
		t.Errorf("survey list: %q; want 6 responses (5 online, 1 on paper)", got)
	}
	if !strings.Contains(audit, "paper.entry") {
		t.Errorf("the audit log does not say forms were entered")
	}
	for _, tok := range all {
		if strings.Contains(audit, tok) {
			t.Errorf("the audit log names a code")
		}
	}
}

// atoiPrefix reads the digits at the start of s.
func atoiPrefix(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
