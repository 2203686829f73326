package main

import (
	"staffsurvey/slips"
	"staffsurvey/survey"
)

// writeSlips writes printable HTML slips with QR codes to stdout: the same self-contained A4
// document the admin pages serve, so the survey office can print it from a file.
func writeSlips(e *env, sv *survey.Survey, section string, tokens []string, base string) error {
	return slips.WriteSlips(e.Stdout, sv, section, tokens, base)
}
