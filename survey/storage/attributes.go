package storage

import "staffsurvey/survey"

// errSumsNotYet refuses to open the ballot box of a survey with attributes, at close and at
// import alike. Such a survey must keep no per-respondent record once its box is opened, only
// the sums its reports need (docs/anonymity.md): a record with a section and attributes
// singles people out (the one 50代 of a team of twelve). Until the store can keep those sums,
// refusing is the only safe answer; the sealed responses of an open survey stay as they are.
func errSumsNotYet(q *survey.Questionnaire) error {
	return survey.Errorf(survey.EINVALID,
		"調査 %q は属性（%s など）を尋ねるため、回答を個票として保存できません。属性別の集計値だけを保存する仕組みはまだないため、終了（開票）と取り込みはできません（封をした回答はそのまま残ります）",
		"survey %q asks attributes (%s, …), so its answers must not be stored as records; keeping only the sums is not built yet, so it cannot be closed (its ballot box opened) or imported into (sealed answers stay as they are)",
		q.ID, q.Attributes[0].ID)
}
