// Package demo makes synthetic survey data for `serve --demo`, screenshots, tests and
// benchmarks. Nothing here is used for real surveys, which is why it lives under internal/ and
// not in the domain package survey.
package demo

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"

	"staffsurvey/survey"
)

// The generator is deterministic: the same questionnaire, seed, year index and sizes
// always give the same responses, so demos and benchmarks are reproducible.
//
// The model, on the latent 1..points scale of an item:
//
//   - every respondent has a general engagement z ~ N(0, 1) that lifts all their answers, so
//     categories correlate (as they do in real surveys, which is what drivers measure), plus a
//     smaller factor per category;
//   - every section has a level and a per-category profile, fixed across years, and a slope of
//     its own on top of a slow organisation-wide improvement over the years;
//   - about 3% of items are 「該当しない」, and now and then a whole category is (a respondent
//     without a supervisor skips the supervisor items);
//   - reverse-keyed items are written reversed, as a respondent would tick them;
//   - attributes (職層, 年代, 雇用形態), when the questionnaire asks them, are drawn together
//     and move the answers by group (attributes.go);
//   - roughly one respondent in ten writes a comment, more often the unhappy ones, and the
//     comment fits its question: good points for 「職場の良いところ」, requests and suggestions
//     for 「改善してほしいこと・区への提案」, either for a question that asks both.

// Sizes returns a plausible number of staff for every leaf section of q, between 4 and 45,
// so that some sections fall below the minimum group size.
func Sizes(q *survey.Questionnaire, seed int64) map[string]int {
	sizes := map[string]int{}
	for _, leaf := range q.Leaves() {
		rng := demoRand(seed, "size", leaf)
		sizes[leaf] = 4 + rng.IntN(42)
	}
	return sizes
}

