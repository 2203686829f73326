package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/web/answer"
)

// apiRequest sends body to the API with the given content type.
func apiRequest(tb testing.TB, s *Server, method, target, contentType, body string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

// apiBody is a valid submission of token.
func apiBody(token string) string {
	return fmt.Sprintf(`{"token": %q, "answers": {"m1": 4, "m2": null, "ch2": 1}, "outcomes": {"overall": 4, "enps": 8}, "comments": {"good": "よい職場"}}`, token)
}

func TestAPISubmit(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 4)
	used := tokens[3]
	if w := apiRequest(t, s, "POST", "/api/v1/responses", "application/json", apiBody(used)); w.Code != http.StatusCreated {
		t.Fatalf("submitting: got %d; want 201\n%s", w.Code, w.Body)
	}
	draft := mustTokenInState(t, st, "draft-2025", survey.StateDraft)
	closed := mustTokenInState(t, st, "closed-2025", survey.StateClosed)
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string // the "error" field; "" for success
	}{
		{"stored", "application/json", apiBody(tokens[0]), 201, ""},
		{"charset parameter", "application/json; charset=utf-8", apiBody(tokens[1]), 201, ""},
		{"used token", "application/json", apiBody(used), 409, survey.ECONFLICT},
		{"token used just now", "application/json", apiBody(tokens[0]), 409, survey.ECONFLICT},
		{"unknown token", "application/json", apiBody(survey.NewToken()), 404, survey.ENOTFOUND},
		{"malformed token", "application/json", apiBody("abc"), 404, survey.ENOTFOUND},
		{"draft survey", "application/json", apiBody(draft), 410, survey.EGONE},
		{"closed survey", "application/json", apiBody(closed), 410, survey.EGONE},
		{"used token with invalid answers", "application/json", `{"token":"` + used + `","answers":{"m1":9}}`, 409, survey.ECONFLICT},
		{"out of range", "application/json", `{"token":"` + tokens[2] + `","answers":{"m1":9}}`, 422, survey.EINVALID},
		{"unknown item", "application/json", `{"token":"` + tokens[2] + `","answers":{"zz":1}}`, 422, survey.EINVALID},
		{"wrong type", "application/json", `{"token":"` + tokens[2] + `","answers":{"m1":"4"}}`, 422, survey.EINVALID},
		{"empty", "application/json", `{"token":"` + tokens[2] + `","answers":{}}`, 422, survey.EINVALID},
		{"missing token", "application/json", `{"answers":{"m1":1}}`, 422, survey.EINVALID},
		{"unknown field", "application/json", `{"token":"` + tokens[2] + `","answers":{"m1":1},"section":"kikaku"}`, 422, survey.EINVALID},
		{"duplicate key", "application/json", `{"token":"` + tokens[2] + `","answers":{"m1":1,"m1":2}}`, 422, survey.EINVALID},
		{"malformed JSON", "application/json", `{"token":`, 422, survey.EINVALID},
		{"form content type", "application/x-www-form-urlencoded", apiBody(tokens[2]), 415, "unsupported_media_type"},
		{"no content type", "", apiBody(tokens[2]), 415, "unsupported_media_type"},
		{"text content type", "text/plain", apiBody(tokens[2]), 415, "unsupported_media_type"},
		{"too large", "application/json", `{"token":"` + tokens[2] + `","comments":{"good":"` + strings.Repeat("x", 300<<10) + `"}}`, 413, survey.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := apiRequest(t, s, "POST", "/api/v1/responses", tt.contentType, tt.body)
			if w.Code != tt.status {
				t.Fatalf("got %d; want %d\n%s", w.Code, tt.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("got Content-Type %q; want JSON", ct)
			}
			var got map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("body is not a JSON object of strings: %v\n%s", err, w.Body)
			}
			if tt.code == "" {
				if len(got) != 1 || got["status"] != "stored" {
					t.Errorf("got %v; want {status: stored}", got)
				}
				return
			}
			if len(got) != 2 || got["error"] != tt.code || got["message"] == "" {
				t.Errorf("got %v; want {error: %s, message: ...}", got, tt.code)
			}
		})
	}
	// tokens[2] took only invalid submissions: it is still usable.
	if w := apiRequest(t, s, "POST", "/api/v1/responses", "application/json", apiBody(tokens[2])); w.Code != http.StatusCreated {
		t.Errorf("after invalid submissions: got %d; want 201", w.Code)
	}
	rs := storedResponses(t, st, testSurveyID)
	if len(rs) != 4 {
		t.Fatalf("got %d responses; want 4", len(rs))
	}
	r := rs[0]
	if r.Section != testSection || r.Answers[0] != 4 || r.Answers[1] != int8(survey.NA) || r.Answers[10] != 1 ||
		r.Satisfaction != 4 || r.ENPS != 8 || r.Comments[0] != "よい職場" {
		t.Errorf("got stored response %+v", r)
	}
}

// The API message follows the language of the request.
func TestAPIErrorLanguage(t *testing.T) {
	s, _ := newTestServer(t)
	tests := []struct{ target, want string }{
		{"/api/v1/responses", "見つかりません"},
		{"/api/v1/responses?lang=en", "was not found"},
	}
	for _, tt := range tests {
		w := apiRequest(t, s, "POST", tt.target, "application/json", apiBody(survey.NewToken()))
		if w.Code != 404 || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("%s: got %d %s; want 404 with %q", tt.target, w.Code, w.Body, tt.want)
		}
	}
}

