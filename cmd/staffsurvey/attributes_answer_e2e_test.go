package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
)

// TestAttributesAnsweredE2E is staff answering the attributes through the real binary: the
// questionnaire page asks them first with 「回答しない」, the JSON API gives and takes them, a
// wrong option is refused with a message in both languages and leaves the token unused, and
// after close with the custodians' shares the report's option groups count exactly the
// choices sent — 「回答しない」 and null in none of them.
func TestAttributesAnsweredE2E(t *testing.T) {
	c := newCLI(t)
	c.must("survey", "create", "--file", testfixture.Attributes("attr-2026.yaml"))
	c.must("survey", "open", "attr-2026")
	var tokens []string
	for _, leaf := range []string{"soumu-a", "kikaku", "madoguchi"} {
		toks, _ := c.issue("attr-2026", leaf, 9)
		tokens = append(tokens, toks...)
	}
	srv := c.serve()

	page := get(t, srv.url+"/a?t="+tokens[0])
	for _, want := range []string{`name="attr:rank" value="manager"`, `name="attr:age" value=""`, "回答しない", "区分ごとの合計だけを残し"} {
		if !strings.Contains(page, want) {
			t.Errorf("the questionnaire page lacks %q", want)
		}
	}
	var q struct {
		Attributes []struct {
			ID      string `json:"id"`
			Options []struct {
				ID string `json:"id"`
			} `json:"options"`
		} `json:"attributes"`
	}
	if err := json.Unmarshal([]byte(get(t, srv.url+"/api/v1/questionnaire?t="+tokens[0])), &q); err != nil || len(q.Attributes) != 3 || q.Attributes[0].ID != "rank" || len(q.Attributes[0].Options) != 3 {
		t.Fatalf("API questionnaire attributes: %+v, %v", q.Attributes, err)
	}

	// A wrong option: 422 in both languages, nothing stored, the token still good.
	wrong := `{"token": "` + tokens[0] + `", "answers": {"m1": 4}, "attributes": {"rank": "boss"}}`
	for lang, want := range map[string]string{"ja": "「職層」にその選択肢はありません。staff, chief, manager", "en": `Position\" has no such option: use one of staff, chief, manager`} {
		resp, err := http.Post(srv.url+"/api/v1/responses?lang="+lang, "application/json", strings.NewReader(wrong))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), want) {
			t.Fatalf("wrong option (%s): %d %s; want 422 naming the attribute and its options", lang, resp.StatusCode, body)
		}
	}
	resp, err := noRedirect.PostForm(srv.url+"/a", url.Values{"t": {tokens[0]}, "m1": {"4"}, "attr:age": {"70s"}})
	if err != nil {
		t.Fatal(err)
	}
	form, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(form), `id="a-age"`) || !strings.Contains(string(form), "20s, 30s, 40s, 50s") {
		t.Fatalf("wrong option in the form: %d; want 422 with the form again, the attribute marked", resp.StatusCode)
	}

	// Every token answers, half through the form and half through the API, the i-th with
	// rank options[i%3] except every fourth, who prefers not to say.
	ranks := []string{"staff", "chief", "manager"}
	want := map[string]int{}
	for i, tok := range tokens {
		rank := ranks[i%3]
		if i%4 == 3 {
			rank = ""
		} else {
			want[rank]++
		}
		if i%2 == 0 {
			attrs := map[string]any{"rank": nil, "employment": "regular"}
			if rank != "" {
				attrs["rank"] = rank
			}
			if code, body := submitJSON(t, srv.url, map[string]any{"token": tok, "answers": map[string]any{"m1": 1 + i%5, "i1": 3}, "attributes": attrs}); code != http.StatusCreated {
				t.Fatalf("JSON %d: %d %s", i, code, body)
			}
			continue
		}
		resp, err := noRedirect.PostForm(srv.url+"/a", url.Values{"t": {tok}, "m1": {fmt.Sprint(1 + i%5)}, "i1": {"3"}, "attr:rank": {rank}, "attr:age": {""}, "attr:employment": {"regular"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("form %d: %d; want 303", i, resp.StatusCode)
		}
	}
	srv.stop(t)
	c.must("survey", "close", "attr-2026")

	var rep struct {
		Surveys []struct {
			Groups []struct {
				Section string `json:"section"`
				N       int    `json:"n"`
			} `json:"groups"`
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
	s := rep.Surveys[0]
	if s.Groups[0].N != len(tokens) {
		t.Errorf("all: n %d; want %d", s.Groups[0].N, len(tokens))
	}
	for _, a := range s.Attributes {
		for _, g := range a.Groups {
			switch {
			case a.ID == "rank" && g.N != want[g.Option]:
				t.Errorf("rank %s: n %d; want %d", g.Option, g.N, want[g.Option])
			case a.ID == "age" && g.N != 0:
				t.Errorf("age %s: n %d; want 0 (nobody stated an age)", g.Option, g.N)
			case a.ID == "employment" && g.Option == "regular" && g.N != len(tokens):
				t.Errorf("employment regular: n %d; want %d", g.N, len(tokens))
			}
		}
	}
}

// get fetches url and fails the test unless it answers 200.
func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return string(b)
}
