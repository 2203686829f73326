package survey

import (
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// MaxTokensPerIssue bounds one IssueTokens call.
const MaxTokensPerIssue = 100000

// A token is an answer code, written for people to type from a slip: 80 random bits as 16
// characters of Crockford's base32 in four groups of four, and one check character that
// closes the last group:
//
//	K7QF-2M9X-HD4R-8WNCS
//
// Sixteen characters of 32 symbols hold exactly 80 bits, so the check character has to be a
// seventeenth: it is shown as the fifth character of the last group (docs/formats.md, "Answer
// codes"). It is drawn from the same 32 symbols rather than from Crockford's 37-symbol check
// alphabet, whose extra symbols * ~ $ = U are hard to type on a phone and mean something in a URL.
//
// The check character is c = Σ v_i·α^(i+1) over the 16 data values v_0…v_15 in GF(32) (the field
// of polynomials over GF(2) modulo x⁵+x²+1, α = x, which has order 31). It catches every error
// of one character (v·α^i ≠ 0 for v ≠ 0) and every exchange of two characters, adjacent or not
// ((a+b)(α^i+α^j) ≠ 0 for a ≠ b, i ≠ j < 31), the check character itself included; two or more
// unrelated errors slip through with probability 1/32, and then the server does not know the code.
const (
	tokenDataChars = 16                                 // 80 bits
	tokenChars     = tokenDataChars + 1                 // and the check character
	crockford      = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // value → symbol
	gfPoly         = 0b100101                           // x⁵+x²+1, primitive
)

// TokenBits is the number of random bits in a new token.
const TokenBits = 5 * tokenDataChars

// crockfordValue maps a symbol (after tidyToken) to its value, -1 for none.
var crockfordValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(crockford); i++ {
		t[crockford[i]] = int8(i)
	}
	return t
}()

// gfMul multiplies a and b in GF(32).
func gfMul(a, b byte) byte {
	var p byte
	for ; b != 0; b >>= 1 {
		if b&1 != 0 {
			p ^= a
		}
		a <<= 1
		if a&0b100000 != 0 {
			a ^= gfPoly
		}
	}
	return p
}

// checkValue returns the check value of 16 data values.
func checkValue(vs []byte) byte {
	var c, w byte = 0, 1
	for _, v := range vs {
		w = gfMul(w, 2) // α^(i+1)
		c ^= gfMul(v, w)
	}
	return c
}

// NewToken returns a fresh random token in canonical form (K7QF-2M9X-HD4R-8WNCS).
func NewToken() string {
	var b [TokenBits / 8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on Linux; a broken one must not give guessable codes
	}
	vs := make([]byte, tokenDataChars, tokenChars)
	for i := range vs { // 5 bits at a time, most significant first
		bit := 5 * i
		w := uint16(b[bit/8])<<8 | uint16(b[min(bit/8+1, len(b)-1)])
		vs[i] = byte(w>>(11-bit%8)) & 31
	}
	return formatCode(append(vs, checkValue(vs)))
}

// formatCode writes 17 values in the canonical grouping 4-4-4-5.
func formatCode(vs []byte) string {
	var sb strings.Builder
	for i, v := range vs {
		if i > 0 && i%4 == 0 && i < tokenDataChars {
			sb.WriteByte('-')
		}
		sb.WriteByte(crockford[v])
	}
	return sb.String()
}

// ParseToken reads a token as a person may have typed it and returns its canonical form; only
// the canonical form is ever hashed. It forgives what hand-typing and input methods do: case,
// full-width letters and digits, spaces, dashes or long-vowel marks for hyphens, hyphens left
// out or misplaced, and in a code I or L for 1, O for 0, U for V. Tokens of earlier versions
// (UUIDv4, with or without hyphens) keep their canonical lower-case UUID form.
//
// A code of the right length whose check character does not match gives ErrTokenTypo, and one
// of the wrong length ErrTokenLength, so that a typo is named as such; anything else that is
// not a token gives ErrTokenUnknown. All three have the code ENOTFOUND: a malformed token is an
// unknown one.
func ParseToken(s string) (string, error) {
	t, ok := tidyToken(s)
	if !ok {
		return "", ErrTokenUnknown
	}
	if len(t) == 32 && isHex(t) { // a UUID of an earlier version
		u, err := uuid.Parse(t)
		if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 {
			return "", ErrTokenUnknown
		}
		return u.String(), nil
	}
	vs := make([]byte, 0, tokenChars)
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch c {
		case 'I', 'L':
			c = '1'
		case 'O':
			c = '0'
		case 'U':
			c = 'V'
		}
		v := crockfordValue[c]
		if v < 0 {
			return "", ErrTokenUnknown
		}
		vs = append(vs, byte(v))
	}
	switch {
	case len(vs) == tokenChars && checkValue(vs[:tokenDataChars]) == vs[tokenDataChars]:
		return formatCode(vs), nil
	case len(vs) == tokenChars:
		return "", ErrTokenTypo
	case len(vs) >= tokenChars-3 && len(vs) <= tokenChars+3:
		return "", ErrTokenLength
	}
	return "", ErrTokenUnknown
}

// maxTypedToken bounds the input ParseToken looks at: a token with every character spaced
// and full-width is far shorter.
const maxTypedToken = 400

// tidyToken folds full-width ASCII to ASCII, drops spaces, hyphens and what input methods type
// for them, and upper-cases. ok is false for input too long to be a token.
func tidyToken(s string) (string, bool) {
	if len(s) > maxTypedToken {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～': // full-width ASCII block
			r -= '！' - '!'
		case unicode.IsSpace(r): // the ideographic space U+3000 included
			continue
		}
		switch r {
		case '-', 'ー', 'ｰ', '−', '‐', '‑', '‒', '–', '—', '―':
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
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

// ErrTokenTypo is returned for a code whose check character does not match: a character was
// typed wrong or two were swapped.
var ErrTokenTypo = Errorf(ENOTFOUND,
	"回答用コードに打ち間違いがあります（最後の確認用の文字と合いません）。用紙のコードと1文字ずつ見比べてください。",
	"The answer code has a typo (it does not match its last, check character). Please compare it with your slip character by character.")

// ErrTokenLength is returned for something that looks like a code with characters missing or
// extra.
var ErrTokenLength = Errorf(ENOTFOUND,
	"回答用コードの文字数が違います。コードは 4・4・4・5 文字の17文字です（例: K7QF-2M9X-HD4R-8WNCS）。",
	"The answer code has the wrong number of characters: it has 17, grouped 4-4-4-5 (e.g. K7QF-2M9X-HD4R-8WNCS).")

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
