package demo

import (
	"testing"

	"staffsurvey/questionnaires"
	"staffsurvey/survey"
)

// TestDemoAttributes generates the shipped questionnaire's demo data for a large office and
// checks that its attributes look like a ward office's staff and answer differently by group:
// managers above 係員, 会計年度任用職員 below 正規職員 on appraisal and training, about one in
// twelve not stating each attribute, and the combinations that cannot be (a 会計年度任用職員
// manager, a 再任用職員 in their 30s) absent.
func TestDemoAttributes(t *testing.T) {
	data, err := questionnaires.Open("kita-2026")
	if err != nil {
		t.Fatal(err)
	}
	q, err := survey.Parse("kita-2026.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{}
	for _, leaf := range q.Leaves() {
		sizes[leaf] = 400
	}
	rs := Responses(q, 11, 0, sizes)
	idx := func(attr, opt string) (int, int8) {
		a, i, ok := q.Attribute(attr)
		if !ok || a.OptionIndex(opt) < 0 {
			t.Fatalf("kita-2026 has no option %s of attribute %s", opt, attr)
		}
		return i, int8(a.OptionIndex(opt))
	}
	cat := func(id string) []int {
		var out []int
		k := 0
		for _, c := range q.Categories {
			for range c.Items {
				if c.ID == id {
					out = append(out, k)
				}
				k++
			}
		}
		return out
	}
	// mean answer over the items of category (reverse-keyed ones excluded) of those with option
	mean := func(attr, opt, category string) float64 {
		a, o := idx(attr, opt)
		var sum, n float64
		items := q.Items()
		for _, r := range rs {
			if r.Attributes[a] != o {
				continue
			}
			for _, k := range cat(category) {
				if v := r.Answers[k]; v != survey.NA && !items[k].Reverse {
					sum += float64(v)
					n++
				}
			}
		}
		if n < 100 {
			t.Fatalf("%s=%s: only %v answers in %s", attr, opt, n, category)
		}
		return sum / n
	}
	share := func(attr, opt string) float64 {
		a, o := idx(attr, opt)
		n := 0
		for _, r := range rs {
			if r.Attributes[a] == o {
				n++
			}
		}
		return float64(n) / float64(len(rs))
	}
	notStated := make([]int, len(q.Attributes))
	lvl, _ := idx("level", "manager")
	emp, fiscal := idx("employment", "fiscal-year")
	age, thirties := idx("age", "30s")
	_, reemployed := idx("employment", "reemployed")
	_, manager := idx("level", "manager")
	for _, r := range rs {
		if err := r.Validate(q); err != nil {
			t.Fatal(err)
		}
		for i, v := range r.Attributes {
			if v == survey.NA {
				notStated[i]++
			}
		}
		if r.Attributes[emp] == fiscal && r.Attributes[lvl] == manager {
			t.Fatalf("a fiscal-year appointee who is a manager: %v", r.Attributes)
		}
		if r.Attributes[emp] == reemployed && r.Attributes[age] == thirties {
			t.Fatalf("a re-employed respondent in their 30s: %v", r.Attributes)
		}
	}
	for i, n := range notStated {
		if f := float64(n) / float64(len(rs)); f < 0.05 || f > 0.13 {
			t.Errorf("attribute %s: %.3f not stated; want about 0.07–0.10", q.Attributes[i].ID, f)
		}
	}
	if f := share("level", "manager"); f < 0.06 || f > 0.14 {
		t.Errorf("managers (課長代理級以上): %.3f of respondents; want about a tenth", f)
	}
	if f := share("employment", "fiscal-year"); f < 0.15 || f > 0.25 {
		t.Errorf("fiscal-year appointees: %.3f of respondents; want about a fifth", f)
	}
	for _, c := range []string{"appraisal", "management", "cohesion"} {
		if m, s := mean("level", "manager", c), mean("level", "staff", c); m-s < 0.2 {
			t.Errorf("%s: managers %.2f, staff %.2f; want managers clearly above", c, m, s)
		}
	}
	for _, c := range []string{"appraisal", "training"} {
		if f, r := mean("employment", "fiscal-year", c), mean("employment", "regular", c); r-f < 0.2 {
			t.Errorf("%s: fiscal-year %.2f, regular %.2f; want fiscal-year clearly below", c, f, r)
		}
	}
}
