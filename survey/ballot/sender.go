package ballot

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha3"
	"encoding/binary"
	"errors"
	"fmt"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// The sender of the box's HPKE suite, done here instead of by hpke.NewSender for speed: the
// encapsulation is most of a submission's CPU. hpke.NewSender makes the ephemeral X25519 key
// of the MLKEM768-X25519 KEM with a Montgomery ladder on the base point and the shared secret
// with a second one (crypto/ecdh computes a private key's public key as soon as it is made).
// Here the ephemeral public key is a fixed-base multiplication on the equivalent Edwards
// curve with precomputed tables, about a third of a ladder's cost, and the shared secret one
// ladder; the rest is exactly RFC 9180's base mode and draft-ietf-hpke-pq's combiner. A record
// sealed here is one that hpke.Open opens (the tests check this against crypto/hpke and the
// draft's test vector), and the private key is still made and opened by crypto/hpke.

// The suite's identifiers (RFC 9180 §7, draft-ietf-hpke-pq).
const (
	kemID  = 0x647a // MLKEM768-X25519
	kdfID  = 0x0001 // HKDF-SHA256
	aeadID = 0x0002 // AES-256-GCM

	// xwingLabel ends the hybrid KEM's combiner input (draft-ietf-hpke-pq, MLKEM768-X25519).
	xwingLabel = `\./` + `/^\`
)

// sealer makes single-use senders to one public key for one info (a survey id).
type sealer struct {
	ek      *mlkem.EncapsulationKey768
	pkT     [32]byte // the public key's X25519 half
	suiteID []byte
	context []byte // the key schedule's context for info: mode 0 ‖ psk_id_hash ‖ info_hash
}

// newSealer parses a public key as stored (the ML-KEM-768 encapsulation key, then the X25519
// public key) for sealing with info.
func newSealer(pub []byte, info string) (*sealer, error) {
	return newSealerSuite(pub, info, aeadID)
}

// newSealerSuite is newSealer with another AEAD's identifier in the suite id: the draft's test
// vector for this KEM and KDF is for ChaCha20-Poly1305, whose key is as long as AES-256's.
func newSealerSuite(pub []byte, info string, aead uint16) (*sealer, error) {
	if len(pub) != mlkem.EncapsulationKeySize768+32 {
		return nil, fmt.Errorf("ballot public key: %d bytes, not %d", len(pub), mlkem.EncapsulationKeySize768+32)
	}
	ek, err := mlkem.NewEncapsulationKey768(pub[:mlkem.EncapsulationKeySize768])
	if err != nil {
		return nil, fmt.Errorf("ballot public key: %w", err)
	}
	s := &sealer{ek: ek, pkT: [32]byte(pub[mlkem.EncapsulationKeySize768:])}
	s.suiteID = binary.BigEndian.AppendUint16([]byte("HPKE"), kemID)
	s.suiteID = binary.BigEndian.AppendUint16(s.suiteID, kdfID)
	s.suiteID = binary.BigEndian.AppendUint16(s.suiteID, aead)
	pskIDHash, err := s.labeledExtract(nil, "psk_id_hash", nil)
	if err != nil {
		return nil, err
	}
	infoHash, err := s.labeledExtract(nil, "info_hash", []byte(info))
	if err != nil {
		return nil, err
	}
	s.context = append(append([]byte{0}, pskIDHash...), infoHash...)
	return s, nil
}

// sender is a single-use HPKE sender: the encapsulated key, and the AEAD and nonce of the
// context it set up. It seals one record, as the first Seal of an hpke.Sender does.
type sender struct {
	enc   []byte
	aead  cipher.AEAD
	nonce []byte // the base nonce: the first message's sequence number is 0
}

// seal returns enc ‖ the record sealed with no additional data, as hpke.Seal does.
func (s sender) seal(plain []byte) []byte {
	out := make([]byte, len(s.enc), len(s.enc)+len(plain)+s.aead.Overhead())
	copy(out, s.enc)
	return s.aead.Seal(out, s.nonce, plain, nil)
}

// newSender encapsulates a fresh shared secret to the public key and sets up the sender's
// context (RFC 9180 §5.1, mode base).
func (s *sealer) newSender() (sender, error) {
	skE := make([]byte, 32)
	if _, err := rand.Read(skE); err != nil {
		return sender{}, err
	}
	ssPQ, ctPQ := s.ek.Encapsulate()
	return s.senderFrom(ssPQ, ctPQ, skE)
}

// senderFrom finishes the encapsulation with the ML-KEM half done and skE, the ephemeral
// X25519 private key, which it clears.
func (s *sealer) senderFrom(ssPQ, ctPQ, skE []byte) (sender, error) {
	enc, shared, err := s.encapsulate(ssPQ, ctPQ, skE)
	if err != nil {
		return sender{}, err
	}
	defer clear(shared)
	key, nonce, err := s.keySchedule(shared)
	if err != nil {
		return sender{}, err
	}
	defer clear(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		return sender{}, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return sender{}, err
	}
	return sender{enc: enc, aead: gcm, nonce: nonce}, nil
}

// encapsulate is MLKEM768-X25519's Encap (draft-ietf-hpke-pq) with the ML-KEM half done and
// skE as the ephemeral X25519 private key, which it clears: enc = ctPQ ‖ ctT, and the shared
// secret SHA3-256(ssPQ ‖ ssT ‖ ctT ‖ pkT ‖ label).
func (s *sealer) encapsulate(ssPQ, ctPQ, skE []byte) (enc, shared []byte, err error) {
	defer clear(skE)
	defer clear(ssPQ)
	// The ephemeral public key, X25519(skE, 9): the Montgomery u of the clamped scalar times the
	// Edwards base point, which is the same point.
	sc, err := edwards25519.NewScalar().SetBytesWithClamping(skE)
	if err != nil {
		return nil, nil, err
	}
	ctT := new(edwards25519.Point).ScalarBaseMult(sc).BytesMontgomery()
	var ssT [32]byte
	defer clear(ssT[:])
	x25519(&ssT, skE, &s.pkT)
	if ssT == [32]byte{} {
		return nil, nil, errors.New("ballot public key: X25519 half of low order")
	}
	h := sha3.New256()
	h.Write(ssPQ)
	h.Write(ssT[:])
	h.Write(ctT)
	h.Write(s.pkT[:])
	h.Write([]byte(xwingLabel))
	enc = make([]byte, 0, len(ctPQ)+len(ctT))
	return append(append(enc, ctPQ...), ctT...), h.Sum(nil), nil
}

// keySchedule is RFC 9180's KeySchedule in mode base for the sealer's info: the AEAD key and
// base nonce of the context that shared sets up.
func (s *sealer) keySchedule(shared []byte) (key, nonce []byte, err error) {
	secret, err := s.labeledExtract(shared, "secret", nil)
	if err != nil {
		return nil, nil, err
	}
	defer clear(secret)
	if key, err = s.labeledExpand(secret, "key", 32); err != nil {
		return nil, nil, err
	}
	if nonce, err = s.labeledExpand(secret, "base_nonce", 12); err != nil {
		clear(key)
		return nil, nil, err
	}
	return key, nonce, nil
}

// labeledExtract is RFC 9180's LabeledExtract with HKDF-SHA256.
func (s *sealer) labeledExtract(salt []byte, label string, ikm []byte) ([]byte, error) {
	in := make([]byte, 0, 7+len(s.suiteID)+len(label)+len(ikm))
	in = append(append(append(append(in, "HPKE-v1"...), s.suiteID...), label...), ikm...)
	defer clear(in)
	return hkdf.Extract(sha256.New, in, salt)
}

// labeledExpand is RFC 9180's LabeledExpand with HKDF-SHA256, over the sealer's context.
func (s *sealer) labeledExpand(prk []byte, label string, length uint16) ([]byte, error) {
	info := binary.BigEndian.AppendUint16(make([]byte, 0, 2+7+len(s.suiteID)+len(label)+len(s.context)), length)
	info = append(append(append(append(info, "HPKE-v1"...), s.suiteID...), label...), s.context...)
	return hkdf.Expand(sha256.New, prk, string(info), int(length))
}

// x25519 sets dst to X25519(scalar, point) (RFC 7748 §5): the Montgomery ladder of Go's
// crypto/ecdh (x25519ScalarMult, BSD licence), on filippo.io/edwards25519's field, which is the
// same code as the one crypto/ecdh uses. Constant time in the scalar.
func x25519(dst *[32]byte, scalar []byte, point *[32]byte) {
	var e [32]byte
	defer clear(e[:])
	copy(e[:], scalar)
	e[0] &= 248
	e[31] &= 127
	e[31] |= 64

	var x1, x2, z2, x3, z3, tmp0, tmp1 field.Element
	if _, err := x1.SetBytes(point[:]); err != nil {
		panic("x25519: " + err.Error()) // SetBytes fails only for a length other than 32
	}
	x2.One()
	x3.Set(&x1)
	z3.One()

	swap := 0
	for pos := 254; pos >= 0; pos-- {
		b := e[pos/8] >> uint(pos&7)
		b &= 1
		swap ^= int(b)
		x2.Swap(&x3, swap)
		z2.Swap(&z3, swap)
		swap = int(b)

		tmp0.Subtract(&x3, &z3)
		tmp1.Subtract(&x2, &z2)
		x2.Add(&x2, &z2)
		z2.Add(&x3, &z3)
		z3.Multiply(&tmp0, &x2)
		z2.Multiply(&z2, &tmp1)
		tmp0.Square(&tmp1)
		tmp1.Square(&x2)
		x3.Add(&z3, &z2)
		z2.Subtract(&z3, &z2)
		x2.Multiply(&tmp1, &tmp0)
		tmp1.Subtract(&tmp1, &tmp0)
		z2.Square(&z2)

		z3.Mult32(&tmp1, 121666)
		x3.Square(&x3)
		tmp0.Add(&tmp0, &z3)
		z3.Multiply(&x1, &z2)
		z2.Multiply(&tmp1, &tmp0)
	}

	x2.Swap(&x3, swap)
	z2.Swap(&z3, swap)

	z2.Invert(&z2)
	x2.Multiply(&x2, &z2)
	copy(dst[:], x2.Bytes())
}
