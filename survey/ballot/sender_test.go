package ballot

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"slices"
	"testing"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
	"golang.org/x/crypto/chacha20poly1305"
)

// readVector reads the test vector in testdata.
func readVector(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("testdata/mlkem768x25519-hkdfsha256.json")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSenderVector: the sender's encapsulation and key schedule give the draft-ietf-hpke-pq
// test vector for MLKEM768-X25519 with HKDF-SHA256 (testdata: the vector of crypto/hpke's
// testdata/hpke-pq.json with that KEM and KDF). The vector's AEAD is ChaCha20-Poly1305, so
// the suite id names it; the key and nonce are derived alike for AES-256-GCM, whose key is as long.
func TestSenderVector(t *testing.T) {
	v := readVector(t)
	hexOf := func(k string) []byte {
		t.Helper()
		b, err := hex.DecodeString(v[k].(string))
		if err != nil {
			t.Fatal(k, err)
		}
		return b
	}
	if v["kem_id"].(float64) != kemID || v["kdf_id"].(float64) != kdfID || v["aead_id"].(float64) != 3 {
		t.Fatalf("the vector is for suite %v/%v/%v", v["kem_id"], v["kdf_id"], v["aead_id"])
	}
	s, err := newSealerSuite(hexOf("pkRm"), string(hexOf("info")), 3)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.suiteID, hexOf("suite_id")) {
		t.Fatalf("suite id %x; want %s", s.suiteID, v["suite_id"])
	}
	// ikmE is the ML-KEM encapsulation's randomness, then the ephemeral X25519 key.
	ikmE := hexOf("ikmE")
	ctPQ, ssPQ := make([]byte, mlkem768.CiphertextSize), make([]byte, mlkem768.SharedKeySize)
	s.ek.EncapsulateTo(ctPQ, ssPQ, ikmE[:32])
	enc, shared, err := s.encapsulate(ssPQ, ctPQ, bytes.Clone(ikmE[32:]))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, hexOf("enc")) {
		t.Errorf("enc differs from the vector's")
	}
	if !bytes.Equal(shared, hexOf("shared_secret")) {
		t.Errorf("shared secret %x; want %s", shared, v["shared_secret"])
	}
	key, nonce, err := s.keySchedule(shared)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, hexOf("key")) || !bytes.Equal(nonce, hexOf("base_nonce")) {
		t.Errorf("key %x, base nonce %x; want %s, %s", key, nonce, v["key"], v["base_nonce"])
	}
	// The vector's first encryption (sequence number 0, so under the base nonce) with the
	// derived key.
	e := v["encryption"].(map[string]any)
	unhex := func(k string) []byte { b, _ := hex.DecodeString(e[k].(string)); return b }
	c, err := chacha20poly1305.New(key)
	if err != nil {
		t.Fatal(err)
	}
	if ct := c.Seal(nil, nonce, unhex("pt"), unhex("aad")); !bytes.Equal(ct, unhex("ct")) {
		t.Errorf("first encryption %x; want %s", ct, e["ct"])
	}
}

// TestSenderOpensWithHPKE: records sealed by the sender open with crypto/hpke, for many
// fresh keys and ephemeral keys, and for another info only under that info.
func TestSenderOpensWithHPKE(t *testing.T) {
	for i := range 200 {
		priv, err := kem.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("kita-%d", 2000+i)
		s, err := newSealer(priv.PublicKey().Bytes(), id)
		if err != nil {
			t.Fatal(err)
		}
		plain := make([]byte, i*7)
		rand.Read(plain)
		snd, err := s.newSender()
		if err != nil {
			t.Fatal(err)
		}
		sealed := snd.seal(plain)
		got, err := hpke.Open(priv, kdf, aead, []byte(id), sealed)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("key %d: hpke.Open: %v", i, err)
		}
		if _, err := hpke.Open(priv, kdf, aead, []byte(id+"x"), sealed); err == nil {
			t.Fatalf("key %d: opened under another survey id", i)
		}
	}
}

// TestEphemeralKeyAgreesWithECDH: the ephemeral public key in enc is crypto/ecdh's public key
// of the ephemeral private key, for random keys and the edge cases of clamping, and a
// low-order X25519 half of a public key is refused as crypto/ecdh refuses it.
func TestEphemeralKeyAgreesWithECDH(t *testing.T) {
	keys := [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32)}
	for range 300 {
		k := make([]byte, 32)
		rand.Read(k)
		keys = append(keys, k)
	}
	priv, err := kem.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSealer(priv.PublicKey().Bytes(), "kita-2026")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		want, err := ecdh.X25519().NewPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		ctPQ, ssPQ := make([]byte, mlkem768.CiphertextSize), make([]byte, mlkem768.SharedKeySize)
		s.ek.EncapsulateTo(ctPQ, ssPQ, nil)
		enc, _, err := s.encapsulate(ssPQ, ctPQ, bytes.Clone(k))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc[len(ctPQ):], want.PublicKey().Bytes()) {
			t.Fatalf("public key of %x: %x; want %x", k, enc[len(ctPQ):], want.PublicKey().Bytes())
		}
	}
	low := bytes.Clone(priv.PublicKey().Bytes())
	copy(low[mlkem768.PublicKeySize:], make([]byte, 32)) // u = 0, of order 4
	ls, err := newSealer(low, "kita-2026")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ls.newSender(); err == nil {
		t.Error("sealed to a low-order X25519 key")
	}
}

