package main

import (
	"context"
	"encoding/csv"
	"fmt"

	"staffsurvey/slips"
	"staffsurvey/survey"
)

// DefaultBaseURL is where slips point when --base-url is not given.
const DefaultBaseURL = "http://127.0.0.1:8080"

func runTokensIssue(ctx context.Context, e *env, args []string) error {
	fs := flags("tokens issue")
	id := fs.String("survey", "", "survey id")
	section := fs.String("section", "", "leaf section code")
	count := fs.Int("count", 0, "number of tokens")
	format := fs.String("format", "csv", "csv, html (slips) or paper (questionnaires to fill in by hand)")
	base := fs.String("base-url", DefaultBaseURL, "URL the slips point to")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey", "section", "count"); err != nil {
		return err
	}
	if *format != "csv" && *format != "html" && *format != "paper" {
		return survey.Errorf(survey.EINVALID, "--format は csv、html、paper のいずれかで指定してください", "--format must be csv, html or paper")
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	sv, err := st.Survey(*id)
	if err != nil {
		return err
	}
	tokens, err := st.IssueTokens(*id, *section, *count)
	if err != nil {
		return err
	}
	if slips.IsLoopbackURL(*base) {
		fmt.Fprintf(e.Stderr, "staffsurvey: 注意: 回答用の URL は %s です。職員の端末から開けるよう --base-url を指定してください\nstaffsurvey: note: the answer URLs point at %s, which staff may not reach: give --base-url\n", *base, *base)
	}
	auditCLI(st, e.Stderr, "tokens.issue", *id, fmt.Sprintf("section=%s count=%d", *section, len(tokens)))
	switch *format {
	case "html":
		return writeSlips(e, sv, *section, tokens, *base)
	case "paper":
		return slips.WritePaper(e.Stdout, sv, *section, tokens)
	}
	return slips.WriteTokensCSV(e.Stdout, *section, tokens, *base)
}

// runTokensVoid voids the unused tokens of a token list CSV (as `tokens issue` printed it):
// they then answer like unknown tokens and no longer count as issued.
func runTokensVoid(ctx context.Context, e *env, args []string) error {
	fs := flags("tokens void")
	id := fs.String("survey", "", "survey id")
	file := fs.String("csv", "", "token list CSV (token,section,url) of the tokens to void")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey", "csv"); err != nil {
		return err
	}
	f, err := openInput(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 || len(rows[0]) == 0 || rows[0][0] != "token" {
		return survey.Errorf(survey.EINVALID, "%s: 回答用コードの一覧（token,section,url の CSV）ではありません", "%s: not a token list (CSV token,section,url)", *file)
	}
	var tokens []string
	for _, r := range rows[1:] {
		if len(r) > 0 {
			tokens = append(tokens, r[0])
		}
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.VoidTokens(*id, tokens)
	if err != nil {
		return err
	}
	auditCLI(st, e.Stderr, "tokens.void", *id, fmt.Sprintf("voided=%d of=%d", n, len(tokens)))
	fmt.Fprintf(e.Stdout, "%d of %d tokens voided (the others were used or unknown)\n", n, len(tokens))
	return nil
}
