package ballot

import (
	"bytes"
	"crypto/hpke"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"staffsurvey/survey"
)

// The HPKE suite of every ballot box: the hybrid KEM keeps records sealed today safe against
// a future quantum computer as long as either of its halves holds.
var (
	kem  = hpke.MLKEM768X25519()
	kdf  = hpke.HKDFSHA256()
	aead = hpke.AES256GCM()
)

// Limits on the custodians of a box.
const (
	MinCustodians    = 2
	MaxCustodians    = 9
	DefaultThreshold = 2
)

// Box is what is issued when a ballot box is made: the public key to keep, and one share per
// custodian, in the order of the custodians, to hand out once and forget.
type Box struct {
	PublicKey []byte
	Shares    []Share
}

// NewBox makes a fresh key pair and splits its private key into n shares, t of which rebuild
// it. The private key is dropped before it returns.
func NewBox(n, t int) (*Box, error) {
	if n < MinCustodians || n > MaxCustodians {
		return nil, survey.Errorf(survey.EINVALID, "開票立会人は %d〜%d 人で指定してください（%d 人が指定されました）",
			"name between %d and %d custodians (%d given)", MinCustodians, MaxCustodians, n)
	}
	if t < 2 || t > n {
		return nil, survey.Errorf(survey.EINVALID, "開票に必要な人数は 2〜%d（立会人の人数）で指定してください（%d が指定されました）",
			"the threshold must be between 2 and %d (the number of custodians), not %d", n, t)
	}
	if err := selfTest(); err != nil {
		return nil, err // a box whose records could not be opened would lose every answer
	}
	priv, err := kem.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("ballot key: %w", err)
	}
	seed, err := priv.Bytes()
	if err != nil {
		return nil, fmt.Errorf("ballot key: %w", err)
	}
	defer clear(seed)
	pub := priv.PublicKey().Bytes()
	ys, err := split(seed, n, t)
	if err != nil {
		return nil, err
	}
	fp := Fingerprint(pub)
	box := &Box{PublicKey: pub, Shares: make([]Share, n)}
	for i, y := range ys {
		box.Shares[i] = Share{Fingerprint: fp, Threshold: t, Index: i + 1}
		copy(box.Shares[i].Y[:], y)
		clear(y)
	}
	return box, nil
}

// FingerprintSize is the length of a public key's fingerprint, which every share carries.
const FingerprintSize = 5

// Fingerprint names a public key: the first bytes of its SHA-256. A share whose fingerprint is
// not that of a survey's key belongs to another survey (or another opening).
func Fingerprint(pub []byte) [FingerprintSize]byte {
	sum := sha256.Sum256(pub)
	return [FingerprintSize]byte(sum[:FingerprintSize])
}

// PublicKey is a parsed public key of a ballot box, safe for concurrent use.
type PublicKey struct {
	raw []byte

	mu      sync.Mutex
	sealers map[string]*sealer // by survey id (the HPKE info): one in practice

	// ready holds senders made in advance for one survey id (Prepare): the encapsulation, the
	// costly part of a seal (about 50 µs of CPU), is then done outside the caller's
	// transaction, and Seal only encrypts.
	ready   chan sender
	readyID string
}

// ParsePublicKey parses a public key as stored (Box.PublicKey).
func ParsePublicKey(b []byte) (*PublicKey, error) {
	if _, err := kem.NewPublicKey(b); err != nil {
		return nil, fmt.Errorf("ballot public key: %w", err)
	}
	return &PublicKey{raw: bytes.Clone(b), sealers: map[string]*sealer{}}, nil
}

// sealer returns the sealer of the key for survey id.
func (p *PublicKey) sealer(id string) (*sealer, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.sealers[id]; s != nil {
		return s, nil
	}
	s, err := newSealer(p.raw, id)
	if err != nil {
		return nil, err
	}
	p.sealers[id] = s
	return s, nil
}

// Prepare starts workers goroutines that keep up to n single-use senders for survey id ready,
// so that Seal for id does not encapsulate while its caller holds a lock. It must be called at
// most once, before the first Seal; stop ends the workers and drops the senders not used.
// Each sender seals one record, exactly as a single-shot Seal would: a record sealed with a
// prepared sender opens with hpke.Open like any other.
func (p *PublicKey) Prepare(id string, n, workers int) (stop func()) {
	p.ready, p.readyID = make(chan sender, n), id
	done := make(chan struct{})
	s, err := p.sealer(id)
	for range workers {
		if err != nil {
			break // Seal reports the error
		}
		go func() {
			for {
				snd, err := s.newSender()
				if err != nil {
					return // Seal encapsulates itself, and reports the error
				}
				select {
				case p.ready <- snd:
				case <-done:
					return
				}
			}
		}()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			for {
				select {
				case <-p.ready:
				default:
					return
				}
			}
		})
	}
}

