package analysis

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
