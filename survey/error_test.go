package survey_test

import (
	"testing"

	"staffsurvey/survey"
)

// TestErrorfLanguages: each message takes the arguments in its own language, so an English
// message never prints a Japanese state name; ids and numbers are the same in both.
func TestErrorfLanguages(t *testing.T) {
	name := &survey.Text{JA: "総務課", EN: "General Affairs"}
	var none *survey.Text
	err := survey.Errorf(survey.ESTATE, "調査 %q はすでに「%s」です（%s、%d、%s）", "survey %q is already %s (%s, %d, %s)",
		"kita-2026", survey.StateTitle(survey.StateClosed), name, 3, none)
	if want := `調査 "kita-2026" はすでに「終了」です（総務課、3、）`; err.Message.JA != want {
		t.Errorf("JA %q; want %q", err.Message.JA, want)
	}
	if want := `survey "kita-2026" is already Closed (General Affairs, 3, )`; err.Message.EN != want {
		t.Errorf("EN %q; want %q", err.Message.EN, want)
	}
}
