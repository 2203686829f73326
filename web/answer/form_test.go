package answer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"staffsurvey/survey"
)

// na8 is survey.NA as an int8, for tables.
const na8 = int8(survey.NA)

// answersWith returns the 18 answers of the test questionnaire, all NA except those given by
// item index.
func answersWith(set map[int]int8) []int8 {
	a := make([]int8, 18)
	for i := range a {
		a[i] = na8
	}
	for i, v := range set {
		a[i] = v
	}
	return a
}

// parseFormTests are the cases of TestParseForm. Item indexes: m1 0, m2 1, ch2 10, t2 17.
var parseFormTests = []struct {
	name string
	form string // a query string
	// want, when the form is accepted
	answers      []int8
	satisfaction int8
	enps         int8
	comment      string
	// errFields, when it is refused for field errors; empty marks errEmptySubmission
	errFields []string
	empty     bool
}{
	{name: "one answer", form: "m1=4", answers: answersWith(map[int]int8{0: 4}), satisfaction: na8, enps: na8},
	{name: "every value of the scale", form: "m1=1&m2=2&m3=3&i1=4&i2=5&t2=na", answers: answersWith(map[int]int8{0: 1, 1: 2, 2: 3, 3: 4, 4: 5}), satisfaction: na8, enps: na8},
	{name: "reverse item stored raw", form: "ch2=5", answers: answersWith(map[int]int8{10: 5}), satisfaction: na8, enps: na8},
	{name: "outcomes", form: "overall=5&enps=0", answers: answersWith(nil), satisfaction: 5, enps: 0},
	{name: "enps 10", form: "enps=10", answers: answersWith(nil), satisfaction: na8, enps: 10},
	{name: "comment only", form: "good=%E8%89%AF%E3%81%84", answers: answersWith(nil), satisfaction: na8, enps: na8, comment: "良い"},
	{name: "comment line breaks normalised", form: "good=a%0D%0Ab%0Dc%0A", answers: answersWith(nil), satisfaction: na8, enps: na8, comment: "a\nb\nc"},
	{name: "token and unknown fields ignored", form: "t=x&lang=en&zzz=1&m1=3", answers: answersWith(map[int]int8{0: 3}), satisfaction: na8, enps: na8},
	{name: "empty values are unanswered", form: "m1=&m2=2&overall=&enps=", answers: answersWith(map[int]int8{1: 2}), satisfaction: na8, enps: na8},

	{name: "nothing", form: "", empty: true},
	{name: "only the token", form: "t=abc", empty: true},
	{name: "everything not applicable", form: "m1=na&m2=na&overall=na&enps=na", empty: true},
	{name: "white space comment", form: "good=+%0D%0A+", empty: true},

	{name: "above the scale", form: "m1=6&m2=3", errFields: []string{"m1"}},
	{name: "below the scale", form: "m1=0", errFields: []string{"m1"}},
	{name: "negative", form: "m1=-1", errFields: []string{"m1"}},
	{name: "leading zero", form: "m1=04", errFields: []string{"m1"}},
	{name: "plus sign", form: "m1=%2B4", errFields: []string{"m1"}},
	{name: "space", form: "m1=+4", errFields: []string{"m1"}},
	{name: "decimal", form: "m1=4.0", errFields: []string{"m1"}},
	{name: "word", form: "m1=NA", errFields: []string{"m1"}},
	{name: "huge", form: "m1=99999999999999999999", errFields: []string{"m1"}},
	{name: "two values", form: "m1=4&m1=5", errFields: []string{"m1"}},
	{name: "satisfaction out of range", form: "overall=6", errFields: []string{"overall"}},
	{name: "enps out of range", form: "enps=11&m1=2", errFields: []string{"enps"}},
	{name: "enps negative", form: "enps=-1", errFields: []string{"enps"}},
	{name: "comment too long", form: "good=" + strings.Repeat("x", 2001), errFields: []string{"good"}},
	{name: "invalid UTF-8", form: "good=%FF%FE", errFields: []string{"good"}},
	{name: "several", form: "m1=9&t2=x&good=" + strings.Repeat("%E3%81%82", 2001), errFields: []string{"m1", "t2", "good"}},
}

