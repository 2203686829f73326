// Package password hashes and checks the passwords of admin users with bcrypt.
//
// It is its own package because two adapters need it — web checks passwords at login, cmd
// hashes them for `user add` and the demo login — and neither may own it for the other: the
// domain package survey imports only the standard library, bbolt, uuid and YAML, and cmd is
// imported by nothing. Keeping golang.org/x/crypto here also keeps it out of web's and survey's
// dependencies (the dependency tests check both).
package password

import (
	"crypto/rand"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"staffsurvey/survey"
)

// MinLength is the shortest password accepted for a user, in characters.
const MinLength = 12

// MaxLength is the longest: bcrypt reads only the first 72 bytes.
const MaxLength = 72

// Validate returns an EINVALID error, with a message for people, when password may not be
// used: shorter than MinLength characters, longer than MaxLength bytes, or common (IsCommon).
// Every way of setting a password — the admin pages and `user add` — calls it.
func Validate(password string) error {
	switch {
	case len([]rune(password)) < MinLength:
		return survey.Errorf(survey.EINVALID, "パスワードは %d 文字以上にしてください", "the password must have at least %d characters", MinLength)
	case len(password) > MaxLength:
		return survey.Errorf(survey.EINVALID, "パスワードは %d バイト以内にしてください", "the password must have at most %d bytes", MaxLength)
	case strings.TrimSpace(password) == "":
		return survey.Errorf(survey.EINVALID, "空白だけのパスワードは使えません", "a password of spaces only cannot be used")
	case IsCommon(password):
		return survey.Errorf(survey.EINVALID, "よく使われるパスワード（またはその変形）は使えません。推測されにくい語を組み合わせてください",
			"this password (or a variation of it) is among the most common ones: combine words that are hard to guess")
	}
	return nil
}

// Generate returns a new random password of 16 characters that Validate accepts, for resets
// shown once to an admin. It avoids characters that are easily confused (0/O, 1/l/I).
func Generate() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		if Validate(string(b)) == nil {
			return string(b)
		}
	}
}

// Hash returns a bcrypt hash of password at bcrypt's default cost: slow by design.
func Hash(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
}

// HashCheap returns a bcrypt hash at the lowest cost bcrypt allows. Check accepts it (the cost
// is read from the hash); it is for tests, which would otherwise spend most of their time
// hashing.
func HashCheap(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
}

// Check reports whether password matches hash, in constant time.
func Check(hash []byte, password string) bool {
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
}

// dummyHash is made the first time a login names an unknown user, not at start.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such user, no such password"), bcrypt.DefaultCost)
	return h
})

// CheckNone spends the time of a Check on a hash of default cost and reports false: a login
// that names an unknown user then takes as long as one with a wrong password.
func CheckNone(password string) bool {
	Check(dummyHash(), password)
	return false
}
