package web

import (
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestPaperEntry: a clerk enters a paper form, checks it against the paper, seals it: it is
// stored exactly as an online answer (the code used), the audit log says only that forms were
// entered; the same form entered again is refused and nothing changes; typos are refused with
// what was typed kept.
func TestPaperEntry(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q, toks := mustOpenSurvey(t, st, 2)
	ac := adminLogin(t, ts, "admin")
	base := "/admin/surveys/" + q.ID + "/paper"
	if r := ac.get(base); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="answers"`) {
		t.Fatalf("entry form: %d", r.Status)
	}
	n := q.NumItems()
	answers := strings.Repeat("4", n-2) + "05"
	form := url.Values{"code": {strings.ToLower(strings.ReplaceAll(toks[0], "-", ""))}, "answers": {answers}, "satisfaction": {"4"}, "enps": {"9"}}
	for i := range q.Comments {
		form.Set("comment"+string(rune('0'+i)), "")
	}
	form.Set("comment0", "窓口が混んでいる")
	check := ac.post(base+"/check", form)
	if check.Status != http.StatusOK || !strings.Contains(check.Body, "check-grid") || !strings.Contains(check.Body, "窓口が混んでいる") {
		t.Fatalf("check page: %d\n%.500s", check.Status, check.Body)
	}
	if c, _ := st.TokenCounts(q.ID); c[testSection].Used != 0 {
		t.Fatal("the check page stored the form")
	}
	seal := ac.post(base, form)
	if seal.Status != http.StatusSeeOther {
		t.Fatalf("seal: %d\n%.500s", seal.Status, seal.Body)
	}
	if _, err := st.Redeemable(toks[0]); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("the form's code after sealing: %v; want used", err)
	}
	sv, _ := st.Survey(q.ID)
	if sv.Responses != 1 {
		t.Errorf("responses: %d; want 1", sv.Responses)
	}
	var got []*survey.Response
	if err := storagetest.Unseal(st, q.ID, storagetest.Shares(st, q.ID), func(r *survey.Response) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Answers[0] != 4 || got[0].Answers[n-2] != survey.NA || got[0].Answers[n-1] != 5 || got[0].ENPS != 9 || got[0].Comments[0] != "窓口が混んでいる" || got[0].Section != testSection {
		t.Errorf("stored: %+v", got)
	}

	// The same form again: refused at the check and at the seal, nothing stored.
	if r := ac.post(base+"/check", form); r.Status != http.StatusConflict || !strings.Contains(r.Body, "すでに使われています") {
		t.Errorf("second entry, check: %d", r.Status)
	}
	if r := ac.post(base, form); r.Status != http.StatusConflict {
		t.Errorf("second entry, seal: %d", r.Status)
	}
	if sv, _ := st.Survey(q.ID); sv.Responses != 1 {
		t.Errorf("responses after a second entry: %d; want 1", sv.Responses)
	}

	// Typos: a code with a wrong check character, too few answers, an answer off the scale.
	bad := []url.Values{}
	for _, change := range []func(url.Values){
		func(v url.Values) { v.Set("code", swapNeighbours(toks[1])) },
		func(v url.Values) { v.Set("answers", answers[1:]) },
		func(v url.Values) { v.Set("answers", "7"+answers[1:]) },
		func(v url.Values) { v.Set("enps", "11") },
	} {
		v := url.Values{}
		for k, x := range form {
			v[k] = x
		}
		v.Set("code", toks[1])
		change(v)
		bad = append(bad, v)
	}
	for i, v := range bad {
		r := ac.post(base+"/check", v)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `role="alert"`) || !strings.Contains(r.Body, v.Get("answers")) {
			t.Errorf("bad entry %d: %d; want 422 with the message and the typing kept", i, r.Status)
		}
	}
	if _, err := st.Redeemable(toks[1]); err != nil {
		t.Errorf("a refused entry used the code: %v", err)
	}

	// The audit log: that forms were entered, never which.
	events, _, err := st.AuditLog(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	entries := 0
	for _, e := range events {
		if e.Action == "paper.entry" {
			entries++
		}
		for _, tok := range toks {
			if strings.Contains(e.Detail+e.Target, tok) || strings.Contains(strings.ToLower(e.Detail), "code") {
				t.Errorf("audit event %+v names a code", e)
			}
		}
	}
	if entries != 1 {
		t.Errorf("%d paper.entry events; want 1 (the page opened once)", entries)
	}
}

// swapNeighbours exchanges the first two neighbouring characters of code that differ (two equal
// ones swapped are no typo): the commonest slip of a hand typing a code, which its check
// character catches.
func swapNeighbours(code string) string {
	b := []byte(code)
	for i := 0; i+1 < len(b); i++ {
		if b[i] != b[i+1] && b[i] != '-' && b[i+1] != '-' {
			b[i], b[i+1] = b[i+1], b[i]
			break
		}
	}
	return string(b)
}

// TestPaperEntryAttributes: the clerk types the number ticked for each attribute (0 or empty
// for 「回答しない」); the check page shows the option chosen, the sealed response holds it,
// and a number that is no option is refused naming the attribute, nothing stored.
func TestPaperEntryAttributes(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	data, err := os.ReadFile(testfixture.Attributes("attr-2026.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	q, err := survey.Parse("attr-2026.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateSurvey(t, st, q, survey.StateOpen)
	toks := mustIssueTokens(t, st, q.ID, "soumu-a", 2)
	ac := adminLogin(t, ts, "admin")
	base := "/admin/surveys/" + q.ID + "/paper"
	if r := ac.get(base); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="attr:rank"`) || !strings.Contains(r.Body, "3 課長代理級以上") {
		t.Fatalf("entry form: %d, no field for the attributes", r.Status)
	}
	form := url.Values{"code": {toks[0]}, "answers": {strings.Repeat("3", q.NumItems())}, "attr:rank": {"3"}, "attr:age": {"0"}, "attr:employment": {""}}
	if r := ac.post(base+"/check", form); r.Status != http.StatusOK || !strings.Contains(r.Body, "3 課長代理級以上") || !strings.Contains(r.Body, `name="attr:rank" value="3"`) {
		t.Fatalf("check page: %d, the attribute not shown or not carried\n%.800s", r.Status, r.Body)
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("code", toks[1])
	bad.Set("attr:age", "5")
	if r := ac.post(base, bad); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "「年代」") {
		t.Errorf("an age that is no option: %d; want 422 naming 年代", r.Status)
	}
	if r := ac.post(base, form); r.Status != http.StatusSeeOther {
		t.Fatalf("seal: %d", r.Status)
	}
	var got []*survey.Response
	if err := storagetest.Unseal(st, q.ID, storagetest.Shares(st, q.ID), func(r *survey.Response) error { got = append(got, r.Clone()); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !slices.Equal(got[0].Attributes, []int8{2, survey.NA, survey.NA}) {
		t.Errorf("stored: %+v; want one response with rank manager and nothing else stated", got)
	}
}