func TestParseForm(t *testing.T) {
	q := testQuestionnaire(t, testSurveyID)
	for _, tt := range parseFormTests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatalf("bad test form: %v", err)
			}
			r, fe, err := ParseForm(q, v)
			if r == nil {
				t.Fatalf("response is nil")
			}
			switch {
			case tt.empty:
				if err != errEmptySubmission || len(fe) != 0 {
					t.Fatalf("got %v, %v; want errEmptySubmission", fe, err)
				}
			case tt.errFields != nil:
				if survey.ErrorCode(err) != survey.EINVALID {
					t.Fatalf("got error %v; want EINVALID", err)
				}
				var got []string
				for id := range fe {
					got = append(got, id)
				}
				if len(got) != len(tt.errFields) {
					t.Fatalf("got field errors %v; want %v", fe, tt.errFields)
				}
				for _, id := range tt.errFields {
					if _, ok := fe[id]; !ok {
						t.Errorf("got field errors %v; want one for %s", fe, id)
					}
					if !strings.Contains(err.Error(), id+": ") {
						t.Errorf("got error %q; want it to name %s", err, id)
					}
				}
			default:
				if err != nil {
					t.Fatalf("got error %v (%v); want none", err, fe)
				}
				if !reflect.DeepEqual(r.Answers, tt.answers) {
					t.Errorf("got answers %v; want %v", r.Answers, tt.answers)
				}
				if r.Satisfaction != tt.satisfaction || r.ENPS != tt.enps {
					t.Errorf("got outcomes %d, %d; want %d, %d", r.Satisfaction, r.ENPS, tt.satisfaction, tt.enps)
				}
				if r.Comments[0] != tt.comment {
					t.Errorf("got comment %q; want %q", r.Comments[0], tt.comment)
				}
				r.Section = testSection
				if err := r.Validate(q); err != nil {
					t.Errorf("accepted response does not validate: %v", err)
				}
			}
		})
	}
}

// A comment of exactly max_length characters is accepted, counting characters, not bytes,
// and counting a line break once even when the browser sent "\r\n".
func TestParseFormCommentLimit(t *testing.T) {
	q := testQuestionnaire(t, testSurveyID)
	tests := []struct {
		name    string
		comment string
		ok      bool
	}{
		{"2000 kana", strings.Repeat("あ", 2000), true},
		{"2001 kana", strings.Repeat("あ", 2001), false},
		{"1000 CRLF lines", strings.Repeat("あ\r\n", 999) + "あ", true},
		{"emoji", strings.Repeat("😀", 2000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseForm(q, url.Values{"good": {tt.comment}})
			if got := err == nil; got != tt.ok {
				t.Errorf("got accepted %v (%v); want %v", got, err, tt.ok)
			}
		})
	}
}

