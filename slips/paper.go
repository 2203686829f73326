package slips

import (
	_ "embed"
	"html/template"
	"io"

	"staffsurvey/survey"
)

// Paper forms, for staff without a screen at work: an A4 questionnaire per token, in Japanese
// with English beside it, tick boxes, the section printed (nobody writes it by hand) and the
// token printed on it, so that each returned form counts once — entered by a clerk on the
// data-entry page (web/admin/paper_entry.go) and stored exactly like an online answer. Like the slips
// (slips.go) the document is self-contained: its CSS in one <style>, no script, no image, no
// request to any host. The numbers printed beside the questions are the order in which the
// clerk types the answers. A survey with attributes asks them first, each option numbered
// from 1 and 「回答しない」 0, as the clerk types them.

//go:embed paper.html
var paperHTML string

var (
	paperTemplate = template.Must(template.New("paper.html").Funcs(template.FuncMap{"add": func(a, b int) int { return a + b }}).Parse(paperHTML))
	paperCSS      = mustExecute(paperTemplate, "paper_css")
)

// paperQuestion is one question of the printed form: its number on the paper, its text, and
// the values of its boxes.
type paperQuestion struct {
	N      int
	Text   survey.Text
	Values []int
}

// paperPage is the data of paper.html.
type paperPage struct {
	CSS      template.CSS
	Q        *survey.Questionnaire
	Section  survey.Text
	Items    []paperQuestion
	Outcomes []paperQuestion // satisfaction (1..points), eNPS (0..10)
	Comments []paperQuestion
	Labels   survey.Texts // of the scale, lowest first
	Attrs    []survey.Attribute
	Period   survey.Text
	Tokens   []string
}

// WritePaper writes printable A4 questionnaires for tokens of a leaf section of sv, one form
// (one or more pages) per token, in a fresh random order.
func WritePaper(w io.Writer, sv *survey.Survey, section string, tokens []string) error {
	q := sv.Questionnaire
	fs, ok := q.Section(section)
	if !ok {
		return survey.Errorf(survey.ENOTFOUND, "所属 %q はありません", "no section %q", section)
	}
	order := append([]string(nil), tokens...)
	survey.Shuffle(order)
	p := paperPage{CSS: template.CSS(paperCSS), Q: q, Section: fs.Name, Labels: q.Scale.Labels, Tokens: order, Attrs: q.Attributes,
		Period: survey.Text{JA: q.Period.Say("ja"), EN: q.Period.Say("en")}}
	for _, it := range q.Items() {
		p.Items = append(p.Items, paperQuestion{N: len(p.Items) + 1, Text: it.Text, Values: span(1, q.Scale.Points)})
	}
	n := len(p.Items)
	if o := q.Outcomes.Satisfaction; o != nil {
		n++
		p.Outcomes = append(p.Outcomes, paperQuestion{N: n, Text: o.Text, Values: span(1, q.Scale.Points)})
	}
	if o := q.Outcomes.ENPS; o != nil {
		n++
		p.Outcomes = append(p.Outcomes, paperQuestion{N: n, Text: o.Text, Values: span(0, 10)})
	}
	for _, c := range q.Comments {
		n++
		p.Comments = append(p.Comments, paperQuestion{N: n, Text: c.Text})
	}
	return paperTemplate.ExecuteTemplate(w, "paper", p)
}

// span returns from, from+1, …, to.
func span(from, to int) []int {
	out := make([]int, 0, to-from+1)
	for v := from; v <= to; v++ {
		out = append(out, v)
	}
	return out
}
