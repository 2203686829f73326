package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
	"staffsurvey/web/answer"
)

// answerRequest runs one request through the server's handler and returns the recorder.
// A non-nil form is posted as application/x-www-form-urlencoded.
func answerRequest(tb testing.TB, s *Server, method, target string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

// validAnswers is a complete, valid form for the test questionnaire, without the token.
func validAnswers() url.Values {
	v := url.Values{}
	for i, id := range []string{"m1", "m2", "m3", "i1", "i2", "i3", "c1", "c2", "c3", "ch1", "ch2", "ch3", "b1", "b2", "b3", "b4", "t1", "t2"} {
		v.Set(id, []string{"1", "2", "3", "4", "5", "na"}[i%6])
	}
	v.Set("overall", "4")
	v.Set("enps", "8")
	v.Set("good", "朝礼が短くなって良い。\r\n窓口の応援体制を続けてほしい。")
	return v
}

func withToken(v url.Values, token string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	out.Set("t", token)
	return out
}

// storedResponses returns every stored response of survey id: for an open survey, its sealed
// responses opened with the custodians' shares (storagetest.Unseal).
func storedResponses(tb testing.TB, st *storage.Store, id string) []*survey.Response {
	tb.Helper()
	var out []*survey.Response
	each := st.EachResponse
	if sv, err := st.Survey(id); err == nil && sv.State == survey.StateOpen {
		each = func(id string, fn func(*survey.Response) error) error {
			return storagetest.Unseal(st, id, storagetest.Shares(st, id), fn)
		}
	}
	err := each(id, func(r *survey.Response) error {
		out = append(out, r.Clone())
		return nil
	})
	if err != nil {
		tb.Fatalf("each response: %v", err)
	}
	return out
}

// TestAnswerStatuses walks every status of docs/http.md for the pages.
func TestAnswerStatuses(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 3)
	used := tokens[2]
	if w := answerRequest(t, s, "POST", "/a", withToken(validAnswers(), used)); w.Code != http.StatusSeeOther {
		t.Fatalf("submitting: got %d; want 303", w.Code)
	}
	draft := mustTokenInState(t, st, "draft-2025", survey.StateDraft)
	closed := mustTokenInState(t, st, "closed-2025", survey.StateClosed)
	unknown := survey.NewToken()

	tests := []struct {
		name     string
		method   string
		target   string
		form     url.Values
		status   int
		location string
		contains []string
	}{
		{"entry page", "GET", "/", nil, 200, "", []string{`lang="ja"`, "記録されること", "記録されないこと", `action="/a"`, `name="t"`}},
		{"slip URL", "GET", "/?t=" + tokens[0], nil, 200, "", []string{"総務課 庶務担当", `href="/a?t=` + tokens[0] + `"`}},
		{"slip URL of a used token", "GET", "/?t=" + used, nil, 409, "", []string{"すでに使用されています"}},
		{"slip URL of an unknown token", "GET", "/?t=" + unknown, nil, 404, "", []string{"見つかりません"}},
		{"slip URL of a draft survey", "GET", "/?t=" + draft, nil, 410, "", []string{"受け付けていません"}},
		{"questionnaire", "GET", "/a?t=" + tokens[0], nil, 200, "", []string{`name="t" value="` + tokens[0] + `"`, "総務課 庶務担当"}},
		{"questionnaire typed by hand", "GET", "/a?t=" + url.QueryEscape(" "+strings.ToUpper(strings.ReplaceAll(tokens[0], "-", ""))+" "), nil, 200, "", []string{`name="t" value="` + tokens[0] + `"`}},
		{"questionnaire without token", "GET", "/a", nil, 303, "/", nil},
		{"questionnaire of a used token", "GET", "/a?t=" + used, nil, 409, "", []string{"すでに使用されています"}},
		{"questionnaire of an unknown token", "GET", "/a?t=" + unknown, nil, 404, "", []string{"見つかりません"}},
		{"questionnaire of a malformed token", "GET", "/a?t=abc", nil, 404, "", []string{"見つかりません"}},
		{"questionnaire of a draft survey", "GET", "/a?t=" + draft, nil, 410, "", []string{"受け付けていません"}},
		{"questionnaire of a closed survey", "GET", "/a?t=" + closed, nil, 410, "", []string{"受け付けていません"}},
		{"submit", "POST", "/a", withToken(validAnswers(), tokens[0]), 303, "/thanks", nil},
		{"submit again", "POST", "/a", withToken(validAnswers(), tokens[0]), 409, "", []string{"すでに使用されています"}},
		{"submit unknown token", "POST", "/a", withToken(validAnswers(), unknown), 404, "", nil},
		{"submit without token", "POST", "/a", validAnswers(), 404, "", nil},
		{"submit to a draft survey", "POST", "/a", withToken(validAnswers(), draft), 410, "", nil},
		{"submit to a closed survey", "POST", "/a", withToken(validAnswers(), closed), 410, "", nil},
		{"submit nothing", "POST", "/a", url.Values{"t": {tokens[1]}}, 303, "/a?t=" + tokens[1] + "&empty=1", nil},
		{"after submitting nothing", "GET", "/a?t=" + tokens[1] + "&empty=1", nil, 422, "", []string{"少なくとも1問は回答してください", "まだ送信されていません"}},
		{"token in the query string only", "POST", "/a?t=" + tokens[1], validAnswers(), 404, "", nil},
		{"used token with invalid answers", "POST", "/a", url.Values{"t": {used}, "m1": {"9"}}, 409, "", nil},
		{"too large", "POST", "/a", url.Values{"t": {tokens[1]}, "good": {strings.Repeat("x", 300<<10)}}, 413, "", nil},
		{"thanks", "GET", "/thanks", nil, 200, "", []string{"ご回答ありがとうございました"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := answerRequest(t, s, tt.method, tt.target, tt.form)
			if w.Code != tt.status {
				t.Fatalf("got status %d; want %d\n%s", w.Code, tt.status, w.Body)
			}
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("got Location %q; want %q", got, tt.location)
			}
			for _, want := range tt.contains {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("body does not contain %q", want)
				}
			}
			if tt.method == "GET" && tt.target != "/thanks" && w.Code != 303 && !strings.Contains(w.Header().Get("Cache-Control"), "no-store") {
				t.Errorf("got Cache-Control %q; want no-store", w.Header().Get("Cache-Control"))
			}
		})
	}
}