// sealClasses are the sizes a padded record is rounded up to before sealing; records larger
// than the last class are rounded up to a multiple of it. Few, wide classes: a response with
// no comment or a short one (up to about 150 Japanese characters) fills the first, one with up
// to about 1,300 characters the second. A record's length then says "a short, a long or a very
// long comment" and nothing about its section or answers; the rarer the class, the more it
// stands out (survey/doc.go, Caveats).
var sealClasses = []int{512, 4 << 10, 32 << 10}

// paddedSize returns the padded size for a plaintext of n bytes (its 4-byte length included).
func paddedSize(n int) int {
	for _, c := range sealClasses {
		if n <= c {
			return c
		}
	}
	last := sealClasses[len(sealClasses)-1]
	return (n + last - 1) / last * last
}

// Seal seals record to the box's public key for survey id: single-shot HPKE with info = id,
// over len ‖ record ‖ zero padding, so that a record cannot be moved to another survey's box and
// its length says only its size class.
func (p *PublicKey) Seal(id string, record []byte) ([]byte, error) {
	plain := make([]byte, paddedSize(4+len(record)))
	binary.BigEndian.PutUint32(plain, uint32(len(record)))
	copy(plain[4:], record)
	if p.ready != nil && id == p.readyID {
		select {
		case snd := <-p.ready:
			return snd.seal(plain), nil
		default: // none ready: encapsulate here
		}
	}
	s, err := p.sealer(id)
	if err != nil {
		return nil, err
	}
	snd, err := s.newSender()
	if err != nil {
		return nil, err
	}
	return snd.seal(plain), nil
}

// Key is a rebuilt private key: it opens the records sealed to its public key, from any number
// of goroutines, until Wipe.
type Key struct {
	priv hpke.PrivateKey
	seed []byte
}

// Open opens a record sealed by Seal for survey id.
func (k *Key) Open(id string, sealed []byte) ([]byte, error) {
	if k.priv == nil {
		return nil, errors.New("ballot key wiped")
	}
	plain, err := hpke.Open(k.priv, kdf, aead, []byte(id), sealed)
	if err != nil {
		return nil, fmt.Errorf("open sealed record: %w", err)
	}
	if len(plain) < 4 {
		return nil, errors.New("open sealed record: too short")
	}
	n := binary.BigEndian.Uint32(plain)
	if uint64(n) > uint64(len(plain)-4) {
		return nil, errors.New("open sealed record: bad length")
	}
	return plain[4 : 4+n], nil
}

// Wipe clears the rebuilt key: Open fails afterwards.
func (k *Key) Wipe() {
	clear(k.seed)
	k.seed, k.priv = nil, nil
}

// Rebuild rebuilds the private key of public key pub from shares, which must each have passed
// Check against pub, and returns it, or an error saying why the shares do not rebuild it:
// fewer than the threshold, two of the same custodian, or a set that yields another key (a
// share altered, or made for the same survey by someone else).
func Rebuild(pub []byte, shares []Share) (*Key, error) {
	fp := Fingerprint(pub)
	seen := map[int]bool{}
	t := 0
	for _, s := range shares {
		if err := s.Check(fp); err != nil {
			return nil, err
		}
		if seen[s.Index] {
			return nil, survey.Errorf(survey.EINVALID, "%d 番の割符が 2 回入力されています。別の立会人の割符を入力してください。何も変更していません。",
				"share no. %d was given twice; give another custodian's share. Nothing was changed.", s.Index)
		}
		seen[s.Index] = true
		t = s.Threshold
	}
	if len(shares) < t || len(shares) < 2 {
		if t < 2 {
			t = 2
		}
		return nil, survey.Errorf(survey.EINVALID, "割符が足りません: 開票には %d 人分の割符が必要ですが、%d 人分しかありません。何も変更していません。",
			"too few shares: opening the box needs %d custodians' shares, only %d given. Nothing was changed.", t, len(shares))
	}
	xs := make([]byte, t)
	ys := make([][]byte, t)
	for i, s := range shares[:t] {
		xs[i], ys[i] = byte(s.Index), s.Y[:]
	}
	seed := combine(xs, ys)
	wrong := survey.Errorf(survey.EINVALID,
		"割符の組み合わせから、この調査の投票箱の鍵を復元できません（どれかの割符が書き換えられているか、別に作られたものです）。何も変更していません。",
		"these shares do not rebuild the key of this survey's ballot box (one of them was altered or made elsewhere). Nothing was changed.")
	priv, err := kem.NewPrivateKey(seed)
	if err != nil {
		clear(seed)
		return nil, wrong
	}
	if subtle.ConstantTimeCompare(priv.PublicKey().Bytes(), pub) != 1 {
		clear(seed)
		return nil, wrong
	}
	return &Key{priv: priv, seed: seed}, nil
}
