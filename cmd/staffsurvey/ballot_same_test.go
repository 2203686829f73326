package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"staffsurvey/analysis"
	"staffsurvey/internal/testfixture/fixtureload"
	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/survey/storage/storagetest"
)

// anonymityVariants are the thresholds the same data is run with: the fixture's own, equal
// thresholds, and comment thresholds above and below min_group_size, so that comments are
// stored apart from their answers in some and not in others.
var anonymityVariants = []survey.Anonymity{
	{MinGroupSize: 5, MinCommentGroupSize: 10}, // the fixture's
	{MinGroupSize: 5, MinCommentGroupSize: 5},
	{MinGroupSize: 10, MinCommentGroupSize: 10},
	{MinGroupSize: 6, MinCommentGroupSize: 20},
	{MinGroupSize: 8, MinCommentGroupSize: 15},
	{MinGroupSize: 10, MinCommentGroupSize: 5},
	{MinGroupSize: 8, MinCommentGroupSize: 6},
}

// TestBallotBoxSameResults: the report (analyze --json) and the exports (wide and long) of
// responses that went through the ballot box — sealed on submission, opened and generalised
// at close — or through an import, are the same as those computed from the very same
// responses kept as they were answered (docs/anonymity.md, rule 4).
func TestBallotBoxSameResults(t *testing.T) {
	for _, year := range []string{"2025", "2026"} {
		for _, anon := range anonymityVariants {
			for _, path := range []string{"ballot", "import"} {
				name := fmt.Sprintf("%s/k%d-c%d/%s", year, anon.MinGroupSize, anon.MinCommentGroupSize, path)
				t.Run(name, func(t *testing.T) {
					q, raw := fixtureload.Analysis(t, year)
					q.Anonymity = anon
					q.Anonymity.CommentReview = survey.ReviewFlagged // the comments as kept, not their review (TestCommentFixtureNeverLeaks)
					db := filepath.Join(t.TempDir(), "same.db")
					storeThrough(t, db, path, q, raw)

					res := analysis.Analyze(q, raw)
					wantJSON := mustJSON(t, analysis.Build(res))
					gotJSON := runOut(t, "--db", db, "analyze", "--survey", q.ID, "--json")
					if !jsonEqual(t, gotJSON, wantJSON) {
						if d := os.Getenv("BALLOT_DIFF_DIR"); d != "" {
							os.WriteFile(filepath.Join(d, "got.json"), []byte(gotJSON), 0o600)
							os.WriteFile(filepath.Join(d, "want.json"), []byte(wantJSON), 0o600)
						}
						t.Errorf("analyze --json differs")
					}
					commentsKept(t, db, q, raw)
					for _, format := range []string{survey.FormatWide, survey.FormatLong} {
						want := exportRaw(t, q, res, raw, format)
						got := runOut(t, "--db", db, "export", "--survey", q.ID, "--format", format)
						if g, w := csvRows(t, got, format), csvRows(t, want, format); !slices.Equal(g, w) {
							t.Errorf("export %s differs: got %d rows, want %d\n got %q\nwant %q", format, len(g), len(w), firstDiff(g, w), firstDiff(w, g))
						}
					}
				})
			}
		}
	}
}