// The stored response is exactly what was answered, with the token's section and nothing else.
func TestAnswerStored(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 1)
	if w := answerRequest(t, s, "POST", "/a", withToken(validAnswers(), tokens[0])); w.Code != http.StatusSeeOther {
		t.Fatalf("got %d; want 303\n%s", w.Code, w.Body)
	}
	rs := storedResponses(t, st, q.ID)
	if len(rs) != 1 {
		t.Fatalf("got %d responses; want 1", len(rs))
	}
	want, _, err := answer.ParseForm(q, validAnswers())
	if err != nil {
		t.Fatal(err)
	}
	want.Section = testSection
	got := rs[0]
	if got.Section != want.Section || got.Satisfaction != 4 || got.ENPS != 8 ||
		strings.Join(got.Comments, "|") != "朝礼が短くなって良い。\n窓口の応援体制を続けてほしい。" {
		t.Errorf("got %+v; want %+v", got, want)
	}
	for i := range want.Answers {
		if got.Answers[i] != want.Answers[i] {
			t.Errorf("answer %d: got %d; want %d", i, got.Answers[i], want.Answers[i])
		}
	}
}

// An invalid submission is re-rendered with 422: every answer kept, the wrong fields marked,
// a summary linking to them; the token stays usable.
func TestAnswerInvalidKeepsAnswers(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 1)
	form := withToken(validAnswers(), tokens[0])
	form.Set("m1", "9")                         // off the scale
	form.Set("m2", "4")                         // valid, must stay checked
	form.Set("enps", "0")                       // valid, must stay checked
	form.Set("good", strings.Repeat("あ", 2001)) // too long, must be kept
	w := answerRequest(t, s, "POST", "/a", form)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("got %d; want 422", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{
		`<fieldset class="q likert invalid" id="q-m1" aria-describedby="err-m1">`,
		`id="err-m1"`,
		`href="#q-m1"`,
		`href="#q-good"`,
		`<div class="q comment invalid" id="q-good">`,
		`name="m2" value="4" checked`,
		`name="m3" value="3" checked`,
		`name="i3" value="na" checked`,
		`name="enps" value="0" checked`,
		`name="overall" value="4" checked`,
		strings.Repeat("あ", 2001) + "</textarea>",
		"2000 文字以内で入力してください（現在 2001 文字）",
		`name="t" value="` + tokens[0] + `"`,
		"まだ送信されていません",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body does not contain %q", want)
		}
	}
	if strings.Contains(body, `name="m1" value="9"`) {
		t.Errorf("the invalid value is offered as an option")
	}
	if n := len(storedResponses(t, st, q.ID)); n != 0 {
		t.Fatalf("got %d responses after an invalid submission; want 0", n)
	}
	if w := answerRequest(t, s, "POST", "/a", withToken(validAnswers(), tokens[0])); w.Code != http.StatusSeeOther {
		t.Fatalf("the token is not usable after an invalid submission: got %d; want 303", w.Code)
	}
}

