package answer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"staffsurvey/survey"
)

// This file turns what staff send — an HTML form or a JSON body — into a *survey.Response.
// The functions are pure (no store, no request) so that they can be fuzzed. They check the
// shape of the input (known fields, one value per question, values on the scale, comments
// within their length); survey.Response.Validate, run again by Store.Submit, stays the
// authority on what may be stored.
//
// Rules shared by both:
//   - a question left out, sent empty (form), sent as null (JSON) or answered
//     「わからない・該当しない」 ("na" in a form) is survey.NA: staff may skip any question;
//   - a submission with nothing answered at all (every question NA, every comment empty) is
//     refused with errEmptySubmission: it would use up the token, add nothing, and usually
//     means the send button was pressed by mistake;
//   - comments have their line breaks normalised to "\n" (browsers send "\r\n", which would
//     otherwise count twice against max_length) and surrounding white space removed.

// fieldErrors maps a question id (item, outcome or comment), or the field of an attribute
// (attrField), to what is wrong with its value.
type fieldErrors map[string]survey.Text

// attrField is the form field of attribute id, and its key in fieldErrors: attr:<id>, as the
// import column (docs/formats.md). Attribute ids live in a namespace of their own and may equal
// an item id; the colon keeps the two apart, since no question id can contain one.
func attrField(id string) string { return survey.AttrColumnPrefix + id }

// naValue is the form value of 「わからない・該当しない」.
const naValue = "na"

// tokenField is the form field (and query parameter) carrying the token.
const tokenField = "t"

var errEmptySubmission = survey.Errorf(survey.EINVALID,
	"少なくとも1問は回答してください（すべて未回答または「わからない・該当しない」の場合は送信できません）。",
	"Please answer at least one question (a form with every question unanswered or \"not applicable\" cannot be sent).")

