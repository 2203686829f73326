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
	role := fs.String("role", "", "admin, manager or analyst")
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
		u.Sections = old.Sections
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
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
	fmt.Fprintf(e.Stdout, "%s\t%s\n", u.Name, u.Role)
	return nil
}
