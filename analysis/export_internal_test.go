package analysis

import "math/big"

// SkipDisclosureCheck turns the cross-partition disclosure check off until the returned
// function is called (attack tests: what rules a and b alone would publish).
func SkipDisclosureCheck() (restore func()) {
	skipDisclosureCheck = true
	return func() { skipDisclosureCheck = false }
}

// QuestionKey is the key of question id in OptionMoments.
func QuestionKey(id string) string { return questionKey(id) }

// OptionMoments returns the count, mean and sample variance that option of attribute keeps for
// key (a category id, ActivityKey, SatisfactionKey, ENPSKey or QuestionKey(id)); ok is false
// when it keeps none.
func (s *SurveyResult) OptionMoments(attribute, option, key string) (n int, mean, variance float64, ok bool) {
	m, ok := s.optionSamples[attribute][option][key]
	return m.n, m.mean, m.variance(), ok
}

// RankRat is the exact rank of m (which it leaves alone): the reference the disclosure
// check's searches are tested against, here and in analysis_test.
func RankRat(m [][]*big.Rat) int {
	a := make([][]*big.Rat, len(m))
	for i := range m {
		a[i] = make([]*big.Rat, len(m[i]))
		for j, x := range m[i] {
			a[i][j] = new(big.Rat).Set(x)
		}
	}
	if len(a) == 0 {
		return 0
	}
	rank, cols := 0, len(a[0])
	t := new(big.Rat)
	for col := 0; col < cols && rank < len(a); col++ {
		p := -1
		for i := rank; i < len(a); i++ {
			if a[i][col].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		a[rank], a[p] = a[p], a[rank]
		for i := rank + 1; i < len(a); i++ {
			if a[i][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(a[i][col], a[rank][col])
			for j := col; j < cols; j++ {
				if a[rank][j].Sign() != 0 {
					a[i][j].Sub(a[i][j], t.Mul(f, a[rank][j]))
				}
			}
		}
		rank++
	}
	return rank
}
