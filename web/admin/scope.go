package admin

import (
	"github.com/labstack/echo/v4"

	"staffsurvey/analysis"
	"staffsurvey/survey"
)

// A manager sees the results of its sections' subtrees beside the whole organisation, and
// nothing else (survey.InScope): every results page and the report API filter the groups they
// show through the signed-in user, and a page asked for another section answers 403. The rule
// itself lives in package survey; these are the web's uses of it.

// currentUser is the signed-in user of an admin request.
func currentUser(c echo.Context) adminUser {
	u, _ := c.Get("user").(adminUser)
	return u
}

// Sees reports whether u may see the results of section code of q.
func (u adminUser) Sees(q *survey.Questionnaire, code string) bool {
	return !survey.Scoped(u.Role) || survey.InScope(q, u.Sections, code)
}

// Scoped reports whether u sees only some sections (a manager).
func (u adminUser) Scoped() bool { return survey.Scoped(u.Role) }

// checkSection answers 404 for a section q does not have and 403 for one u may not see.
func (u adminUser) checkSection(q *survey.Questionnaire, code string) error {
	if _, ok := q.Section(code); !ok {
		return survey.Errorf(survey.ENOTFOUND, "所属 %q はこの調査にありません", "no section %q in this survey", code)
	}
	if !u.Sees(q, code) {
		return errSectionForbidden
	}
	return nil
}

var errSectionForbidden = survey.Errorf(survey.EFORBIDDEN,
	"この所属の結果を見る権限がありません。担当の所属と組織全体の結果だけを表示できます。",
	"You may not see this section's results: only your own sections and the whole organisation.")

// home returns the section u lands on in q: its first own section there, or the root.
func (u adminUser) home(q *survey.Questionnaire) string {
	if u.Scoped() {
		for _, code := range u.Sections {
			if _, ok := q.Section(code); ok {
				return code
			}
		}
	}
	return survey.Root
}

// scopeResult returns res with only the groups u may see. The result is a shallow copy: the
// cached analysis is shared and never modified. Changes follow the groups (analysis.Changes
// walks the later survey's groups); drivers are over the whole organisation and stay.
func (u adminUser) scopeResult(q *survey.Questionnaire, res *analysis.SurveyResult) *analysis.SurveyResult {
	if res == nil || !u.Scoped() {
		return res
	}
	cp := *res
	cp.Groups = nil
	for _, g := range res.Groups {
		if u.Sees(q, g.Section) {
			cp.Groups = append(cp.Groups, g)
		}
	}
	return &cp
}

// scopeTree returns the sections of tree u may see.
func (u adminUser) scopeTree(q *survey.Questionnaire) []survey.FlatSection {
	var out []survey.FlatSection
	for _, s := range q.Tree() {
		if u.Sees(q, s.Code) {
			out = append(out, s)
		}
	}
	return out
}
