package survey

import (
	"crypto/rand"
	"crypto/sha256"
	"math/big"

	"github.com/google/uuid"
)

// MaxTokensPerIssue bounds one IssueTokens call.
const MaxTokensPerIssue = 100000

// NewToken returns a fresh random token: a UUIDv4 in canonical lowercase form.
func NewToken() string { return uuid.NewString() }

// ParseToken checks that s looks like a token and returns its canonical form. Only the
// canonical form is ever hashed, so "ABC…" and "abc…" are the same token.
func ParseToken(s string) (string, error) {
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 || u.Version() != 4 {
		return "", ErrTokenUnknown
	}
	return u.String(), nil
}

// HashToken returns what the store keeps of a token: the SHA-256 of its canonical form.
func HashToken(canonical string) []byte {
	h := sha256.Sum256([]byte(canonical))
	return h[:]
}

// ErrTokenUnknown is returned for a token that was never issued, or is malformed.
var ErrTokenUnknown = Errorf(ENOTFOUND,
	"この回答用コードは見つかりません。配布された用紙のコードを確認してください。",
	"This answer code was not found. Please check the code on your slip.")

// ErrTokenUsed is returned for a token that was used already.
var ErrTokenUsed = Errorf(ECONFLICT,
	"この回答用コードはすでに使用されています。回答は1回のみです。",
	"This answer code has already been used. Each code can be used once only.")

// ErrNotOpen is returned for a token whose survey is not open for answers.
var ErrNotOpen = Errorf(EGONE,
	"この調査は現在回答を受け付けていません。",
	"This survey is not accepting answers now.")

// Shuffle puts xs in a random order drawn from crypto/rand, so that the order in which tokens
// are listed or printed says nothing about the order in which they were issued.
func Shuffle(xs []string) {
	for i := len(xs) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic(err) // crypto/rand does not fail on Linux; a broken one must not fall back to a guessable order
		}
		xs[i], xs[j.Int64()] = xs[j.Int64()], xs[i]
	}
}
