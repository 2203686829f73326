package survey

import (
	"crypto/sha256"
	"encoding/hex"
)

// CommentID names a comment by its question and text: two staff who wrote the same words to
// the same question share one id, and so one decision (cleared as harmless, chosen for the
// staff edition). It is derived from nothing else, so it says nothing about who wrote it, and
// a redacted comment gets a new one: a choice made for its old text no longer applies.
func CommentID(question, text string) string {
	h := sha256.Sum256([]byte(question + "\x00" + text))
	return hex.EncodeToString(h[:12])
}
