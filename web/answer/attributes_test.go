package answer

import (
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// attrQuestionnaire returns the attributes fixture (testdata/fixtures/attributes/attr-2026.yaml):
// the test questionnaire with rank (staff, chief, manager), age (20s, 30s, 40s, 50s) and
// employment (regular, fiscal-year, reemployed).
func attrQuestionnaire(tb testing.TB) *survey.Questionnaire {
	tb.Helper()
	data, err := os.ReadFile(testfixture.Attributes("attr-2026.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	q, err := survey.Parse("attr-2026.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// Attributes come from the form as attr:<id> = an option id, or "" for 「回答しない」, which
// stores no option; a value that is not an option of the attribute is a field error named
// after the attribute, whose message lists the options in both languages.
func TestParseFormAttributes(t *testing.T) {
	q := attrQuestionnaire(t)
	tests := []struct {
		name      string
		form      string
		want      []int8 // rank, age, employment
		errFields []string
		empty     bool
	}{
		{name: "all three", form: "m1=3&attr:rank=manager&attr:age=40s&attr:employment=regular", want: []int8{2, 2, 0}},
		{name: "prefer not to say stores nothing", form: "m1=3&attr:rank=&attr:age=&attr:employment=", want: []int8{na8, na8, na8}},
		{name: "left out", form: "m1=3", want: []int8{na8, na8, na8}},
		{name: "some", form: "m1=3&attr:employment=fiscal-year&attr:rank=", want: []int8{na8, na8, 1}},
		{name: "attributes only is nothing answered", form: "attr:rank=staff&attr:age=30s", empty: true},
		{name: "an option of another attribute", form: "m1=3&attr:rank=40s", errFields: []string{"attr:rank"}},
		{name: "an option index", form: "m1=3&attr:age=1", errFields: []string{"attr:age"}},
		{name: "the label", form: "m1=3&attr:rank=%E4%BF%82%E5%93%A1", errFields: []string{"attr:rank"}},
		{name: "two options", form: "m1=3&attr:rank=staff&attr:rank=chief", errFields: []string{"attr:rank"}},
		{name: "the item id without the prefix is not the attribute", form: "m1=3&rank=staff", want: []int8{na8, na8, na8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			r, fe, err := ParseForm(q, v)
			switch {
			case tt.empty:
				if err != errEmptySubmission {
					t.Fatalf("got %v, %v; want errEmptySubmission", fe, err)
				}
			case tt.errFields != nil:
				if survey.ErrorCode(err) != survey.EINVALID || len(fe) != len(tt.errFields) {
					t.Fatalf("got %v, %v; want field errors %v", fe, err, tt.errFields)
				}
				for _, f := range tt.errFields {
					if _, ok := fe[f]; !ok {
						t.Errorf("got field errors %v; want one for %s", fe, f)
					}
				}
			default:
				if err != nil {
					t.Fatalf("got %v (%v); want none", err, fe)
				}
				if !reflect.DeepEqual(r.Attributes, tt.want) {
					t.Errorf("got attributes %v; want %v", r.Attributes, tt.want)
				}
				r.Section = "soumu-a"
				if err := r.Validate(q); err != nil {
					t.Errorf("accepted response does not validate: %v", err)
				}
			}
		})
	}
}

// An option id that is not one of the attribute's is refused with a message that names the
// attribute and lists what may be sent, in Japanese and in English.
func TestAttributeOptionMessage(t *testing.T) {
	q := attrQuestionnaire(t)
	_, _, err := ParseForm(q, url.Values{"m1": {"3"}, "attr:rank": {"boss"}})
	msg := survey.ErrorMessage(err)
	for _, want := range []string{"attr:rank", "「職層」", "staff, chief, manager", "回答しない"} {
		if !strings.Contains(msg.JA, want) {
			t.Errorf("Japanese message %q; want it to contain %q", msg.JA, want)
		}
	}
	for _, want := range []string{"attr:rank", `"Position"`, "staff, chief, manager", "prefer not to say"} {
		if !strings.Contains(msg.EN, want) {
			t.Errorf("English message %q; want it to contain %q", msg.EN, want)
		}
	}
	_, _, _, err = parseJSONSubmission(q, []byte(`{"answers": {"m1": 3}, "attributes": {"rank": "boss"}}`))
	if msg := survey.ErrorMessage(err); !strings.Contains(msg.JA, "null（回答しない）") || !strings.Contains(msg.EN, "null (prefer not to say)") {
		t.Errorf("JSON: got %q / %q; want null offered as prefer not to say", msg.JA, msg.EN)
	}
}

// The JSON API takes "attributes": {"<attribute id>": "<option id>" | null}; null, or an
// attribute left out, stores no option.
func TestParseJSONAttributes(t *testing.T) {
	q := attrQuestionnaire(t)
	tests := []struct {
		name      string
		body      string
		want      []int8
		errFields []string
	}{
		{name: "options", body: `{"answers": {"m1": 3}, "attributes": {"rank": "staff", "age": "50s", "employment": "reemployed"}}`, want: []int8{0, 3, 2}},
		{name: "null stores nothing", body: `{"answers": {"m1": 3}, "attributes": {"rank": null, "age": "20s"}}`, want: []int8{na8, 0, na8}},
		{name: "attributes null", body: `{"answers": {"m1": 3}, "attributes": null}`, want: []int8{na8, na8, na8}},
		{name: "unknown option", body: `{"answers": {"m1": 3}, "attributes": {"rank": "boss"}}`, errFields: []string{"attr:rank"}},
		{name: "an index", body: `{"answers": {"m1": 3}, "attributes": {"age": 1}}`, errFields: []string{"attr:age"}},
		{name: "empty string", body: `{"answers": {"m1": 3}, "attributes": {"age": ""}}`, errFields: []string{"attr:age"}},
		{name: "unknown attribute", body: `{"answers": {"m1": 3}, "attributes": {"salary": "high"}}`, errFields: []string{"attr:salary"}},
		{name: "an item id is no attribute", body: `{"answers": {"m1": 3}, "attributes": {"m1": "3"}}`, errFields: []string{"attr:m1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r, fe, err := parseJSONSubmission(q, []byte(tt.body))
			if tt.errFields != nil {
				if survey.ErrorCode(err) != survey.EINVALID || len(fe) != len(tt.errFields) {
					t.Fatalf("got %v, %v; want field errors %v", fe, err, tt.errFields)
				}
				for _, f := range tt.errFields {
					if _, ok := fe[f]; !ok {
						t.Errorf("got field errors %v; want one for %s", fe, f)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v; want none", err)
			}
			if !reflect.DeepEqual(r.Attributes, tt.want) {
				t.Errorf("got attributes %v; want %v", r.Attributes, tt.want)
			}
		})
	}
	// A survey without attributes has none to answer.
	plain := testQuestionnaire(t, testSurveyID)
	if _, _, fe, err := parseJSONSubmission(plain, []byte(`{"answers": {"m1": 3}, "attributes": {"rank": "staff"}}`)); err == nil || len(fe) != 1 {
		t.Errorf("attributes for a survey without them: got %v, %v; want a field error", fe, err)
	}
}

// The first part of the page asks the attributes, each a radio group with 「回答しない」; posted
// values (the language switch, an invalid form) come back checked, and a wrong one is marked
// and linked from the summary by the attribute's title.
func TestAnswerPageAttributes(t *testing.T) {
	q := attrQuestionnaire(t)
	tk := &survey.Ticket{Survey: &survey.Survey{Questionnaire: q}, Section: "soumu-a"}
	values := url.Values{"attr:rank": {"chief"}, "attr:age": {""}, "attr:employment": {"boss"}}
	fe := fieldErrors{"attr:employment": msgOption(&q.Attributes[2], false)}
	p := newAnswerPage(tk, "TOKEN", values, fe, nil)
	first := p.Parts[0]
	if first.Anchor != "about" || len(first.Attributes) != 3 || first.Number != 1 || first.Of != len(q.Categories)+3 {
		t.Fatalf("first part %q with %d attributes, %d of %d; want about with 3, 1 of %d", first.Anchor, len(first.Attributes), first.Number, first.Of, len(q.Categories)+3)
	}
	rank, age, emp := first.Attributes[0], first.Attributes[1], first.Attributes[2]
	if !rank.Options[1].Checked || rank.Options[0].Checked || rank.None {
		t.Errorf("rank: got %+v; want chief checked", rank)
	}
	if !age.None {
		t.Errorf("age: got %+v; want 回答しない checked", age)
	}
	if emp.Error == nil || emp.None || len(p.Invalid) != 1 || p.Invalid[0].Anchor != "a-employment" || p.Invalid[0].Label.JA != "雇用形態" {
		t.Errorf("employment: got %+v, invalid %+v; want it marked and linked", emp, p.Invalid)
	}
	if p.Total != q.NumItems()+2 {
		t.Errorf("Total %d; want %d: the attributes are not counted as questions", p.Total, q.NumItems()+2)
	}
	if len(p.Attrs) != 3 || p.Attrs[0].JA != "職層" {
		t.Errorf("Attrs %v; want the three titles for the privacy details", p.Attrs)
	}
	// Nothing posted: nothing checked, not even 「回答しない」.
	p = newAnswerPage(tk, "TOKEN", nil, nil, nil)
	for _, a := range p.Parts[0].Attributes {
		if a.None {
			t.Errorf("%s: 回答しない checked on a fresh page", a.ID)
		}
		for _, o := range a.Options {
			if o.Checked {
				t.Errorf("%s: %s checked on a fresh page", a.ID, o.Value)
			}
		}
	}
	// A survey without attributes has no such part.
	plain := testQuestionnaire(t, testSurveyID)
	p = newAnswerPage(&survey.Ticket{Survey: &survey.Survey{Questionnaire: plain}, Section: testSection}, "TOKEN", nil, nil, nil)
	if p.Parts[0].Anchor == "about" || p.Attrs != nil {
		t.Errorf("a survey without attributes: first part %q, attrs %v", p.Parts[0].Anchor, p.Attrs)
	}
}
