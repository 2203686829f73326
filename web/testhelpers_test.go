package web

import (
	"path/filepath"
	"testing"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// Shared test helpers of the web package: the answering tests and the admin tests use them.
// Keep their signatures stable.

// MustOpenStore opens a fresh store in a temporary directory and closes it when the test ends.
func MustOpenStore(tb testing.TB) *storage.Store {
	tb.Helper()
	st, err := storage.Open(filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return st
}

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

// testQuestionnaire returns a fresh copy of the test questionnaire with the given id (the
// shape of ../shared/fixtures/analysis/fixture-2025.yaml, kept here so that the package's
// tests need no file outside the module): 6 categories, 18 items (ch2 reverse-keyed), the
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
		if err := st.SetState(q.ID, survey.StateOpen); err != nil {
			tb.Fatalf("open survey %s: %v", q.ID, err)
		}
		return
	}
	if err := st.SetState(q.ID, state); err != nil {
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
			if err := st.SetState(id, survey.StateOpen); err != nil {
				tb.Fatalf("open survey %s: %v", id, err)
			}
		}
		if err := st.SetState(id, state); err != nil {
			tb.Fatalf("set survey %s %s: %v", id, state, err)
		}
	}
	return tok
}

// testQuestionnaireYAML is a copy of ../shared/fixtures/analysis/fixture-2025.yaml.
const testQuestionnaireYAML = `id: fixture-2025
year: 2025
title: {ja: "テスト用 職員満足度調査 2025", en: "Fixture staff survey 2025"}
scale:
  points: 5
  labels:
    ja: [そう思わない, あまりそう思わない, どちらともいえない, ややそう思う, そう思う]
    en: [Disagree, Somewhat disagree, Neither, Somewhat agree, Agree]
  not_applicable: {ja: わからない・該当しない, en: Don't know / not applicable}
anonymity:
  min_group_size: 5
  min_comment_group_size: 10
activity: {cutoff: 62.5}
categories:
  - id: motivation
    title: {ja: "仕事への意欲", en: "motivation"}
    axis: motivation
    items:
      - id: m1
        text: {ja: "設問 m1", en: "Item m1"}
      - id: m2
        text: {ja: "設問 m2", en: "Item m2"}
      - id: m3
        text: {ja: "設問 m3", en: "Item m3"}
  - id: cohesion
    title: {ja: "組織への一体感", en: "cohesion"}
    axis: cohesion
    items:
      - id: i1
        text: {ja: "設問 i1", en: "Item i1"}
      - id: i2
        text: {ja: "設問 i2", en: "Item i2"}
      - id: i3
        text: {ja: "設問 i3", en: "Item i3"}
  - id: citizen
    title: {ja: "市民志向", en: "citizen"}
    items:
      - id: c1
        text: {ja: "設問 c1", en: "Item c1"}
      - id: c2
        text: {ja: "設問 c2", en: "Item c2"}
      - id: c3
        text: {ja: "設問 c3", en: "Item c3"}
  - id: challenge
    title: {ja: "チャレンジ精神", en: "challenge"}
    items:
      - id: ch1
        text: {ja: "設問 ch1", en: "Item ch1"}
      - id: ch2
        text: {ja: "設問 ch2", en: "Item ch2"}
        reverse: true
      - id: ch3
        text: {ja: "設問 ch3", en: "Item ch3"}
  - id: boss
    title: {ja: "管理監督者の役割・OJT", en: "boss"}
    items:
      - id: b1
        text: {ja: "設問 b1", en: "Item b1"}
      - id: b2
        text: {ja: "設問 b2", en: "Item b2"}
      - id: b3
        text: {ja: "設問 b3", en: "Item b3"}
      - id: b4
        text: {ja: "設問 b4", en: "Item b4"}
  - id: talk
    title: {ja: "職場内コミュニケーション", en: "talk"}
    items:
      - id: t1
        text: {ja: "設問 t1", en: "Item t1"}
      - id: t2
        text: {ja: "設問 t2", en: "Item t2"}
outcomes:
  satisfaction:
    id: overall
    text: {ja: 総合的に見て、今の職場に満足している, en: Overall I am satisfied with my workplace}
  enps:
    id: enps
    text: {ja: この職場を知人に勧めたいと思いますか（0〜10）, en: How likely are you to recommend this workplace (0-10)}
comments:
  - id: good
    text: {ja: 職場の良いところ・改善してほしいこと, en: What works well / what should improve}
    max_length: 2000
sections:
  - code: soumu
    name: {ja: "総務課", en: "soumu"}
    children:
      - code: soumu-a
        name: {ja: "総務課 庶務担当", en: "soumu-a"}
      - code: soumu-b
        name: {ja: "総務課 人事担当", en: "soumu-b"}
  - code: shimin
    name: {ja: "市民協働課", en: "shimin"}
    children:
      - code: shimin-a
        name: {ja: "市民協働課 協働担当", en: "shimin-a"}
      - code: shimin-b
        name: {ja: "市民協働課 地域担当", en: "shimin-b"}
      - code: shimin-c
        name: {ja: "市民協働課 防災担当", en: "shimin-c"}
  - code: madoguchi
    name: {ja: "窓口サービス課", en: "madoguchi"}
  - code: hoken
    name: {ja: "保健福祉課", en: "hoken"}
    children:
      - code: hoken-a
        name: {ja: "保健福祉課 福祉担当", en: "hoken-a"}
      - code: hoken-b
        name: {ja: "保健福祉課 子育て担当", en: "hoken-b"}
  - code: kikaku
    name: {ja: "政策推進課", en: "kikaku"}
`