// TestSharedSecretAgreesWithECDH: the shared secret that the sealer computes from its table of
// the survey key's multiples is crypto/ecdh's X25519, for keys made by crypto/hpke (never
// refused) and for any 32 bytes as a key: bytes whose u is on the curve — with the top bit set,
// not reduced below p, of low order — agree with crypto/ecdh, and only a u on the twist is
// refused, which math/big decides independently (u³ + 486662u² + u not a square mod p).
func TestSharedSecretAgreesWithECDH(t *testing.T) {
	scalars := [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32)}
	for range 10 {
		scalars = append(scalars, randomBytes(32))
	}
	agrees := func(t *testing.T, pub []byte) {
		t.Helper()
		s, err := newSealer(pub, "kita-2026")
		if err != nil {
			t.Fatalf("key %x refused: %v", pub[mlkem768.PublicKeySize:], err)
		}
		peer, err := ecdh.X25519().NewPublicKey(pub[mlkem768.PublicKeySize:])
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range scalars {
			priv, err := ecdh.X25519().NewPrivateKey(k)
			if err != nil {
				t.Fatal(err)
			}
			want, err := priv.ECDH(peer)
			if err != nil {
				want = make([]byte, 32) // low order: crypto/ecdh refuses the all-zero secret
			}
			var got [32]byte
			x25519(&got, s.tableT, k)
			if !bytes.Equal(got[:], want) {
				t.Fatalf("X25519(%x, %x) = %x; crypto/ecdh: %x", k, pub[mlkem768.PublicKeySize:], got, want)
			}
		}
	}
	for range 30 {
		priv, err := kem.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		agrees(t, priv.PublicKey().Bytes())
	}

	priv, err := kem.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	ek := priv.PublicKey().Bytes()[:mlkem768.PublicKeySize] // a valid ML-KEM half
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	onCurve := func(u []byte) bool {
		le := slices.Clone(u)
		le[31] &= 127 // RFC 7748: the top bit is ignored
		slices.Reverse(le)
		x := new(big.Int).Mod(new(big.Int).SetBytes(le), p)
		v := new(big.Int).Mul(x, x)
		v.Add(v, new(big.Int).Mul(big.NewInt(486662), x)).Add(v, big.NewInt(1)).Mul(v, x).Mod(v, p)
		return big.Jacobi(v, p) >= 0
	}
	us := [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32)}
	for d := -1; d < 20; d++ { // p − 1 (u = −1, on the twist), then p + d: not reduced below p
		le := new(big.Int).Add(p, big.NewInt(int64(d))).FillBytes(make([]byte, 32))
		slices.Reverse(le)
		us = append(us, le)
	}
	for range 400 {
		us = append(us, randomBytes(32))
	}
	refused := 0
	for _, u := range us {
		pub := append(slices.Clone(ek), u...)
		if !onCurve(u) {
			refused++
			if _, err := newSealer(pub, "kita-2026"); err == nil {
				t.Fatalf("u %x on the twist: not refused", u)
			}
			continue
		}
		agrees(t, pub)
	}
	if refused < 100 || refused > len(us)-100 {
		t.Errorf("%d of %d keys on the twist: the test does not reach both sides", refused, len(us))
	}
}

// randomBytes returns n bytes from crypto/rand.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// TestSelfTest: the self-test's constants are the test vector's, it passes here, and a
// vector value changed by one bit makes it fail.
func TestSelfTest(t *testing.T) {
	v := readVector(t)
	enc, _ := hex.DecodeString(v["enc"].(string))
	info, _ := hex.DecodeString(v["info"].(string))
	sum := sha256.Sum256(enc)
	for name, pair := range map[string][2]string{
		"ikmR": {kaIKMR, v["ikmR"].(string)}, "ikmE": {kaIKME, v["ikmE"].(string)}, "info": {kaInfo, string(info)},
		"enc": {kaEncSHA256, hex.EncodeToString(sum[:])}, "shared secret": {kaShared, v["shared_secret"].(string)},
		"key": {kaKey, v["key"].(string)}, "base nonce": {kaNonce, v["base_nonce"].(string)},
	} {
		if pair[0] != pair[1] {
			t.Errorf("self-test's %s %s; the vector's %s", name, pair[0], pair[1])
		}
	}
	if err := SelfTest(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*string{&kaIKME, &kaShared, &kaKey} {
		saved := *c
		bad := []byte(saved)
		bad[len(bad)-1] ^= 1 // a hex digit one bit off
		*c = string(bad)
		if knownAnswer() == nil {
			t.Errorf("the self-test passed with %s for %s", *c, saved)
		}
		*c = saved
	}
}
