package main

import (
	"staffsurvey/survey"
)

// writeSlips writes printable HTML slips. Placeholder until the web package renders them.
func writeSlips(e *env, sv *survey.Survey, section string, tokens []string, base string) error {
	return survey.Errorf(survey.EINVALID, "HTML 形式の回答用紙はまだ使えません", "html slips are not available yet")
}
