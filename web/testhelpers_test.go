package web

import (
	"os"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// Shared test helpers of the web package: the answering tests and the admin tests use them.
// Keep their signatures stable.

// MustOpenStore opens a fresh store in a temporary directory, closes it when the test ends and
// checks the file's consistency.
var MustOpenStore = storagetest.MustOpenStore

// newTestServer returns a server over a fresh store, and the store.
func newTestServer(tb testing.TB) (*Server, *storage.Store) {
	tb.Helper()
	st := MustOpenStore(tb)
	s, err := New(st, Config{})
	if err != nil {
		tb.Fatalf("new server: %v", err)
	}
	return s, st
}

// testSurveyID is the id of the survey testQuestionnaire returns when asked for no other.
const testSurveyID = "fixture-2025"

// testSection is a leaf section of the test questionnaire (総務課 庶務担当).
const testSection = "soumu-a"

// testQuestionnaire returns a fresh copy of the test questionnaire with the given id
// (testdata/fixtures/analysis/fixture-2025.yaml at the repository root): 6 categories, 18 items (ch2 reverse-keyed), the
// outcomes overall (1–5) and enps (0–10), one comment "good" of at most 2000 characters,
// min_group_size 5, min_comment_group_size 10, leaf sections soumu-a, soumu-b, shimin-a,
// shimin-b, shimin-c, madoguchi, hoken-a, hoken-b, kikaku.
func testQuestionnaire(tb testing.TB, id string) *survey.Questionnaire {
	tb.Helper()
	q, err := survey.Parse("fixture-2025.yaml", []byte(testQuestionnaireYAML))
	if err != nil {
		tb.Fatalf("parse test questionnaire: %v", err)
	}
	q.ID = id
	return q
}

// mustCreateSurvey stores q and moves it to state (survey.StateDraft, StateOpen or StateClosed).
func mustCreateSurvey(tb testing.TB, st *storage.Store, q *survey.Questionnaire, state string) {
	tb.Helper()
	if err := st.CreateSurvey(q); err != nil {
		tb.Fatalf("create survey %s: %v", q.ID, err)
	}
	if state == survey.StateDraft {
		return
	}
	if state == survey.StateOpen {
		if err := storagetest.OpenSurvey(st, q.ID); err != nil {
			tb.Fatalf("open survey %s: %v", q.ID, err)
		}
		return
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		tb.Fatalf("set survey %s %s: %v", q.ID, state, err)
	}
}

// mustIssueTokens issues n tokens of survey id for a leaf section.
func mustIssueTokens(tb testing.TB, st *storage.Store, id, section string, n int) []string {
	tb.Helper()
	tokens, err := st.IssueTokens(id, section, n)
	if err != nil {
		tb.Fatalf("issue tokens: %v", err)
	}
	return tokens
}

// mustOpenSurvey creates the open test survey (id testSurveyID) and issues n tokens for
// testSection.
func mustOpenSurvey(tb testing.TB, st *storage.Store, n int) (*survey.Questionnaire, []string) {
	tb.Helper()
	q := testQuestionnaire(tb, testSurveyID)
	mustCreateSurvey(tb, st, q, survey.StateOpen)
	return q, mustIssueTokens(tb, st, q.ID, testSection, n)
}

// mustTokenInState returns an unused token of a new survey named id in the given state
// (a draft or closed survey has tokens issued before it was closed).
func mustTokenInState(tb testing.TB, st *storage.Store, id, state string) string {
	tb.Helper()
	q := testQuestionnaire(tb, id)
	mustCreateSurvey(tb, st, q, survey.StateDraft)
	tok := mustIssueTokens(tb, st, id, testSection, 1)[0]
	if state != survey.StateDraft {
		if state == survey.StateClosed {
			if err := storagetest.OpenSurvey(st, id); err != nil {
				tb.Fatalf("open survey %s: %v", id, err)
			}
		}
		var err error
		if state == survey.StateOpen {
			err = storagetest.OpenSurvey(st, id)
		} else {
			err = storagetest.CloseSurvey(st, id)
		}
		if err != nil {
			tb.Fatalf("set survey %s %s: %v", id, state, err)
		}
	}
	return tok
}

// kitaQuestionnaire returns a fresh copy of the shipped questionnaire kita-2026 (13
// categories, two comment questions, 15 leaf sections): the one staff see in the browser tests.
func kitaQuestionnaire(tb testing.TB) *survey.Questionnaire {
	tb.Helper()
	data, err := os.ReadFile("../questionnaires/kita-2026.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	q, err := survey.Parse("kita-2026.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// testQuestionnaireYAML is testdata/fixtures/analysis/fixture-2025.yaml.
var testQuestionnaireYAML = func() string {
	data, err := os.ReadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		panic(err)
	}
	return string(data)
}()
