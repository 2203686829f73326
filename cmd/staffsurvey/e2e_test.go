package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey/storage"
)

// These tests build and run the real binary, as an operator and staff would use it.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// mustBuild builds cmd/staffsurvey once per test run.
func mustBuild(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "staffsurvey-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "staffsurvey")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

// cli runs the binary with a database and returns stdout, stderr and the exit error.
type cli struct {
	tb  testing.TB
	bin string
	db  string
	// shares holds the folder `survey open` wrote each survey's shares into (custodians).
	shares map[string]string
}

// testCustodians are the custodians withCustodians names: two of the three close.
const testCustodians = "人事課長,職員組合代表,監査担当"

// withCustodians plays the custodians for tests that open and close surveys without caring
// how: `survey open ID` gets testCustodians and a shares folder outside the database's, and
// `survey close ID` with neither --share nor stdin gets two of the shares written there.
func (c *cli) withCustodians(stdin string, args []string) []string {
	if len(args) < 3 || args[0] != "survey" || strings.HasPrefix(args[2], "-") {
		return args
	}
	id := args[2]
	if c.shares == nil {
		c.shares = map[string]string{}
	}
	switch {
	case args[1] == "open" && !slices.Contains(args, "--custodians"):
		if c.shares[id] == "" {
			c.shares[id] = c.tb.TempDir()
		}
		return append(slices.Clone(args), "--custodians", testCustodians, "--shares-dir", c.shares[id])
	case args[1] == "close" && !slices.Contains(args, "--share") && stdin == "" && c.shares[id] != "":
		files, _ := filepath.Glob(filepath.Join(c.shares[id], "*.txt"))
		out := slices.Clone(args)
		for _, f := range files[1:] {
			out = append(out, "--share", f)
		}
		return out
	}
	return args
}

func newCLI(tb testing.TB) *cli {
	return &cli{tb: tb, bin: mustBuild(tb), db: filepath.Join(tb.TempDir(), "e2e.db")}
}

func (c *cli) run(stdin string, args ...string) (string, string, error) {
	c.tb.Helper()
	args = c.withCustodians(stdin, args)
	cmd := exec.Command(c.bin, append([]string{"--db", c.db}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// must runs a command that has to succeed.
func (c *cli) must(args ...string) string {
	c.tb.Helper()
	out, errOut, err := c.run("", args...)
	if err != nil {
		c.tb.Fatalf("staffsurvey %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// fails runs a command that has to fail with a message containing want on stderr.
func (c *cli) fails(want string, args ...string) {
	c.tb.Helper()
	out, errOut, err := c.run("", args...)
	if err == nil {
		c.tb.Fatalf("staffsurvey %s: succeeded (%q); want failure", strings.Join(args, " "), out)
	}
	if !strings.Contains(errOut, want) {
		c.tb.Fatalf("staffsurvey %s: stderr %q; want it to contain %q", strings.Join(args, " "), errOut, want)
	}
}

// fixtureDir holds the analysis fixture in the repository's testdata/.
var fixtureDir = testfixture.AnalysisDir()

// openFixture creates the fixture survey id (fixture-2025 or fixture-2026) and opens it.
func (c *cli) openFixture(id string) {
	c.tb.Helper()
	c.must("survey", "create", "--file", fixtureDir+"/"+id+".yaml")
	c.must("survey", "open", id)
}

// server is a running `staffsurvey serve`.
type server struct {
	cmd *exec.Cmd
	url string
	out *bytes.Buffer
}

func (c *cli) serve(args ...string) *server {
	c.tb.Helper()
	cmd := exec.Command(c.bin, append([]string{"--db", c.db, "serve", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		c.tb.Fatal(err)
	}
	s := &server{cmd: cmd, out: &bytes.Buffer{}}
	c.tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		line := sc.Text()
		s.out.WriteString(line + "\n")
		if u, ok := strings.CutPrefix(line, "staffsurvey: listening on "); ok {
			s.url = u
			break
		}
	}
	if s.url == "" {
		c.tb.Fatalf("server did not start:\n%s\n%s", s.out, logs.String())
	}
	go io.Copy(io.Discard, stdout)
	return s
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop(tb testing.TB) {
	tb.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.cmd.Wait(); err != nil {
		tb.Fatalf("server exit after SIGTERM: %v", err)
	}
}

// noRedirect is an HTTP client that shows redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func submitJSON(tb testing.TB, base string, body map[string]any) (int, string) {
	tb.Helper()
	code, b := submitJSONWith(noRedirect, base, body)
	if code == 0 {
		tb.Fatalf("POST /api/v1/responses: %s", b)
	}
	return code, b
}

// submitJSONWith posts a JSON submission; a transport error gives status 0 and its text.
func submitJSONWith(client *http.Client, base string, body map[string]any) (int, string) {
	data, _ := json.Marshal(body)
	resp, err := client.Post(base+"/api/v1/responses", "application/json", bytes.NewReader(data))
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// issue issues n tokens and returns them with the URLs printed for the slips.
func (c *cli) issue(survey, section string, n int) (tokens, urls []string) {
	c.tb.Helper()
	out := c.must("tokens", "issue", "--survey", survey, "--section", section, "--count", fmt.Sprint(n), "--base-url", "http://ward.example/")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		c.tb.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "token,section,url" || len(rows) != n+1 {
		c.tb.Fatalf("tokens CSV: got %q", rows)
	}
	for _, r := range rows[1:] {
		if r[1] != section || r[2] != "http://ward.example/?t="+r[0] {
			c.tb.Fatalf("token row %q", r)
		}
		tokens, urls = append(tokens, r[0]), append(urls, r[2])
	}
	return tokens, urls
}

func TestEndToEnd(t *testing.T) {
	c := newCLI(t)
	if got := c.must("survey", "create", "--file", fixtureDir+"/fixture-2025.yaml"); got != "fixture-2025\n" {
		t.Fatalf("create printed %q; want the id", got)
	}
	c.must("survey", "open", "fixture-2025")
	if got := c.must("survey", "list"); !strings.HasPrefix(got, "fixture-2025\t2025\topen") {
		t.Fatalf("list: got %q", got)
	}
	tokens, _ := c.issue("fixture-2025", "madoguchi", 12)
	other, _ := c.issue("fixture-2025", "soumu-a", 2)

	srv := c.serve()
	// While the server holds the database, the CLI fails at once with a clear message.
	start := time.Now()
	c.fails("使用中", "survey", "list")
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("busy database: the CLI waited %v", d)
	}

	for _, path := range []string{"/healthz", "/", "/?t=" + tokens[0], "/a?t=" + tokens[0], "/api/v1/questionnaire?t=" + tokens[0]} {
		resp, err := noRedirect.Get(srv.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
	}

	answers := func(v int) map[string]any {
		a := map[string]any{}
		for _, id := range []string{"m1", "m2", "m3", "i1", "i2", "i3", "c1", "c2", "c3", "ch1", "ch2", "ch3", "b1", "b2", "b3", "b4", "t1", "t2"} {
			a[id] = v
		}
		a["t2"] = nil // 「わからない・該当しない」
		return a
	}
	// The same token sent twice at the same moment: one stored, one refused.
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = submitJSON(t, srv.url, map[string]any{"token": tokens[0], "answers": answers(4), "outcomes": map[string]any{"overall": 4, "enps": 8}})
		}()
	}
	wg.Wait()
	created, conflicts := 0, 0
	for _, code := range codes {
		switch code {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			conflicts++
		}
	}
	if created != 1 || conflicts != 7 {
		t.Fatalf("same token 8 times at once: statuses %v; want one 201 and seven 409", codes)
	}
	for i, tok := range tokens[1:11] {
		if code, body := submitJSON(t, srv.url, map[string]any{"token": tok, "answers": answers(1 + i%5),
			"outcomes": map[string]any{"overall": 1 + i%5, "enps": i}, "comments": map[string]any{"good": fmt.Sprintf("意見 %d", i)}}); code != http.StatusCreated {
			t.Fatalf("submit %d: %d %s", i, code, body)
		}
	}
	// One through the HTML form, as a phone without JavaScript would.
	form := url.Values{"t": {tokens[11]}, "m1": {"5"}, "m2": {"na"}, "overall": {"3"}, "enps": {"10"}}
	resp, err := noRedirect.PostForm(srv.url+"/a", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || strings.Contains(loc, tokens[11]) {
		t.Fatalf("form submit: %d to %q; want 303 without the token", resp.StatusCode, loc)
	}
	// Error statuses of docs/http.md.
	if code, _ := submitJSON(t, srv.url, map[string]any{"token": tokens[1], "answers": answers(3)}); code != http.StatusConflict {
		t.Fatalf("used token: %d; want 409", code)
	}
	if code, _ := submitJSON(t, srv.url, map[string]any{"token": "0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11", "answers": answers(3)}); code != http.StatusNotFound {
		t.Fatalf("unknown token: %d; want 404", code)
	}
	if code, _ := submitJSON(t, srv.url, map[string]any{"token": other[0], "answers": map[string]any{"m1": 7}}); code != http.StatusUnprocessableEntity {
		t.Fatalf("out of range: %d; want 422", code)
	}
	srv.stop(t)

	// Reports exist only for closed surveys.
	c.fails("fixture-2025", "analyze", "--survey", "fixture-2025", "--json")
	c.must("survey", "close", "fixture-2025")
	srv = c.serve()
	if code, _ := submitJSON(t, srv.url, map[string]any{"token": other[0], "answers": answers(3)}); code != http.StatusGone {
		t.Fatalf("closed survey: %d; want 410", code)
	}
	srv.stop(t)

	// 12 responses, all from madoguchi (12 ≥ min_group_size 5, so shown as it is).
	out := c.must("export", "--survey", "fixture-2025", "--bom")
	if !strings.HasPrefix(out, "\xef\xbb\xbfsurvey,year,section,m1,") {
		t.Fatalf("export: got %.80q", out)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\xef\xbb\xbf"))).ReadAll()
	if err != nil || len(rows) != 13 {
		t.Fatalf("export: %d rows, %v; want 12 and a header", len(rows), err)
	}
	for _, r := range rows[1:] {
		if r[2] != "madoguchi" {
			t.Fatalf("export row %q", r)
		}
	}
	t.Logf("export excerpt:\n%s", strings.Join(strings.SplitN(out, "\n", 4)[:3], "\n"))
	long := c.must("export", "--survey", "fixture-2025", "--format", "long")
	if !strings.HasPrefix(long, "survey,year,section,respondent,question,value\n") {
		t.Fatalf("long export: got %.80q", long)
	}
	codebook := c.must("export", "--survey", "fixture-2025", "--format", "codebook")
	if !strings.HasPrefix(codebook, "kind,id,text_ja,text_en,category,") {
		t.Fatalf("codebook: got %.80q", codebook)
	}
	book := filepath.Join(t.TempDir(), "fixture.xlsx")
	c.must("export", "--survey", "fixture-2025", "--format", "xlsx", "--out", book)
	c.fails("--out", "export", "--survey", "fixture-2025", "--format", "xlsx")
	codebookFile := filepath.Join(t.TempDir(), "codebook.csv")
	os.WriteFile(codebookFile, []byte(codebook), 0o600)
	checkWithPandas(t, book, codebookFile, 12)

	// A manager is scoped to sections that exist.
	if _, errOut, err := c.run("correct horse battery\n", "user", "add", "--name", "chief", "--role", "manager", "--sections", "no-such"); err == nil || !strings.Contains(errOut, "no-such") {
		t.Fatalf("user add --sections no-such: %v %q; want an error naming the code", err, errOut)
	}
	if got, errOut, err := c.run("correct horse battery\n", "user", "add", "--name", "chief", "--role", "manager", "--sections", "shimin,hoken-a"); err != nil || got != "chief\tmanager\tshimin,hoken-a\n" {
		t.Fatalf("user add --sections: %q %v %s", got, err, errOut)
	}

	var report struct {
		Surveys []struct {
			ID     string `json:"id"`
			Groups []struct {
				Section    string `json:"section"`
				N          int    `json:"n"`
				Suppressed bool   `json:"suppressed"`
			} `json:"groups"`
		} `json:"surveys"`
	}
	if err := json.Unmarshal([]byte(c.must("analyze", "--json")), &report); err != nil {
		t.Fatal(err)
	}
	if len(report.Surveys) != 1 || report.Surveys[0].Groups[0].N != 12 {
		t.Fatalf("analyze: got %+v; want 12 respondents in all", report)
	}

	// No token, in any form, is in the database file.
	raw, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range append(tokens, other...) {
		if bytes.Contains(raw, []byte(tok)) || bytes.Contains(raw, []byte(strings.ToUpper(tok))) {
			t.Fatalf("token %s is in the database file", tok)
		}
	}
}

// cliErrors are bad command lines, each with what stderr must say.
var cliErrors = []struct {
	name string
	args []string
	want string
}{
	{"unknown command", []string{"frobnicate"}, "不明なコマンド"},
	{"unknown survey", []string{"survey", "open", "nope"}, "調査 \"nope\" はありません"},
	{"open twice", []string{"survey", "open", "fixture-2026"}, "すでに"},
	{"missing flag", []string{"tokens", "issue", "--survey", "fixture-2026", "--count", "3"}, "--section"},
	{"unknown section", []string{"tokens", "issue", "--survey", "fixture-2026", "--section", "nope", "--count", "3"}, "nope"},
	{"parent section", []string{"tokens", "issue", "--survey", "fixture-2026", "--section", "soumu", "--count", "3"}, "末端"},
	{"bad count", []string{"tokens", "issue", "--survey", "fixture-2026", "--section", "soumu-a", "--count", "-3"}, "発行数"},
	{"import into open survey", []string{"import", "--survey", "fixture-2026", "--csv", fixtureDir + "/responses-2026.csv"}, "回答受付中"},
	{"export of an open survey", []string{"export", "--survey", "fixture-2026"}, "回答受付中"},
	{"export of a draft", []string{"export", "--survey", "fixture-2025"}, "準備中"},
	{"bad questionnaire", []string{"survey", "create", "--file", "testdata/bad.yaml"}, "testdata/bad.yaml:"},
	{"missing file", []string{"survey", "create", "--file", "nope.yaml"}, "nope.yaml"},
	{"bad role", []string{"user", "add", "--name", "kato", "--role", "boss"}, "役割"},
}

func TestCLIErrors(t *testing.T) {
	c := newCLI(t)
	c.openFixture("fixture-2026")
	c.must("survey", "create", "--file", fixtureDir+"/fixture-2025.yaml")
	before := c.must("survey", "list")
	for _, tt := range cliErrors {
		t.Run(tt.name, func(t *testing.T) {
			stdin := "a-long-password\n"
			out, errOut, err := c.run(stdin, tt.args...)
			if err == nil {
				t.Fatalf("succeeded with %q; want failure", out)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Fatalf("stderr %q; want it to contain %q", errOut, tt.want)
			}
		})
	}
	if after := c.must("survey", "list"); after != before {
		t.Fatalf("a failed command changed the store: %q → %q", before, after)
	}
}

// TestImportIsAllOrNothing imports a CSV whose last row is broken: the message names the
// line and nothing is stored.
func TestImportIsAllOrNothing(t *testing.T) {
	c := newCLI(t)
	c.must("survey", "create", "--file", fixtureDir+"/fixture-2025.yaml")
	data, err := os.ReadFile(fixtureDir + "/responses-2025.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, append(data, []byte("fixture-2025,2025,soumu-a,9,3,3,2,3,3,4,4,4,,,4,3,4,2,4,5,3,5,6,\n")...), 0o600)
	c.fails("m1", "import", "--survey", "fixture-2025", "--csv", bad)
	if got := c.must("survey", "list"); !strings.Contains(got, "\t0 responses") {
		t.Fatalf("after a failed import: %q; want 0 responses", got)
	}
	if got := c.must("import", "--survey", "fixture-2025", "--csv", fixtureDir+"/responses-2025.csv"); !strings.HasPrefix(got, "97 responses") {
		t.Fatalf("import: got %q", got)
	}
}

// TestCheckAnalysis runs the independent checker of docs/analysis.md over the shared fixture:
// every value must agree.
func TestCheckAnalysis(t *testing.T) {
	// The checker and its data set live outside the repository, in ../shared beside the
	// checkout (as in CI); the same data set is in testdata/ for the other tests.
	tool := filepath.Join(testfixture.Root(), "..", "shared", "tools", "check-analysis")
	if _, err := os.Stat(tool); err != nil {
		t.Skipf("cross-check skipped: %s not found (CI has ../shared beside the checkout)", tool)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("check-analysis needs python3")
	}
	// fixtures/attributes: option groups, their suppression and changes, through import of
	// attr: columns into sums (docs/analysis.md, "Attributes").
	for _, set := range []string{"analysis", "attributes"} {
		cmd := exec.Command(tool, filepath.Dir(filepath.Dir(tool))+"/fixtures/"+set, mustBuild(t))
		cmd.Dir = testfixture.Root()
		out, err := cmd.CombinedOutput()
		t.Logf("%s: %s", set, bytes.TrimSpace(out))
		if err != nil || !bytes.Contains(out, []byte(", 0 differ")) {
			t.Fatalf("check-analysis %s: %v; every value must agree:\n%s", set, err, out)
		}
	}
}

// TestBackupRestore takes a backup while the server runs and staff answer, then follows the
// restore procedure of the README.
func TestBackupRestore(t *testing.T) {
	c := newCLI(t)
	c.openFixture("fixture-2025")
	tokens, _ := c.issue("fixture-2025", "soumu-a", 4)
	srv := c.serve()
	for _, tok := range tokens[:3] {
		if code, body := submitJSON(t, srv.url, map[string]any{"token": tok, "answers": map[string]any{"m1": 3}}); code != http.StatusCreated {
			t.Fatalf("submit: %d %s", code, body)
		}
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out := c.must("backup", "--out", backup); !strings.Contains(out, "bytes written") {
		t.Fatalf("backup: %q", out)
	}
	// An answer after the backup is lost by the restore, as the README says.
	submitJSON(t, srv.url, map[string]any{"token": tokens[3], "answers": map[string]any{"m1": 3}})
	srv.stop(t)

	// The README's restore: keep the damaged file aside, copy the backup into place.
	if err := os.Rename(c.db, c.db+".broken"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// No ballot key was copied: there is none beside the database, nor beside the backup — only
	// the participation key, which opens no answer (checked below).
	if beside, _ := filepath.Glob(backup + "?*"); len(beside) != 1 || beside[0] != backup+".participation" {
		t.Fatalf("beside the backup: %v; want only the participation key", beside)
	}
	// The backup is in the audit log, read from the command line.
	if got := c.must("audit"); !strings.Contains(got, ",backup,") || !strings.HasPrefix(got, "seq,time,user,client,action,target,detail\n") {
		t.Fatalf("audit log after a backup: %q; want a backup line", got)
	}
	// ... and the participation key, without which the restored file takes no answers.
	pk, err := os.ReadFile(storage.ParticipationKeyPath(backup))
	if err != nil {
		t.Fatalf("backup: no participation key beside it: %v", err)
	}
	if err := os.WriteFile(storage.ParticipationKeyPath(c.db), pk, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := c.must("survey", "list"); !strings.Contains(got, "open\t3 responses") {
		t.Fatalf("restored list: %q; want 3 responses", got)
	}
	srv = c.serve()
	if code, _ := submitJSON(t, srv.url, map[string]any{"token": tokens[0], "answers": map[string]any{"m1": 3}}); code != http.StatusConflict {
		t.Fatalf("token used before the backup: %d; want 409", code)
	}
	if code, _ := submitJSON(t, srv.url, map[string]any{"token": tokens[3], "answers": map[string]any{"m1": 3}}); code != http.StatusCreated {
		t.Fatalf("token used after the backup: %d; want 201 (the restore lost that answer)", code)
	}
	srv.stop(t)
	// The custodians' shares open the restored box at close.
	c.must("survey", "close", "fixture-2025")
	if got := c.must("survey", "list"); !strings.Contains(got, "closed\t4 responses") {
		t.Fatalf("after close: %q; want 4 responses", got)
	}
	if got := c.must("analyze", "--survey", "fixture-2025", "--json"); !strings.Contains(got, `"n": 4`) {
		t.Fatalf("analysis after restore and close: %s", got)
	}
}

// TestServeDemo runs the README's first command as a newcomer would: serve --demo on an empty
// database, answer with a printed URL, sign in with the printed password and open a report.
func TestServeDemo(t *testing.T) {
	c := newCLI(t)
	srv := c.serve("--demo")
	out := srv.out.String()
	urls := regexp.MustCompile(`http://\S+/\?t=[0-9A-Z-]{20}`).FindAllString(out, -1)
	login := regexp.MustCompile(`name (\S+), password (\S+)`).FindStringSubmatch(out)
	if len(urls) != 5 || login == nil {
		t.Fatalf("demo printed no answer URLs or login:\n%s", out)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirect.CheckRedirect}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := client.Get(strings.Replace(path, "BASE", srv.url, 1))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(urls[0]); code != http.StatusOK || !strings.Contains(body, "北区") {
		t.Fatalf("answer URL: %d", code)
	}
	_, page := get("BASE/admin/login")
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no _csrf in the login form")
	}
	resp, err := client.PostForm(srv.url+"/admin/login", url.Values{"name": {login[1]}, "password": {login[2]}, "_csrf": {csrf[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d; want 303", resp.StatusCode)
	}
	if code, body := get("BASE/admin/surveys/kita-2025/report"); code != http.StatusOK || !strings.Contains(body, "組織活性度") {
		t.Fatalf("report of the demo's last closed year: %d", code)
	}
	if code, _ := get("BASE/admin/surveys/kita-2026/report"); code != http.StatusConflict {
		t.Fatalf("report of the demo's open survey: %d; want 409", code)
	}
	srv.stop(t)

	// make run again, on the database that exists now: no new data, but the admin URL, fresh
	// answer URLs of the open survey and how to reset the password.
	srv = c.serve("--demo")
	out = srv.out.String()
	urls = regexp.MustCompile(`http://\S+/\?t=[0-9A-Z-]{20}`).FindAllString(out, -1)
	for _, want := range []string{"has surveys already", "/admin/login", "user add --name admin --role admin"} {
		if !strings.Contains(out, want) {
			t.Errorf("second serve --demo: output lacks %q:\n%s", want, out)
		}
	}
	if len(urls) != 5 {
		t.Fatalf("second serve --demo: %d answer URLs; want 5:\n%s", len(urls), out)
	}
	if code, _ := get(urls[0]); code != http.StatusOK {
		t.Fatalf("fresh answer URL: %d; want 200", code)
	}
	srv.stop(t)
}

// checkWithPandas reads the workbook and the codebook CSV back with pandas, as an analyst
// would: every sheet with its columns, the data sheet with rows responses. Without pandas
// and openpyxl the check is skipped locally and fails in CI (CI=true), like the browser tests.
func checkWithPandas(t *testing.T, book, codebook string, rows int) {
	t.Helper()
	py := ""
	for _, cand := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(cand, "-c", "import pandas, openpyxl").Run() == nil {
			py = cand
			break
		}
	}
	if py == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("pandas and openpyxl are needed in CI (python3-pandas, python3-openpyxl)")
		}
		t.Log("pandas check skipped: no python3 with pandas and openpyxl")
		return
	}
	script := `
import sys, pandas as pd
book = pd.read_excel(sys.argv[1], sheet_name=None)
assert list(book) == ["data", "codebook", "report", "items"], list(book)
d = book["data"]
assert list(d.columns[:4]) == ["survey", "year", "section", "section_name"], list(d.columns)
assert len(d) == int(sys.argv[3]), len(d)
assert d["m1"].dtype.kind in "if", d["m1"].dtype
cb = pd.read_csv(sys.argv[2])
items = cb[cb.kind == "item"]
assert set(items.id) <= set(d.columns), set(items.id) - set(d.columns)
assert set(cb.columns) >= {"id", "text_ja", "text_en", "category", "axis", "reverse", "labels_ja"}
assert len(book["codebook"]) == len(cb), (len(book["codebook"]), len(cb))
r = book["report"]
assert r.section.iloc[0] == "all" and "activity_index" in r.columns
print("pandas ok:", len(d), "rows,", len(cb), "codebook rows,", len(r), "groups,", len(book["items"]), "item rows")
`
	out, err := exec.Command(py, "-c", script, book, codebook, strconv.Itoa(rows)).CombinedOutput()
	if err != nil {
		t.Fatalf("pandas: %v\n%s", err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}
