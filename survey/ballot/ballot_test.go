package ballot

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"staffsurvey/survey"
)

// gfshareBinaries returns the paths of Debian's gfsplit and gfcombine (package libgfshare-bin),
// the independent Shamir implementation the shares must agree with. Without them the test
// skips locally but fails in CI, which installs them (.ci/run).
func gfshareBinaries(t *testing.T) (split, combine string) {
	t.Helper()
	split, err1 := exec.LookPath("gfsplit")
	combine, err2 := exec.LookPath("gfcombine")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gfsplit/gfcombine missing in CI: .ci/run installs libgfshare-bin")
		}
		t.Skip("gfsplit/gfcombine not installed (apt-get install libgfshare-bin)")
	}
	return split, combine
}

// writeGfshare writes shares in gfshare's layout: one file per share named stem.NNN, NNN its x.
func writeGfshare(t *testing.T, dir string, shares []Share) []string {
	t.Helper()
	var files []string
	for _, s := range shares {
		f := filepath.Join(dir, fmt.Sprintf("secret.%03d", s.Index))
		if err := os.WriteFile(f, s.Y[:], 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

func seedOf(t *testing.T, k *Key) []byte { t.Helper(); return bytes.Clone(k.seed) }

// TestSharesCombineWithGfcombine: every t-subset of the shares made here rebuilds, with
// gfcombine, the same private key as Rebuild does.
func TestSharesCombineWithGfcombine(t *testing.T) {
	_, gfcombine := gfshareBinaries(t)
	for _, tc := range []struct{ n, t int }{{2, 2}, {3, 2}, {5, 3}, {9, 9}} {
		box, err := NewBox(tc.n, tc.t)
		if err != nil {
			t.Fatal(err)
		}
		k, err := Rebuild(box.PublicKey, box.Shares[tc.n-tc.t:])
		if err != nil {
			t.Fatalf("%d of %d: %v", tc.t, tc.n, err)
		}
		want := seedOf(t, k)
		dir := t.TempDir()
		files := writeGfshare(t, dir, box.Shares[tc.n-tc.t:])
		out := filepath.Join(dir, "out")
		if b, err := exec.Command(gfcombine, append([]string{"-o", out}, files...)...).CombinedOutput(); err != nil {
			t.Fatalf("gfcombine: %v\n%s", err, b)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d of %d: gfcombine rebuilt %x; want %x", tc.t, tc.n, got, want)
		}
		// Fewer than t shares give gfcombine something else.
		if tc.t > 2 {
			exec.Command(gfcombine, append([]string{"-o", out}, files[1:]...)...).Run()
			if got, _ := os.ReadFile(out); bytes.Equal(got, want) {
				t.Errorf("%d of %d: gfcombine rebuilt the key from %d shares", tc.t, tc.n, tc.t-1)
			}
		}
	}
}

// TestGfsplitSharesCombineHere: shares made by gfsplit combine here into gfsplit's secret.
func TestGfsplitSharesCombineHere(t *testing.T) {
	gfsplit, _ := gfshareBinaries(t)
	dir := t.TempDir()
	secret := make([]byte, 32)
	rand.Read(secret)
	in := filepath.Join(dir, "secret")
	if err := os.WriteFile(in, secret, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(gfsplit, "-n", "3", "-m", "5", in, filepath.Join(dir, "share")).CombinedOutput(); err != nil {
		t.Fatalf("gfsplit: %v\n%s", err, b)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "share.*"))
	if len(files) != 5 {
		t.Fatalf("gfsplit wrote %d shares; want 5", len(files))
	}
	for _, pick := range [][]int{{0, 1, 2}, {4, 2, 0}, {1, 3, 4}} {
		var xs []byte
		var ys [][]byte
		for _, i := range pick {
			var x int
			fmt.Sscanf(filepath.Ext(files[i]), ".%d", &x)
			y, err := os.ReadFile(files[i])
			if err != nil {
				t.Fatal(err)
			}
			xs, ys = append(xs, byte(x)), append(ys, y)
		}
		if got := combine(xs, ys); !bytes.Equal(got, secret) {
			t.Errorf("shares %v: combined %x; want %x", pick, got, secret)
		}
	}
}

func TestSealOpen(t *testing.T) {
	box, err := NewBox(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublicKey(box.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	k, err := Rebuild(box.PublicKey, []Share{box.Shares[2], box.Shares[0]})
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int]int{}
	for _, n := range []int{0, 10, 508, 509, 4092, 5000, 40000} {
		rec := bytes.Repeat([]byte{'x'}, n)
		sealed, err := pub.Seal("kita-2026", rec)
		if err != nil {
			t.Fatal(err)
		}
		sizes[len(sealed)]++
		got, err := k.Open("kita-2026", sealed)
		if err != nil || !bytes.Equal(got, rec) {
			t.Errorf("%d bytes: open = %d bytes, %v", n, len(got), err)
		}
		if _, err := k.Open("kita-2025", sealed); err == nil {
			t.Errorf("%d bytes: opened under another survey id", n)
		}
	}
	if len(sizes) != 4 {
		t.Errorf("sealed sizes %v; want 4 classes", sizes)
	}
	k.Wipe()
	if _, err := k.Open("kita-2026", nil); err == nil {
		t.Error("a wiped key opened a record")
	}
}

// TestSealPrepared: records sealed with senders made in advance open like any other, each
// sender is used once (no two records share an encapsulation), and another survey id or a
// stopped pool falls back to sealing in place.
func TestSealPrepared(t *testing.T) {
	box, _ := NewBox(2, 2)
	pub, _ := ParsePublicKey(box.PublicKey)
	stop := pub.Prepare("kita-2026", 8, 2)
	k, _ := Rebuild(box.PublicKey, box.Shares)
	encs := map[string]bool{}
	for i := range 50 {
		id := "kita-2026"
		if i%10 == 9 {
			id = "kita-2025"
		}
		if i == 30 {
			stop()
			stop() // twice is fine
		}
		rec := []byte(fmt.Sprintf("record %d", i))
		sealed, err := pub.Seal(id, rec)
		if err != nil {
			t.Fatal(err)
		}
		enc := string(sealed[:1120])
		if encs[enc] {
			t.Fatalf("record %d reuses an encapsulation", i)
		}
		encs[enc] = true
		if got, err := k.Open(id, sealed); err != nil || string(got) != string(rec) {
			t.Fatalf("record %d: %q, %v", i, got, err)
		}
	}
}

func TestShareText(t *testing.T) {
	box, err := NewBox(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	s := box.Shares[1]
	text := s.String()
	if got := len(strings.ReplaceAll(text, "-", "")); got != ShareChars {
		t.Fatalf("%q: %d characters; want %d", text, got, ShareChars)
	}
	for _, in := range []string{text, strings.ToLower(text), strings.ReplaceAll(text, "-", " "), "  " + strings.ReplaceAll(text, "-", "") + "\n"} {
		got, err := ParseShare(in)
		if err != nil || got != s {
			t.Errorf("ParseShare(%q) = %v, %v; want the share", in, got, err)
		}
	}
	// Every single mistyped character is caught.
	raw := strings.ReplaceAll(text, "-", "")
	for i := 0; i < len(raw); i++ {
		for _, c := range []byte(crockford) {
			if c == raw[i] {
				continue
			}
			typo := raw[:i] + string(c) + raw[i+1:]
			if _, err := ParseShare(typo); err == nil {
				t.Fatalf("typo at %d (%c→%c) not caught", i, raw[i], c)
			}
		}
	}
	// And every swap of two neighbours.
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] == raw[i+1] {
			continue
		}
		swap := raw[:i] + string(raw[i+1]) + string(raw[i]) + raw[i+2:]
		if _, err := ParseShare(swap); err == nil {
			t.Fatalf("swap at %d not caught", i)
		}
	}
	for _, bad := range []string{"", raw[:64], raw + "0", raw[:10] + "!" + raw[11:]} {
		if _, err := ParseShare(bad); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("ParseShare(%q): %v; want EINVALID", bad, err)
		}
	}
}

func TestRebuildRefuses(t *testing.T) {
	box, _ := NewBox(3, 2)
	other, _ := NewBox(3, 2)
	tampered := box.Shares[1]
	tampered.Y[0] ^= 1
	tests := []struct {
		name   string
		shares []Share
		want   string // in the Japanese message
	}{
		{"one share of two", box.Shares[:1], "割符が足りません"},
		{"none", nil, "割符が足りません"},
		{"the same share twice", []Share{box.Shares[0], box.Shares[0]}, "2 回入力"},
		{"another survey's share", []Share{box.Shares[0], other.Shares[1]}, "別の調査"},
		{"an altered share", []Share{box.Shares[0], tampered}, "復元できません"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Rebuild(box.PublicKey, tt.shares)
			if msg := survey.ErrorMessage(err).JA; !strings.Contains(msg, tt.want) {
				t.Errorf("got %v (%q); want a message with %q", err, msg, tt.want)
			}
		})
	}
	if _, err := NewBox(1, 2); err == nil {
		t.Error("NewBox(1, 2) made a box")
	}
	if _, err := NewBox(10, 2); err == nil {
		t.Error("NewBox(10, 2) made a box")
	}
	if _, err := NewBox(3, 4); err == nil {
		t.Error("NewBox(3, 4) made a box")
	}
	if _, err := NewBox(3, 1); err == nil {
		t.Error("NewBox(3, 1) made a box")
	}
}

// BenchmarkSeal is the CPU sealing adds to a submission: HPKE (an ML-KEM-768 + X25519
// encapsulation) over a 300-byte record padded to 512. cpu-µs/op is the process's CPU time per
// seal, which other processes' load on the machine does not inflate as it does ns/op.
func BenchmarkSeal(b *testing.B) {
	box, _ := NewBox(3, 2)
	pub, _ := ParsePublicKey(box.PublicKey)
	rec := make([]byte, 300)
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := pub.Seal("kita-2026", rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkOpen is the CPU of opening one record at close (a decapsulation), as BenchmarkSeal.
func BenchmarkOpen(b *testing.B) {
	box, _ := NewBox(3, 2)
	pub, _ := ParsePublicKey(box.PublicKey)
	k, _ := Rebuild(box.PublicKey, box.Shares[:2])
	sealed, _ := pub.Seal("kita-2026", make([]byte, 300))
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := k.Open("kita-2026", sealed); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// processCPU returns the user and system CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
