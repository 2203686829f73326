package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// Tests of answering as staff do it: nothing typed is lost, dates and contacts on every page, no dead ends.

// withInfo returns the test questionnaire with a period, a contact and a results text.
func withInfo(tb testing.TB, id string) *survey.Questionnaire {
	tb.Helper()
	q := testQuestionnaire(tb, id)
	q.Period = &survey.Period{Opens: "2026-12-01", Closes: "2026-12-14"}
	q.Contact = &survey.Text{JA: "総務課 人事担当 内線1234", EN: "HR, ext. 1234"}
	q.Results = &survey.Text{JA: "結果は2月に公開します", EN: "Results in February"}
	return q
}

// The language switch without JavaScript posts the answers: the form comes back in the other
// language with every answer kept, no error, nothing stored, and a page Back can show again.
func TestAnswerLanguageSwitchKeepsAnswers(t *testing.T) {
	s, st := newTestServer(t)
	q, tokens := mustOpenSurvey(t, st, 1)
	form := url.Values{"t": {tokens[0]}, "m1": {"4"}, "enps": {"0"}, "good": {"良い職場です"}, "lang": {"en"}}
	w := answerRequest(t, s, "POST", "/a", form)
	if w.Code != http.StatusOK {
		t.Fatalf("got %d; want 200\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{`<html lang="en">`, `name="m1" value="4" checked`, `name="enps" value="0" checked`, "良い職場です</textarea>", "Send my answers", "data-posted"} {
		if !strings.Contains(body, want) {
			t.Errorf("body does not contain %q", want)
		}
	}
	for _, bad := range []string{"have not been sent", `class="field-error"`} {
		if strings.Contains(body, bad) {
			t.Errorf("body contains %q: the switch is not a submission", bad)
		}
	}
	if cc := w.Header().Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("got Cache-Control %q; want private, no-cache so that Back shows the page again", cc)
	}
	if !strings.Contains(w.Header().Get("Set-Cookie"), "lang=en") {
		t.Errorf("the choice does not stick: Set-Cookie %q", w.Header().Get("Set-Cookie"))
	}
	if n := len(storedResponses(t, st, q.ID)); n != 0 {
		t.Errorf("got %d responses after switching language; want 0", n)
	}
	// Switching with nothing answered is no error either.
	if w := answerRequest(t, s, "POST", "/a", url.Values{"t": {tokens[0]}, "lang": {"ja"}}); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "少なくとも1問") {
		t.Errorf("switching an empty form: got %d", w.Code)
	}
}

// Pages rendered for a POST can be shown again by Back; every GET with a token stays no-store.
func TestAnswerPostPagesResubmittable(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 2)
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
	}{
		{"invalid answer", url.Values{"t": {tokens[0]}, "m1": {"9"}}, 422},
		{"unknown token", url.Values{"t": {survey.NewToken()}, "m1": {"4"}}, 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := answerRequest(t, s, "POST", "/a", tt.form)
			if w.Code != tt.status {
				t.Fatalf("got %d; want %d", w.Code, tt.status)
			}
			if cc := w.Header().Get("Cache-Control"); cc != "private, no-cache" {
				t.Errorf("got Cache-Control %q; want private, no-cache", cc)
			}
		})
	}
	answerRequest(t, s, "POST", "/a", withToken(validAnswers(), tokens[1]))
	if w := answerRequest(t, s, "POST", "/a", withToken(validAnswers(), tokens[1])); w.Code != 409 || w.Header().Get("Cache-Control") != "private, no-cache" {
		t.Errorf("used token: got %d, Cache-Control %q", w.Code, w.Header().Get("Cache-Control"))
	}
}

// An unknown code, however it was typed, gives the entry form again with the code kept.
func TestAnswerUnknownCodeBackToEntry(t *testing.T) {
	s, st := newTestServer(t)
	mustOpenSurvey(t, st, 1)
	typed := "１２３４ABCD-0000-4000-8000-000000000000"
	for _, target := range []string{"/a?t=" + url.QueryEscape(typed), "/?t=" + url.QueryEscape(typed)} {
		w := answerRequest(t, s, "GET", target, nil)
		if w.Code != http.StatusNotFound {
			t.Fatalf("%s: got %d; want 404", target, w.Code)
		}
		body := w.Body.String()
		for _, want := range []string{`value="` + typed + `"`, `aria-invalid="true"`, "見つかりません", `action="/a"`, "記録されること"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: body does not contain %q", target, want)
			}
		}
	}
}

