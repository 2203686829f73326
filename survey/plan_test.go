package survey_test

import (
	"strings"
	"testing"

	"staffsurvey/internal/testfixture"
	"staffsurvey/survey"
)

// planCases are plans checked against the fixture questionnaire, each with the error code
// Validate must give ("" when valid).
var planCases = []struct {
	name string
	edit func(p *survey.Plan)
	want string
}{
	{"valid", func(*survey.Plan) {}, ""},
	{"the whole organisation", func(p *survey.Plan) { p.Section = survey.Root }, ""},
	{"three categories", func(p *survey.Plan) { p.Categories = []string{"motivation", "cohesion", "citizen"} }, ""},
	{"another survey", func(p *survey.Plan) { p.Survey = "other" }, survey.EINVALID},
	{"unknown section", func(p *survey.Plan) { p.Section = "nowhere" }, survey.EINVALID},
	{"no category", func(p *survey.Plan) { p.Categories = nil }, survey.EINVALID},
	{"four categories", func(p *survey.Plan) { p.Categories = []string{"motivation", "cohesion", "citizen", "challenge"} }, survey.EINVALID},
	{"unknown category", func(p *survey.Plan) { p.Categories = []string{"bogus"} }, survey.EINVALID},
	{"a category twice", func(p *survey.Plan) { p.Categories = []string{"motivation", "motivation"} }, survey.EINVALID},
	{"blank action", func(p *survey.Plan) { p.Action = " \n" }, survey.EINVALID},
	{"action at the limit", func(p *survey.Plan) { p.Action = strings.Repeat("あ", survey.MaxPlanAction) }, ""},
	{"action over the limit", func(p *survey.Plan) { p.Action = strings.Repeat("あ", survey.MaxPlanAction+1) }, survey.EINVALID},
	{"progress over the limit", func(p *survey.Plan) { p.Progress = strings.Repeat("x", survey.MaxPlanProgress+1) }, survey.EINVALID},
	{"invalid UTF-8", func(p *survey.Plan) { p.Action = "a\xffb" }, survey.EINVALID},
	{"bad date", func(p *survey.Plan) { p.Due = "2026-02-30" }, survey.EINVALID},
	{"no date", func(p *survey.Plan) { p.Due = "" }, survey.EINVALID},
	{"unknown status", func(p *survey.Plan) { p.Status = "abandoned" }, survey.EINVALID},
}

func TestPlanValidate(t *testing.T) {
	q, err := survey.LoadFile(testfixture.Analysis("fixture-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range planCases {
		t.Run(tt.name, func(t *testing.T) {
			p := &survey.Plan{ID: survey.NewPlanID(), Survey: q.ID, Section: "soumu", Categories: []string{"motivation"},
				Action: "朝礼で目標を共有する", Due: "2026-09-30", Status: survey.PlanPlanned}
			tt.edit(p)
			if got := survey.ErrorCode(p.Validate(q)); got != tt.want {
				t.Errorf("got %q; want %q (%v)", got, tt.want, p.Validate(q))
			}
		})
	}
}
