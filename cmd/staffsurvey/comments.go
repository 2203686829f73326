package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"staffsurvey/jatext"
	"staffsurvey/results"
	"staffsurvey/survey"
)

// runComments prints the comments of a closed survey as its comments page shows them — of
// one group (--section, default the organisation), only when docs/anonymity.md rule 7 allows,
// in random order, none that waits for review — or, with --flagged, the comments that wait
// for review because they may name a person, with the names found marked 【】. The review
// itself (hide the names, or mark harmless) is done on the admin page, which audits it.
func runComments(ctx context.Context, e *env, args []string) error {
	fs := flags("comments")
	id := fs.String("survey", "", "survey id (required)")
	section := fs.String("section", survey.Root, "section code whose comments to print (not with --flagged)")
	flagged := fs.Bool("flagged", false, "print the comments that wait for review because they may name a person")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey"); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	svc := results.New(st)
	if *flagged {
		_, list, err := svc.Flagged(ctx, *id)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e, list)
		}
		if len(list) == 0 {
			fmt.Fprintln(e.Stderr, "確認待ちの記述はありません / no comment waits for review")
		}
		for _, f := range list {
			fmt.Fprintf(e.Stdout, "%s\t%s\t%d\t%s\n", f.ID, f.Question, f.Count, markSpans(f.Text, f.Names))
		}
		return nil
	}
	sv, lists, ok, err := svc.Comments(ctx, *id, *section)
	if err != nil {
		return err
	}
	if !ok {
		return survey.Errorf(survey.ESTATE, "所属 %q は回答者が少ないか、差し引きで特定されるおそれがあるため、自由記述を表示できません",
			"section %q is too small, or could be singled out by subtraction: its comments cannot be shown", *section)
	}
	for i := range lists {
		lists[i].Texts = lists[i].Shuffled() // the lists are the cache's: shuffle a copy
	}
	if *asJSON {
		return printJSON(e, lists)
	}
	for i, l := range lists {
		fmt.Fprintf(e.Stdout, "# %s %s\n", l.Question, sv.Questionnaire.Comments[i].Text.JA)
		for _, t := range l.Texts {
			fmt.Fprintf(e.Stdout, "- %s\n", strings.ReplaceAll(t, "\n", " "))
		}
	}
	return nil
}

// markSpans returns text on one line with each span in 【】.
func markSpans(text string, spans []jatext.Span) string {
	var b strings.Builder
	last := 0
	for _, s := range spans {
		if s.Start < last {
			continue
		}
		b.WriteString(text[last:s.Start])
		b.WriteString("【" + text[s.Start:s.End] + "】")
		last = s.End
	}
	b.WriteString(text[last:])
	return strings.ReplaceAll(b.String(), "\n", " ")
}

func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
