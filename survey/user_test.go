package survey_test

import (
	"testing"

	"staffsurvey/survey"
)

// scopeTests are sections a manager scoped to shimin and hoken-a may or may not see.
var scopeTests = []struct {
	code string
	want bool
}{
	{survey.Root, true},     // the whole organisation, always
	{"shimin", true},        // its own section
	{"shimin-b", true},      // below it
	{"hoken-a", true},       // a 担当 it is scoped to directly
	{"hoken", false},        // not the parent of a 担当 it has
	{"hoken-b", false},      // nor its sibling
	{"soumu", false},        // another 課
	{"no-such-code", false}, // a code this year lacks
}

func TestInScope(t *testing.T) {
	q := mustFixture(t)
	u := &survey.User{Name: "chief", Role: survey.RoleManager, Sections: []string{"shimin", "hoken-a"}}
	for _, tt := range scopeTests {
		t.Run(tt.code, func(t *testing.T) {
			if got := u.Sees(q, tt.code); got != tt.want {
				t.Errorf("Sees(%q) = %v; want %v", tt.code, got, tt.want)
			}
		})
	}
	for _, role := range []string{survey.RoleAdmin, survey.RoleExecutive, survey.RoleAnalyst} {
		if !(&survey.User{Role: role}).Sees(q, "soumu") {
			t.Errorf("%s does not see soumu; want every section", role)
		}
	}
	if (&survey.User{Role: survey.RoleManager}).Sees(q, "soumu") {
		t.Error("a manager without sections sees soumu; want the whole organisation only")
	}
}

func TestUserSectionsValidate(t *testing.T) {
	for _, tt := range []struct {
		name     string
		role     string
		sections []string
		ok       bool
	}{
		{"manager with sections", survey.RoleManager, []string{"shimin", "hoken-a"}, true},
		{"bad code", survey.RoleManager, []string{"Shimin"}, false},
		{"root is not a section", survey.RoleManager, []string{"all"}, false},
		{"admin with sections", survey.RoleAdmin, []string{"shimin"}, false},
		{"executive", survey.RoleExecutive, nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := &survey.User{Name: "u", Role: tt.role, Sections: tt.sections, PasswordHash: []byte("x")}
			if err := u.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v; want ok %v", err, tt.ok)
			}
		})
	}
}

func TestShortNames(t *testing.T) {
	for _, tt := range []struct {
		name, parent survey.Text
		top          bool
		want         survey.Text
	}{
		{survey.Text{JA: "保険年金課 国民健康保険担当", EN: "Health Insurance and Pension Division, National Health Insurance Unit"},
			survey.Text{JA: "保険年金課", EN: "Health Insurance and Pension Division"}, false,
			survey.Text{JA: "国民健康保険担当", EN: "National Health Insuran…"}},
		{survey.Text{JA: "子育て支援課", EN: "Child and Family Support Division"}, survey.Text{JA: "組織全体"}, true,
			survey.Text{JA: "子育て支援課", EN: "Child and Family Suppor…"}},
	} {
		if got := survey.ShortName(tt.name, tt.parent, tt.top); got != tt.want {
			t.Errorf("ShortName(%q) = %q; want %q", tt.name.JA, got, tt.want)
		}
	}
	q := mustFixture(t)
	q.Categories[0].Short = survey.Text{JA: "とても長すぎる短い名前です"}
	if err := q.Validate(); err == nil {
		t.Error("a short name of 13 characters validates")
	}
}
