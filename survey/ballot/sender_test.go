package ballot

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hpke"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// TestSenderVector: the sender's encapsulation and key schedule give the draft-ietf-hpke-pq
// test vector for MLKEM768-X25519 with HKDF-SHA256 (testdata: the vector of crypto/hpke's
// testdata/hpke-pq.json with that KEM and KDF). The vector's AEAD is ChaCha20-Poly1305, so
// the suite id names it; the key and nonce are derived alike for AES-256-GCM, whose key is as long.
func TestSenderVector(t *testing.T) {
	b, err := os.ReadFile("testdata/mlkem768x25519-hkdfsha256.json")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
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
	ikmE := hexOf("ikmE")
	ssPQ, ctPQ, err := mlkemtest.Encapsulate768(s.ek, ikmE[:32])
	if err != nil {
		t.Fatal(err)
	}
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

// TestX25519AgreesWithECDH: the ladder and the fixed-base public key agree with crypto/ecdh,
// for random scalars and points, and the scalars' edge cases.
func TestX25519AgreesWithECDH(t *testing.T) {
	scalars := [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32)}
	for range 300 {
		k := make([]byte, 32)
		rand.Read(k)
		scalars = append(scalars, k)
	}
	peer, _ := ecdh.X25519().GenerateKey(rand.Reader)
	pk := [32]byte(peer.PublicKey().Bytes())
	s := &sealer{pkT: pk}
	for _, k := range scalars {
		priv, err := ecdh.X25519().NewPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		want, err := priv.ECDH(peer.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		var got [32]byte
		x25519(&got, k, &pk)
		if !bytes.Equal(got[:], want) {
			t.Fatalf("X25519(%x, peer) = %x; want %x", k, got, want)
		}
		// encapsulate's ctT is the scalar's public key.
		ek := mustEncapsulationKey(t)
		s.ek = ek
		ss, ct := ek.Encapsulate()
		enc, _, err := s.encapsulate(ss, ct, bytes.Clone(k))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc[len(ct):], priv.PublicKey().Bytes()) {
			t.Fatalf("public key of %x: %x; want %x", k, enc[len(ct):], priv.PublicKey().Bytes())
		}
	}
}

var testEK *mlkem.EncapsulationKey768

func mustEncapsulationKey(t *testing.T) *mlkem.EncapsulationKey768 {
	t.Helper()
	if testEK == nil {
		dk, err := mlkem.GenerateKey768()
		if err != nil {
			t.Fatal(err)
		}
		testEK = dk.EncapsulationKey()
	}
	return testEK
}
