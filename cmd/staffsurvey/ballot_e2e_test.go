package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// These tests attack the ballot box (docs/anonymity.md, rules 2–4) as a survey office that wanted to read answers would:
// with snapshots of the database taken while staff answer, with the program itself, and with
// the slip list after close. They run the real binary.

// admin is a signed-in admin session on a running server.
type admin struct {
	tb     testing.TB
	client *http.Client
	base   string
}

// addAdmin creates the admin user "office" (before the server starts: it holds the file).
func (c *cli) addAdmin() {
	c.tb.Helper()
	if _, errOut, err := c.run("ballot-box-password\n", "user", "add", "--name", "office", "--role", "admin"); err != nil {
		c.tb.Fatalf("user add: %v\n%s", err, errOut)
	}
}

func signIn(tb testing.TB, base string) *admin {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	a := &admin{tb: tb, base: base, client: &http.Client{Jar: jar, Timeout: 60 * time.Second, CheckRedirect: noRedirect.CheckRedirect}}
	_, page := a.get("/admin/login")
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
	if csrf == nil {
		tb.Fatal("no _csrf in the login form")
	}
	resp, err := a.client.PostForm(base+"/admin/login", url.Values{"name": {"office"}, "password": {"ballot-box-password"}, "_csrf": {csrf[1]}})
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("login: %d", resp.StatusCode)
	}
	return a
}

func (a *admin) get(path string) (int, []byte) {
	a.tb.Helper()
	resp, err := a.client.Get(a.base + path)
	if err != nil {
		a.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.tb.Fatal(err)
	}
	return resp.StatusCode, b
}

// closeSurvey presses the close button of the survey's admin page.
func (a *admin) closeSurvey(id string) {
	a.tb.Helper()
	_, page := a.get("/admin/surveys/" + id)
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
	if csrf == nil {
		a.tb.Fatal("no _csrf on the survey page")
	}
	resp, err := a.client.PostForm(a.base+"/admin/surveys/"+id+"/close", url.Values{"confirm": {"1"}, "_csrf": {csrf[1]}})
	if err != nil {
		a.tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		a.tb.Fatalf("close from the admin page: %d; want 303", resp.StatusCode)
	}
}

// ballotLeaves are the fixture's leaves and how many staff answer in each: soumu-b and the
// hoken leaves are below min_group_size (5), so closing must generalise them.
var ballotLeaves = []struct {
	section string
	n       int
}{
	{"soumu-a", 9}, {"soumu-b", 2}, {"shimin-a", 8}, {"madoguchi", 10}, {"hoken-a", 3}, {"hoken-b", 1}, {"kikaku", 6},
}

