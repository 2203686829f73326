package survey

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// NA marks a question not answered, or answered 「わからない・該当しない」.
const NA = -1

// Response is one anonymous answer sheet. By design (docs/anonymity.md, rule 1) it holds only the
// survey, the leaf section, the answers and the comments: no token, no time, no client data.
type Response struct {
	Survey  string
	Section string
	// Answers holds one raw value (1..points, before reversal) or NA per item of
	// Questionnaire.Items(), in file order.
	Answers []int8
	// Satisfaction is 1..points or NA; ENPS is 0..10 or NA. Each is NA when the
	// questionnaire has no such outcome.
	Satisfaction int8
	ENPS         int8
	// Comments holds one text per Questionnaire.Comments, "" when left empty.
	Comments []string
	// Attributes holds, per Questionnaire.Attributes, the index of the chosen option or NA
	// (not stated, 「回答しない」); nil for a questionnaire without attributes. It lives only
	// inside the sealed response: a survey with attributes keeps sums, not records, after close.
	Attributes []int8
}

// NewResponse returns a response to q for section with every question unanswered.
func NewResponse(q *Questionnaire, section string) *Response {
	r := &Response{Survey: q.ID, Section: section, Answers: make([]int8, q.NumItems()),
		Satisfaction: NA, ENPS: NA, Comments: make([]string, len(q.Comments))}
	for i := range r.Answers {
		r.Answers[i] = NA
	}
	if len(q.Attributes) > 0 {
		r.Attributes = make([]int8, len(q.Attributes))
		for i := range r.Attributes {
			r.Attributes[i] = NA
		}
	}
	return r
}

// Clone returns a copy of r that shares nothing with it, for keeping a response that
// storage.Store.EachResponse is about to overwrite.
func (r *Response) Clone() *Response {
	c := *r
	c.Answers = append([]int8(nil), r.Answers...)
	c.Comments = append([]string(nil), r.Comments...)
	if r.Attributes != nil {
		c.Attributes = append([]int8(nil), r.Attributes...)
	}
	return &c
}

// Validate checks r against q: a leaf section, every value in range, comments within their
// length (counted in characters) and valid UTF-8.
func (r *Response) Validate(q *Questionnaire) error {
	if r.Survey != q.ID {
		return Errorf(EINVALID, "回答の調査 %q が一致しません", "response is for survey %q", r.Survey)
	}
	if !q.IsLeaf(r.Section) {
		return Errorf(EINVALID, "所属 %q はこの調査の末端の所属ではありません", "section %q is not a leaf section of this survey", r.Section)
	}
	nItems := 0 // not q.Items(): Validate runs once per imported row and must not allocate
	for _, c := range q.Categories {
		nItems += len(c.Items)
	}
	if len(r.Answers) != nItems {
		return Errorf(EINVALID, "回答数 %d が設問数 %d と一致しません", "%d answers for %d items", len(r.Answers), nItems)
	}
	p := int8(q.Scale.Points)
	for i, v := range r.Answers {
		if v != NA && (v < 1 || v > p) {
			items := q.Items()
			return &Error{Code: EINVALID, Message: Text{
				JA: fmt.Sprintf("設問 %s の値 %d は 1〜%d の範囲外です", items[i].ID, v, p),
				EN: fmt.Sprintf("item %s: value %d is outside 1..%d", items[i].ID, v, p)}}
		}
	}
	if r.Satisfaction != NA && (q.Outcomes.Satisfaction == nil || r.Satisfaction < 1 || r.Satisfaction > p) {
		return Errorf(EINVALID, "総合満足度の値 %d が範囲外です", "satisfaction value %d is out of range", r.Satisfaction)
	}
	if r.ENPS != NA && (q.Outcomes.ENPS == nil || r.ENPS < 0 || r.ENPS > 10) {
		return Errorf(EINVALID, "推奨度の値 %d は 0〜10 の範囲外です", "recommendation value %d is outside 0..10", r.ENPS)
	}
	if err := r.validateAttributes(q); err != nil {
		return err
	}
	if len(r.Comments) != len(q.Comments) {
		return Errorf(EINVALID, "自由記述の数が一致しません", "%d comments for %d comment questions", len(r.Comments), len(q.Comments))
	}
	for i, c := range r.Comments {
		if !utf8.ValidString(c) {
			return Errorf(EINVALID, "自由記述 %s に不正な文字が含まれています", "comment %s is not valid UTF-8", q.Comments[i].ID)
		}
		if n := utf8.RuneCountInString(c); n > q.Comments[i].MaxLength {
			return &Error{Code: EINVALID, Message: Text{
				JA: fmt.Sprintf("自由記述 %s は %d 文字以内で入力してください（%d 文字）", q.Comments[i].ID, q.Comments[i].MaxLength, n),
				EN: fmt.Sprintf("comment %s must be at most %d characters (it has %d)", q.Comments[i].ID, q.Comments[i].MaxLength, n)}}
		}
	}
	return nil
}