// jsonTests are the cases of TestParseJSONSubmission.
var jsonTests = []struct {
	name string
	body string
	// want, when accepted
	answers      []int8
	satisfaction int8
	enps         int8
	comment      string
	// errFields names the field errors of a body that decodes but does not fit; decodeErr
	// marks a body refused before the questionnaire is looked at; empty errEmptySubmission.
	errFields []string
	decodeErr string
	empty     bool
}{
	{name: "example of docs/http.md", body: `{"token": "x", "answers": {"m1": 4, "m2": null}, "outcomes": {"overall": 4, "enps": 8}, "comments": {"good": "..."}}`,
		answers: answersWith(map[int]int8{0: 4}), satisfaction: 4, enps: 8, comment: "..."},
	{name: "answers only", body: `{"token":"x","answers":{"t2":1,"ch2":5}}`, answers: answersWith(map[int]int8{17: 1, 10: 5}), satisfaction: na8, enps: na8},
	{name: "enps 0", body: `{"token":"x","outcomes":{"enps":0}}`, answers: answersWith(nil), satisfaction: na8, enps: 0},
	{name: "null objects", body: `{"token":"x","answers":null,"outcomes":null,"comments":{"good":"a\r\nb"}}`, answers: answersWith(nil), satisfaction: na8, enps: na8, comment: "a\nb"},

	{name: "no answers", body: `{"token":"x"}`, empty: true},
	{name: "all null", body: `{"token":"x","answers":{"m1":null},"outcomes":{"enps":null},"comments":{"good":null}}`, empty: true},
	{name: "empty comment", body: `{"token":"x","comments":{"good":"   "}}`, empty: true},

	{name: "out of range", body: `{"token":"x","answers":{"m1":6}}`, errFields: []string{"m1"}},
	{name: "zero", body: `{"token":"x","answers":{"m1":0}}`, errFields: []string{"m1"}},
	{name: "float", body: `{"token":"x","answers":{"m1":4.5}}`, errFields: []string{"m1"}},
	{name: "float with zero fraction", body: `{"token":"x","answers":{"m1":4.0}}`, errFields: []string{"m1"}},
	{name: "exponent", body: `{"token":"x","answers":{"m1":4e0}}`, errFields: []string{"m1"}},
	{name: "huge", body: `{"token":"x","answers":{"m1":1e400}}`, errFields: []string{"m1"}},
	{name: "string number", body: `{"token":"x","answers":{"m1":"4"}}`, errFields: []string{"m1"}},
	{name: "string na", body: `{"token":"x","answers":{"m1":"na"}}`, errFields: []string{"m1"}},
	{name: "bool", body: `{"token":"x","answers":{"m1":true}}`, errFields: []string{"m1"}},
	{name: "unknown item", body: `{"token":"x","answers":{"m1":3,"zz":3}}`, errFields: []string{"zz"}},
	{name: "outcome under answers", body: `{"token":"x","answers":{"overall":3}}`, errFields: []string{"overall"}},
	{name: "item under outcomes", body: `{"token":"x","outcomes":{"m1":3}}`, errFields: []string{"m1"}},
	{name: "enps out of range", body: `{"token":"x","outcomes":{"enps":11}}`, errFields: []string{"enps"}},
	{name: "satisfaction out of range", body: `{"token":"x","outcomes":{"overall":0}}`, errFields: []string{"overall"}},
	{name: "unknown comment", body: `{"token":"x","comments":{"bad":"x"}}`, errFields: []string{"bad"}},
	{name: "comment not a string", body: `{"token":"x","comments":{"good":3}}`, errFields: []string{"good"}},
	{name: "comment too long", body: `{"token":"x","comments":{"good":"` + strings.Repeat("あ", 2001) + `"}}`, errFields: []string{"good"}},

	{name: "empty body", body: ``, decodeErr: "end of input"},
	{name: "invalid UTF-8", body: "{\"token\":\"x\",\"comments\":{\"good\":\"\xff\xfe\"}}", decodeErr: "UTF-8"},
	{name: "not JSON", body: `token=x`, decodeErr: "offset"},
	{name: "truncated", body: `{"token":"x","answers":{"m1":4}`, decodeErr: "end of input"},
	{name: "trailing data", body: `{"token":"x"} {}`, decodeErr: "extra data"},
	{name: "array", body: `[{"token":"x"}]`, decodeErr: "object"},
	{name: "null", body: `null`, decodeErr: "object"},
	{name: "string", body: `"x"`, decodeErr: "object"},
	{name: "unknown top-level field", body: `{"token":"x","answers":{"m1":4},"section":"kikaku"}`, decodeErr: `"section"`},
	{name: "field in other case", body: `{"Token":"x","answers":{"m1":4}}`, decodeErr: `"Token"`},
	{name: "duplicate answer", body: `{"token":"x","answers":{"m1":1,"m1":5}}`, decodeErr: `duplicate key "m1"`},
	{name: "duplicate token", body: `{"token":"x","token":"y","answers":{"m1":1}}`, decodeErr: `duplicate key "token"`},
	{name: "token not a string", body: `{"token":1,"answers":{"m1":1}}`, decodeErr: "token"},
	{name: "token null", body: `{"token":null,"answers":{"m1":1}}`, decodeErr: "token"},
	{name: "answers an array", body: `{"token":"x","answers":[4]}`, decodeErr: "answers"},
	{name: "comments a string", body: `{"token":"x","comments":"x"}`, decodeErr: "comments"},
	{name: "attributes a number", body: `{"token":"x","attributes":3}`, decodeErr: "attributes must be an object"},
	{name: "the first problem in the text", body: `{"answers":[4],"section":"x","token":1}`, decodeErr: "answers must be an object"},
	{name: "unknown field before a bad one", body: `{"section":"x","answers":[4]}`, decodeErr: `"section"`},
	{name: "deeply nested", body: `{"token":"x","answers":{"m1":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}}`, decodeErr: "nested"},
}

