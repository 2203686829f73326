package answer

import (
	"net/url"
	"strings"
	"testing"

	"staffsurvey/survey"
)

// checkParsed checks what parseForm and the JSON parser promise for any input: a response
// whenever the input was read, only EINVALID errors, field errors only with an error, and an
// accepted response that is not empty and that survey.Response.Validate accepts.
func checkParsed(t *testing.T, q *survey.Questionnaire, r *survey.Response, fe fieldErrors, err error) {
	t.Helper()
	if err != nil && survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("got error code %s (%v); want %s", survey.ErrorCode(err), err, survey.EINVALID)
	}
	if len(fe) > 0 && err == nil {
		t.Fatalf("got field errors %v without an error", fe)
	}
	if err != nil {
		return
	}
	if r.Empty() {
		t.Fatalf("accepted an empty response")
	}
	r.Section = testSection
	if verr := r.Validate(q); verr != nil {
		t.Fatalf("accepted a response that does not validate: %v", verr)
	}
}

func FuzzParseForm(f *testing.F) {
	for _, tt := range parseFormTests {
		f.Add(tt.form)
	}
	f.Add(validAnswers().Encode())
	f.Add("m1=1&m1=na&%00=%00&good=%C0%AF")
	f.Add(strings.Repeat("enps=10&", 50))
	f.Add("m1=3&attr:rank=manager&attr:age=&attr:employment=fiscal-year")
	f.Add("attr:rank=staff&attr:rank=&attr:age=99&attr:x=1")
	// Every form goes to the test questionnaire and to the one with attributes.
	qs := []*survey.Questionnaire{testQuestionnaire(f, testSurveyID), attrQuestionnaire(f)}
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return // the server answers 400 before parseForm sees it
		}
		for _, q := range qs {
			r, fe, err := ParseForm(q, v)
			if r == nil {
				t.Fatalf("response is nil")
			}
			checkParsed(t, q, r, fe, err)
		}
	})
}

func FuzzParseJSONSubmission(f *testing.F) {
	for _, tt := range jsonTests {
		f.Add(tt.body)
	}
	f.Add(apiBody("0f8d3c1e-7a2b-4c5d-9e8f-1a2b3c4d5e6f"))
	f.Add(`{"token":"x","answers":{"m1":1,"m2":2,"m3":3,"i1":4,"i2":5},"outcomes":{"overall":1,"enps":10},"comments":{"good":"\u0000\ud800"}}`)
	f.Add(`{"token":"x","answers":{"m1":-0}}`)
	f.Add(`{"token":"x","answers":{"m1":1}}` + "\n")
	f.Add(`{"token":"x","answers":{"m1":1},"attributes":{"rank":"chief","age":null,"employment":"x"}}`)
	f.Add(`{"attributes":{"rank":["staff"],"age":{"a":1},"employment":"\u0072egular"}}`)
	// Every body goes to the test questionnaire and to the one with attributes.
	qs := []*survey.Questionnaire{testQuestionnaire(f, testSurveyID), attrQuestionnaire(f)}
	f.Fuzz(func(t *testing.T, body string) {
		for _, q := range qs {
			_, r, fe, err := parseJSONSubmission(q, []byte(body))
			if r == nil {
				if err == nil {
					t.Fatalf("no response and no error")
				}
				if survey.ErrorCode(err) != survey.EINVALID {
					t.Fatalf("got error code %s; want %s", survey.ErrorCode(err), survey.EINVALID)
				}
				continue
			}
			checkParsed(t, q, r, fe, err)
		}
	})
}
