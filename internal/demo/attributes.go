package demo

import (
	"math/rand/v2"

	"staffsurvey/survey"
)

// Attributes in the demo data (職層, 年代, 雇用形態 of the shipped kita-2026). A respondent's
// attributes are drawn together, as a ward office's staff are made up: 会計年度任用職員 are
// 係員, 再任用職員 are in their 60s, 管理職 mostly in their 50s; and each choice moves the
// answers a little, as public-sector surveys find (人事院's national survey, Saga, Aomori):
// managers answer more favourably, especially on appraisal and on being heard; 係員 and
// 会計年度任用職員 less so on appraisal, training and belonging; the 30s and 40s a little
// below the rest. About one in twelve chooses 「回答しない」 for each attribute.
//
// The model knows the attribute and option ids of kita-2026. An attribute it does not know
// (or an option id it does not know) is answered uniformly at random, without effect.

// attrEffect moves the latent answers of a respondent who chose an option, in units of a
// 1–5 scale: all on every category and the outcomes, cats on the named categories as well.
type attrEffect struct {
	all  float64
	cats map[string]float64
}

// attrEffects are the effects per attribute id and option id.
var attrEffects = map[string]map[string]attrEffect{
	"level": {
		"manager": {all: 0.35, cats: map[string]float64{"management": 0.2, "appraisal": 0.3, "proposal": 0.25, "cohesion": 0.15}},
		"chief":   {all: 0.05, cats: map[string]float64{"worklife": -0.25}},
		"staff":   {all: -0.1, cats: map[string]float64{"appraisal": -0.2, "proposal": -0.15}},
	},
	"employment": {
		"fiscal-year": {all: -0.15, cats: map[string]float64{"appraisal": -0.4, "training": -0.4, "cohesion": -0.3, "proposal": -0.3, "worklife": 0.2}},
		"reemployed":  {cats: map[string]float64{"motivation": -0.3, "challenge": -0.35, "worklife": 0.25}},
	},
	"age": {
		"20s": {all: 0.1, cats: map[string]float64{"training": 0.15}},
		"30s": {all: -0.1, cats: map[string]float64{"worklife": -0.25}},
		"40s": {all: -0.1},
		"60s": {all: 0.05},
	},
}

// notStated is the share of respondents who choose 「回答しない」, per attribute (8% for one the
// model does not know): age is the one staff most often keep to themselves.
var notStated = map[string]float64{"level": 0.07, "age": 0.10, "employment": 0.07}

// person draws the attribute choices of one respondent of q: the option index per attribute
// or survey.NA; nil when q has no attributes.
func person(q *survey.Questionnaire, rng *rand.Rand) []int8 {
	if !q.HasAttributes() {
		return nil
	}
	// The kita-2026 model: employment first, then position and age given it.
	var level, age string
	employment := pick(rng, []string{"regular", "fiscal-year", "reemployed"}, []float64{0.72, 0.20, 0.08})
	switch employment {
	case "reemployed":
		level, age = pick(rng, []string{"chief", "staff"}, []float64{0.2, 0.8}), "60s"
	case "fiscal-year":
		level = "staff"
		age = pick(rng, []string{"20s", "30s", "40s", "50s", "60s"}, []float64{0.10, 0.20, 0.25, 0.30, 0.15})
	default:
		// Regular staff retire at 62 to 65 (the age rises a year every two years from 2023), so
		// some are in their 60s.
		level = pick(rng, []string{"manager", "chief", "staff"}, []float64{0.14, 0.25, 0.61})
		switch level {
		case "manager":
			age = pick(rng, []string{"40s", "50s", "60s"}, []float64{0.25, 0.62, 0.13})
		case "chief":
			age = pick(rng, []string{"30s", "40s", "50s", "60s"}, []float64{0.2, 0.4, 0.32, 0.08})
		default:
			age = pick(rng, []string{"20s", "30s", "40s", "50s", "60s"}, []float64{0.30, 0.28, 0.2, 0.17, 0.05})
		}
	}
	drawn := map[string]string{"level": level, "age": age, "employment": employment}
	out := make([]int8, len(q.Attributes))
	for i := range q.Attributes {
		a := &q.Attributes[i]
		k := a.OptionIndex(drawn[a.ID])
		if k < 0 {
			k = rng.IntN(len(a.Options))
		}
		out[i] = int8(k)
		p, ok := notStated[a.ID]
		if !ok {
			p = 0.08
		}
		if rng.Float64() < p {
			out[i] = survey.NA
		}
	}
	return out
}

// effects returns, for a respondent with the attribute choices attrs, the shift of each
// category of q and the shift of everything (for the outcomes).
func effects(q *survey.Questionnaire, attrs []int8) (cats []float64, all float64) {
	cats = make([]float64, len(q.Categories))
	for i, v := range attrs {
		if v == survey.NA {
			continue
		}
		a := q.Attributes[i]
		e := attrEffects[a.ID][a.Options[v].ID]
		all += e.all
		for c, cat := range q.Categories {
			cats[c] += e.all + e.cats[cat.ID]
		}
	}
	return cats, all
}

// pick returns one of names with the given weights (summing to 1).
func pick(rng *rand.Rand, names []string, weights []float64) string {
	u := rng.Float64()
	for i, w := range weights {
		if u < w {
			return names[i]
		}
		u -= w
	}
	return names[len(names)-1]
}
