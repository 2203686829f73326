// Package password hashes and checks the passwords of admin users with bcrypt.
//
// It is its own package because two adapters need it — web checks passwords at login, cmd
// hashes them for `user add` and the demo login — and neither may own it for the other: the
// domain package survey imports only the standard library, bbolt, uuid and YAML, and cmd is
// imported by nothing. Keeping golang.org/x/crypto here also keeps it out of web's and survey's
// dependencies (the dependency tests check both).
package password

import (
	"sync"

	"golang.org/x/crypto/bcrypt"

	"staffsurvey/survey"
)

// MinLength is the shortest password accepted for a user, in characters.
const MinLength = 8

// Validate returns an EINVALID error when password is too short to be accepted.
func Validate(password string) error {
	if len([]rune(password)) < MinLength {
		return survey.Errorf(survey.EINVALID, "パスワードは %d 文字以上にしてください", "the password must have at least %d characters", MinLength)
	}
	return nil
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
