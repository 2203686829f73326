package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"staffsurvey/internal/password"
	"staffsurvey/survey"
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
	u := &survey.User{Name: *name, Role: *role}
	if u.PasswordHash, err = password.Hash(pass); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.PutUser(u); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%s\t%s\n", u.Name, u.Role)
	return nil
}
