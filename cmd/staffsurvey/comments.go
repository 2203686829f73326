package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"staffsurvey/jatext"
	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// runComments prints the comments of a closed survey as its comments page shows them — of
// one group (--section, default the organisation), only when docs/anonymity.md rule 7 allows,
// in random order, none that waits for review; with --pending, the comments that wait for a
// person's decision (the finder's suspects first, what it found marked 【】 with why); with
// --flagged, only those suspects. --publish, --withhold and --hide decide, as the review page
// does, and are audited without the text.
func runComments(ctx context.Context, e *env, args []string) error {
	fs := flags("comments")
	id := fs.String("survey", "", "survey id (required)")
	section := fs.String("section", survey.Root, "section code whose comments to print")
	pending := fs.Bool("pending", false, "print the comments that wait for a decision, the finder's suspects first")
	flagged := fs.Bool("flagged", false, "print the comments that wait for a decision and in which the finder found a name or a role")
	publish := fs.String("publish", "", "publish the comments with these ids (from --pending), separated by commas")
	withhold := fs.String("withhold", "", "withhold the comments with these ids: never shown")
	hide := fs.String("hide", "", "redact the comment with this id: the names found and --words become ＊＊, the original is erased")
	words := fs.String("words", "", "with --hide: further words to hide, separated by commas")
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
	switch {
	case *publish != "" || *withhold != "":
		return decideComments(ctx, e, st, svc, *id, *publish, *withhold)
	case *hide != "":
		return hideComment(ctx, e, st, svc, *id, *hide, *words)
	case *pending || *flagged:
		_, rv, err := svc.Review(ctx, *id)
		if err != nil {
			return err
		}
		list := rv.Pending
		if *flagged {
			list = slices.DeleteFunc(list, func(p results.Pending) bool { return !p.Suspect() })
		}
		if *asJSON {
			return printJSON(e, list)
		}
		fmt.Fprintf(e.Stderr, "確認済み %d / %d 件、残り %d 件 / %d of %d decided, %d left\n",
			rv.Decided, rv.Total, len(rv.Pending), rv.Decided, rv.Total, len(rv.Pending))
		for _, p := range list {
			fmt.Fprintf(e.Stdout, "%s\t%s\t%d\t%s\t%s\n", p.ID, p.Question, p.Count, markSpans(p.Text, p.Names), reasons(p.Names))
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

// decideComments publishes and withholds the pending comments of survey id with the given
// ids (comma-separated): every id is checked, then all are decided in one transaction.
func decideComments(ctx context.Context, e *env, st *storage.Store, svc *results.Service, id, publish, withhold string) error {
	_, rv, err := svc.Review(ctx, id)
	if err != nil {
		return err
	}
	questions := map[string]string{}
	for _, p := range rv.Pending {
		questions[p.ID] = p.Question
	}
	decisions := map[string]string{}
	for _, d := range []struct{ list, what string }{{publish, survey.DecidePublish}, {withhold, survey.DecideWithhold}} {
		for _, cid := range strings.FieldsFunc(d.list, func(r rune) bool { return r == ',' || r == ' ' }) {
			if _, ok := questions[cid]; !ok {
				return survey.Errorf(survey.ENOTFOUND, "確認待ちの記述 %q はありません（すでに判断済みか、伏せられています）",
					"no comment %q waits for review (it may have been decided or redacted already)", cid)
			}
			decisions[cid] = d.what
		}
	}
	if err := st.DecideAll(id, decisions, cliUser()); err != nil {
		return err
	}
	for cid, what := range decisions {
		auditCLI(st, e.Stderr, "comment."+what, id, "question="+questions[cid]+" id="+cid)
	}
	fmt.Fprintf(e.Stderr, "%d 件を判断しました / %d comments decided\n", len(decisions), len(decisions))
	return nil
}

// hideComment redacts the pending comment cid of survey id: the finder's names and words.
func hideComment(ctx context.Context, e *env, st *storage.Store, svc *results.Service, id, cid, words string) error {
	_, p, err := svc.PendingComment(ctx, id, cid)
	if err != nil {
		return err
	}
	n, err := st.Redact(id, p.Index, p.Text, p.Redacted(strings.FieldsFunc(words, func(r rune) bool { return r == ',' || r == '、' })))
	if err != nil {
		return err
	}
	auditCLI(st, e.Stderr, "comment.redact", id, fmt.Sprintf("question=%s comments=%d", p.Question, n))
	fmt.Fprintf(e.Stderr, "%d 件の記述を伏せました / %d comments redacted\n", n, n)
	return nil
}

// reasons says, for each span, its text and why it was found: 田中:敬称.
func reasons(spans []jatext.Span) string {
	var out []string
	for _, s := range spans {
		out = append(out, strings.ReplaceAll(s.Text, "\n", " ")+":"+s.Why)
	}
	return strings.Join(out, " ")
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
