package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"staffsurvey/internal/demo"
	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

var (
	htmlInput    = regexp.MustCompile(`<input ([^>]*)>`)
	htmlTextarea = regexp.MustCompile(`(?s)<textarea ([^>]*)>(.*?)</textarea>`)
	htmlSelect   = regexp.MustCompile(`(?s)<select ([^>]*)>(.*?)</select>`)
	htmlSelected = regexp.MustCompile(`<option value="([^"]*)"[^>]*\bselected\b`)
	htmlAttr     = regexp.MustCompile(`([a-z_-]+)(?:="([^"]*)")?`)
)

// pageForm returns the values a browser would send with the form that posts to action on
// body: its text, hidden and number inputs, textareas, selected options and checked boxes.
func pageForm(tb testing.TB, body, action string) url.Values {
	tb.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		tb.Fatalf("no form posts to %s", action)
	}
	form := body[i:]
	form = form[:strings.Index(form, "</form>")]
	attrs := func(s string) map[string]string {
		m := map[string]string{}
		for _, a := range htmlAttr.FindAllStringSubmatch(s, -1) {
			m[a[1]] = html.UnescapeString(a[2])
		}
		return m
	}
	v := url.Values{}
	for _, m := range htmlInput.FindAllStringSubmatch(form, -1) {
		a := attrs(m[1])
		_, checked := a["checked"]
		if a["name"] == "" || a["type"] == "file" || a["type"] == "checkbox" && !checked {
			continue
		}
		v.Add(a["name"], a["value"])
	}
	for _, m := range htmlTextarea.FindAllStringSubmatch(form, -1) {
		v.Add(attrs(m[1])["name"], html.UnescapeString(m[2]))
	}
	for _, m := range htmlSelect.FindAllStringSubmatch(form, -1) {
		if s := htmlSelected.FindStringSubmatch(m[2]); s != nil {
			v.Add(attrs(m[1])["name"], html.UnescapeString(s[1]))
		}
	}
	return v
}

// sectionRow returns the prefix ("s3-") of the editor's row of section code, or of its first
// empty row for a new section when code is "".
func sectionRow(tb testing.TB, v url.Values, code string) string {
	tb.Helper()
	n, _ := strconv.Atoi(v.Get("sections"))
	for i := range n {
		p := "s" + strconv.Itoa(i) + "-"
		if code == "" && v.Get(p+"new") == "1" && v.Get(p+"code") == "" && v.Get(p+"ja") == "" {
			return p
		}
		if code != "" && v.Get(p+"code") == code {
			return p
		}
	}
	tb.Fatalf("no row for section %q", code)
	return ""
}

