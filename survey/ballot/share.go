package ballot

import (
	"fmt"
	"strings"

	"staffsurvey/survey"
)

// Share is one custodian's share of a ballot box's private key. Besides the secret part Y it
// says which box it belongs to (the fingerprint of the public key), how many shares open the
// box and which custodian's it is, so that a share can be checked on its own the moment it is
// typed: a typo, a share of another survey and a share given twice are each named.
type Share struct {
	Fingerprint [FingerprintSize]byte
	Threshold   int
	Index       int // 1…n, the custodian's number and Shamir's x
	Y           [32]byte
}

// shareVersion is the first byte of an encoded share.
const shareVersion = 1

// shareBytes is the length of an encoded share: version, fingerprint, threshold, index, Y.
const shareBytes = 1 + FingerprintSize + 1 + 1 + 32

// ShareChars is the number of characters of a share as text: 64 of Crockford's base32 and
// one check character.
const ShareChars = shareBytes*8/5 + 1

// crockford is Crockford's base32 alphabet; checkSymbols adds his five check symbols.
const (
	crockford    = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	checkSymbols = crockford + "*~$=U"
)

func (s Share) bytes() []byte {
	b := make([]byte, 0, shareBytes)
	b = append(b, shareVersion)
	b = append(b, s.Fingerprint[:]...)
	b = append(b, byte(s.Threshold), byte(s.Index))
	return append(b, s.Y[:]...)
}

// checkChar is Crockford's check symbol of b read as one big-endian number: its value mod 37.
// It catches every single mistyped character and every swap of two neighbours.
func checkChar(b []byte) byte {
	r := 0
	for _, c := range b {
		r = (r*256 + int(c)) % 37
	}
	return checkSymbols[r]
}

// String returns the share as text: 65 characters in groups of five, the last one the check
// character. ParseShare reads it back.
func (s Share) String() string {
	b := s.bytes()
	defer clear(b)
	var raw strings.Builder
	acc, bits := 0, 0
	for _, c := range b {
		acc = acc<<8 | int(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			raw.WriteByte(crockford[acc>>bits&31])
		}
	}
	raw.WriteByte(checkChar(b))
	text := raw.String()
	var out strings.Builder
	for i := 0; i < len(text); i += 5 {
		if i > 0 {
			out.WriteByte('-')
		}
		out.WriteString(text[i:min(i+5, len(text))])
	}
	return out.String()
}

// ParseShare reads a share typed or scanned from its sheet: spaces and hyphens are ignored,
// lower case is read as upper case and the look-alikes I, L and O as 1, 1 and 0. A wrong
// character, a wrong length or a check character that does not match is named.
func ParseShare(text string) (Share, error) {
	var clean []byte
	for _, r := range strings.ToUpper(text) {
		switch r {
		case ' ', '-', '\t', '\r', '\n', '　', 'ー', '－':
			continue
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		if r > 127 || !strings.ContainsRune(checkSymbols, r) {
			return Share{}, survey.Errorf(survey.EINVALID, "割符に使えない文字 %q があります（使う文字は 0〜9 と A〜Z です）",
				"the share contains %q, which is not one of its characters (0–9, A–Z)", string(r))
		}
		clean = append(clean, byte(r))
	}
	if len(clean) != ShareChars {
		return Share{}, survey.Errorf(survey.EINVALID, "割符は %d 文字ですが、%d 文字入力されています。抜けや重複がないか確かめてください。",
			"a share has %d characters; %d were given. Check for a missing or doubled group.", ShareChars, len(clean))
	}
	b := make([]byte, 0, shareBytes)
	acc, bits := 0, 0
	for i, c := range clean[:ShareChars-1] {
		v := strings.IndexByte(crockford, c)
		if v < 0 {
			return Share{}, survey.Errorf(survey.EINVALID, "割符の %d 文字目 %q は最後の文字（チェック文字）にしか使えません",
				"character %d of the share, %q, may only be the last (check) character", i+1, string(c))
		}
		acc = acc<<5 | v
		bits += 5
		if bits >= 8 {
			bits -= 8
			b = append(b, byte(acc>>bits))
		}
	}
	defer clear(b)
	if checkChar(b) != clean[ShareChars-1] {
		return Share{}, survey.Errorf(survey.EINVALID, "割符に打ち間違いがあります（最後のチェック文字が合いません）。シートと 1 文字ずつ見比べてください。",
			"the share has a typo (its last, check character does not match). Compare it with the sheet character by character.")
	}
	if b[0] != shareVersion {
		return Share{}, survey.Errorf(survey.EINVALID, "この割符の形式（版 %d）は読めません", "this share's format (version %d) is unknown", b[0])
	}
	s := Share{Threshold: int(b[1+FingerprintSize]), Index: int(b[2+FingerprintSize])}
	copy(s.Fingerprint[:], b[1:])
	copy(s.Y[:], b[3+FingerprintSize:])
	if s.Threshold < 2 || s.Threshold > MaxCustodians || s.Index < 1 || s.Index > MaxCustodians {
		return Share{}, survey.Errorf(survey.EINVALID, "割符の中身が正しくありません（番号 %d、必要人数 %d）", "the share is malformed (number %d, threshold %d)", s.Index, s.Threshold)
	}
	return s, nil
}

// Check reports whether s is a share of the box whose public key has fingerprint fp: if not,
// it belongs to another survey or another opening of this one.
func (s Share) Check(fp [FingerprintSize]byte) error {
	if s.Fingerprint != fp {
		return survey.Errorf(survey.EINVALID, "この割符は別の調査（または別の回に開始した投票箱）のものです（割符の識別 %s、この調査 %s）。この調査のシートの割符を入力してください。",
			"this share belongs to another survey (or another opening of the box): share id %s, this survey %s. Give the share from this survey's sheet.",
			FingerprintText(s.Fingerprint), FingerprintText(fp))
	}
	return nil
}

// FingerprintText is a fingerprint as printed on the sheets: 8 characters of base32.
func FingerprintText(fp [FingerprintSize]byte) string {
	var out []byte
	acc, bits := 0, 0
	for _, c := range fp {
		acc = acc<<8 | int(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, crockford[acc>>bits&31])
		}
	}
	return fmt.Sprintf("%s-%s", out[:4], out[4:])
}