func TestAPIConcurrentSubmit(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 1)
	const n = 32
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = apiRequest(t, s, "POST", "/api/v1/responses", "application/json", apiBody(tokens[0])).Code
		}()
	}
	wg.Wait()
	got := map[int]int{}
	for _, c := range codes {
		got[c]++
	}
	if got[201] != 1 || got[409] != n-1 {
		t.Errorf("got statuses %v; want one 201 and %d 409", got, n-1)
	}
}

func TestAPIQuestionnaire(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 2)
	if w := apiRequest(t, s, "POST", "/api/v1/responses", "application/json", apiBody(tokens[1])); w.Code != 201 {
		t.Fatalf("got %d; want 201", w.Code)
	}
	w := apiRequest(t, s, "GET", "/api/v1/questionnaire?t="+tokens[0], "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("got %d; want 200\n%s", w.Code, w.Body)
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("got Cache-Control %q; want no-store", cc)
	}
	var got answer.APIQuestionnaire
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	items := 0
	for _, c := range got.Categories {
		items += len(c.Items)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"id", got.ID, q.ID},
		{"year", got.Year, 2025},
		{"title", got.Title.JA, "テスト用 職員満足度調査 2025"},
		{"section code", got.Section.Code, testSection},
		{"section name", got.Section.Name.JA, "総務課 庶務担当"},
		{"points", got.Scale.Points, 5},
		{"not applicable", got.Scale.NotApplicable.JA, "わからない・該当しない"},
		{"categories", len(got.Categories), 6},
		{"items", items, 18},
		{"satisfaction", got.Outcomes.Satisfaction.ID, "overall"},
		{"enps range", fmt.Sprint(got.Outcomes.ENPS.Min, got.Outcomes.ENPS.Max), "0 10"},
		{"comments", fmt.Sprint(got.Comments), "[{good {職場の良いところ・改善してほしいこと What works well / what should improve} 2000}]"},
		{"min comment group", got.Anonymity.MinCommentGroupSize, 10},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v; want %v", c.name, c.got, c.want)
		}
	}
	body := w.Body.String()
	for _, leak := range []string{tokens[0], "soumu-b", "kikaku", "総務課 人事担当", "reverse", "axis", "sections", "hash", "state", "responses"} {
		if strings.Contains(body, leak) {
			t.Errorf("the questionnaire JSON contains %q", leak)
		}
	}

	errs := []struct {
		name   string
		target string
		status int
	}{
		{"used token", "/api/v1/questionnaire?t=" + tokens[1], 409},
		{"unknown token", "/api/v1/questionnaire?t=" + survey.NewToken(), 404},
		{"no token", "/api/v1/questionnaire", 404},
		{"closed survey", "/api/v1/questionnaire?t=" + mustTokenInState(t, st, "closed-2025", survey.StateClosed), 410},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			w := apiRequest(t, s, "GET", tt.target, "", "")
			var e map[string]string
			if w.Code != tt.status || json.Unmarshal(w.Body.Bytes(), &e) != nil || e["error"] == "" || e["message"] == "" {
				t.Errorf("got %d %s; want %d with a JSON error", w.Code, w.Body, tt.status)
			}
		})
	}
}

// TestAPISubmitNotCompressed: a submission's answer is a few bytes of JSON, sent as is even to
// a client that accepts gzip, and the gzip middleware is skipped for it altogether (it would
// reset a compressor for nothing); the questionnaire, a larger answer on the same routes, is
// still compressed.
func TestAPISubmitNotCompressed(t *testing.T) {
	s, st := newTestServer(t)
	for _, tt := range []struct {
		method, path string
		skip         bool
	}{{"POST", "/api/v1/responses", true}, {"GET", "/api/v1/questionnaire", false}, {"POST", "/a", false}, {"GET", "/a", false}} {
		c := s.echo.NewContext(httptest.NewRequest(tt.method, tt.path, nil), httptest.NewRecorder())
		c.SetPath(tt.path)
		if got := uncompressed(c); got != tt.skip {
			t.Errorf("uncompressed(%s %s) = %v; want %v", tt.method, tt.path, got, tt.skip)
		}
	}
	_, tokens := mustOpenSurvey(t, st, 2)
	for _, tt := range []struct {
		method, target, body string
		status               int
		gzip                 bool
	}{
		{"POST", "/api/v1/responses", apiBody(tokens[0]), http.StatusCreated, false},
		{"POST", "/api/v1/responses", apiBody(tokens[0]), http.StatusConflict, false},
		{"GET", "/api/v1/questionnaire?t=" + tokens[1], "", http.StatusOK, true},
	} {
		req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != tt.status || (w.Header().Get("Content-Encoding") == "gzip") != tt.gzip {
			t.Errorf("%s %s: %d, Content-Encoding %q; want %d, gzip %v", tt.method, tt.target, w.Code,
				w.Header().Get("Content-Encoding"), tt.status, tt.gzip)
		}
	}
}
