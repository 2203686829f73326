package storage

import (
	"bytes"
	"crypto/rand"
	"syscall"
	"testing"
	"time"
)

// TestSealRoundTrip: seal and unseal give back the record, for every size class; another
// survey's id or a flipped byte is refused.
func TestSealRoundTrip(t *testing.T) {
	key := make([]byte, ballotKeySize)
	rand.Read(key)
	aead, err := newAEAD(key)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		n    int
		size int // padded plaintext size
	}{
		{"empty", 0, 512},
		{"short", 100, 512},
		{"first class full", 508, 512},
		{"second class", 509, 4096},
		{"third class", 5000, 32768},
		{"beyond the classes", 40000, 65536},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			record := bytes.Repeat([]byte{7}, tt.n)
			sealed, err := seal(aead, "kita-2026", record)
			if err != nil {
				t.Fatal(err)
			}
			if want := aead.NonceSize() + tt.size + aead.Overhead(); len(sealed) != want {
				t.Errorf("sealed %d bytes; want %d", len(sealed), want)
			}
			got, err := unseal(aead, "kita-2026", sealed)
			if err != nil || !bytes.Equal(got, record) {
				t.Errorf("unseal: %d bytes, %v; want the record back", len(got), err)
			}
			if _, err := unseal(aead, "kita-2025", sealed); err == nil {
				t.Error("unsealed under another survey's id")
			}
			sealed[len(sealed)/2] ^= 1
			if _, err := unseal(aead, "kita-2026", sealed); err == nil {
				t.Error("unsealed a tampered record")
			}
		})
	}
}

// BenchmarkSeal is the CPU that sealing added to a submission before the custodians, for
// surveys opened with a key file: padding and AES-256-GCM of a response of the fixture's size
// (about 40 bytes, padded to 512). package ballot's BenchmarkSeal is today's HPKE seal.
func BenchmarkSeal(b *testing.B) {
	key := make([]byte, ballotKeySize)
	rand.Read(key)
	aead, _ := newAEAD(key)
	record := bytes.Repeat([]byte{3}, 40)
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := seal(aead, "kita-2026", record); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/1000/float64(b.N), "cpu-µs/op")
}

// processCPU returns the user and system CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
