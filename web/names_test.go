package web

import (
	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/web/admin"
)

// The names pages give sections and categories, for tests to find rows by (the signed-in side
// builds them the same way).

// sectionNames maps every section code of q (and the root) to its name in lang.
func sectionNames(q *survey.Questionnaire, lang string) map[string]string {
	m := map[string]string{}
	for _, s := range q.Tree() {
		m[s.Code] = s.Name.In(lang)
	}
	return m
}

// shortNames maps every section code of q to its short name in lang (the heatmap's labels).
func shortNames(q *survey.Questionnaire, lang string) map[string]string {
	m := map[string]string{}
	for _, s := range q.Tree() {
		m[s.Code] = s.Short.In(lang)
	}
	return m
}

// metricTitles maps the activity key and every category id of q to its title in lang.
func metricTitles(q *survey.Questionnaire, lang string) map[string]string {
	titles := map[string]string{analysis.ActivityKey: "組織活性度"}
	if lang == "en" {
		titles[analysis.ActivityKey] = "Activity index"
	}
	for _, c := range q.Categories {
		titles[c.ID] = c.Title.In(lang)
	}
	return titles
}

// The names of the signed-in side's HTTP contract and limits, under the names the tests use.
const (
	csrfField        = admin.CSRFField
	sessionCookie    = admin.SessionCookie
	loginMaxFailures = admin.LoginMaxFailures
	loginWindow      = admin.LoginWindow
	sessionIdle      = admin.SessionIdle
)
