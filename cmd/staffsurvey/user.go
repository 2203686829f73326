package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"staffsurvey/internal/password"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

func runUserAdd(ctx context.Context, e *env, args []string) error {
	fs := flags("user add")
	name := fs.String("name", "", "user name")
	role := fs.String("role", "", "admin, executive, manager or analyst")
	sections := fs.String("sections", "", "a manager's section codes, comma-separated: it sees their subtrees beside the whole organisation")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "name", "role"); err != nil {
		return err
	}
	line, err := bufio.NewReader(e.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return survey.Errorf(survey.EINVALID, "パスワードを標準入力から渡してください", "pass the password on standard input")
	}
	pass := strings.TrimRight(line, "\r\n")
	if err := password.Validate(pass); err != nil {
		return err
	}
	if *name != "" && strings.Contains(strings.ToLower(pass), strings.ToLower(*name)) {
		return survey.Errorf(survey.EINVALID, "パスワードにユーザー名を含めないでください", "the password must not contain the user name")
	}
	u := &survey.User{Name: *name, Role: *role}
	for _, code := range strings.Split(*sections, ",") {
		if code = strings.TrimSpace(code); code != "" {
			u.Sections = append(u.Sections, code)
		}
	}
	if u.PasswordHash, err = password.Hash(pass); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	// Recovery: an existing user keeps its scope, is enabled again, and every browser signed
	// in as it is signed out.
	old, err := st.User(u.Name)
	if err == nil {
		if len(u.Sections) == 0 && u.Role == survey.RoleManager {
			u.Sections = old.Sections // --sections, or the scope it had
		}
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return err
	}
	if err := knownSections(st, u.Sections); err != nil {
		return err
	}
	if err := st.PutUser(u); err != nil {
		return err
	}
	if _, err := st.DeleteSessions(func(s storage.Session) bool { return s.User == u.Name }); err != nil {
		return err
	}
	action := "user.add"
	if old != nil {
		action = "user.reset"
	}
	auditCLI(st, e.Stderr, action, u.Name, "role="+u.Role)
	if len(u.Sections) > 0 {
		fmt.Fprintf(e.Stdout, "%s\t%s\t%s\n", u.Name, u.Role, strings.Join(u.Sections, ","))
		return nil
	}
	fmt.Fprintf(e.Stdout, "%s\t%s\n", u.Name, u.Role)
	return nil
}

// knownSections checks that every code is a section of some stored survey, when there are
// surveys at all: a typo would otherwise scope a manager to nothing. With no survey yet, the
// format (User.Validate) is all that can be checked.
func knownSections(st interface {
	Surveys() ([]*survey.Survey, error)
}, codes []string) error {
	svs, err := st.Surveys()
	if err != nil || len(svs) == 0 || len(codes) == 0 {
		return err
	}
	for _, code := range codes {
		found := false
		for _, sv := range svs {
			if _, ok := sv.Questionnaire.Section(code); ok {
				found = true
				break
			}
		}
		if !found {
			return survey.Errorf(survey.ENOTFOUND, "所属コード %q はどの調査にもありません（survey sections ID で確認できます）",
				"section code %q is in no survey (see survey sections ID)", code)
		}
	}
	return nil
}