// TestBallotBoxSnapshots is attacks (a), (b) and (d) on the ballot box: while staff answer with
// unique marker comments, an admin downloads backups and someone copies the raw file again and
// again; nothing of any response may be in any snapshot. Then the survey is closed from the
// admin page: the key is gone, each marker is in the file exactly once, no stored section is
// one the suppression rules hide, the old snapshots reveal nothing even to the program, and used and
// unused tokens get byte-identical answers.
func TestBallotBoxSnapshots(t *testing.T) {
	c := newCLI(t)
	c.openFixture("fixture-2025")
	c.addAdmin()
	type slip struct{ token, section, marker string }
	var slips, spare []slip
	for _, l := range ballotLeaves {
		toks, _ := c.issue("fixture-2025", l.section, l.n+1)
		for i, tok := range toks[:l.n] {
			slips = append(slips, slip{tok, l.section, fmt.Sprintf("MARKER-%s-%02d-%x", l.section, i, time.Now().UnixNano()&0xffffff)})
		}
		spare = append(spare, slip{token: toks[l.n], section: l.section})
	}
	srv := c.serve()
	a := signIn(t, srv.url)
	snapDir := t.TempDir()

	// Staff answer, a few at a time, while snapshots are taken as fast as the server allows.
	var done atomic.Bool
	var snaps []string
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; !done.Load() || i < 4; i++ {
			code, body := a.get("/admin/backup")
			if code != http.StatusOK {
				t.Errorf("backup: %d", code)
				return
			}
			p := filepath.Join(snapDir, fmt.Sprintf("web-%03d.db", i))
			os.WriteFile(p, body, 0o600)
			raw, _ := os.ReadFile(c.db)
			r := filepath.Join(snapDir, fmt.Sprintf("raw-%03d.db", i))
			os.WriteFile(r, raw, 0o600)
			snaps = append(snaps, p, r)
		}
	})
	sem := make(chan struct{}, 4)
	var answered sync.WaitGroup
	for i, s := range slips {
		answered.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			code, body := submitJSON(t, srv.url, map[string]any{"token": s.token,
				"answers": map[string]any{"m1": 1 + i%5, "i1": 5 - i%5, "c1": 3}, "comments": map[string]any{"good": s.marker}})
			if code != http.StatusCreated {
				t.Errorf("submit: %d %s", code, body)
			}
		})
	}
	answered.Wait()
	done.Store(true)
	wg.Wait()
	if len(snaps) < 8 {
		t.Fatalf("only %d snapshots", len(snaps))
	}

	// (a) While open: no marker in any snapshot or in the live file, no opened record, and
	// every sealed record of one size.
	for _, p := range append(snaps, c.db) {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slips {
			if bytes.Contains(raw, []byte(s.marker)) {
				t.Fatalf("%s holds marker %s while the survey is open", filepath.Base(p), s.marker)
			}
		}
		// Web backups are consistent copies: open them and look at the records. (Raw copies of
		// a live file may be torn; they were searched for markers above.)
		if strings.HasPrefix(filepath.Base(p), "web-") {
			checkSealedOnly(t, p, "fixture-2025")
		}
	}
	keyFile := filepath.Join(storage.KeyDir(c.db), "fixture-2025.key")
	if _, err := os.Stat(keyFile); err != nil {
		t.Fatalf("ballot key while open: %v", err)
	}

	// (b) Closed from the admin page, by the running server, which compacts its own file.
	a.closeSurvey("fixture-2025")
	if _, err := os.Stat(keyFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ballot key after close: %v; want gone", err)
	}
	raw, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slips {
		if n := bytes.Count(raw, []byte(s.marker)); n != 1 {
			t.Errorf("marker %s occurs %d times in the closed file; want exactly 1", s.marker, n)
		}
	}
	// The server keeps working on the compacted file.
	if code, _ := a.get("/admin/surveys/fixture-2025/report"); code != http.StatusOK {
		t.Errorf("report after close: %d", code)
	}

	// (d) Every token, used or not, gets byte-identical answers, pages and JSON.
	for _, target := range []func(tok string) (string, string, string){
		func(tok string) (string, string, string) { return "GET", "/?t=" + tok, "" },
		func(tok string) (string, string, string) { return "GET", "/a?t=" + tok, "" },
		func(tok string) (string, string, string) { return "GET", "/api/v1/questionnaire?t=" + tok, "" },
		func(tok string) (string, string, string) {
			return "POST", "/api/v1/responses", fmt.Sprintf(`{"token": %q, "answers": {"m1": 3}}`, tok)
		},
		func(tok string) (string, string, string) { return "POST", "/a", "t=" + tok + "&m1=3" },
	} {
		var first string
		for i, tok := range []string{slips[0].token, spare[0].token, slips[len(slips)-1].token, spare[1].token} {
			method, path, body := target(tok)
			got := rawAnswer(t, srv.url, method, path, body, tok)
			if i == 0 {
				first = got
				if !strings.HasPrefix(got, "410") {
					t.Errorf("%s %s after close: %.80q; want 410", method, strings.Split(path, "?")[0], got)
				}
			} else if got != first {
				t.Errorf("%s %s: used and unused tokens get different answers:\n%q\n%q", method, strings.Split(path, "?")[0], first, got)
			}
		}
	}
	srv.stop(t)

	// No stored response carries a section that the suppression rules hide.
	st := storagetest.MustOpenAt(t, c.db)
	sv, _ := st.Survey("fixture-2025")
	own, _ := st.SectionCounts("fixture-2025")
	tree := sv.Questionnaire.OrgTree()
	hidden := map[string]bool{}
	for i, h := range tree.Suppress(tree.Rollup(tree.Counts(own)), sv.Questionnaire.MinGroupSize()) {
		hidden[tree.Nodes[i].Code] = h
	}
	count := 0
	st.EachResponse("fixture-2025", func(r *survey.Response) error {
		count++
		if hidden[r.Section] {
			t.Errorf("a stored response carries section %s, which the suppression rules hide", r.Section)
		}
		return nil
	})
	st.Close()
	if count != len(slips) {
		t.Errorf("%d responses after close; want %d", count, len(slips))
	}

	// Old snapshots reveal nothing, even to the program: their key is gone, so they can be
	// neither closed nor exported.
	for _, p := range snaps[len(snaps)-2:] {
		old := &cli{tb: t, bin: c.bin, db: p}
		old.fails("投票箱の鍵", "survey", "close", "fixture-2025")
		old.fails("回答受付中", "export", "--survey", "fixture-2025")
	}
}