// errInvalidFields is the summary error of a submission with field errors, listing them in
// page order: the attributes (asked first), the questions, then ids that are neither, sorted.
func errInvalidFields(q *survey.Questionnaire, fe fieldErrors) error {
	var ids, unknown []string
	known := map[string]bool{}
	for _, a := range q.Attributes {
		known[attrField(a.ID)] = true
		if _, ok := fe[attrField(a.ID)]; ok {
			ids = append(ids, attrField(a.ID))
		}
	}
	for _, id := range q.QuestionIDs() {
		known[id] = true
		if _, ok := fe[id]; ok {
			ids = append(ids, id)
		}
	}
	for id := range fe {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	var ja, en []string
	for _, id := range append(ids, unknown...) {
		ja = append(ja, id+": "+fe[id].JA)
		en = append(en, id+": "+fe[id].In("en"))
	}
	return &survey.Error{Code: survey.EINVALID, Message: survey.Text{
		JA: fmt.Sprintf("入力内容に誤りがあります（%d 件）: %s", len(fe), strings.Join(ja, " / ")),
		EN: fmt.Sprintf("%d invalid answer(s): %s", len(fe), strings.Join(en, " / ")),
	}}
}

// Messages of field errors.
func msgLikert(points int) survey.Text {
	return survey.Text{
		JA: fmt.Sprintf("1〜%d または「わからない・該当しない」から1つ選んでください。", points),
		EN: fmt.Sprintf("Choose one of 1–%d or \"not applicable\".", points)}
}

var (
	msgENPS        = survey.Text{JA: "0〜10 または「わからない・該当しない」から1つ選んでください。", EN: "Choose one of 0–10 or \"not applicable\"."}
	msgOneValue    = survey.Text{JA: "回答は1つだけ選んでください。", EN: "Choose only one answer."}
	msgBadText     = survey.Text{JA: "使用できない文字が含まれています。", EN: "The text contains invalid characters."}
	msgUnknown     = survey.Text{JA: "この調査にない設問です。", EN: "There is no such question in this survey."}
	msgNotInt      = survey.Text{JA: "整数または null で指定してください。", EN: "Must be an integer or null."}
	msgNotText     = survey.Text{JA: "文字列または null で指定してください。", EN: "Must be a string or null."}
	msgUnknownAttr = survey.Text{JA: "この調査にない属性です。", EN: "There is no such attribute in this survey."}
)

// msgOption is the error of a value that is not an option of attribute a: it names the
// attribute and lists what may be sent.
func msgOption(a *survey.Attribute, json bool) survey.Text {
	ids := make([]string, len(a.Options))
	for i, o := range a.Options {
		ids[i] = o.ID
	}
	none := survey.Text{JA: "空欄", EN: "empty"}
	if json {
		none = survey.Text{JA: "null", EN: "null"}
	}
	title := a.Title.In("en")
	return survey.Text{
		JA: fmt.Sprintf("「%s」にその選択肢はありません。%s のいずれか、または%s（回答しない）にしてください。", a.Title.JA, strings.Join(ids, ", "), none.JA),
		EN: fmt.Sprintf("%q has no such option: use one of %s, or %s (prefer not to say).", title, strings.Join(ids, ", "), none.EN)}
}

func msgTooLong(max, n int) survey.Text {
	return survey.Text{
		JA: fmt.Sprintf("%d 文字以内で入力してください（現在 %d 文字）。", max, n),
		EN: fmt.Sprintf("Please write at most %d characters (now %d).", max, n)}
}

// normalizeComment makes line breaks "\n" and trims surrounding white space.
func normalizeComment(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

// checkComment returns what is wrong with a normalised comment, or nil.
func checkComment(c survey.Comment, s string) *survey.Text {
	if !utf8.ValidString(s) {
		return &msgBadText
	}
	if n := utf8.RuneCountInString(s); n > c.MaxLength {
		m := msgTooLong(c.MaxLength, n)
		return &m
	}
	return nil
}

// parseForm converts the posted form of the questionnaire q into a response (survey and
// answers; the section is the token's and is set by the store). Fields that are not questions
// of q (the token, anything a browser adds) are ignored. Likert fields take "1".."points" or
// "na", the eNPS field "0".."10" or "na", an attribute's field attr:<id> one of its option ids
// or "" (「回答しない」: no option stored); anything else, a repeated field, or a comment over
// its max_length is a field error.
//
// The response is never nil: it holds every value that could be read, so a page can be
// re-rendered. err is nil, or an EINVALID *survey.Error: a summary of the field errors, or
// errEmptySubmission.
func ParseForm(q *survey.Questionnaire, v url.Values) (*survey.Response, fieldErrors, error) {
	r := survey.NewResponse(q, "")
	fe := fieldErrors{}
	one := func(id string) (string, bool) {
		vs := v[id]
		if len(vs) > 1 {
			fe[id] = msgOneValue
			return "", false
		}
		if len(vs) == 0 {
			return "", true
		}
		return vs[0], true
	}
	p := q.Scale.Points
	likert := func(id string) int8 {
		s, ok := one(id)
		if !ok {
			return survey.NA
		}
		x, ok := choice(s, 1, p)
		if !ok {
			fe[id] = msgLikert(p)
		}
		return x
	}
	for i, it := range q.Items() {
		r.Answers[i] = likert(it.ID)
	}
	if o := q.Outcomes.Satisfaction; o != nil {
		r.Satisfaction = likert(o.ID)
	}
	if o := q.Outcomes.ENPS; o != nil {
		if s, ok := one(o.ID); ok {
			x, ok := choice(s, 0, 10)
			if !ok {
				fe[o.ID] = msgENPS
			}
			r.ENPS = x
		}
	}
	for i := range q.Attributes {
		a := &q.Attributes[i]
		s, ok := one(attrField(a.ID))
		if !ok || s == "" {
			continue // 「回答しない」 (the empty value), or left out: no option stored
		}
		if k := a.OptionIndex(s); k >= 0 {
			r.Attributes[i] = int8(k)
		} else {
			fe[attrField(a.ID)] = msgOption(a, false)
		}
	}
	for i, c := range q.Comments {
		s, ok := one(c.ID)
		if !ok {
			continue
		}
		s = normalizeComment(s)
		r.Comments[i] = s
		if m := checkComment(c, s); m != nil {
			fe[c.ID] = *m
		}
	}
	return finish(q, r, fe)
}

// choice reads a form value: "" or "na" is NA, otherwise exactly the decimal form of an
// integer in lo..hi ("04", "+4" and " 4" are not).
func choice(s string, lo, hi int) (int8, bool) {
	if s == "" || s == naValue {
		return survey.NA, true
	}
	x, err := strconv.Atoi(s)
	if err != nil || x < lo || x > hi || strconv.Itoa(x) != s {
		return survey.NA, false
	}
	return int8(x), true
}

// finish returns r with the field errors, the summary error, or errEmptySubmission.
func finish(q *survey.Questionnaire, r *survey.Response, fe fieldErrors) (*survey.Response, fieldErrors, error) {
	if len(fe) > 0 {
		return r, fe, errInvalidFields(q, fe)
	}
	if r.Empty() {
		return r, nil, errEmptySubmission
	}
	return r, nil, nil
}

// jsonSubmission is the body of POST /api/v1/responses, decoded but not yet checked against
// a questionnaire (which the token decides).
type jsonSubmission struct {
	Token      string
	Answers    []member
	Outcomes   []member
	Comments   []member
	Attributes []member
}

// errJSON returns the EINVALID error of a body that cannot be read as a submission.
func errJSON(ja, en string) error {
	return &survey.Error{Code: survey.EINVALID, Message: survey.Text{JA: "JSON を読めません: " + ja, EN: "cannot read the JSON body: " + en}}
}

// decodeJSONSubmission decodes a JSON submission strictly: valid UTF-8, exactly one JSON
// object, no duplicate key at any depth, no key at the top level other than token, answers,
// outcomes, comments and attributes (spelt exactly so), token a string, the other four objects
// (or null). The values inside are checked later, against the questionnaire, by response.
func decodeJSONSubmission(data []byte) (*jsonSubmission, error) {
	// JSON text is UTF-8 (RFC 8259); encoding/json would quietly turn bad bytes into U+FFFD.
	if !utf8.Valid(data) {
		return nil, errJSON("UTF-8 として正しくないバイトがあります", "the body is not valid UTF-8")
	}
	if err := checkJSON(data); err != nil {
		return nil, err
	}
	top, ok := members(data)
	if !ok || top == nil {
		return nil, errJSON("全体が1つのオブジェクト {…} ではありません", "the body is not one JSON object")
	}
	s := &jsonSubmission{}
	for _, m := range top { // distinct keys: checkJSON refused duplicates
		var field *[]member
		switch m.key {
		case "token":
			if s.Token, ok = jsonString(m.value); !ok {
				return nil, errJSON("token は文字列で指定してください", "token must be a string")
			}
			continue
		case "answers":
			field = &s.Answers
		case "outcomes":
			field = &s.Outcomes
		case "comments":
			field = &s.Comments
		case "attributes":
			field = &s.Attributes
		default:
			return nil, errJSON(fmt.Sprintf("不明な項目 %q があります（token, answers, outcomes, comments, attributes のみ）", m.key),
				fmt.Sprintf("unknown field %q (only token, answers, outcomes, comments, attributes)", m.key))
		}
		if *field, ok = members(m.value); !ok {
			return nil, errJSON(m.key+" はオブジェクト {…} で指定してください", m.key+" must be an object")
		}
	}
	return s, nil
}

// checkJSON checks that data is exactly one JSON value whose objects have no duplicate keys.
// encoding/json keeps the last of duplicate keys silently; a submission that says two things
// about one question is refused instead. The common case, a valid body without duplicates, is
// told by json.Valid and plainKeys without the token-by-token walk (a tenth of the server's CPU
// per submission); the walk then runs only to say what is wrong.
func checkJSON(data []byte) error {
	if json.Valid(data) && plainKeys(data) {
		return nil
	}
	return walkJSON(data)
}

// walkJSON is checkJSON token by token: slow, and it says what is wrong.
func walkJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(depth int) error
	walk = func(depth int) error {
		if depth > 32 {
			return errJSON("入れ子が深すぎます", "nested too deeply")
		}
		tok, err := dec.Token()
		if err != nil {
			return syntaxError(err)
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch d {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return syntaxError(err)
				}
				key := k.(string) // the decoder guarantees a string key here
				if seen[key] {
					return errJSON(fmt.Sprintf("項目 %q が重複しています", key), fmt.Sprintf("duplicate key %q", key))
				}
				seen[key] = true
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
		case '[':
			for dec.More() {
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return syntaxError(err)
		}
		return nil
	}
	if err := walk(0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errJSON("JSON の後に余分なデータがあります", "extra data after the JSON value")
	}
	return nil
}

// plainKeys reports, for valid JSON data, that no object repeats a key and nothing is nested
// more than 30 deep (the walk of checkJSON refuses 32): false says only "ask the walk".
func plainKeys(data []byte) bool {
	type object struct {
		array bool
		from  int                 // its keys are keys[from:] while it is the innermost
		many  map[string]struct{} // all its keys, once many
	}
	// Fixed arrays, not slices that grow: a submission is checked without allocating (this
	// ran for every one, at 2 KB each).
	var objects [30]object
	var keyBuf [64][]byte
	depth, keys := 0, keyBuf[:0]
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			if depth == len(objects) {
				return false
			}
			objects[depth] = object{array: data[i] == '[', from: len(keys)}
			depth++
		case '}', ']':
			depth--
			keys = keys[:objects[depth].from]
		case '"':
			start, escaped := i+1, false
			for i++; data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
					escaped = true
				}
			}
			j := i + 1
			for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
				j++
			}
			if depth == 0 || objects[depth-1].array || j == len(data) || data[j] != ':' {
				continue // a string value, not a key
			}
			key := data[start:i]
			if escaped {
				var k string
				if json.Unmarshal(data[start-1:i+1], &k) != nil {
					return false
				}
				key = []byte(k)
			}
			o := &objects[depth-1]
			if o.many != nil {
				if _, dup := o.many[string(key)]; dup {
					return false
				}
				o.many[string(key)] = struct{}{}
				continue
			}
			for _, k := range keys[o.from:] {
				if bytes.Equal(k, key) {
					return false
				}
			}
			keys = append(keys, key)
			if len(keys)-o.from > 32 { // linear search would grow quadratic with a hostile body
				o.many = make(map[string]struct{}, 2*(len(keys)-o.from))
				for _, k := range keys[o.from:] {
					o.many[string(k)] = struct{}{}
				}
				keys = keys[:o.from]
			}
		}
	}
	return true
}