// Responses returns synthetic responses to q for one survey year: sizes[leaf] responses
// for each leaf section (Sizes(q, seed) when sizes is nil), in random order. yearIndex
// counts years from 0 for the first demo year; it drives the trend. Sections keep their
// character across years when the seed is the same.
func Responses(q *survey.Questionnaire, seed int64, yearIndex int, sizes map[string]int) []*survey.Response {
	if sizes == nil {
		sizes = Sizes(q, seed)
	}
	p := float64(q.Scale.Points)
	unit := (p - 1) / 4 // effects are tuned for a 1–5 scale
	center := (p+1)/2 + 0.25*unit
	rng := demoRand(seed, "year", strconv.Itoa(yearIndex))
	// Attributes draw from a stream of their own, so that a questionnaire without them gets
	// exactly the responses it got before attributes existed.
	arng := demoRand(seed, "attributes", strconv.Itoa(yearIndex))
	var out []*survey.Response
	for _, leaf := range q.Leaves() {
		sec := demoRand(seed, "section", leaf)
		level := 0.35 * sec.NormFloat64()
		slope := 0.04 * sec.NormFloat64()
		profile := make([]float64, len(q.Categories))
		for c := range profile {
			profile[c] = 0.25 * sec.NormFloat64()
		}
		shift := (level + float64(yearIndex)*(0.05+slope)) * unit
		for range sizes[leaf] {
			r := survey.NewResponse(q, leaf)
			z := rng.NormFloat64()
			var who []float64 // the attributes' effects per category (attributes.go)
			var whoAll float64
			if q.HasAttributes() {
				r.Attributes = person(q, arng)
				who, whoAll = effects(q, r.Attributes)
			}
			i := 0
			for c, cat := range q.Categories {
				specific := 0.45 * rng.NormFloat64()
				skip := rng.Float64() < 0.015
				mu := center + shift + (profile[c]+0.75*z+specific)*unit
				if who != nil {
					mu += who[c] * unit
				}
				for _, it := range cat.Items {
					if !skip && rng.Float64() >= 0.03 {
						v := demoClamp(mu+0.6*unit*rng.NormFloat64(), 1, p)
						if it.Reverse {
							v = int8(p) + 1 - v
						}
						r.Answers[i] = v
					}
					i++
				}
			}
			if q.Outcomes.Satisfaction != nil && rng.Float64() >= 0.03 {
				r.Satisfaction = demoClamp(center+shift+(0.9*z+0.5*rng.NormFloat64()+whoAll)*unit, 1, p)
			}
			if q.Outcomes.ENPS != nil && rng.Float64() >= 0.04 {
				r.ENPS = demoClamp(6+2*z+2*level+2*whoAll+1.3*rng.NormFloat64(), 0, 10)
			}
			for k, c := range q.Comments {
				if rng.Float64() < 0.08+0.05*math.Max(0, -z) {
					r.Comments[k] = demoComment(rng, z, kindOf(c))
				}
			}
			out = append(out, r)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Years returns n questionnaires for consecutive years ending with q's: copies of q
// (sharing its slices, which are never modified) whose year and id are changed, the id's
// trailing "-YEAR" replaced, or "-YEAR" appended when it has none. The last one is q's year.
func Years(q *survey.Questionnaire, n int) []*survey.Questionnaire {
	base := q.ID
	if i := strings.LastIndexByte(base, '-'); i >= 0 && base[i+1:] == strconv.Itoa(q.Year) {
		base = base[:i]
	}
	out := make([]*survey.Questionnaire, n)
	for k := range n {
		c := *q
		c.Year = q.Year - (n - 1 - k)
		c.ID = fmt.Sprintf("%s-%d", base, c.Year)
		c.Title = survey.Text{JA: strings.ReplaceAll(q.Title.JA, strconv.Itoa(q.Year), strconv.Itoa(c.Year)),
			EN: strings.ReplaceAll(q.Title.EN, strconv.Itoa(q.Year), strconv.Itoa(c.Year))}
		// The period and the results note are dated: an earlier year's are as many years
		// earlier (the staff edition of 2025 said 実施期間 2026年12月 when they were shared).
		back := c.Year - q.Year
		if q.Period != nil {
			c.Period = &survey.Period{Opens: shiftDate(q.Period.Opens, back), Closes: shiftDate(q.Period.Closes, back), Line: q.Period.Line}
		}
		if q.Results != nil && back != 0 {
			c.Results = &survey.Text{JA: shiftYears(q.Results.JA, back), EN: shiftYears(q.Results.EN, back)}
		}
		out[k] = &c
	}
	return out
}

// shiftDate moves a YYYY-MM-DD date by years (a 29 February to 1 March); it leaves what it
// cannot read.
func shiftDate(date string, years int) string {
	t, err := time.Parse(survey.DateLayout, date)
	if err != nil {
		return date
	}
	return t.AddDate(years, 0, 0).Format(survey.DateLayout)
}

// fourDigitYear is a year of this century in a text.
var fourDigitYear = regexp.MustCompile(`\b20\d\d\b`)

// shiftYears moves every year 2000–2099 written in s by years.
func shiftYears(s string, years int) string {
	return fourDigitYear.ReplaceAllStringFunc(s, func(y string) string {
		n, _ := strconv.Atoi(y)
		return strconv.Itoa(n + years)
	})
}

// demoRand returns a generator determined by the seed and the names.
func demoRand(seed int64, names ...string) *rand.Rand {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

func demoClamp(x, lo, hi float64) int8 {
	return int8(math.Max(lo, math.Min(hi, math.Round(x))))
}

// A comment question asks for one of three things, told by its id and text: what is good
// about the workplace (commentGood), what should improve or be suggested (commentImprove), or
// both at once (commentEither). Each kind has a pool for the happier and one for the less happy
// respondents, all of the same length, so that which pool is used never changes how many
// random numbers a response draws (the demo data stays the same, comments aside).
type commentKind int

const (
	commentEither commentKind = iota
	commentGood
	commentImprove
)

// kindOf classifies a comment question by its id and its Japanese and English text.
func kindOf(c survey.Comment) commentKind {
	words := strings.ToLower(c.ID + " " + c.Text.JA + " " + c.Text.EN)
	good := strings.Contains(words, "良い") || strings.Contains(words, "good") || strings.Contains(words, "works well")
	improve := strings.Contains(words, "改善") || strings.Contains(words, "提案") || strings.Contains(words, "improve") || strings.Contains(words, "suggest")
	switch {
	case good && !improve:
		return commentGood
	case improve && !good:
		return commentImprove
	}
	return commentEither
}

// demoComments holds, per kind, the comments of the happier and of the less happy respondents.
// A question asking both gets good points from the happier and complaints from the others.
var demoComments = map[commentKind]struct{ happy, unhappy []string }{
	commentGood: {
		happy: goodPoints,
		unhappy: []string{
			"忙しい時期でも、同僚同士で声を掛け合って助け合えるところです。",
			"困ったときに先輩が手を止めて教えてくれるところです。",
			"業務は大変ですが、区民の役に立っていると実感できます。",
			"休暇の希望を係内で調整してくれるところは良いと思います。",
			"前例にとらわれず意見を言える雰囲気は残っています。",
			"田中係長がいつも相談に乗ってくれるので、忙しくても頑張れます。",
		},
	},
	commentImprove: {
		happy: []string{
			"課をまたいだ勉強会があると、他の課の仕事も分かって良いと思います。",
			"申請手続きのオンライン化をさらに進めてはどうでしょうか。",
			"良い取り組みを庁内で共有する場があると良いと思います。",
			"若手が企画を提案できる機会を増やしてほしいです。",
			"窓口の案内表示を分かりやすくすると、区民も職員も助かると思います。",
			"フリーアドレス席を増やすと、相談がもっとしやすくなると思います。",
		},
		unhappy: []string{
			"繁忙期の残業を減らすため、応援体制を整えてほしいです。",
			"人員が足りず業務量が多すぎるので、配置を見直してほしいです。",
			"課をまたいだ情報共有の仕組みを作ってほしいです。",
			"紙の決裁が多いので、電子決裁を進めてほしいです。",
			"異動してきた職員への引き継ぎやOJTを充実させてほしいです。",
			"鈴木さんに業務が集中しているので、分担を見直してほしいです。",
		},
	},
	commentEither: {
		happy: goodPoints,
		unhappy: []string{
			"繁忙期の残業が多く、休暇が取りにくいです。",
			"人員が足りず、一人あたりの業務量が多すぎると感じます。",
			"課をまたいだ情報共有が不足していると感じます。",
			"紙の決裁が多く、電子化を進めてほしいです。",
			"異動してきた職員への引き継ぎやOJTが十分ではありません。",
			"会議が多く、本来の業務に使える時間が少ないです。",
		},
	},
}

// goodPoints are what the happier respondents write about what works well.
var goodPoints = []string{
	"係内で気軽に相談できる雰囲気があり、助かっています。",
	"朝の打ち合わせで情報共有ができていて、仕事が進めやすいです。",
	"上司が話をよく聞いてくれるので、提案しやすいです。",
	"窓口で区民の方から感謝されることがやりがいになっています。",
	"研修の機会が増えて、新しい業務にも挑戦しやすくなりました。",
	"テレワークが使えるようになり、子育てと両立しやすくなりました。",
}

// demoComment returns a comment of the given kind by a respondent of engagement z: the less
// happy pool when z, blurred, is below 0.
func demoComment(rng *rand.Rand, z float64, kind commentKind) string {
	pools := demoComments[kind]
	list := pools.happy
	if z+0.5*rng.NormFloat64() < 0 {
		list = pools.unhappy
	}
	return list[rng.IntN(len(list))]
}