// storeThrough stores raw in a new database at db, by tokens and submissions to an open
// survey then closed ("ballot"), or by an import into a draft then closed ("import").
func storeThrough(t *testing.T, db, path string, q *survey.Questionnaire, raw []*survey.Response) {
	t.Helper()
	st := storagetest.MustOpenAt(t, db)
	defer st.Close()
	if err := st.CreateSurvey(q); err != nil {
		t.Fatal(err)
	}
	if path == "import" {
		var clones []*survey.Response
		for _, r := range raw {
			clones = append(clones, r.Clone())
		}
		if err := st.Import(q.ID, clones); err != nil {
			t.Fatal(err)
		}
	} else {
		if err := storagetest.OpenSurvey(st, q.ID); err != nil {
			t.Fatal(err)
		}
		per := map[string][]*survey.Response{}
		for _, r := range raw {
			per[r.Section] = append(per[r.Section], r)
		}
		// Concurrent submissions share commits (DB.Batch), as staff's do: it keeps the test fast.
		var wg sync.WaitGroup
		errs := make(chan error, len(raw))
		for section, rs := range per {
			toks, err := st.IssueTokens(q.ID, section, len(rs))
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rs {
				wg.Go(func() { errs <- st.Submit(toks[i], r.Clone()) })
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := storagetest.CloseSurvey(st, q.ID); err != nil {
		t.Fatal(err)
	}
}

// exportRaw writes raw as the export would have before the ballot box: from leaf sections.
func exportRaw(t *testing.T, q *survey.Questionnaire, res *analysis.SurveyResult, raw []*survey.Response, format string) string {
	t.Helper()
	section, ok := res.ExportSection()
	if !ok {
		t.Fatal("fixture not exportable")
	}
	var buf bytes.Buffer
	cw, err := survey.NewCSVWriter(&buf, q, survey.ExportOptions{Format: format, Section: section, Comments: res.ExportComments()})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range raw {
		if err := cw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// csvRows returns the rows of a CSV in sorted order (exports are in random order). In the long
// format the respondent column is random per export: it is replaced by the respondent's other
// rows, so that rows still compare per respondent.
func csvRows(t *testing.T, text, format string) []string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if format == survey.FormatLong {
		byResp := map[string][]string{}
		for _, r := range records[1:] {
			byResp[r[3]] = append(byResp[r[3]], strings.Join(slices.Concat(r[:3], r[4:]), ","))
		}
		for _, rows := range byResp {
			slices.Sort(rows)
			out = append(out, strings.Join(rows, ";"))
		}
	} else {
		for _, r := range records {
			out = append(out, strings.Join(r, ","))
		}
	}
	slices.Sort(out)
	return out
}

func firstDiff(a, b []string) string {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return x
		}
	}
	return ""
}

func runOut(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := Run(context.Background(), args, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsonEqual compares two JSON documents, numbers to 1e-9: the responses are stored in random
// key order, and a few statistics (the drivers' r) are summed in that order, so that the last
// bits of a float differ from run to run, with or without the ballot box.
func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return near(x, y)
}

func near(x, y any) bool {
	switch x := x.(type) {
	case float64:
		y, ok := y.(float64)
		return ok && math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(x))
	case map[string]any:
		y, ok := y.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !near(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := y.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !near(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return x == y
}

// commentsKept checks that the comments page (the results service, as the web and the CLI
// use it) shows for every group exactly what it would for the same responses kept as answered:
// whether the group may show comments, and the texts. The one exception is a group hidden at
// min_group_size, whose respondents' records are all stored under larger groups: it shows no
// comments any more (see results.Service.ballotComments).
func commentsKept(t *testing.T, db string, q *survey.Questionnaire, raw []*survey.Response) {
	t.Helper()
	st := storagetest.MustOpenAt(t, db)
	defer st.Close()
	svc := results.New(st)
	hidden := analysis.Analyze(q, raw)
	for i, g := range q.Tree() {
		want, wok := analysis.Comments(q, g.Code, raw)
		if hidden.Groups[i].Suppressed {
			want, wok = nil, false
		}
		_, got, gok, err := svc.Comments(context.Background(), q.ID, g.Code)
		if err != nil {
			t.Fatal(err)
		}
		if gok != wok || fmt.Sprint(sortedTexts(got)) != fmt.Sprint(sortedTexts(want)) {
			t.Errorf("comments of %s: got %v with %d texts; want %v with %d", g.Code, gok, len(sortedTexts(got)), wok, len(sortedTexts(want)))
		}
	}
}

func sortedTexts(lists []analysis.CommentList) []string {
	var out []string
	for _, l := range lists {
		for _, t := range l.Texts {
			out = append(out, l.Question+":"+t)
		}
	}
	slices.Sort(out)
	return out
}