func syntaxError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errJSON("途中で終わっています", "unexpected end of input")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errJSON(fmt.Sprintf("%d バイト目: %v", se.Offset, se), fmt.Sprintf("offset %d: %v", se.Offset, se))
	}
	return errJSON("構文が正しくありません", "syntax error")
}

// response converts the submission to a response to q. Answers and the satisfaction outcome
// take an integer 1..points or null, eNPS an integer 0..10 or null, comments a string or null,
// attributes an option id of the attribute or null (「回答しない」: no option stored). A key that
// is not a question of q in its place (an item id under answers, an outcome id under outcomes,
// a comment id under comments, an attribute id under attributes) is a field error. Errors as
// for parseForm.
func (s *jsonSubmission) response(q *survey.Questionnaire) (*survey.Response, fieldErrors, error) {
	r := survey.NewResponse(q, "")
	fe := fieldErrors{}
	p := q.Scale.Points
	// The body is valid JSON (checkJSON): a value is null, an integer in decimal, or not an
	// integer (a fraction, an exponent, a string, ...), which strconv refuses as encoding/json
	// would, without its reflection.
	number := func(id string, raw json.RawMessage, lo, hi int, bad survey.Text) int8 {
		raw = bytes.TrimSpace(raw)
		if string(raw) == "null" {
			return survey.NA
		}
		x, err := strconv.Atoi(string(raw))
		if err != nil {
			fe[id] = msgNotInt
			return survey.NA
		}
		if x < lo || x > hi {
			fe[id] = bad
			return survey.NA
		}
		return int8(x)
	}
	badLikert := msgLikert(p)
	for _, e := range s.Answers {
		id, raw := e.key, e.value
		i, ok := itemIndex(q, id)
		if !ok {
			fe[id] = msgUnknown
			continue
		}
		r.Answers[i] = number(id, raw, 1, p, badLikert)
	}
	for _, e := range s.Outcomes {
		id, raw := e.key, e.value
		switch {
		case q.Outcomes.Satisfaction != nil && id == q.Outcomes.Satisfaction.ID:
			r.Satisfaction = number(id, raw, 1, p, badLikert)
		case q.Outcomes.ENPS != nil && id == q.Outcomes.ENPS.ID:
			r.ENPS = number(id, raw, 0, 10, msgENPS)
		default:
			fe[id] = msgUnknown
		}
	}
	for _, e := range s.Comments {
		id, raw := e.key, e.value
		i := -1
		for j, c := range q.Comments {
			if c.ID == id {
				i = j
			}
		}
		if i < 0 {
			fe[id] = msgUnknown
			continue
		}
		var text *string
		if err := json.Unmarshal(raw, &text); err != nil {
			fe[id] = msgNotText
			continue
		}
		if text == nil {
			continue
		}
		r.Comments[i] = normalizeComment(*text)
		if m := checkComment(q.Comments[i], r.Comments[i]); m != nil {
			fe[id] = *m
		}
	}
	for _, e := range s.Attributes {
		id, raw := e.key, e.value
		a, i, ok := q.Attribute(id)
		if !ok {
			fe[attrField(id)] = msgUnknownAttr
			continue
		}
		if string(bytes.TrimSpace(raw)) == "null" {
			continue
		}
		opt, isString := jsonString(bytes.TrimSpace(raw))
		if k := a.OptionIndex(opt); isString && k >= 0 {
			r.Attributes[i] = int8(k)
		} else {
			fe[attrField(id)] = msgOption(a, true)
		}
	}
	return finish(q, r, fe)
}

