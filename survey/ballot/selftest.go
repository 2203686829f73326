package ballot

import (
	"bytes"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"

	"staffsurvey/survey"
)

// SelfTest checks this package's HPKE sender on the machine it runs on, once per process,
// before it seals anything: the encapsulation is assembly chosen by the CPU's features, and a
// record sealed wrong would be found only at close, when the answers could no longer be read.
// It derives the recipient key of draft-ietf-hpke-pq's test vector for MLKEM768-X25519 with
// HKDF-SHA256 with crypto/hpke, encapsulates with the vector's randomness and compares the
// encapsulated key, the shared secret and the key schedule with the vector's (TestSenderVector
// checks the same against the whole vector in testdata); then it seals a random record as
// every record is sealed and opens it with crypto/hpke. Sealing and making a ballot box fail
// with its error; serve calls it before it answers.
func SelfTest() error { return selfTest() }

var selfTest = sync.OnceValue(func() error {
	if err := knownAnswer(); err != nil {
		e := survey.Errorf(survey.EINTERNAL,
			"このコンピューターでは回答の封印（HPKE）が自己診断に失敗しました。回答を受け付けず、何も保存しません。",
			"this machine's sealing of answers (HPKE) fails its self-test; no answer is taken or stored.")
		e.Err = err
		return e
	}
	return nil
})

// The parts of the test vector the self-test needs (testdata/mlkem768x25519-hkdfsha256.json);
// variables only so that TestSelfTest can change one.
var (
	kaIKMR = "0379761fa4f6869592b0d1f9a71eb92b122dc030a7a8858132109f6b1a4bbde4"
	kaIKME = "a3a869097e0241158eca5dc6c9e695f9e0d2ee5db51c09c435aab69d56509a43" +
		"d94ff76d7d47cf79ecf75394261236cec024bd849cc782e14f7f0738af83daed"
	kaInfo      = "4f6465206f6e2061204772656369616e2055726e" // as text: the vector's info is these 40 characters
	kaEncSHA256 = "3a7ef30fb815e75b7f0f16f5bab5c36250882d94ea0f776cc2241cdd3b36b480"
	kaShared    = "b90cf181d95351d1091569487caaf6c3434eeb181a2c4c04631980ce139afa67"
	kaKey       = "4a4c042267e8ec360c83b2baf0d5e3dcca73a86531cdf67ec41d95bccfe12387"
	kaNonce     = "5ddfaaee10a4dfd0d8e1b49f"
)

// knownAnswer is the self-test itself.
func knownAnswer() error {
	unhex := func(s string) []byte { b, _ := hex.DecodeString(s); return b }
	priv, err := kem.DeriveKeyPair(unhex(kaIKMR))
	if err != nil {
		return err
	}
	pub := priv.PublicKey().Bytes()
	// The vector's AEAD is ChaCha20-Poly1305 (3): the key schedule is the same for AES-256-GCM.
	s, err := newSealerSuite(pub, kaInfo, 3)
	if err != nil {
		return err
	}
	ikmE := unhex(kaIKME)
	ctPQ, ssPQ := make([]byte, mlkem768.CiphertextSize), make([]byte, mlkem768.SharedKeySize)
	s.ek.EncapsulateTo(ctPQ, ssPQ, ikmE[:32])
	enc, shared, err := s.encapsulate(ssPQ, ctPQ, ikmE[32:])
	if err != nil {
		return err
	}
	if sum := sha256.Sum256(enc); !bytes.Equal(sum[:], unhex(kaEncSHA256)) {
		return errors.New("the encapsulated key differs from the test vector's")
	}
	if !bytes.Equal(shared, unhex(kaShared)) {
		return errors.New("the shared secret differs from the test vector's")
	}
	key, nonce, err := s.keySchedule(shared)
	if err != nil {
		return err
	}
	if !bytes.Equal(key, unhex(kaKey)) || !bytes.Equal(nonce, unhex(kaNonce)) {
		return errors.New("the key schedule differs from the test vector's")
	}

	// A record sealed as every record is, opened by crypto/hpke.
	s, err = newSealerSuite(pub, "self-test", aeadID)
	if err != nil {
		return err
	}
	snd, err := s.newSender()
	if err != nil {
		return err
	}
	record := make([]byte, 64)
	rand.Read(record)
	got, err := hpke.Open(priv, kdf, aead, []byte("self-test"), snd.seal(record))
	if err != nil || !bytes.Equal(got, record) {
		return fmt.Errorf("a sealed record does not open with crypto/hpke (%v)", err)
	}
	return nil
}
