package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hpke"
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
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
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

// closeSurvey types shares into the close form of the survey's admin page and presses its
// button.
func (a *admin) closeSurvey(id string, shares []string) {
	a.tb.Helper()
	_, page := a.get("/admin/surveys/" + id)
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
	if csrf == nil {
		a.tb.Fatal("no _csrf on the survey page")
	}
	resp, err := a.client.PostForm(a.base+"/admin/surveys/"+id+"/close", url.Values{"confirm": {"1"}, "_csrf": {csrf[1]}, "share": shares})
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

// TestBallotBoxSnapshots is the attack on the ballot box as a ward's ordinary IT would make
// it: while staff answer with unique marker comments, the server's whole folder — the database
// and everything beside it — is copied again and again as a file backup would, an admin
// downloads backups and `staffsurvey backup` runs. With every copy, the program and the list of
// who got which slip, nobody may open a sealed record or link an answer to a token: 0 of N,
// before and after close. The survey is then closed from the admin page with two of the three
// custodians' shares: each marker is in the file exactly once, no stored section is one the
// suppression rules hide, and used and unused tokens get byte-identical answers.
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

	// Staff answer one at a time; after each answer the folder is copied whole, a backup is
	// downloaded and `staffsurvey backup` runs (through the running server).
	var copies []string // folders, each a copy of the server's folder or of one backup
	snapshot := func(i int) {
		dir := filepath.Join(snapDir, fmt.Sprintf("%03d", i))
		for _, sub := range []string{"web", "cli"} {
			os.MkdirAll(filepath.Join(dir, sub), 0o700)
		}
		copyFolder(t, filepath.Dir(c.db), filepath.Join(dir, "folder"))
		code, body := a.get("/admin/backup")
		if code != http.StatusOK {
			t.Fatalf("backup download: %d", code)
		}
		os.WriteFile(filepath.Join(dir, "web", "backup.db"), body, 0o600)
		c.must("backup", "--out", filepath.Join(dir, "cli", "backup.db"))
		copies = append(copies, filepath.Join(dir, "folder"), filepath.Join(dir, "web"), filepath.Join(dir, "cli"))
	}
	snapshot(0)
	for i, s := range slips {
		code, body := submitJSON(t, srv.url, map[string]any{"token": s.token,
			"answers": map[string]any{"m1": 1 + i%5, "i1": 5 - i%5, "c1": 3}, "comments": map[string]any{"good": s.marker}})
		if code != http.StatusCreated {
			t.Fatalf("submit: %d %s", code, body)
		}
		snapshot(i + 1)
	}
	// The audit log names every backup: the downloads and the command's.
	audit := c.must("audit")
	if n := strings.Count(audit, ",backup,"); n != 2*len(slips)+2 {
		t.Errorf("audit log: %d backups recorded; want %d (every download and every staffsurvey backup)", n, 2*len(slips)+2)
	}

	shares := c.shareTexts("fixture-2025")
	// While open, and after close with the copies taken while open: the attacker's try.
	attack := func(when string) {
		t.Helper()
		linked, opened, seen := attackCopies(t, c.bin, copies, "fixture-2025")
		if linked != 0 || opened != 0 {
			t.Errorf("%s: %d of %d answers linked to their tokens, %d sealed records opened; want 0 and 0", when, linked, len(slips), opened)
		}
		if seen != len(slips) {
			t.Errorf("%s: the copies hold %d distinct sealed records; want %d (else the attack saw nothing)", when, seen, len(slips))
		}
		for _, dir := range copies {
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			for _, f := range files {
				raw, _ := os.ReadFile(f)
				for _, s := range slips {
					if bytes.Contains(raw, []byte(s.marker)) {
						t.Fatalf("%s holds marker %s", f, s.marker)
					}
				}
				for _, sh := range shares {
					if bytes.Contains(raw, []byte(strings.ReplaceAll(sh, "-", ""))) || bytes.Contains(raw, []byte(sh)) {
						t.Fatalf("%s holds a custodian's share", f)
					}
				}
			}
		}
	}
	attack("while open")
	for _, dir := range copies {
		if strings.HasSuffix(dir, "web") || strings.HasSuffix(dir, "cli") {
			checkSealedOnly(t, filepath.Join(dir, "backup.db"), "fixture-2025")
		}
	}

	// Closed from the admin page, by the running server, which compacts its own file.
	a.closeSurvey("fixture-2025", []string{"", shares[2], shares[0]})
	attack("after close")
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

	// Every token, used or not, gets byte-identical answers, pages and JSON.
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
}