// itemIndex returns the index of item id in q's answers (Questionnaire.Items order), looked up
// in place: a map of the items, or q.Items(), would be built for every submission.
func itemIndex(q *survey.Questionnaire, id string) (int, bool) {
	i := 0
	for _, c := range q.Categories {
		for _, it := range c.Items {
			if it.ID == id {
				return i, true
			}
			i++
		}
	}
	return 0, false
}

// parseJSONSubmission decodes a JSON submission and converts it to a response to q: the
// two steps of POST /api/v1/responses in one call (the handler runs them apart because the
// token, read by the first, decides q). It returns the token as sent.
func parseJSONSubmission(q *survey.Questionnaire, data []byte) (string, *survey.Response, fieldErrors, error) {
	s, err := decodeJSONSubmission(data)
	if err != nil {
		return "", nil, nil, err
	}
	r, fe, err := s.response(q)
	return s.Token, r, fe, err
}

// member is one member of a JSON object: its key, decoded, and its value, raw and not copied.
type member struct {
	key   string
	value json.RawMessage
}

// members splits valid JSON in valid UTF-8 that is an object into its members, in the order
// of the text: what json.Unmarshal into a map[string]json.RawMessage gives, without its
// reflection, its second pass over the bytes and the map (a list is all its callers need, and
// checkJSON has refused duplicate keys before decodeJSONSubmission calls it). null gives a nil
// list, {} an empty one; ok is false for anything else that is not an object.
func members(raw []byte) ([]member, bool) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return nil, true
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	// Gathered on the stack, then copied once at their number: appending to a list on the
	// heap cost a submission (46 answers) four allocations and copies.
	var buf [64]member
	list := buf[:0] // not the result: that would move buf to the heap
	for i := skipSpace(raw, 1); raw[i] != '}'; {
		end := endOfValue(raw, i)
		key, ok := jsonString(raw[i:end])
		if !ok {
			return nil, false
		}
		i = skipSpace(raw, skipSpace(raw, end)+1) // past the colon
		end = endOfValue(raw, i)
		list = append(list, member{key, raw[i:end]})
		if i = skipSpace(raw, end); raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	out := make([]member, len(list))
	copy(out, list)
	return out, true
}

// jsonString returns the string a JSON string literal q stands for; ok is false when q is not
// a string (a number, null, an object...).
func jsonString(q []byte) (s string, ok bool) {
	if len(q) < 2 || q[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(q, '\\') < 0 {
		return string(q[1 : len(q)-1]), true
	}
	return s, json.Unmarshal(q, &s) == nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// endOfValue returns the index just past the valid JSON value starting at data[i].
func endOfValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		for i++; data[i] != '"'; i++ {
			if data[i] == '\\' {
				i++
			}
		}
		return i + 1
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch data[i] {
			case '"':
				i = endOfValue(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	default: // a number, true, false or null
		for i < len(data) && !strings.ContainsRune(",}] \t\n\r", rune(data[i])) {
			i++
		}
		return i
	}
}