// Codes typed with full-width characters, spaces or without hyphens are the same code.
func TestAnswerCodeAsTyped(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 1)
	tok := tokens[0]
	wide := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '!' && r <= '~' {
				r += '！' - '!'
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	for _, typed := range []string{
		wide(strings.ToUpper(tok)),
		strings.ReplaceAll(tok, "-", ""),
		" " + tok[:4] + " " + tok[5:] + "　",
		strings.Join(strings.Split(strings.ReplaceAll(tok, "-", ""), ""), " "),
		strings.ReplaceAll(tok, "-", "ー"),
		strings.NewReplacer("1", "l", "0", "o").Replace(strings.ToLower(tok)),
	} {
		w := answerRequest(t, s, "GET", "/a?t="+url.QueryEscape(typed), nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="t" value="`+tok+`"`) {
			t.Errorf("%q: got %d; want the questionnaire of %s", typed, w.Code, tok)
		}
	}
	// A typo caught by the check character is named as one, on the entry form with the code as typed.
	b := []byte(tok)
	b[1], b[2] = b[2], b[1]
	if b[1] == b[2] {
		b[1] = map[bool]byte{true: 'A', false: 'B'}[b[1] != 'A']
	}
	w := answerRequest(t, s, "GET", "/?t="+url.QueryEscape(string(b)), nil)
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "打ち間違い") || !strings.Contains(w.Body.String(), `value="`+string(b)+`"`) {
		t.Errorf("typo %s: got %d; want 404 and the typo named", b, w.Code)
	}
}

// Period, contact and results appear on the first page, the questionnaire, the thank-you
// page and every error page; the used-code page says what to do.
func TestAnswerInfoEverywhere(t *testing.T) {
	s, st := newTestServer(t)
	q := withInfo(t, testSurveyID)
	mustCreateSurvey(t, st, q, survey.StateOpen)
	tokens := mustIssueTokens(t, st, q.ID, testSection, 2)
	answerRequest(t, s, "POST", "/a", withToken(validAnswers(), tokens[1]))
	period := "2026年12月1日（火）〜12月14日（月）"
	for _, tt := range []struct {
		name, method, target string
		form                 url.Values
		status               int
		want                 []string
	}{
		{"entry page", "GET", "/", nil, 200, []string{period, "総務課 人事担当 内線1234", "結果は2月に公開します", "所要時間の目安", "約5分（選択式 20問 × 約10秒、任意の自由記述 1問 × 約1分）", "投票箱"}},
		{"entry page in English", "GET", "/?lang=en", nil, 200, []string{"Tuesday 1 December 2026 to Monday 14 December 2026", "HR, ext. 1234", "Results in February", "About 5 minutes", "ballot box", "holds the key"}},
		{"slip URL", "GET", "/?t=" + tokens[0], nil, 200, []string{period, "総務課 人事担当 内線1234", "約5分"}},
		{"questionnaire", "GET", "/a?t=" + tokens[0], nil, 200, []string{period, "約5分", "送信するまでこの端末の外には送られません", "<details class=\"about\">", "入力を消去"}},
		{"thanks", "GET", "/thanks", nil, 200, []string{period, "総務課 人事担当 内線1234", "結果は2月に公開します"}},
		{"used code", "GET", "/a?t=" + tokens[1], nil, 409, []string{"すでに使用されています", "覚えがない場合", "<strong>総務課 人事担当 内線1234</strong>にご相談ください", period, `href="/"`}},
		{"used code in English", "GET", "/a?t=" + tokens[1] + "&lang=en", nil, 409, []string{"did not send answers", "Please tell <strong>HR, ext. 1234</strong>"}},
		{"unknown code", "GET", "/a?t=" + survey.NewToken(), nil, 404, []string{period, "総務課 人事担当 内線1234"}},
		{"no such page", "GET", "/nowhere", nil, 404, []string{period, "総務課 人事担当 内線1234", `href="/"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := answerRequest(t, s, tt.method, tt.target, tt.form)
			if w.Code != tt.status {
				t.Fatalf("got %d; want %d", w.Code, tt.status)
			}
			for _, want := range tt.want {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("body does not contain %q", want)
				}
			}
		})
	}
}

// A closed survey's page gives its period and a way on.
func TestAnswerClosedSurveyPage(t *testing.T) {
	s, st := newTestServer(t)
	q := withInfo(t, "closed-2026")
	mustCreateSurvey(t, st, q, survey.StateDraft)
	tok := mustIssueTokens(t, st, q.ID, testSection, 1)[0]
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
	w := answerRequest(t, s, "GET", "/a?t="+tok, nil)
	if w.Code != http.StatusGone {
		t.Fatalf("got %d; want 410", w.Code)
	}
	for _, want := range []string{"「テスト用 職員満足度調査 2025」の回答期間は2026年12月1日（火）〜12月14日（月）です。期間中なのに", `href="/"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("body does not contain %q", want)
		}
	}
}

// The answer pages and static files are gzipped for clients that take it.
func TestAnswerGzip(t *testing.T) {
	s, st := newTestServer(t)
	_, tokens := mustOpenSurvey(t, st, 1)
	for _, target := range []string{"/", "/a?t=" + tokens[0], "/static/app.css", "/static/app.js"} {
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: got %d, Content-Encoding %q; want gzip", target, w.Code, w.Header().Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(zr); err != nil {
			t.Errorf("%s: %v", target, err)
		}
	}
}

// pageWeight returns the bytes of the kita-2026 questionnaire page with its CSS and script,
// plain and gzipped.
func pageWeight(tb testing.TB) (plain, zipped int) {
	tb.Helper()
	s, st := newTestServer(tb)
	q := kitaQuestionnaire(tb)
	mustCreateSurvey(tb, st, q, survey.StateOpen)
	tok := mustIssueTokens(tb, st, q.ID, q.Leaves()[0], 1)[0]
	for _, target := range []string{"/a?t=" + tok, "/static/app.css", "/static/app.js"} {
		for _, enc := range []string{"", "gzip"} {
			req := httptest.NewRequest("GET", target, nil)
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			if w.Code != 200 {
				tb.Fatalf("%s: got %d", target, w.Code)
			}
			if enc == "" {
				plain += w.Body.Len()
			} else {
				zipped += w.Body.Len()
			}
		}
	}
	return plain, zipped
}

// The weight budget of the answering page, for phones on slow lines: HTML, CSS and script of the questionnaire under 80 KB
// before compression, read strictly as 80,000 bytes.
func TestAnswerPageWeight(t *testing.T) {
	plain, zipped := pageWeight(t)
	t.Logf("kita-2026 questionnaire page: %d bytes (%.1f KB), %d bytes gzipped", plain, float64(plain)/1024, zipped)
	if plain >= 80_000 {
		t.Errorf("the questionnaire page weighs %d bytes; the budget is 80 KB", plain)
	}
}
