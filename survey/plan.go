package survey

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Plan is an action plan (改善計画): what a section will do about one to three focus categories
// of a closed survey's results, by when, and later how far it got. A plan is an ordinary record
// written by a manager — nothing in it comes from or is about a respondent — so it is kept as
// written, shown beside the next year's change in its focus categories, and every change to it
// is in the audit log.
type Plan struct {
	ID         string    `json:"id"`         // a random UUIDv4
	Survey     string    `json:"survey"`     // the closed survey whose results it answers
	Section    string    `json:"section"`    // a section code of that survey, or Root
	Categories []string  `json:"categories"` // 1–3 category ids of the questionnaire: the focus
	Action     string    `json:"action"`     // what will be done
	Due        string    `json:"due"`        // by when, YYYY-MM-DD
	Status     string    `json:"status"`     // PlanPlanned, PlanDoing or PlanDone
	Progress   string    `json:"progress,omitempty"`
	Author     string    `json:"author"`  // the user who wrote it
	Created    time.Time `json:"created"` // UTC
	Updated    time.Time `json:"updated"` // UTC
}

// Plan states.
const (
	PlanPlanned = "planned"
	PlanDoing   = "doing"
	PlanDone    = "done"
)

// PlanStatusTitle names a plan state for people.
func PlanStatusTitle(status string) Text {
	switch status {
	case PlanDoing:
		return Text{JA: "実施中", EN: "in progress"}
	case PlanDone:
		return Text{JA: "完了", EN: "done"}
	default:
		return Text{JA: "計画", EN: "planned"}
	}
}

// Limits of a plan's texts, in characters.
const (
	MaxPlanAction   = 2000
	MaxPlanProgress = 2000
	MaxPlanFocus    = 3
)

// Validate checks p against q, the questionnaire of its survey.
func (p *Plan) Validate(q *Questionnaire) error {
	if p.Survey != q.ID {
		return Errorf(EINVALID, "計画の調査 %q が一致しません", "the plan's survey %q does not match", p.Survey)
	}
	if _, ok := q.Section(p.Section); !ok {
		return Errorf(EINVALID, "所属 %q はこの調査にありません", "no section %q in this survey", p.Section)
	}
	if n := len(p.Categories); n < 1 || n > MaxPlanFocus {
		return Errorf(EINVALID, "重点領域は1〜3つ選んでください", "choose one to three focus categories")
	}
	for i, c := range p.Categories {
		if !slices.ContainsFunc(q.Categories, func(qc Category) bool { return qc.ID == c }) {
			return Errorf(EINVALID, "領域 %q はこの調査にありません", "no category %q in this survey", c)
		}
		if slices.Contains(p.Categories[:i], c) {
			return Errorf(EINVALID, "領域 %q が重複しています", "category %q is chosen twice", c)
		}
	}
	if strings.TrimSpace(p.Action) == "" {
		return Errorf(EINVALID, "取り組む内容を書いてください", "say what will be done")
	}
	if err := maxChars("取り組み内容", "action", p.Action, MaxPlanAction); err != nil {
		return err
	}
	if err := maxChars("進捗", "progress", p.Progress, MaxPlanProgress); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, p.Due); err != nil {
		return Errorf(EINVALID, "期限 %q は 2027-03-31 のような日付で指定してください", "due date %q must be a date such as 2027-03-31", p.Due)
	}
	switch p.Status {
	case PlanPlanned, PlanDoing, PlanDone:
	default:
		return Errorf(EINVALID, "状態 %q は planned, doing, done のいずれかにしてください", "status %q must be planned, doing or done", p.Status)
	}
	return nil
}

func maxChars(ja, en, s string, limit int) error {
	if !utf8.ValidString(s) {
		return &Error{Code: EINVALID, Message: Text{JA: ja + "に不正な文字が含まれています", EN: "the " + en + " is not valid UTF-8"}}
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return &Error{Code: EINVALID, Message: Text{
			JA: fmt.Sprintf("%sは %d 文字以内で書いてください（%d 文字）", ja, limit, n),
			EN: fmt.Sprintf("the %s must be at most %d characters (it has %d)", en, limit, n)}}
	}
	return nil
}

// NewPlanID returns a fresh random plan id (a UUIDv4).
func NewPlanID() string { return uuid.NewString() }