// copyToEdit copies survey from as next year's through the new-survey page and returns the
// editor's form values.
func copyToEdit(tb testing.TB, ac *adminClient, from, wantID string) url.Values {
	tb.Helper()
	r := ac.post("/admin/surveys/copy", url.Values{"from": {from}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/surveys/"+wantID+"/edit" {
		tb.Fatalf("copy %s: %d to %q; want 303 to the editor of %s\n%s", from, r.Status, r.Header.Get("Location"), wantID, r.Body)
	}
	page := ac.get("/admin/surveys/" + wantID + "/edit")
	if page.Status != http.StatusOK {
		tb.Fatalf("editor: %d", page.Status)
	}
	return pageForm(tb, page.Body, "/admin/surveys/"+wantID+"/edit")
}

func sameQuestionnaire(a, b *survey.Questionnaire) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestEditorJourney: the survey office copies last year's survey, edits its texts and
// reorganises its sections (rename, move, add, retire), is told clearly what is wrong with bad
// input without losing anything, previews the answer page and opens the survey; the survey is
// then read-only.
func TestEditorJourney(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	last := testQuestionnaire(t, "kita-2025")
	last.Year = 2025
	mustCreateSurvey(t, st, last, survey.StateClosed)
	ac := adminLogin(t, ts, "admin")

	newPage := ac.get("/admin/surveys/new")
	if !strings.Contains(newPage.Body, "昨年度の調査をコピーして作成") || !strings.Contains(newPage.Body, `<option value="kita-2025" data-id="kita-2026" data-year="2026" selected>`) {
		t.Fatalf("the new-survey page offers no copy of kita-2025:\n%s", newPage.Body)
	}
	v := copyToEdit(t, ac, "kita-2025", "kita-2026")
	sv, err := st.Survey("kita-2026")
	if err != nil {
		t.Fatal(err)
	}
	if q := sv.Questionnaire; q.Year != 2026 || sv.State != survey.StateDraft || len(q.Leaves()) != len(last.Leaves()) {
		t.Fatalf("the copy: year %d, state %s, %d leaves; want 2026, draft, %d", q.Year, sv.State, len(q.Leaves()), len(last.Leaves()))
	}
	if v.Get("id") != "kita-2026" || v.Get("year") != "2026" {
		t.Errorf("the editor shows id %q year %q", v.Get("id"), v.Get("year"))
	}

	// Bad input: a clear message in both languages beside the field, nothing stored, nothing typed lost.
	item := last.Categories[0].Items[0].ID
	for _, tt := range []struct {
		name     string
		change   func(v url.Values)
		field    string
		ja, en   string
		fileLine bool
	}{
		{"empty title", func(v url.Values) { v.Set("title-ja", "") }, "title", "title.ja: 日本語の文言がありません", "the Japanese text is missing", false},
		{"question without text", func(v url.Values) { v.Set("t-"+item+"-ja", "") }, "t-" + item,
			"items." + item + ".text.ja: 日本語の文言がありません", "items." + item + ".text.ja: the Japanese text is missing", true},
		{"duplicate section code", func(v url.Values) {
			p := sectionRow(t, v, "")
			v.Set(p+"code", "soumu-a")
			v.Set(p+"ja", "新しい係")
		}, "", "所属コード &#34;soumu-a&#34; が重複しています", "the section code &#34;soumu-a&#34; is used twice", false},
		{"reserved section code", func(v url.Values) {
			p := sectionRow(t, v, "")
			v.Set(p+"code", "all")
			v.Set(p+"ja", "新しい係")
		}, "", "sections.code: code &#34;all&#34; が重複しています（all は予約語）", "duplicate section code &#34;all&#34; (all is reserved)", true},
		{"section without a name", func(v url.Values) { v.Set(sectionRow(t, v, "madoguchi")+"ja", "") }, "s7",
			"sections.madoguchi.name.ja: 日本語の文言がありません", "the Japanese text is missing", true},
		{"retired parent keeps a section", func(v url.Values) { v.Set(sectionRow(t, v, "hoken")+"retire", "1") }, "",
			"上位の所属 &#34;hoken&#34; を廃止しています", "which is retired", false},
		{"moved under its own child", func(v url.Values) { v.Set(sectionRow(t, v, "soumu")+"parent", "soumu-a") }, "",
			"その下にある所属の下へ移すことはできません", "cannot move under a section below it", false},
		{"year not a number", func(v url.Values) { v.Set("year", "二〇二六") }, "year", "年度は西暦4桁の数字で入力してください", "the year must be a four-digit number", false},
		{"bad id", func(v url.Values) { v.Set("id", "Kita 2026") }, "id", "id は英小文字・数字・ハイフンのみで指定してください", "id must match [a-z0-9-]", false},
		{"period reversed", func(v url.Values) { v.Set("opens", "2026-12-14"); v.Set("closes", "2026-12-01") }, "period",
			"終了日 2026-12-01 が開始日 2026-12-14 より前です", "closes 2026-12-01 is before opens 2026-12-14", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			for k, x := range v {
				form[k] = append([]string(nil), x...)
			}
			form.Set("contact-ja", "総務課 人事担当 内線2105（入力中）") // typed, and must survive the error
			tt.change(form)
			before, _ := st.Survey("kita-2026")
			r := ac.post("/admin/surveys/kita-2026/edit", form)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d; want 422\n%s", r.Status, r.Body)
			}
			if i := strings.Index(r.Body, `id="editor-error"`); i >= 0 && testing.Verbose() {
				t.Logf("%s", r.Body[i:i+min(900, len(r.Body)-i)])
			}
			for _, want := range []string{tt.ja, tt.en, "保存できませんでした", "総務課 人事担当 内線2105（入力中）"} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if ja, en := strings.Index(r.Body, tt.ja), strings.Index(r.Body, tt.en); ja > en {
				t.Errorf("the English message comes before the Japanese one")
			}
			if tt.fileLine && !regexp.MustCompile(`kita-2026\.yaml:\d+: `).MatchString(r.Body) {
				t.Errorf("the message does not read file:line: …")
			}
			if tt.fileLine && !strings.Contains(r.Body, "生成した調査票ファイルの") {
				t.Errorf("the line of the written file is not shown")
			}
			if tt.field != "" && !regexp.MustCompile(`id="f-`+regexp.QuoteMeta(tt.field)+`" class="[^"]*invalid`).MatchString(r.Body) {
				t.Errorf("the field %s is not marked", tt.field)
			}
			if !strings.Contains(r.Body, `class="sec-row`) || !regexp.MustCompile(`<a href="#f-[a-z0-9-]+">`).MatchString(r.Body) && tt.field != "" {
				t.Errorf("no link to the field")
			}
			after, _ := st.Survey("kita-2026")
			if !sameQuestionnaire(before.Questionnaire, after.Questionnaire) {
				t.Error("a refused edit changed the stored draft")
			}
		})
	}

	// The reorganisation: rename soumu-a, move shimin-c under hoken, retire hoken-b, add a
	// section at the top level (automatic code) and one under soumu with its own code.
	v.Set("title-ja", "北区 職員満足度調査 2026（改）")
	v.Set("contact-ja", "総務課 人事担当 内線2105")
	v.Set("results-ja", "結果は2027年2月に公表します")
	v.Set("t-"+item+"-ja", "仕事にやりがいを感じる（改訂）")
	v.Set("t-"+item+"-en", "I find my work rewarding (revised)")
	v.Set(sectionRow(t, v, "soumu-a")+"ja", "総務課 総務担当")
	v.Set(sectionRow(t, v, "shimin-c")+"parent", "hoken")
	v.Set(sectionRow(t, v, "hoken-b")+"retire", "1")
	p := sectionRow(t, v, "")
	v.Set(p+"ja", "区政推進課")
	v.Set(p+"en", "Policy Promotion Division")
	p = sectionRow(t, v, "")
	v.Set(p+"code", "soumu-c")
	v.Set(p+"ja", "総務課 広報担当")
	v.Set(p+"parent", "soumu")
	r := ac.post("/admin/surveys/kita-2026/edit", v)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/surveys/kita-2026/edit?saved=1" {
		t.Fatalf("save: %d to %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	sv, _ = st.Survey("kita-2026")
	q := sv.Questionnaire
	for _, tt := range []struct{ code, name, parent string }{
		{"soumu-a", "総務課 総務担当", "soumu"},
		{"shimin-c", "市民協働課 防災担当", "hoken"},
		{"s2026-1", "区政推進課", survey.Root},
		{"soumu-c", "総務課 広報担当", "soumu"},
	} {
		fs, ok := q.Section(tt.code)
		if !ok || fs.Name.JA != tt.name || fs.Parent != tt.parent {
			t.Errorf("section %s: %v %q under %q; want %q under %q", tt.code, ok, fs.Name.JA, fs.Parent, tt.name, tt.parent)
		}
	}
	if _, ok := q.Section("hoken-b"); ok {
		t.Error("the retired section hoken-b is still there")
	}
	if q.Title.JA != "北区 職員満足度調査 2026（改）" || q.Contact == nil || q.Contact.JA != "総務課 人事担当 内線2105" ||
		q.Results == nil || q.Results.JA != "結果は2027年2月に公表します" || q.Categories[0].Items[0].Text.EN != "I find my work rewarding (revised)" {
		t.Errorf("texts not stored: %+v %+v %+v %+v", q.Title, q.Contact, q.Results, q.Categories[0].Items[0].Text)
	}
	if got := auditDetail(t, st, "survey.edit"); got != "sections added=2 renamed=1 moved=1 retired=1" {
		t.Errorf("audit detail %q", got)
	}
	saved := ac.get("/admin/surveys/kita-2026/edit?saved=1")
	if !strings.Contains(saved.Body, "保存しました") || !strings.Contains(saved.Body, "所属コードはそのまま残るので、経年推移は同じ所属として続きます") {
		t.Error("the editor does not say it saved, or does not say how codes are kept")
	}

	// The YAML of the draft reads back as the draft.
	y := ac.get("/admin/surveys/kita-2026/questionnaire.yaml")
	back, err := survey.Parse("kita-2026.yaml", []byte(y.Body))
	if y.Status != http.StatusOK || err != nil || !sameQuestionnaire(back, q) {
		t.Errorf("the YAML download: %d, %v, same %v", y.Status, err, err == nil && sameQuestionnaire(back, q))
	}

	// The preview: the answer page from the draft, marked, without a way to send.
	pv := ac.get("/admin/surveys/kita-2026/preview?section=soumu-a")
	for _, want := range []string{"【プレビュー】", "送信もできません", "総務課 総務担当", "仕事にやりがいを感じる（改訂）", `name="` + item + `"`} {
		if !strings.Contains(pv.Body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	for _, bad := range []string{`action="/a"`, "回答を送信する", `name="t"`} {
		if strings.Contains(pv.Body, bad) {
			t.Errorf("the preview has %q: it could be sent", bad)
		}
	}
	if en := ac.get("/admin/surveys/kita-2026/preview?section=soumu-a&lang=en"); !strings.Contains(en.Body, "[Preview]") || !strings.Contains(en.Body, "I find my work rewarding (revised)") {
		t.Error("the English preview")
	}

	// Open it with its custodians, as any draft: then it is read-only.
	if r := ac.post("/admin/surveys/kita-2026/open", openForm()); r.Status != http.StatusOK {
		t.Fatalf("open: %d\n%s", r.Status, r.Body)
	}
	ro := ac.get("/admin/surveys/kita-2026/edit")
	if !strings.Contains(ro.Body, "閲覧のみ") || !strings.Contains(ro.Body, `<fieldset class="editor-body" disabled>`) || strings.Contains(ro.Body, "保存する") {
		t.Error("the editor of an open survey is not read-only")
	}
	v.Set("title-ja", "変えたい")
	if r := ac.post("/admin/surveys/kita-2026/edit", v); r.Status != http.StatusConflict || !strings.Contains(r.Body, "閲覧のみ") {
		t.Errorf("editing an open survey: %d; want 409", r.Status)
	}
	if sv, _ := st.Survey("kita-2026"); sv.Questionnaire.Title.JA != "北区 職員満足度調査 2026（改）" {
		t.Error("an open survey's questionnaire changed")
	}
	if ro := ac.get("/admin/surveys/kita-2025/edit"); !strings.Contains(ro.Body, "閲覧のみ") {
		t.Error("the closed survey's questionnaire is not read-only")
	}
}

// auditDetail returns the detail of the last audit event of action.
func auditDetail(tb testing.TB, st *storage.Store, action string) string {
	tb.Helper()
	var detail string
	st.EachAudit(func(e storage.AuditEvent) error {
		if e.Action == action {
			detail = e.Detail
		}
		return nil
	})
	return detail
}

// TestEditorCopy: a copy keeps the attributes and places, moves the title's year and the
// period; a taken or bad id is refused with the fields kept; a new id moves the draft.
func TestEditorCopy(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q, err := survey.LoadFile(testfixture.Attributes("attr-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	q.Period = &survey.Period{Opens: "2025-12-01", Closes: "2025-12-14"}
	mustCreateSurvey(t, st, q, survey.StateClosed)
	ac := adminLogin(t, ts, "admin")

	r := ac.post("/admin/surveys/copy", url.Values{"from": {q.ID}, "id": {"next"}, "year": {"2026"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("copy: %d\n%s", r.Status, r.Body)
	}
	sv, err := st.Survey("next")
	if err != nil {
		t.Fatal(err)
	}
	c := sv.Questionnaire
	ja, _ := json.Marshal(c.Attributes)
	want, _ := json.Marshal(q.Attributes)
	if len(q.Attributes) == 0 || string(ja) != string(want) {
		t.Errorf("attributes not kept: %s; want %s", ja, want)
	}
	if c.Period == nil || c.Period.Opens != "2026-12-01" || c.Period.Closes != "2026-12-14" {
		t.Errorf("period %+v; want 2026-12-01 – 2026-12-14", c.Period)
	}
	if !strings.Contains(c.Title.JA, "2026") && strings.Contains(q.Title.JA, "2025") {
		t.Errorf("title %q keeps the old year", c.Title.JA)
	}
	if auditDetail(t, st, "survey.copy") != "from "+q.ID {
		t.Error("the copy is not audited")
	}

	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"taken id", url.Values{"from": {q.ID}, "id": {"next"}}, http.StatusConflict, "調査 &#34;next&#34; はすでにあります"},
		{"bad id", url.Values{"from": {q.ID}, "id": {"Next Year"}}, http.StatusUnprocessableEntity, "id は英小文字・数字・ハイフンのみ"},
		{"bad year", url.Values{"from": {q.ID}, "id": {"x"}, "year": {"来年"}}, http.StatusUnprocessableEntity, "the year must be a four-digit number"},
		{"no such survey", url.Values{"from": {"nothing"}}, http.StatusUnprocessableEntity, "調査 &#34;nothing&#34; はありません"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ac.post("/admin/surveys/copy", tt.form)
			if r.Status != tt.status || !strings.Contains(r.Body, tt.want) {
				t.Errorf("status %d; want %d with %q\n%s", r.Status, tt.status, tt.want, r.Body)
			}
			if id := tt.form.Get("id"); id != "" && !strings.Contains(r.Body, `value="`+html.EscapeString(id)+`"`) {
				t.Errorf("the id typed is lost")
			}
		})
	}

	// A new id in the editor moves the draft; the old one is gone.
	page := ac.get("/admin/surveys/next/edit")
	v := pageForm(t, page.Body, "/admin/surveys/next/edit")
	v.Set("id", "attr-2026-draft")
	if r := ac.post("/admin/surveys/next/edit", v); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/surveys/attr-2026-draft/edit?saved=1" {
		t.Fatalf("rename: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if _, err := st.Survey("next"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the old id: %v", err)
	}
	moved, err := st.Survey("attr-2026-draft")
	if err != nil || len(moved.Questionnaire.Attributes) != len(q.Attributes) {
		t.Errorf("the moved draft: %v", err)
	}
	// An id taken by another survey: 409 on the id field, nothing moved.
	v.Set("id", q.ID)
	r = ac.post("/admin/surveys/attr-2026-draft/edit", v)
	if r.Status != http.StatusConflict || !regexp.MustCompile(`id="f-id" class="[^"]*invalid`).MatchString(r.Body) {
		t.Errorf("taking a used id: %d", r.Status)
	}

	// The YAML way: replace the draft by an upload; a bad file names its line, nothing stored.
	data, _ := moved.Questionnaire.YAML()
	bad := strings.Replace(string(data), "id: attr-2026-draft", "id: attr-2026-draft\nyear: [", 1)
	if r := ac.postMultipart("/admin/surveys/attr-2026-draft/questionnaire", nil, "mine.yaml", []byte(bad)); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "mine.yaml:") {
		t.Errorf("a bad upload: %d", r.Status)
	}
	good := strings.Replace(string(data), "title: {ja: ", "title: {ja: YAMLで直した ", 1)
	if r := ac.postMultipart("/admin/surveys/attr-2026-draft/questionnaire", nil, "mine.yaml", []byte(good)); r.Status != http.StatusSeeOther {
		t.Errorf("a good upload: %d\n%s", r.Status, r.Body)
	}
	if sv, _ := st.Survey("attr-2026-draft"); !strings.HasPrefix(sv.Questionnaire.Title.JA, "YAMLで直した ") {
		t.Errorf("the upload did not replace the draft: %q", sv.Questionnaire.Title.JA)
	}
}

// TestEditorGuards: CSRF, roles, and a draft with answer codes keeps its id and the sections
// that hold codes.
func TestEditorGuards(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	q := testQuestionnaire(t, "draft-2026")
	mustCreateSurvey(t, st, q, survey.StateDraft)
	mustIssueTokens(t, st, q.ID, "soumu-a", 3)
	ac := adminLogin(t, ts, "admin")
	page := ac.get("/admin/surveys/draft-2026/edit")
	v := pageForm(t, page.Body, "/admin/surveys/draft-2026/edit")

	noCSRF := url.Values{}
	for k, x := range v {
		noCSRF[k] = x
	}
	noCSRF.Set(csrfField, "")
	if r := ac.post("/admin/surveys/draft-2026/edit", noCSRF); r.Status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d; want 403", r.Status)
	}
	for _, role := range []string{survey.RoleManager, survey.RoleAnalyst, survey.RoleExecutive} {
		other := adminLogin(t, ts, role)
		for _, path := range []string{"/admin/surveys/draft-2026/edit", "/admin/surveys/draft-2026/preview", "/admin/surveys/draft-2026/questionnaire.yaml"} {
			if r := other.get(path); r.Status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d; want 403", role, path, r.Status)
			}
		}
		if r := other.post("/admin/surveys/copy", url.Values{"from": {"draft-2026"}}); r.Status != http.StatusForbidden {
			t.Errorf("%s copy: %d; want 403", role, r.Status)
		}
	}

	if !strings.Contains(page.Body, `name="id" value="draft-2026" required pattern="[a-z0-9][a-z0-9\-]*" autocomplete="off" readonly`) {
		t.Error("the id of a draft with answer codes is not read-only")
	}
	v.Set(sectionRow(t, v, "soumu-a")+"retire", "1")
	r := ac.post("/admin/surveys/draft-2026/edit", v)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "回答用コードを発行済み") {
		t.Errorf("retiring a section with codes: %d", r.Status)
	}
	if sv, _ := st.Survey("draft-2026"); !sv.Questionnaire.IsLeaf("soumu-a") {
		t.Error("the section with codes was retired")
	}
}

