package survey

import (
	"io"
	"strconv"
	"strings"
)

// CodebookHeader is the header of the codebook CSV (docs/formats.md): one row per question,
// then one per section, so that an analyst can label the columns of an export and its
// section codes without the YAML file.
var CodebookHeader = []string{"kind", "id", "text_ja", "text_en", "category", "category_ja", "category_en",
	"axis", "reverse", "min", "max", "labels_ja", "labels_en", "parent"}

// Kinds of codebook rows.
const (
	CodebookItem         = "item"
	CodebookSatisfaction = "satisfaction"
	CodebookENPS         = "enps"
	CodebookComment      = "comment"
	CodebookSection      = "section"
	CodebookAttribute    = "attribute"
	CodebookOption       = "option"
)

// CodebookRows returns the rows of q's codebook, without the header: the items in file order
// (the wide format's columns), the outcomes, the comments, then the sections of the tree in
// pre-order with their parent (the root "all" first), then each attribute (id attr:<id>, its
// import column) followed by its options (parent attr:<id>). Scale labels are joined with " | ".
func CodebookRows(q *Questionnaire) [][]string {
	points := strconv.Itoa(q.Scale.Points)
	labels := func(t Texts) string { return strings.Join(t.JA, " | ") }
	labelsEN := func(t Texts) string { return strings.Join(t.EN, " | ") }
	var rows [][]string
	for _, c := range q.Categories {
		for _, it := range c.Items {
			rev := "0"
			if it.Reverse {
				rev = "1"
			}
			rows = append(rows, []string{CodebookItem, it.ID, it.Text.JA, it.Text.EN, c.ID, c.Title.JA, c.Title.EN,
				c.Axis, rev, "1", points, labels(q.Scale.Labels), labelsEN(q.Scale.Labels), ""})
		}
	}
	if o := q.Outcomes.Satisfaction; o != nil {
		rows = append(rows, []string{CodebookSatisfaction, o.ID, o.Text.JA, o.Text.EN, "", "", "", "", "0", "1", points,
			labels(q.Scale.Labels), labelsEN(q.Scale.Labels), ""})
	}
	if o := q.Outcomes.ENPS; o != nil {
		rows = append(rows, []string{CodebookENPS, o.ID, o.Text.JA, o.Text.EN, "", "", "", "", "0", "0", "10",
			"0 まったく勧めない | 10 強く勧める", "0 not at all likely | 10 extremely likely", ""})
	}
	for _, c := range q.Comments {
		rows = append(rows, []string{CodebookComment, c.ID, c.Text.JA, c.Text.EN, "", "", "", "", "", "", "", "", "", ""})
	}
	for _, s := range q.Tree() {
		rows = append(rows, []string{CodebookSection, s.Code, s.Name.JA, s.Name.EN, "", "", "", "", "", "", "", "", "", s.Parent})
	}
	for _, a := range q.Attributes {
		col := AttrColumnPrefix + a.ID
		rows = append(rows, []string{CodebookAttribute, col, a.Title.JA, a.Title.EN, "", "", "", "", "", "", "", "", "", ""})
		for _, o := range a.Options {
			rows = append(rows, []string{CodebookOption, o.ID, o.Label.JA, o.Label.EN, "", "", "", "", "", "", "", "", "", col})
		}
	}
	return rows
}

// WriteCodebook writes q's codebook as CSV to w, every cell through SafeCell; excel as for
// ExportOptions.BOM.
func WriteCodebook(w io.Writer, q *Questionnaire, excel bool) error {
	cw, err := NewExcelCSV(w, excel)
	if err != nil {
		return err
	}
	if err := cw.Write(CodebookHeader); err != nil {
		return err
	}
	for _, row := range CodebookRows(q) {
		for i := range row {
			row[i] = SafeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
