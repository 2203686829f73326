package web

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"staffsurvey/survey"
)

// TestTokenScriptAgrees: the entry page's script says "typo" or "wrong length" exactly where
// survey.ParseToken does, with the same words, and lets everything else through to the server
// (node runs static/token.js; skipped without node).
func TestTokenScriptAgrees(t *testing.T) {
	script, err := assets.ReadFile("static/token.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*survey.Error{survey.ErrTokenTypo, survey.ErrTokenLength} {
		if !strings.Contains(string(script), e.Message.JA) || !strings.Contains(string(script), e.Message.EN) {
			t.Errorf("token.js lacks the message %q", e.Message.EN)
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	const symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var inputs []string
	for i := range 300 {
		tok := survey.NewToken()
		b := []byte(tok)
		b[i%len(b)] = symbols[i%32]
		wide := []rune{}
		for _, r := range strings.ToLower(tok) {
			if r >= '!' && r <= '~' {
				r += '！' - '!'
			}
			wide = append(wide, r)
		}
		inputs = append(inputs, tok, string(b), string(wide), tok[:len(tok)-1], tok+"7", strings.ReplaceAll(tok, "-", " "),
			strings.NewReplacer("1", "l", "0", "O", "V", "u").Replace(tok), tok[:10])
	}
	inputs = append(inputs, "0b3f1e9e-5d0c-4c43-9d4e-7f0e7d3b2a11", "", "  ", "héllo", "ＡＡＡＡ－ＡＡＡＡ－ＡＡＡＡ－ＡＡＡＡＡ")
	in, _ := json.Marshal(inputs)
	dir := t.TempDir()
	jsPath := filepath.Join(dir, "token.js")
	if err := os.WriteFile(jsPath, script, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "-e", `const m = require(process.argv[1]);
const inputs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(inputs.map(m.check)));`, jsPath)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(inputs) {
		t.Fatalf("node gave %s (%v)", out, err)
	}
	for i, s := range inputs {
		_, err := survey.ParseToken(s)
		want := ""
		switch err {
		case survey.ErrTokenTypo:
			want = "typo"
		case survey.ErrTokenLength:
			want = "length"
		}
		if got[i] != want {
			t.Errorf("%q: token.js says %q, ParseToken %v", s, got[i], err)
		}
	}
}