func TestParseJSONSubmission(t *testing.T) {
	q := testQuestionnaire(t, testSurveyID)
	for _, tt := range jsonTests {
		t.Run(tt.name, func(t *testing.T) {
			token, r, fe, err := parseJSONSubmission(q, []byte(tt.body))
			switch {
			case tt.decodeErr != "":
				if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), tt.decodeErr) {
					t.Fatalf("got error %v; want EINVALID mentioning %q", err, tt.decodeErr)
				}
			case tt.empty:
				if err != errEmptySubmission {
					t.Fatalf("got %v, %v; want errEmptySubmission", fe, err)
				}
			case tt.errFields != nil:
				if survey.ErrorCode(err) != survey.EINVALID {
					t.Fatalf("got error %v; want EINVALID", err)
				}
				if len(fe) != len(tt.errFields) {
					t.Fatalf("got field errors %v; want %v", fe, tt.errFields)
				}
				for _, id := range tt.errFields {
					if _, ok := fe[id]; !ok {
						t.Errorf("got field errors %v; want one for %s", fe, id)
					}
				}
			default:
				if err != nil {
					t.Fatalf("got error %v; want none", err)
				}
				if token != "x" {
					t.Errorf("got token %q; want %q", token, "x")
				}
				if !reflect.DeepEqual(r.Answers, tt.answers) {
					t.Errorf("got answers %v; want %v", r.Answers, tt.answers)
				}
				if r.Satisfaction != tt.satisfaction || r.ENPS != tt.enps {
					t.Errorf("got outcomes %d, %d; want %d, %d", r.Satisfaction, r.ENPS, tt.satisfaction, tt.enps)
				}
				if r.Comments[0] != tt.comment {
					t.Errorf("got comment %q; want %q", r.Comments[0], tt.comment)
				}
			}
		})
	}
}

// checkJSONCases are bodies where the fast check of checkJSON (json.Valid and plainKeys) and
// the token walk must agree: duplicates hidden by escapes, strings that look like keys, depth
// around the limit, many keys.
var checkJSONCases = []string{
	`{"answers":{"m1":1,"m\u0031":2}}`,
	`{"answers":{"m1":1,"m\u00312":2}}`,
	`{"a":"b:c","b":"\"a\":1","a\"":1,"a\\":2}`,
	`{"a":"x" , "a" : "y"}`,
	`{"a" :1,"b":[{"a":1},{"a":2}],"c":{"a":{"a":1}}}`,
	`{"a":[1,"a","a"],"b":["a",{"b":1,"b":2}]}`,
	`[{"x":1},{"x":1}]`,
	`{"\u00e9":1,"é":2}`,
	`{"":1,"":2}`,
	`{"k":{}, "k2":[], "k3":""}`,
	`"just a string"`, `12`, `null`, ` {"a":1} `,
	`{"a":1,"b":2,,}`, `{"a":1}{"b":2}`, `{"a":1`,
	strings.Repeat("[", 29) + strings.Repeat("]", 29),
	strings.Repeat("[", 30) + strings.Repeat("]", 30),
	strings.Repeat("[", 33) + strings.Repeat("]", 33),
	strings.Repeat(`{"a":`, 32) + "1" + strings.Repeat("}", 32),
	strings.Repeat(`{"a":`, 33) + "1" + strings.Repeat("}", 33),
}

// manyKeys and manyKeysDup are objects of 201 keys, the second with a duplicate spelt with
// escapes: past the size where plainKeys switches to a map.
var manyKeys, manyKeysDup string

// nestedDistinct are objects whose keys repeat only in different objects: the fast check
// passes them without the walk.
var nestedDistinct []string

