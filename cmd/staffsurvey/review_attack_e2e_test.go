package main

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
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

// attackNamed are 20 comments naming someone as staff write it — among them the six that
// reached managers, the CSV and the staff edition before every comment was read by a person —
// and attackHarmless 10 that name nobody, with the traps the finder must not hold.
var (
	attackNamed = []string{
		"例の主査の言い方がきつく、若手が萎縮している。",
		"係長のＹさんが休みがちで、係の仕事が回らない。",
		"Ｓ係長のパワハラがひどい。誰も注意しない。",
		"John Smith from the IT vendor never answers emails.",
		"Mr. Suzuki always takes credit for our work.",
		"Tanaka-san in accounts is rude to new staff.",
		"上司の田中課長に相談しにくい雰囲気がある。",
		"鈴木さんが新人研修で丁寧に教えてくれた。",
		"髙橋課長の判断が遅く、決裁が止まっている。",
		"山﨑さんに業務が集中している。",
		"うちの新人が毎日遅くまで残っていて心配だ。",
		"窓口の再任用の方が新人に厳しすぎる。",
		"K課長の指示がいつも直前で困る。",
		"Yamamoto-san helped me a lot during the busy season.",
		"ゆうこさんがいつも明るくて助かっている。",
		"梅田さんが異動してから係がまとまらない。",
		"勅使河原さんの資料はいつも丁寧だ。",
		"派遣のサトウさんの契約が切れるのが残念。",
		"木村さんと小林さんの仲が悪く、係の空気が重い。",
		"Ｏさん（窓口）の言葉遣いが気になる。",
	}
	attackHarmless = []string{
		"区長面談で意見を言う機会があったのは良かった。",
		"北区の窓口は年度末の混雑が激しく、繁忙期には応援体制が必要だ。",
		"梅田の再開発で転入者が増え、住民票の窓口が混雑している。",
		"中之島の会議室は遠くて移動に時間がかかる。",
		"お疲れ様です。いつも皆様に助けられています。",
		"課長が忙しすぎて相談できない。課長の業務量を減らすべきだ。",
		"保健福祉課と市民協働課の連携が足りない。",
		"天満の出張所は人手が足りない。",
		"超過勤務の縮減と言いながら、業務量は全く減っていない。",
		"引継ぎの資料がなく、前任者に聞かないと分からない。",
	}
)

