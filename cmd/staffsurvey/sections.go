package main

import (
	"context"
	"fmt"
	"strings"
)

// runSurveySections prints a survey's organisation tree in pre-order, one section a line:
// the code (indented two spaces per level), leaf or group, the Japanese and the English
// name, separated by tabs. Tokens are issued for leaves (tokens issue --section CODE).
func runSurveySections(ctx context.Context, e *env, args []string) error {
	pos, err := parse(flags("survey sections"), args, 1)
	if err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	sv, err := st.Survey(pos[0])
	if err != nil {
		return err
	}
	for _, s := range sv.Questionnaire.Tree() {
		kind := "group"
		if s.Leaf && s.Parent != "" {
			kind = "leaf"
		}
		fmt.Fprintf(e.Stdout, "%s%s\t%s\t%s\t%s\n", strings.Repeat("  ", s.Depth), s.Code, kind, s.Name.JA, s.Name.EN)
	}
	return nil
}