// attackCopies is the attacker of TestBallotBoxSnapshots, holding every copy (folders, in the
// order they were taken), the program and the slip list, but no custodian's share. For each
// pair of consecutive copies it pairs the newly used token with the newly appeared sealed
// record and tries to open that record: with every file found beside the database in any copy
// (as an AES key file of the earlier version, or as the seed of the ballot key), and with the
// program itself (`survey close` and `export` on the copy). It returns how many answers it
// linked to their tokens, how many sealed records it opened, and how many distinct sealed
// records it saw.
func attackCopies(t *testing.T, bin string, copies []string, id string) (linked, opened, seen int) {
	t.Helper()
	var candidates [][]byte // every file beside a database, in any copy
	for _, dir := range copies {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasSuffix(e.Name(), ".db") {
				b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
				candidates = append(candidates, b)
			}
		}
	}
	prev := map[string]bool{}
	for _, dir := range copies {
		db := filepath.Join(dir, "backup.db")
		if _, err := os.Stat(db); err != nil {
			db = filepath.Join(dir, "e2e.db")
		}
		records := sealedRecords(t, db, id)
		var fresh [][]byte
		for k, v := range records {
			if !prev[k] {
				fresh = append(fresh, v)
			}
		}
		for _, rec := range fresh {
			for _, key := range candidates {
				if openWith(key, id, rec) {
					opened++
					linked++
				}
			}
		}
		for k := range records {
			prev[k] = true
		}
	}
	seen = len(prev)
	// The program, on the last copy of each kind: refused without shares.
	for _, dir := range copies[len(copies)-3:] {
		db := filepath.Join(dir, "backup.db")
		if _, err := os.Stat(db); err != nil {
			db = filepath.Join(dir, "e2e.db")
		}
		tmp := filepath.Join(t.TempDir(), "attempt.db")
		copyFile(t, db, tmp)
		old := &cli{tb: t, bin: bin, db: tmp}
		if sv := old.must("survey", "list"); strings.Contains(sv, "\topen\t") {
			old.fails("割符が足りません", "survey", "close", id)
			old.fails("回答受付中", "export", "--survey", id)
		}
	}
	return linked, opened, seen
}

// sealedRecords returns the sealed records of survey id in the database file db, by key.
func sealedRecords(t *testing.T, db, id string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	d, err := bolt.Open(db, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return out // a torn raw copy: searched for markers by the caller
	}
	defer d.Close()
	d.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte("ballots")).Bucket([]byte(id)); b != nil {
			b.ForEach(func(k, v []byte) error { out[string(k)] = bytes.Clone(v); return nil })
		}
		return nil
	})
	return out
}

// openWith tries key as the earlier version's AES-256-GCM ballot key and, when it is 32 bytes
// or longer, each 32-byte window of it as the seed of an HPKE ballot key.
func openWith(key []byte, id string, rec []byte) bool {
	if len(key) == 32 {
		if block, err := aes.NewCipher(key); err == nil {
			if aead, err := cipher.NewGCM(block); err == nil && len(rec) > aead.NonceSize() {
				if _, err := aead.Open(nil, rec[:aead.NonceSize()], rec[aead.NonceSize():], []byte(id)); err == nil {
					return true
				}
			}
		}
	}
	for i := 0; i+32 <= len(key) && i < 4096; i++ {
		if priv, err := hpke.MLKEM768X25519().NewPrivateKey(key[i : i+32]); err == nil {
			if _, err := hpke.Open(priv, hpke.HKDFSHA256(), hpke.AES256GCM(), []byte(id), rec); err == nil {
				return true
			}
		}
	}
	return false
}

// copyFolder copies every regular file of from into to, as a file backup would (sockets and
// folders are skipped; a file that vanishes meanwhile is skipped too).
func copyFolder(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		dst := filepath.Join(to, strings.ReplaceAll(rel, string(filepath.Separator), "_"))
		return os.WriteFile(dst, data, 0o600)
	})
}

// shareTexts returns the shares `survey open` wrote for survey id (withCustodians), in order.
func (c *cli) shareTexts(id string) []string {
	c.tb.Helper()
	files, _ := filepath.Glob(filepath.Join(c.shares[id], "*.txt"))
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			c.tb.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				out = append(out, line)
			}
		}
	}
	if len(out) != 3 {
		c.tb.Fatalf("shares of %s: %d; want 3", id, len(out))
	}
	return out
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

// TestBallotBoxKilledDuringClose: `survey close` of a survey with thousands of responses (a
// close of about a second: each record's HPKE opening is most of it) is killed with SIGKILL at
// several moments; closing again (with the shares again while the box is not yet open) must
// leave every acknowledged response there exactly once.
func TestBallotBoxKilledDuringClose(t *testing.T) {
	if testing.Short() {
		t.Skip("closes a survey of 5,000 responses several times")
	}
	const total = 5000
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
	if err := storagetest.SubmitAll(st, toks, rs); err != nil {
		t.Fatal(err)
	}
	st.Close()
	shares, _ := filepath.Glob(filepath.Join(c.shares["fixture-2025"], "*.txt"))
	closeArgs := []string{"survey", "close", "fixture-2025", "--share", shares[0], "--share", shares[2]}

	// Kill points: early (the shares are being checked); while the transaction that opens the
	// box is written; as soon as the compaction file appears (the box is open, the file not
	// yet compacted).
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
		{"compacting", compacting},
	} {
		t.Run(kp.name, func(t *testing.T) {
			// Each run starts from a copy of the open survey; the custodians bring their shares.
			k := &cli{tb: t, bin: c.bin, db: filepath.Join(t.TempDir(), "kill.db")}
			copyFile(t, c.db, k.db)

			cmd := exec.Command(k.bin, append([]string{"--db", k.db}, closeArgs...)...)
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
			case strings.Contains(state, "\tclosing\t"):
				k.must("survey", "close", "fixture-2025") // the box is open: no shares needed
			case strings.Contains(state, "\topen\t"):
				k.fails("割符が足りません", "survey", "close", "fixture-2025") // the shares again
				k.must(closeArgs...)
			default:
				t.Fatalf("state after the kill: %q", state)
			}
			if got := k.must("survey", "list"); !strings.Contains(got, "\tclosed\t") || strings.Contains(got, "closing") {
				t.Fatalf("after closing again: %q", got)
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