// TestReviewAttack is the attack on comment review, against the real binary: 20 comments
// naming someone and 10 harmless ones are sent through the JSON API to kita-2026 (comment_review:
// all), the survey is closed, and every channel is read — the comments page with its themes,
// a keyword search, the comments command, the wide, long and Excel exports, and a staff
// edition whose admin chose every comment: none shows a comment nobody decided. The finder
// lists the 20 among its suspects. A reviewer then publishes the harmless ones and hides the
// names of the others on the review page: then exactly the decided texts show, and no
// original is in the database file.
func TestReviewAttack(t *testing.T) {
	q, err := survey.LoadFile(filepath.Join(testfixture.Root(), "questionnaires", "kita-2026.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	leaf := q.Leaves()[0]
	all := append(append([]string{}, attackNamed...), attackHarmless...)
	c := newCLI(t)
	c.must("survey", "create", "--file", "kita-2026")
	c.must("survey", "open", q.ID)
	tokens, _ := c.issue(q.ID, leaf, len(all))
	c.addAdmin()
	srv := c.serve()
	for i, text := range all {
		body := map[string]any{"token": tokens[i], "answers": map[string]any{q.Categories[0].Items[0].ID: 1 + i%5},
			"comments": map[string]string{"improve": text}}
		if code, resp := submitJSON(t, srv.url, body); code != http.StatusCreated {
			t.Fatalf("submit %d: %d %s", i, code, resp)
		}
	}
	a := signIn(t, srv.url)
	a.closeSurvey(q.ID, c.shareTexts(q.ID)[:2])

	csrf := func() string {
		t.Helper()
		_, page := a.get("/admin/surveys/" + q.ID)
		m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
		if m == nil {
			t.Fatal("no _csrf on the survey page")
		}
		return m[1]
	}
	post := func(path string, form url.Values, want int) *http.Response {
		t.Helper()
		form.Set("_csrf", csrf())
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
	// The staff edition, with every comment chosen (as a crafted form could choose them).
	edition := post("/admin/surveys/"+q.ID+"/editions", url.Values{}, http.StatusSeeOther).Header.Get("Location")
	choose := url.Values{}
	for _, text := range all {
		choose.Add("comment", survey.CommentID("improve", text))
	}
	post(edition, choose, http.StatusSeeOther)
	_, edPage := a.get(edition)
	link := regexp.MustCompile(`href="https?://[^"/]+(/s/[^"]+)"`).FindStringSubmatch(string(edPage))
	if link == nil {
		t.Fatalf("no edition link on %s", edition)
	}
	staffEdition := func() string {
		t.Helper()
		resp, err := http.Get(srv.url + link[1]) // the server of the moment: it restarts below
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("staff edition: %d", resp.StatusCode)
		}
		return html.UnescapeString(string(b))
	}
	web := func() map[string]string {
		t.Helper()
		out := map[string]string{"staff edition": staffEdition()}
		for name, path := range map[string]string{
			"comments page":         "/admin/surveys/" + q.ID + "/comments",
			"comments page, leaf":   "/admin/surveys/" + q.ID + "/comments?section=" + leaf,
			"search":                "/admin/surveys/" + q.ID + "/comments?q=" + url.QueryEscape("係長"),
			"export wide":           "/admin/surveys/" + q.ID + "/export.csv?format=wide",
			"export long":           "/admin/surveys/" + q.ID + "/export.csv?format=long&bom=1",
			"report API":            "/admin/api/report?survey=" + q.ID,
			"comments page, themes": "/admin/surveys/" + q.ID + "/comments?question=improve&term=" + url.QueryEscape("課長"),
		} {
			code, b := a.get(path)
			if code != http.StatusOK {
				t.Fatalf("%s: %d", path, code)
			}
			out[name] = html.UnescapeString(string(b))
		}
		return out
	}
	before := web()
	if themes := regexp.MustCompile(`<ul class="themes">`).FindString(before["comments page"]); themes != "" {
		t.Errorf("the comments page shows themes of comments nobody decided")
	}
	srv.stop(t)
	xlsx := filepath.Join(t.TempDir(), "k.xlsx")
	c.must("export", "--survey", q.ID, "--format", "xlsx", "--out", xlsx)
	before["xlsx"] = xlsxText(t, xlsx)
	before["comments command"] = c.must("comments", "--survey", q.ID)
	before["comments command, leaf"] = c.must("comments", "--survey", q.ID, "--section", leaf)
	before["export command"] = c.must("export", "--survey", q.ID, "--format", "long")
	for where, body := range before {
		for _, text := range all {
			if strings.Contains(body, text) {
				t.Errorf("before review, %s shows %s", where, text)
			}
		}
	}
	// The finder's suspects hold all 20, first in the list of what waits.
	pending := strings.Split(strings.TrimSpace(c.must("comments", "--survey", q.ID, "--pending")), "\n")
	if len(pending) != len(all) {
		t.Fatalf("comments --pending lists %d; want %d", len(pending), len(all))
	}
	for i, line := range pending[:len(attackNamed)] {
		if strings.HasSuffix(line, "\t") {
			t.Errorf("pending line %d is not a suspect: %s", i, line)
		}
	}
	flagged := c.must("comments", "--survey", q.ID, "--flagged")
	for _, text := range attackNamed {
		if !strings.Contains(flagged, survey.CommentID("improve", text)) {
			t.Errorf("the finder misses %s", text)
		}
	}
	for _, text := range attackHarmless {
		if strings.Contains(flagged, survey.CommentID("improve", text)) {
			t.Errorf("the finder holds %s", text)
		}
	}

	// A reviewer decides: the harmless ones published on the command line, the names hidden
	// on the review page.
	var ids []string
	for _, text := range attackHarmless {
		ids = append(ids, survey.CommentID("improve", text))
	}
	c.must("comments", "--survey", q.ID, "--publish", strings.Join(ids, ","))
	srv = c.serve()
	a = signIn(t, srv.url)
	for _, text := range attackNamed {
		post("/admin/surveys/"+q.ID+"/review/"+survey.CommentID("improve", text)+"/redact", url.Values{}, http.StatusSeeOther)
	}
	after := web()
	srv.stop(t)
	after["comments command"] = c.must("comments", "--survey", q.ID)
	for where, body := range after {
		for _, text := range attackNamed {
			if strings.Contains(body, text) {
				t.Errorf("after review, %s shows the original %s", where, text)
			}
		}
	}
	// kita-2026 asks attributes, so its wide export is the table of groups and metrics, which
	// carries no comment (docs/formats.md): only the original's absence is checked there.
	outlets := []string{"comments page", "comments command"}
	if !q.HasAttributes() {
		outlets = append(outlets, "export wide")
	}
	for _, where := range outlets {
		if !strings.Contains(after[where], "区長面談で意見を言う機会") || !strings.Contains(after[where], "＊＊課長の判断が遅く") {
			t.Errorf("after review, %s lacks a published or a redacted comment", where)
		}
	}
	// The edition shows what was chosen and published; a redacted text is a new comment,
	// which nobody chose for it.
	if ed := after["staff edition"]; !strings.Contains(ed, "区長面談で意見を言う機会") || strings.Contains(ed, "＊＊") {
		t.Errorf("after review, the staff edition lacks a chosen published comment, or shows a redaction nobody chose")
	}
	if out := c.must("comments", "--survey", q.ID, "--pending"); out != "" {
		t.Errorf("after review, still pending: %q", out)
	}
	raw, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range attackNamed {
		if bytes.Contains(raw, []byte(text)) {
			t.Errorf("the database file still holds %s", text)
		}
	}
}

// xlsxText returns the text of every part of an Excel workbook.
func xlsxText(tb testing.TB, path string) string {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		io.Copy(&b, rc)
		rc.Close()
	}
	return html.UnescapeString(b.String())
}
