package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"staffsurvey/survey/ballot"
)

// TestCloseRefusedShares runs `survey close` of the real binary with shares that must not
// open the box: each is refused with a message saying why, Japanese first, and changes
// nothing: the survey stays open with the very same sealed records. The right shares, from stdin, then close it.
func TestCloseRefusedShares(t *testing.T) {
	c := newCLI(t)
	c.openFixture("fixture-2025")
	c.openFixture("fixture-2026")
	toks, _ := c.issue("fixture-2025", "soumu-a", 2)
	st := c.serve()
	for _, tok := range toks {
		if code, body := submitJSON(t, st.url, map[string]any{"token": tok, "answers": map[string]any{"m1": 4}}); code != 201 {
			t.Fatalf("submit: %d %s", code, body)
		}
	}
	st.stop(t)
	shares := c.shareTexts("fixture-2025")
	other := c.shareTexts("fixture-2026")
	// A wrong share: another's secret part under this box's fingerprint, with a valid check
	// character — it passes the check of its own and fails only when the shares are combined.
	wrong, err := ballot.ParseShare(shares[1])
	if err != nil {
		t.Fatal(err)
	}
	wrong.Y[7] ^= 0x5a
	typo := []byte(shares[1])
	typo[2] = map[bool]byte{true: 'A', false: 'B'}[typo[2] != 'A']
	write := func(name, text string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(text+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	before := sealedRecords(t, c.db, "fixture-2025")
	if len(before) != 2 {
		t.Fatalf("%d sealed records; want 2", len(before))
	}
	tests := []struct {
		name   string
		stdin  string
		args   []string
		wantJA string
		wantEN string
	}{
		{"t−1 shares", shares[0], nil, "割符が足りません", "too few shares"},
		{"a typo", shares[0] + "\n" + string(typo), nil, "打ち間違い", "typo"},
		{"a wrong share", shares[0] + "\n" + wrong.String(), nil, "復元できません", "do not rebuild"},
		{"another survey's share", "", []string{"--share", write("mine", shares[0]), "--share", write("theirs", other[1])}, "別の調査", "another survey"},
		{"the same share twice", shares[2] + "\n" + strings.ToLower(shares[2]), nil, "2 回入力", "twice"},
		{"no such file", "", []string{"--share", filepath.Join(t.TempDir(), "missing.txt")}, "読めません", "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"survey", "close", "fixture-2025"}, tt.args...)
			stdin := tt.stdin
			if stdin == "" && tt.args == nil {
				stdin = "\n"
			}
			_, errOut, err := c.run(stdin, args...)
			if err == nil {
				t.Fatal("close succeeded; want refused")
			}
			ja, en := strings.Index(errOut, tt.wantJA), strings.Index(errOut, tt.wantEN)
			if ja < 0 || en < 0 || ja > en || !strings.Contains(errOut, "何も変更していません") {
				t.Fatalf("stderr %q; want %q first, then %q, and that nothing changed", errOut, tt.wantJA, tt.wantEN)
			}
			after := sealedRecords(t, c.db, "fixture-2025")
			for k, v := range before {
				if !bytes.Equal(after[k], v) {
					t.Fatal("the refused close changed the sealed records")
				}
			}
			if got := c.must("survey", "list"); !strings.Contains(got, "fixture-2025\t2025\topen\t2 responses") {
				t.Fatalf("after the refused close: %q; want fixture-2025 open with 2 responses", got)
			}
		})
	}
	if out, errOut, err := c.run(shares[2]+"\n# a comment line\n\n"+shares[0]+"\n", "survey", "close", "fixture-2025"); err != nil || !strings.Contains(out, "closed") {
		t.Fatalf("close with two shares on stdin: %v %s %s", err, out, errOut)
	}
	if got := c.must("analyze", "--survey", "fixture-2025", "--json"); !strings.Contains(got, `"n": 2`) {
		t.Errorf("analysis after close: %.200s", got)
	}
}

// TestOpenSharesDir: `survey open` refuses a shares folder that is the database's folder or
// inside it, and writes one text file and one sheet per custodian, readable by its owner only.
func TestOpenSharesDir(t *testing.T) {
	c := newCLI(t)
	c.must("survey", "create", "--file", filepath.Join(fixtureDir, "fixture-2025.yaml"))
	for _, dir := range []string{filepath.Dir(c.db), filepath.Join(filepath.Dir(c.db), "shares")} {
		c.fails("データベースのフォルダ", "survey", "open", "fixture-2025", "--custodians", "a,b", "--shares-dir", dir)
	}
	c.fails("2〜9", "survey", "open", "fixture-2025", "--custodians", "a", "--shares-dir", t.TempDir())
	c.fails("2〜3", "survey", "open", "fixture-2025", "--custodians", "a,b,c", "--threshold", "4", "--shares-dir", t.TempDir())
	c.fails("2 回", "survey", "open", "fixture-2025", "--custodians", "a,b,a", "--shares-dir", t.TempDir())
	if got := c.must("survey", "list"); !strings.Contains(got, "\tdraft\t") {
		t.Fatalf("after refused opens: %q; want still a draft", got)
	}
	dir := filepath.Join(t.TempDir(), "usb")
	out := c.must("survey", "open", "fixture-2025", "--custodians", "人事課長, 組合/代表 ,監査", "--threshold", "3", "--shares-dir", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 6 || !strings.Contains(out, "2-組合_代表.html") {
		t.Fatalf("shares folder: %v (stdout %q); want 3 .txt and 3 .html, names made file-safe", files, out)
	}
	for _, f := range files {
		fi, _ := os.Stat(f)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v; want 0600", f, fi.Mode().Perm())
		}
		if strings.HasSuffix(f, ".html") {
			sheet, _ := os.ReadFile(f)
			for _, want := range []string{"組合/代表", "3 人分の割符がそろわなければ", "data:image/png;base64,"} {
				if strings.HasSuffix(f, "2-組合_代表.html") && !bytes.Contains(sheet, []byte(want)) {
					t.Errorf("%s lacks %q", f, want)
				}
			}
		}
	}
	beside, _ := filepath.Glob(c.db + "*")
	if len(beside) != 1 {
		t.Errorf("beside the database after open: %v; want the database alone", beside)
	}
}
