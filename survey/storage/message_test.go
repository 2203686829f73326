package storage_test

import (
	"strings"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// TestStateMessagesInBothLanguages: a refused state change names the state in the message's
// own language — the English one never prints 「回答受付中」.
func TestStateMessagesInBothLanguages(t *testing.T) {
	st := storagetest.MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	err := storagetest.OpenSurvey(st, q.ID)
	msg := survey.ErrorMessage(err)
	if survey.ErrorCode(err) != survey.ESTATE || !strings.Contains(msg.JA, "「回答受付中」") || !strings.Contains(msg.EN, "already Open") {
		t.Errorf("opening an open survey: %v (%q / %q); want ESTATE naming the state in each language", err, msg.JA, msg.EN)
	}
	if strings.ContainsAny(msg.EN, "回答受付中") {
		t.Errorf("the English message %q holds Japanese", msg.EN)
	}
}