// Empty reports whether nothing at all was answered.
func (r *Response) Empty() bool {
	for _, v := range r.Answers {
		if v != NA {
			return false
		}
	}
	for _, c := range r.Comments {
		if c != "" {
			return false
		}
	}
	return r.Satisfaction == NA && r.ENPS == NA
}

// validateAttributes checks the attribute choices: none for a questionnaire without
// attributes, otherwise one per attribute (a nil slice counts as none stated), each an option
// index or NA.
func (r *Response) validateAttributes(q *Questionnaire) error {
	if r.Attributes == nil {
		return nil
	}
	if len(r.Attributes) != len(q.Attributes) {
		return Errorf(EINVALID, "属性の回答数 %d が属性の数 %d と一致しません", "%d attribute answers for %d attributes", len(r.Attributes), len(q.Attributes))
	}
	for i, v := range r.Attributes {
		if v != NA && (v < 0 || int(v) >= len(q.Attributes[i].Options)) {
			return Errorf(EINVALID, "属性 %s の選択 %d は範囲外です", "attribute %s: choice %d is out of range", q.Attributes[i].ID, v)
		}
	}
	return nil
}

// Attribute returns the option index r chose for attribute i, or NA.
func (r *Response) Attribute(i int) int8 {
	if i < len(r.Attributes) {
		return r.Attributes[i]
	}
	return NA
}

// responseVersion is the first byte of a stored response without attributes;
// responseVersionAttrs of one with them (the attribute choices follow the comments).
const (
	responseVersion      = 1
	responseVersionAttrs = 2
)

// MarshalBinary encodes r compactly for the store (survey id excluded: the bucket says it):
// version, section, answers as one byte each, the two outcomes, then the comments.
// Measured against JSON in BENCHMARKS.md.
func (r *Response) MarshalBinary() ([]byte, error) {
	n := 1 + binary.MaxVarintLen64*(3+len(r.Comments)) + len(r.Section) + len(r.Answers) + 2
	for _, c := range r.Comments {
		n += len(c)
	}
	b := make([]byte, 0, n)
	if r.Attributes != nil {
		b = append(b, responseVersionAttrs)
	} else {
		b = append(b, responseVersion)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Section)))
	b = append(b, r.Section...)
	b = binary.AppendUvarint(b, uint64(len(r.Answers)))
	for _, v := range r.Answers {
		b = append(b, byte(v))
	}
	b = append(b, byte(r.Satisfaction), byte(r.ENPS))
	b = binary.AppendUvarint(b, uint64(len(r.Comments)))
	for _, c := range r.Comments {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	if r.Attributes != nil {
		b = binary.AppendUvarint(b, uint64(len(r.Attributes)))
		for _, v := range r.Attributes {
			b = append(b, byte(v))
		}
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote, reusing r's slices where it can so that
// scanning a million responses does not allocate a million times.
func (r *Response) UnmarshalBinary(b []byte) error {
	bad := fmt.Errorf("decode response: corrupt record")
	if len(b) < 1 || (b[0] != responseVersion && b[0] != responseVersionAttrs) {
		return bad
	}
	attrs := b[0] == responseVersionAttrs
	b = b[1:]
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	var ok bool
	// Section codes repeat across records: keep the old string when equal to avoid an allocation.
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return bad
	}
	if string(b[k:k+int(n)]) != r.Section {
		r.Section = string(b[k : k+int(n)])
	}
	b = b[k+int(n):]
	n, k = binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n+2 {
		return bad
	}
	if cap(r.Answers) >= int(n) {
		r.Answers = r.Answers[:n]
	} else {
		r.Answers = make([]int8, n)
	}
	for i := range r.Answers {
		r.Answers[i] = int8(b[k+i])
	}
	b = b[k+int(n):]
	r.Satisfaction, r.ENPS = int8(b[0]), int8(b[1])
	b = b[2:]
	n, k = binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return bad
	}
	b = b[k:]
	r.Comments = r.Comments[:0]
	for i := uint64(0); i < n; i++ {
		var c string
		if len(b) > 0 && b[0] == 0 {
			b = b[1:] // empty comment: no allocation
		} else if c, ok = str(); !ok {
			return bad
		}
		r.Comments = append(r.Comments, c)
	}
	r.Attributes = r.Attributes[:0]
	if !attrs {
		r.Attributes = nil
	} else {
		n, k = binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return bad
		}
		for _, v := range b[k : k+int(n)] {
			r.Attributes = append(r.Attributes, int8(v))
		}
		b = b[k+int(n):]
	}
	if len(b) != 0 {
		return bad
	}
	return nil
}
