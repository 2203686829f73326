package ballot

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha3"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
	"github.com/oasisprotocol/curve25519-voi/curve"
	"github.com/oasisprotocol/curve25519-voi/curve/scalar"
)

// The sender of the box's HPKE suite, done here instead of by hpke.NewSender for speed: the
// encapsulation is the largest part of a submission's CPU. Go's crypto/mlkem and crypto/ecdh
// are portable Go. Cloudflare's CIRCL has the same ML-KEM-768 with AVX2 code (about a fifth of
// the time). Both of X25519's scalar multiplications have a fixed point — the base point for
// the ephemeral key, the survey's public key for the shared secret — so they are done in the
// curve's Edwards form with a table of that point's multiples, made once per survey
// (curve25519-voi's EdwardsBasepointTable, constant time): about 17 µs for both, against 41 µs
// for CIRCL's two Montgomery ladders. The rest is exactly RFC 9180's base mode and
// draft-ietf-hpke-pq's MLKEM768-X25519 combiner. A record sealed here is one that hpke.Open
// opens (the tests check this against crypto/hpke, crypto/ecdh and the draft's test vector),
// and the private key is still made, and records opened, by crypto/hpke alone.

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
	ek      *mlkem768.PublicKey
	pkT     [32]byte                     // the public key's X25519 half
	tableT  *curve.EdwardsBasepointTable // multiples of pkT's point, for the shared secret
	suiteID []byte
	context []byte // the key schedule's context for info: mode 0 ‖ psk_id_hash ‖ info_hash
}

// newSealer parses a public key as stored (the ML-KEM-768 encapsulation key, then the X25519
// public key) for sealing with info.
func newSealer(pub []byte, info string) (*sealer, error) {
	if err := selfTest(); err != nil {
		return nil, err
	}
	return newSealerSuite(pub, info, aeadID)
}

// newSealerSuite is newSealer with another AEAD's identifier in the suite id: the draft's test
// vector for this KEM and KDF is for ChaCha20-Poly1305, whose key is as long as AES-256's.
func newSealerSuite(pub []byte, info string, aead uint16) (*sealer, error) {
	if len(pub) != mlkem768.PublicKeySize+32 {
		return nil, fmt.Errorf("ballot public key: %d bytes, not %d", len(pub), mlkem768.PublicKeySize+32)
	}
	s := &sealer{ek: new(mlkem768.PublicKey), pkT: [32]byte(pub[mlkem768.PublicKeySize:])}
	if err := s.ek.Unpack(pub[:mlkem768.PublicKeySize]); err != nil {
		return nil, fmt.Errorf("ballot public key: %w", err)
	}
	// The Edwards point of pkT, either sign: u([e]P) = u([e](-P)). A u on the curve's twist has
	// none; crypto/hpke never makes such a key (its public keys are multiples of the base point).
	var p curve.EdwardsPoint
	if _, err := p.SetMontgomery((*curve.MontgomeryPoint)(&s.pkT), 0); err != nil {
		return nil, fmt.Errorf("ballot public key: X25519 half not on the curve: %w", err)
	}
	s.tableT = curve.NewEdwardsBasepointTable(&p)
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
	ctPQ, ssPQ := make([]byte, mlkem768.CiphertextSize), make([]byte, mlkem768.SharedKeySize)
	s.ek.EncapsulateTo(ctPQ, ssPQ, nil) // nil: its randomness from crypto/rand
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
	var ctT, ssT [32]byte
	defer clear(ssT[:])
	x25519(&ctT, curve.ED25519_BASEPOINT_TABLE, skE)
	x25519(&ssT, s.tableT, skE)
	if ssT == [32]byte{} {
		return nil, nil, errors.New("ballot public key: X25519 half of low order")
	}
	h := sha3.New256()
	h.Write(ssPQ)
	h.Write(ssT[:])
	h.Write(ctT[:])
	h.Write(s.pkT[:])
	h.Write([]byte(xwingLabel))
	enc = make([]byte, 0, len(ctPQ)+len(ctT))
	return append(append(enc, ctPQ...), ctT[:]...), h.Sum(nil), nil
}

// x25519 sets out to X25519(sk, u) (RFC 7748 §5) for the point u whose multiples table holds:
// u([k]P) for the clamped scalar k, by the Edwards form. k is a multiple of the cofactor below
// 2²⁵⁵, as the Montgomery ladder takes it, so the result is the ladder's for any P on the
// curve; an identity result (P of low order) gives u = 0, as the ladder does.
func x25519(out *[32]byte, table *curve.EdwardsBasepointTable, sk []byte) {
	var k [32]byte
	defer clear(k[:])
	copy(k[:], sk)
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64
	var e scalar.Scalar
	defer e.Zero()
	e.SetBits(k[:]) // cannot fail: k is 32 bytes, below 2²⁵⁵
	var p curve.EdwardsPoint
	defer p.Identity()
	(*curve.MontgomeryPoint)(out).SetEdwards(p.MulBasepoint(table, &e))
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
