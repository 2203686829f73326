// Package ballot is the cryptography of the ballot box (投票箱, docs/anonymity.md, rule 3): a
// survey's key pair for HPKE (RFC 9180; KEM ML-KEM-768 + X25519, KDF HKDF-SHA256, AEAD
// AES-256-GCM), sealing a record to the public key, and the Shamir shares of the private key
// that the survey's custodians (開票立会人) hold.
//
// # Basics
//
// NewBox makes a key pair and splits its private key into one Share per custodian, t of which
// rebuild it. The caller keeps only Box.PublicKey; the shares go to the custodians, and the
// private key is dropped. Seal seals a record to the public key (single-shot HPKE, info = the
// survey id, padded to a few size classes). Rebuild takes t shares and the stored public key and
// returns a Key that opens sealed records, or an error that says why the shares do not rebuild
// it; Key.Wipe clears the rebuilt key.
//
// Keys are made and records opened by crypto/hpke; records are sealed by this package's own
// HPKE sender (sender.go) over CIRCL's ML-KEM-768 and curve25519-voi's Edwards tables for
// X25519, which make the same records with a third of the CPU, checked against the draft's test
// vector, crypto/ecdh and crypto/hpke's Open.
//
// Shares are standard Shamir secret sharing over GF(2⁸) with the polynomial x⁸+x⁴+x³+x²+1
// (0x11d), byte by byte, the share's index as x: the same arithmetic as libgfshare, so that
// Debian's gfcombine rebuilds a key from the shares made here (the tests check both ways).
//
// # Caveats
//
// Go cannot promise that no copy of a secret stays in memory: Wipe clears the buffers this
// package holds, the HPKE library's expanded key is dropped for the garbage collector. Nothing
// here writes anything anywhere.
package ballot