// rawAnswer returns the status and body of one request with nothing that differs from call to
// call for reasons other than the token removed: the token itself is replaced, as the page may
// echo it in a form.
func rawAnswer(t *testing.T, base, method, path, body, tok string) string {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	if method == "POST" && strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	} else if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), strings.ReplaceAll(string(b), tok, "TOKEN"))
}

// checkSealedOnly opens a snapshot and checks that survey id has no opened response and that
// its sealed records all have one length.
func checkSealedOnly(t *testing.T, path, id string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte("responses")).Bucket([]byte(id)); b != nil && b.Stats().KeyN > 0 {
			t.Errorf("%s: %d opened responses while the survey is open", filepath.Base(path), b.Stats().KeyN)
		}
		sizes := map[int]bool{}
		if b := tx.Bucket([]byte("ballots")).Bucket([]byte(id)); b != nil {
			b.ForEach(func(_, v []byte) error { sizes[len(v)] = true; return nil })
		}
		if len(sizes) > 1 {
			t.Errorf("%s: sealed records of %d sizes; want 1", filepath.Base(path), len(sizes))
		}
		return nil
	})
}

// TestBallotBoxKilledDuringClose is attack (c) on the ballot box: `survey close` of a survey with
// tens of thousands of responses is killed with SIGKILL at several moments; closing again
// must leave every acknowledged response there exactly once, and the key gone.
func TestBallotBoxKilledDuringClose(t *testing.T) {
	if testing.Short() {
		t.Skip("closes a survey of 20,000 responses several times")
	}
	const total = 20000
	c := newCLI(t)
	c.openFixture("fixture-2025")
	// Fast path: every submission as Submit makes it (redeemed token, sealed record), in one
	// transaction.
	st := storagetest.MustOpenAt(t, c.db)
	sv, _ := st.Survey("fixture-2025")
	q := sv.Questionnaire
	leaves := q.Leaves()
	markers := map[string]bool{}
	var toks []string
	var rs []*survey.Response
	for i, leaf := range leaves {
		n := total / len(leaves)
		if i == 0 {
			n += total % len(leaves)
		}
		issued, err := st.IssueTokens(q.ID, leaf, n)
		if err != nil {
			t.Fatal(err)
		}
		for j, tok := range issued {
			r := survey.NewResponse(q, leaf)
			for k := range r.Answers {
				r.Answers[k] = int8(1 + (j+k)%5)
			}
			if j%3 == 0 {
				r.Comments[0] = fmt.Sprintf("M%s-%05d.", leaf, j)
				markers[r.Comments[0]] = true
			}
			toks, rs = append(toks, tok), append(rs, r)
		}
	}
	if err := st.SubmitAll(toks, rs); err != nil {
		t.Fatal(err)
	}
	st.Close()
	keys := storage.KeyDir(c.db)

	// Kill points: early; while the transaction that opens the box is written; as soon as the
	// key file is gone (the box is open, the file not yet compacted); as soon as the compaction
	// file appears.
	keyGone := func(db string) func() bool {
		return func() bool {
			_, err := os.Stat(filepath.Join(storage.KeyDir(db), "fixture-2025.key"))
			return errors.Is(err, fs.ErrNotExist)
		}
	}
	compacting := func(db string) func() bool {
		return func() bool { _, err := os.Stat(db + ".compact"); return err == nil }
	}
	for _, kp := range []struct {
		name string
		when func(db string) func() bool
	}{
		{"opening", func(string) func() bool {
			start := time.Now()
			return func() bool { return time.Since(start) > 100*time.Millisecond }
		}},
		// as soon as the file changes: the transaction that opens the box is being written
		{"writing", func(db string) func() bool {
			before, _ := os.Stat(db)
			return func() bool {
				now, err := os.Stat(db)
				return err == nil && (now.Size() != before.Size() || !now.ModTime().Equal(before.ModTime()))
			}
		}},
		{"key-gone", keyGone},
		{"compacting", compacting},
	} {
		t.Run(kp.name, func(t *testing.T) {
			// Each run starts from a copy of the open survey and its key.
			k := &cli{tb: t, bin: c.bin, db: filepath.Join(t.TempDir(), "kill.db")}
			copyFile(t, c.db, k.db)
			os.Mkdir(storage.KeyDir(k.db), 0o700)
			copyFile(t, filepath.Join(keys, "fixture-2025.key"), filepath.Join(storage.KeyDir(k.db), "fixture-2025.key"))

			cmd := exec.Command(k.bin, "--db", k.db, "survey", "close", "fixture-2025")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			ready := kp.when(k.db)
			var err error
		poll:
			for {
				select {
				case err = <-exited:
					break poll
				default:
				}
				if ready() {
					cmd.Process.Signal(syscall.SIGKILL)
					err = <-exited
					break
				}
				time.Sleep(200 * time.Microsecond)
			}
			state := k.must("survey", "list")
			t.Logf("killed %s (%v): %s", kp.name, err, strings.TrimSpace(state))
			switch {
			case strings.Contains(state, "\tclosed\t"):
				// killed after the close was complete
			case strings.Contains(state, "\tclosing\t"), strings.Contains(state, "\topen\t"):
				k.must("survey", "close", "fixture-2025")
			default:
				t.Fatalf("state after the kill: %q", state)
			}
			if got := k.must("survey", "list"); !strings.Contains(got, "\tclosed\t") || strings.Contains(got, "closing") {
				t.Fatalf("after closing again: %q", got)
			}
			if _, err := os.Stat(filepath.Join(storage.KeyDir(k.db), "fixture-2025.key")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("key after closing again: %v; want gone", err)
			}
			if _, err := os.Stat(k.db + ".compact"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("compaction file left: %v", err)
			}
			st := storagetest.MustOpenAt(t, k.db)
			defer st.Close()
			n := 0
			seen := map[string]int{}
			st.EachResponse(q.ID, func(r *survey.Response) error {
				n++
				if r.Comments[0] != "" {
					seen[r.Comments[0]]++
				}
				return nil
			})
			st.EachComment(q.ID, func(_ string, _ int, text string) error { seen[text]++; return nil })
			if n != total {
				t.Errorf("%d responses after closing again; want %d", n, total)
			}
			for m := range markers {
				if seen[m] != 1 {
					t.Fatalf("comment %s stored %d times; want 1", m, seen[m])
				}
			}
			if len(seen) != len(markers) {
				t.Errorf("%d distinct comments; want %d", len(seen), len(markers))
			}
			// Each comment once in the file: no stale copy in a freed page.
			raw, _ := os.ReadFile(k.db)
			inFile := map[string]int{}
			for _, m := range markerPattern.FindAll(raw, -1) {
				inFile[string(m)]++
			}
			for m := range markers {
				if inFile[m] != 1 {
					t.Fatalf("comment %s occurs %d times in the file; want 1", m, inFile[m])
				}
			}
		})
	}
}

// markerPattern matches the comments of TestBallotBoxKilledDuringClose.
var markerPattern = regexp.MustCompile(`M[a-z-]+-[0-9]{5}\.`)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