// TestTrendsFollowRenamedSection: last year's survey copied in the editor, a section renamed
// and moved (its code kept), answered and closed: the trends page shows that section as one
// line over both years, under its new name.
func TestTrendsFollowRenamedSection(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	sizes := map[string]int{"soumu-a": 12, "soumu-b": 11, "shimin-a": 12, "shimin-b": 10, "shimin-c": 10, "madoguchi": 15, "hoken-a": 10, "hoken-b": 10, "kikaku": 10}
	last := testQuestionnaire(t, "kita-2025")
	last.Year = 2025
	mustCreateSurvey(t, st, last, survey.StateDraft)
	if err := st.Import(last.ID, demo.Responses(last, 7, 0, sizes)); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, last.ID); err != nil {
		t.Fatal(err)
	}
	ac := adminLogin(t, ts, "admin")
	v := copyToEdit(t, ac, "kita-2025", "kita-2026")
	v.Set(sectionRow(t, v, "soumu-a")+"ja", "総務課 総務企画担当")
	v.Set(sectionRow(t, v, "soumu-a")+"parent", "shimin")
	if r := ac.post("/admin/surveys/kita-2026/edit", v); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.Status, r.Body)
	}
	now, _ := st.Survey("kita-2026")
	if err := st.Import("kita-2026", demo.Responses(now.Questionnaire, 8, 1, sizes)); err != nil {
		t.Fatal(err)
	}
	if err := storagetest.CloseSurvey(st, "kita-2026"); err != nil {
		t.Fatal(err)
	}

	r := ac.get("/admin/trends?section=soumu-a")
	if r.Status != http.StatusOK {
		t.Fatalf("trends: %d", r.Status)
	}
	if n := strings.Count(r.Body, `<option value="soumu-a"`); n != 1 {
		t.Errorf("soumu-a is offered %d times; want once", n)
	}
	if strings.Contains(r.Body, ">総務課 庶務担当</option>") || !strings.Contains(r.Body, "総務課 総務企画担当</option>") {
		t.Error("the section is not offered under its new name alone")
	}
	_, drawn := lineChartOf(t, r.Body, "chart-trend-section")
	var lines int
	for _, s := range drawn {
		if strings.HasPrefix(s.Name, "総務課 総務企画担当") {
			lines++
			if s.Points != 2 {
				t.Errorf("the section's line %q has %d points; want both years", s.Name, s.Points)
			}
		}
	}
	if lines != 1 {
		t.Errorf("%d lines of the renamed section; want 1 (lines %+v)", lines, drawn)
	}
}
