package web

import (
	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLength is the shortest password accepted for an admin user.
const MinPasswordLength = 8

// HashPassword returns a bcrypt hash of password, slow by design.
func HashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
}

// checkPassword reports whether password matches hash, in constant time.
func checkPassword(hash []byte, password string) bool {
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
}
