package survey

import (
	"crypto/sha256"

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
		return "", errTokenUnknown
	}
	return u.String(), nil
}

// hashToken is what the store keeps of a token.
func hashToken(canonical string) []byte {
	h := sha256.Sum256([]byte(canonical))
	return h[:]
}

var errTokenUnknown = Errorf(ENOTFOUND,
	"この回答用コードは見つかりません。配布された用紙のコードを確認してください。",
	"This answer code was not found. Please check the code on your slip.")

var errTokenUsed = Errorf(ECONFLICT,
	"この回答用コードはすでに使用されています。回答は1回のみです。",
	"This answer code has already been used. Each code can be used once only.")

var errSurveyNotOpen = Errorf(EGONE,
	"この調査は現在回答を受け付けていません。",
	"This survey is not accepting answers now.")
