package analysis

// SkipDisclosureCheck turns the cross-partition disclosure check off until the returned
// function is called (attack tests: what rules a and b alone would publish).
func SkipDisclosureCheck() (restore func()) {
	skipDisclosureCheck = true
	return func() { skipDisclosureCheck = false }
}