func init() {
	var many, manyDup strings.Builder
	many.WriteString("{")
	for i := range 200 {
		fmt.Fprintf(&many, `"k%d":%d,`, i, i)
	}
	manyDup.WriteString(many.String() + `"k150":1}`)
	manyKeys = many.String() + `"last":0}`
	manyKeysDup = strings.Replace(manyDup.String(), `"k150":1}`, `"k\u0031\u0035\u0030":1}`, 1)
	checkJSONCases = append(checkJSONCases, manyKeys, manyDup.String(), manyKeysDup)
	// Keys of an object before and after its children's, and siblings' keys, with the
	// object in either way of remembering its keys (few, or past the switch to a map).
	for _, head := range []string{"{", strings.TrimSuffix(many.String(), ",") + ","} {
		distinct := []string{
			head + `"a":{"b":1,"c":{"d":1}},"b":1,"c":2,"e":3}`,
			head + `"x":{"a":1},"y":{"a":1},"z":[{"a":1,"b":2}]}`,
		}
		nestedDistinct = append(nestedDistinct, distinct...)
		checkJSONCases = append(checkJSONCases, append(distinct,
			head+`"a":{"b":1,"c":{"d":1}},"b":1,"c":2,"a":3}`,
			head+`"x":{"a":1},"y":{"a":1},"z":[{"a":1,"a":2}]}`)...)
	}
}

func TestCheckJSONAgreesWithWalk(t *testing.T) {
	cases := slices.Clone(checkJSONCases)
	for _, tt := range jsonTests {
		cases = append(cases, tt.body)
	}
	for _, body := range cases {
		fast, walk := checkJSON([]byte(body)), walkJSON([]byte(body))
		if fmt.Sprint(fast) != fmt.Sprint(walk) {
			t.Errorf("%.80q: checkJSON %v; the walk %v", body, fast, walk)
		}
	}
	// The fast check itself must see the duplicates, not leave them to the walk by luck.
	for _, body := range []string{`{"a":1,"a":2}`, `{"answers":{"m1":1,"m\u0031":2}}`, manyKeysDup} {
		if plainKeys([]byte(body)) {
			t.Errorf("plainKeys(%.60q) = true; want false", body)
		}
	}
	if !plainKeys([]byte(manyKeys)) {
		t.Errorf("plainKeys of 201 distinct keys = false; want true")
	}
	for _, body := range nestedDistinct {
		if !plainKeys([]byte(body)) {
			t.Errorf("plainKeys(%.60q…) = false; want true", body[max(0, len(body)-60):])
		}
	}
}

func FuzzCheckJSON(f *testing.F) {
	for _, body := range checkJSONCases {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fast, walk := checkJSON([]byte(body)), walkJSON([]byte(body))
		if fmt.Sprint(fast) != fmt.Sprint(walk) {
			t.Fatalf("%q: checkJSON %v; the walk %v", body, fast, walk)
		}
	})
}

// TestMembers: members gives what json.Unmarshal into a map of raw values gives, for objects
// of every shape (escaped keys, nested values, strings with braces and quotes, spaces), and
// refuses what is not an object.
func TestMembers(t *testing.T) {
	for _, body := range append(slices.Clone(checkJSONCases),
		`{}`, ` { } `, `{"a" : { "b" : [1, {"c":"}"}] } , "d":"\"}", "e" : -1.5e3 ,"f":true,"g":null}`,
		`{"t\u00e9":"x","\\":"\\\""}`, `[1]`, `"s"`, `12`, `null`, `true`) {
		checkMembers(t, body)
	}
}

func FuzzMembers(f *testing.F) {
	for _, body := range checkJSONCases {
		f.Add(body)
	}
	f.Fuzz(checkMembers)
}

func checkMembers(t *testing.T, body string) {
	if !json.Valid([]byte(body)) || !utf8.ValidString(body) {
		return // members is only ever given valid JSON in valid UTF-8
	}
	var want map[string]json.RawMessage
	werr := json.Unmarshal([]byte(body), &want)
	list, ok := members([]byte(body))
	var got map[string]json.RawMessage // the last of duplicate keys wins, as in json.Unmarshal
	if list != nil {
		got = map[string]json.RawMessage{}
		for _, m := range list {
			got[m.key] = m.value
		}
	}
	same := maps.EqualFunc(got, want, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) })
	if ok != (werr == nil) || !same || (got == nil) != (want == nil) {
		t.Errorf("members(%.80q) = %q, %v; json.Unmarshal gives %q, %v", body, got, ok, want, werr)
	}
}
