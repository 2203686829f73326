package admin

import (
	"fmt"
	"math"

	"staffsurvey/analysis"
	"staffsurvey/web/page"
)

// Bars drawn on the server as inline SVG, for the pages that are printed and handed out (the
// team view, the staff edition): they need no script, so the staff edition keeps running
// none, and they print as sharply as the text. The numbers are the report's, only placed.

// scoreBars is a chart of scores as horizontal bars, each with an optional mark across it
// (the organisation's score beside a section's, or last year's).
type scoreBars struct {
	Rows     []scoreBar
	Lo, Hi   string // the ends of the scale
	MarkName string // what the marks are, when some row has one
	MarkTag  string // the short word before a mark's number ("全体", "前回")
}

// scoreBar is one row of scoreBars; widths and positions are percentages of the scale.
type scoreBar struct {
	Title, Score, Mark string
	Change             string // "▼−2.1" beside a significant change since last year, else ""
	Down               bool
	Width, MarkX       string
	Label              string // the row in words, for screen readers
}

// scoreBarRow is a row to draw: a published score and the score of its mark (nil for none).
type scoreBarRow struct {
	Title       string
	Score, Mark *float64
	// Change is a significant change since last year (nil for none), shown beside the score.
	Change *float64
}

// newScoreBars places rows on a scale that spans their scores and marks in whole tens (on
// 0–100, 55 and 61 would look alike); rows without a score are left out, and nil is returned
// when none is left.
func newScoreBars(rows []scoreBarRow, markName, markTag string, lang page.Lang) *scoreBars {
	lo, hi := 100.0, 0.0
	var kept []scoreBarRow
	for _, r := range rows {
		if r.Score == nil {
			continue
		}
		for _, x := range []*float64{r.Score, r.Mark} {
			if x != nil {
				lo, hi = math.Min(lo, *x), math.Max(hi, *x)
			}
		}
		kept = append(kept, r)
	}
	if len(kept) == 0 {
		return nil
	}
	lo, hi = math.Max(0, math.Floor((lo-5)/10)*10), math.Min(100, math.Ceil((hi+3)/10)*10)
	pos := func(x float64) string { return fmt.Sprintf("%.2f", (x-lo)/(hi-lo)*100) }
	b := &scoreBars{Lo: fmt.Sprint(lo), Hi: fmt.Sprint(hi)}
	for _, r := range kept {
		bar := scoreBar{Title: r.Title, Score: page.FmtNum(r.Score, 1, false), Width: pos(*r.Score)}
		bar.Label = r.Title + " " + bar.Score
		if r.Change != nil {
			bar.Down = *r.Change < 0
			bar.Change = "▲" + page.FmtNum(r.Change, 1, true)
			if bar.Down {
				bar.Change = "▼" + page.FmtNum(r.Change, 1, true)
			}
			bar.Label += " " + bar.Change
		}
		if r.Mark != nil {
			b.MarkName, b.MarkTag = markName, markTag
			bar.Mark, bar.MarkX = page.FmtNum(r.Mark, 1, false), pos(*r.Mark)
			bar.Label += lang.Pick("（"+markName+" ", " ("+markName+" ") + bar.Mark + lang.Pick("）", ")")
		}
		b.Rows = append(b.Rows, bar)
	}
	return b
}

// typeShares is the four-type distribution of 組織活性度 as one bar of 100%.
type typeShares struct {
	Parts []typeShare
	Label string // the bar in words, for screen readers
}

// typeShare is one type's part of typeShares, at X% with a width of Width%.
type typeShare struct {
	Key      analysis.Type
	X, Width string
}

// newTypeShares draws the types of the report (their shares add up to 100).
func newTypeShares(types []typeRow) *typeShares {
	if len(types) == 0 {
		return nil
	}
	ts := &typeShares{}
	x := 0.0
	for i, t := range types {
		ts.Parts = append(ts.Parts, typeShare{Key: t.Key, X: fmt.Sprintf("%.2f", x), Width: fmt.Sprintf("%.2f", math.Max(0, t.Share))})
		x += t.Share
		if i > 0 {
			ts.Label += ", "
		}
		ts.Label += fmt.Sprintf("%s %.1f%%", t.Title, t.Share)
	}
	return ts
}