// The questionnaire page: every question with its scale, 「わからない・該当しない」 everywhere,
// the eNPS with 11 options, comments with maxlength, progress per part, reverse items like
// the others.
func TestAnswerFormPage(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 1)
	w := answerRequest(t, s, "GET", "/a?t="+tokens[0], nil)
	if w.Code != http.StatusOK {
		t.Fatalf("got %d; want 200", w.Code)
	}
	body := w.Body.String()
	questions := q.NumItems() + 2
	count := func(s string) int { return strings.Count(body, s) }
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"not applicable options", count(`value="na"`), questions},
		{"not applicable labels", count("わからない・該当しない"), questions + 1}, // + the introduction
		{"Likert options", count(`<input type="radio" name="m1"`), 6},
		{"eNPS options", count(`<input type="radio" name="enps"`), 12},
		{"comment boxes", count(`<textarea id="c-good" name="good" rows="6" maxlength="2000"`), 1},
		{"parts", count(`<span class="step">`), len(q.Categories) + 2},
		{"progress of the last part", count(`<span class="step">8 / 8</span>`), 1},
		{"overall progress", count(`<span class="count"></span> / 20</span></div>`), 1},
		{"scale labels", count("ややそう思う"), q.NumItems() + 1},
		{"eNPS ends", count("0 = まったく勧めない"), 1},
		{"reverse markers", count("reverse"), 0},
		{"inline styles", count("style="), 0},
		{"scripts", count("<script"), 1},
		{"external script only", count(`<script src="/static/app.js"></script>`), 1},
		{"section name", count("回答する所属<strong>総務課 庶務担当</strong>"), 1},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v; want %v", tt.name, tt.got, tt.want)
		}
	}
	// ch2 (reverse-keyed) and ch1 are rendered the same but for their id and text.
	block := regexp.MustCompile(`(?s)<fieldset class="q likert" id="q-(ch[12])">.*?</fieldset>`)
	number := regexp.MustCompile(`問\d+`)
	var blocks []string
	for _, m := range block.FindAllStringSubmatch(body, -1) {
		b := strings.ReplaceAll(m[0], m[1], "X")
		blocks = append(blocks, number.ReplaceAllString(strings.ReplaceAll(b, "設問 X", ""), "問N"))
	}
	if len(blocks) != 2 || blocks[0] != blocks[1] {
		t.Errorf("reverse item ch2 renders differently from ch1:\n%s", strings.Join(blocks, "\n"))
	}
}

// The first page tells what is stored and what is not, with the survey's own thresholds.
func TestIndexExplains(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 1)
	tests := []struct {
		name   string
		target string
		want   []string
	}{
		{"entry page", "/", []string{
			"記録されること", "回答した調査", "所属", "選んだ回答", "自由記述に書いた文章",
			"記録されないこと", "氏名", "回答用コード", "回答した日時", "IPアドレス",
			"<strong>5人以上</strong>", "<strong>10人以上</strong>", "順番を入れ替えて",
		}},
		{"slip URL", "/?t=" + tokens[0], []string{"テスト用 職員満足度調査 2025", "総務課 庶務担当", "<strong>5人以上</strong>", "<strong>10人以上</strong>", "回答を始める"}},
		{"English", "/?lang=en", []string{`lang="en"`, "What is stored", "What is not stored", "When you answered", "at least <strong>5 people</strong>", "at least <strong>10 people</strong>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := answerRequest(t, s, "GET", tt.target, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("got %d; want 200", w.Code)
			}
			for _, want := range tt.want {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("body does not contain %q", want)
				}
			}
		})
	}
}

