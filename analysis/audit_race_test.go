//go:build race

package analysis_test

// raceEnabled is true under -race, which makes the auditor's arithmetic many times slower:
// the audit tests then run fewer cases.
const raceEnabled = true
