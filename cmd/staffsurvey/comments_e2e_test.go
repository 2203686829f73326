package main

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// fixtureComment is one comment of testdata/comments/kita-comments.json.
type fixtureComment struct {
	Question string   `json:"question"`
	Text     string   `json:"text"`
	Names    []string `json:"names"`
	Redacted string   `json:"redacted"`
}

// TestCommentFixtureNeverLeaks runs the real binary over the 104 realistic comments of
// testdata/comments, 20 of which name a person: nothing is shown before a person decides; a
// reviewer publishes the others with `comments --publish`; `comments --flagged` lists exactly the 20;
// neither the comments command, nor either export, nor a staff edition whose admin chose
// every comment shows one of them; the admin hides the names on the review page; then the
// comments read as the fixture says, nothing waits for review, and no original text is in the
// database file.
func TestCommentFixtureNeverLeaks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testfixture.Dir(), "comments", "kita-comments.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fixture []fixtureComment
	if err := json.Unmarshal(data, &fixture); err != nil {
		t.Fatal(err)
	}
	q, err := survey.LoadFile(filepath.Join(testfixture.Root(), "questionnaires", "kita-2026.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	question := map[string]int{}
	for i, c := range q.Comments {
		question[c.ID] = i
	}
	var named, plain []fixtureComment
	var buf bytes.Buffer
	w, err := survey.NewCSVWriter(&buf, q, survey.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	leaf := q.Leaves()[0]
	for i := range len(fixture) + 6 { // a few respondents without a comment
		r := survey.NewResponse(q, leaf)
		r.Answers[0] = int8(1 + i%5)
		if i < len(fixture) {
			c := fixture[i]
			r.Comments[question[c.Question]] = c.Text
			if len(c.Names) > 0 {
				named = append(named, c)
			} else {
				plain = append(plain, c)
			}
		}
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if len(named) != 20 {
		t.Fatalf("the fixture has %d comments with names; the test expects 20", len(named))
	}
	csvFile := filepath.Join(t.TempDir(), "comments.csv")
	if err := os.WriteFile(csvFile, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	c.must("survey", "create", "--file", "kita-2026")
	c.must("import", "--survey", q.ID, "--csv", csvFile)
	c.must("survey", "close", q.ID)

	// kita-2026 reviews every comment: before any decision, none is shown or exported.
	for where, body := range map[string]string{"comments": c.must("comments", "--survey", q.ID), "export": c.must("export", "--survey", q.ID)} {
		for _, fc := range fixture {
			if strings.Contains(body, fc.Text) {
				t.Errorf("%s shows a comment nobody decided: %s", where, fc.Text)
			}
		}
	}
	// A reviewer publishes the comments without a name through the command line.
	var plainIDs []string
	for _, pc := range plain {
		plainIDs = append(plainIDs, survey.CommentID(pc.Question, pc.Text))
	}
	c.must("comments", "--survey", q.ID, "--publish", strings.Join(plainIDs, ","))

	// Listed for review, exactly the 20 with names.
	flagged := strings.Split(strings.TrimSpace(c.must("comments", "--survey", q.ID, "--flagged")), "\n")
	if len(flagged) != len(named) {
		t.Errorf("comments --flagged lists %d comments; want the %d with names", len(flagged), len(named))
	}
	for _, nc := range named {
		if !strings.Contains(strings.Join(flagged, "\n"), survey.CommentID(nc.Question, nc.Text)) {
			t.Errorf("not listed for review: %s", nc.Text)
		}
	}
	// Nowhere else.
	leaks := func(where, body string) {
		t.Helper()
		for _, nc := range named {
			if strings.Contains(body, nc.Text) {
				t.Errorf("%s shows a comment waiting for review: %s", where, nc.Text)
			}
		}
	}
	shown := c.must("comments", "--survey", q.ID)
	leaks("comments", shown)
	for _, pc := range plain {
		if !strings.Contains(shown, pc.Text) {
			t.Errorf("comments lacks a comment without a name: %s", pc.Text)
		}
	}
	leaks("export wide", c.must("export", "--survey", q.ID))
	leaks("export long", c.must("export", "--survey", q.ID, "--format", "long"))

	// A staff edition whose admin chose every comment, those waiting for review included.
	c.addAdmin()
	srv := c.serve()
	a := signIn(t, srv.url)
	csrf := func(path string) string {
		t.Helper()
		_, page := a.get(path)
		m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
		if m == nil {
			t.Fatalf("no _csrf on %s", path)
		}
		return m[1]
	}
	post := func(path string, form url.Values, want int) *http.Response {
		t.Helper()
		form.Set("_csrf", csrf("/admin/surveys/"+q.ID))
		resp, err := a.client.PostForm(srv.url+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("POST %s: %d; want %d", path, resp.StatusCode, want)
		}
		return resp
	}
	edition := post("/admin/surveys/"+q.ID+"/editions", url.Values{}, http.StatusSeeOther).Header.Get("Location")
	all := url.Values{}
	for _, fc := range fixture {
		all.Add("comment", survey.CommentID(fc.Question, fc.Text))
	}
	post(edition, all, http.StatusSeeOther)
	_, page := a.get(edition)
	link := regexp.MustCompile(`href="(https?://[^"]+/s/[^"]+)"`).FindStringSubmatch(string(page))
	if link == nil {
		t.Fatalf("no edition link on %s", edition)
	}
	resp, err := http.Get(link[1])
	if err != nil {
		t.Fatal(err)
	}
	var staff bytes.Buffer
	staff.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(staff.String(), html.EscapeString(plain[0].Text)) {
		t.Fatalf("staff edition: %d, without the chosen comments", resp.StatusCode)
	}
	leaks("the staff edition", html.UnescapeString(staff.String()))

	// The admin hides every name, as the review page proposes.
	_, review := a.get("/admin/surveys/" + q.ID + "/review")
	ids := regexp.MustCompile(`/review/([0-9a-f]+)/redact`).FindAllStringSubmatch(string(review), -1)
	if len(ids) != len(named) {
		t.Fatalf("the review page lists %d comments; want %d", len(ids), len(named))
	}
	for _, id := range ids {
		post("/admin/surveys/"+q.ID+"/review/"+id[1]+"/redact", url.Values{}, http.StatusSeeOther)
	}
	srv.stop(t)

	if out := c.must("comments", "--survey", q.ID, "--flagged"); out != "" {
		t.Errorf("after review, still waiting: %q", out)
	}
	shown = c.must("comments", "--survey", q.ID)
	for _, nc := range named {
		if !strings.Contains(shown, nc.Redacted) {
			t.Errorf("the redacted comment is not shown as %s", nc.Redacted)
		}
	}
	raw, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, nc := range named {
		if bytes.Contains(raw, []byte(nc.Text)) {
			t.Errorf("the database file still holds %s", nc.Text)
		}
	}
}
