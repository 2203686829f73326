//go:build !race

package analysis_test

// raceEnabled is true under -race (see audit_race_test.go).
const raceEnabled = false