// With no open survey the entry page promises no number it cannot keep.
func TestIndexNoOpenSurvey(t *testing.T) {
	s, _ := newTestServer(t)
	w := answerRequest(t, s, "GET", "/", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("got %d; want 200", w.Code)
	}
	if body := w.Body.String(); strings.Contains(body, "人以上</strong>") || !strings.Contains(body, "一定の人数以上") {
		t.Errorf("got a page with a threshold or without the generic promise")
	}
}

// The language switch keeps the token on the token's pages, and the choice sticks (cookie).
func TestAnswerLanguage(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 1)
	tok := tokens[0]
	tests := []struct {
		name    string
		target  string
		cookies []*http.Cookie
		lang    string
		want    []string
	}{
		{"default Japanese", "/a?t=" + tok, nil, "ja", []string{`<button type="submit" form="answer-form" name="lang" value="en"`, "回答を送信する"}},
		{"English by query", "/a?t=" + tok + "&lang=en", nil, "en", []string{`<button type="submit" form="answer-form" name="lang" value="ja"`, "Send my answers", "Don&#39;t know / not applicable", "Somewhat agree", "Your section"}},
		{"English by cookie", "/a?t=" + tok, []*http.Cookie{{Name: "lang", Value: "en"}}, "en", []string{"Send my answers"}},
		{"slip URL keeps the token", "/?t=" + tok, nil, "ja", []string{`href="/?t=` + tok + `&amp;lang=en"`}},
		{"entry page has no token", "/", nil, "ja", []string{`href="/?lang=en"`}},
		{"error page in English", "/a?t=" + survey.NewToken() + "&lang=en", nil, "en", []string{"This answer code was not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := answerRequest(t, s, "GET", tt.target, nil, tt.cookies...)
			body := w.Body.String()
			if !strings.Contains(body, `<html lang="`+tt.lang+`">`) {
				t.Errorf("got no <html lang=%q>", tt.lang)
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("body does not contain %q", want)
				}
			}
		})
	}
}

// Many simultaneous submissions of one token: exactly one is stored, the others get 409.
func TestAnswerConcurrentSubmit(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 1)
	const n = 32
	codes := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i] = answerRequest(t, s, "POST", "/a", withToken(validAnswers(), tokens[0])).Code
		}()
	}
	close(start)
	wg.Wait()
	got := map[int]int{}
	for _, c := range codes {
		got[c]++
	}
	if got[303] != 1 || got[409] != n-1 {
		t.Errorf("got statuses %v; want one 303 and %d 409", got, n-1)
	}
	if rs := storedResponses(t, st, q.ID); len(rs) != 1 {
		t.Errorf("got %d responses; want 1", len(rs))
	}
}

// No redirect of the answering pages carries a token, and no token ends up in a cookie.
func TestAnswerNoTokenLeaks(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 2)
	reqs := []struct {
		method, target string
		form           url.Values
	}{
		{"POST", "/a", withToken(validAnswers(), tokens[0])},
		{"GET", "/a", nil},
		{"GET", "/a?t=" + tokens[1], nil},
		{"GET", "/?t=" + tokens[1] + "&lang=en", nil},
		{"POST", "/a", url.Values{"t": {tokens[1]}, "m1": {"9"}}},
	}
	for _, r := range reqs {
		w := answerRequest(t, s, r.method, r.target, r.form)
		for _, h := range []string{"Location", "Set-Cookie", "Content-Location", "Refresh"} {
			for _, tok := range tokens {
				if strings.Contains(w.Header().Get(h), tok) {
					t.Errorf("%s %s: %s %q contains the token", r.method, r.target, h, w.Header().Get(h))
				}
			}
		}
	}
}
