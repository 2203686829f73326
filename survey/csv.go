package survey

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Export formats (docs/formats.md). Wide and long are the responses as CSV (CSVWriter);
// codebook is the questionnaire as CSV (WriteCodebook); xlsx is a workbook of the data, the
// codebook and the report tables (package results).
const (
	FormatWide     = "wide"
	FormatLong     = "long"
	FormatCodebook = "codebook"
	FormatXLSX     = "xlsx"
)

// LongHeader is the header of the long format.
var LongHeader = []string{"survey", "year", "section", "respondent", "question", "value"}

// Header returns the wide CSV header of q:
// survey,year,section,<item ids>,<satisfaction id>,<enps id>,<comment ids>.
func Header(q *Questionnaire) []string {
	return append([]string{"survey", "year", "section"}, q.QuestionIDs()...)
}

// MaxImportRows bounds one import.
const MaxImportRows = 1_000_000

// ReadCSV reads wide CSV responses to q (docs/formats.md): a header row naming every column of
// Header(q) (in any order), then one row per response. A UTF-8 BOM is skipped. The first
// problem is returned with its line number; nothing is returned with it.
func ReadCSV(q *Questionnaire, r io.Reader) ([]*Response, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte(utf8BOM)) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	lineErr := func(line int, ja, en string) error {
		return &Error{Code: EINVALID, Message: Text{JA: fmt.Sprintf("%d 行目: %s", line, ja), EN: fmt.Sprintf("line %d: %s", line, en)}}
	}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, Errorf(EINVALID, "CSV が空です（見出し行が必要です）", "the CSV is empty (a header row is needed)")
	}
	if err != nil {
		return nil, csvError(err)
	}
	want := Header(q)
	col := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(h)
		if _, dup := col[h]; dup {
			return nil, lineErr(1, fmt.Sprintf("列 %q が重複しています", h), fmt.Sprintf("duplicate column %q", h))
		}
		col[h] = i
	}
	for _, h := range want {
		if _, ok := col[h]; !ok {
			return nil, lineErr(1, fmt.Sprintf("列 %q がありません（必要な列: %s）", h, strings.Join(want, ",")),
				fmt.Sprintf("column %q is missing (want %s)", h, strings.Join(want, ",")))
		}
	}
	// attr:<id> columns are optional (a missing one: nobody stated it); others must be known.
	attrCols := make([]int, len(q.Attributes))
	for i, a := range q.Attributes {
		attrCols[i] = -1
		if c, ok := col[AttrColumnPrefix+a.ID]; ok {
			attrCols[i] = c
			want = append(want, AttrColumnPrefix+a.ID)
		}
	}
	if len(head) != len(want) {
		for h := range col {
			if !contains(want, h) {
				return nil, lineErr(1, fmt.Sprintf("列 %q はこの調査票にありません", h), fmt.Sprintf("unknown column %q", h))
			}
		}
	}
	items := q.Items()
	p := q.Scale.Points
	// Column indices looked up once, not per cell: an import reads up to a million rows.
	idx := func(name string) int { return col[name] }
	surveyCol, yearCol, sectionCol := idx("survey"), idx("year"), idx("section")
	itemCols := make([]int, len(items))
	for i, it := range items {
		itemCols[i] = idx(it.ID)
	}
	satCol, enpsCol := -1, -1
	if o := q.Outcomes.Satisfaction; o != nil {
		satCol = idx(o.ID)
	}
	if o := q.Outcomes.ENPS; o != nil {
		enpsCol = idx(o.ID)
	}
	commentCols := make([]int, len(q.Comments))
	for i, c := range q.Comments {
		commentCols[i] = idx(c.ID)
	}
	year := strconv.Itoa(q.Year)
	// Responses, their answers and comments are carved from slabs of slabRows rows, and section
	// codes are interned: a million rows then cost a few hundred allocations, not millions.
	const slabRows = 4096
	var (
		respSlab    []Response
		answerSlab  []int8
		commentSlab []string
		attrSlab    []int8
		sections    = map[string]string{}
	)
	var out []*Response
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) >= MaxImportRows {
			return nil, lineErr(line, fmt.Sprintf("一度に取り込めるのは %d 件までです", MaxImportRows), fmt.Sprintf("at most %d rows per import", MaxImportRows))
		}
		cell := func(i int) string { return strings.TrimSpace(rec[i]) }
		if s := cell(surveyCol); s != q.ID {
			return nil, lineErr(line, fmt.Sprintf("survey %q がこの調査 %q と一致しません", s, q.ID), fmt.Sprintf("survey %q is not %q", s, q.ID))
		}
		if y := cell(yearCol); y != year {
			return nil, lineErr(line, fmt.Sprintf("year %q が調査の年 %d と一致しません", y, q.Year), fmt.Sprintf("year %q is not %d", y, q.Year))
		}
		section, ok := sections[cell(sectionCol)]
		if !ok {
			section = cell(sectionCol)
			if !q.IsLeaf(section) {
				return nil, lineErr(line, fmt.Sprintf("section %q はこの調査の末端の所属ではありません", section), fmt.Sprintf("section %q is not a leaf section of this survey", section))
			}
			sections[section] = section
		}
		if len(respSlab) == 0 {
			respSlab = make([]Response, slabRows)
			answerSlab = make([]int8, slabRows*len(items))
			commentSlab = make([]string, slabRows*len(q.Comments))
			attrSlab = make([]int8, slabRows*len(q.Attributes))
		}
		resp := &respSlab[0]
		respSlab = respSlab[1:]
		resp.Survey, resp.Section = q.ID, section
		resp.Answers, answerSlab = answerSlab[:len(items):len(items)], answerSlab[len(items):]
		resp.Comments, commentSlab = commentSlab[:len(q.Comments):len(q.Comments)], commentSlab[len(q.Comments):]
		resp.Satisfaction, resp.ENPS = NA, NA
		value := func(i int, name string, lo, hi int) (int8, error) {
			s := cell(i)
			if s == "" {
				return NA, nil
			}
			v, err := strconv.Atoi(s)
			if err != nil || v < lo || v > hi {
				return 0, lineErr(line, fmt.Sprintf("%s の値 %q は %d〜%d の整数か空欄にしてください", name, s, lo, hi),
					fmt.Sprintf("%s: %q must be an integer from %d to %d, or empty", name, s, lo, hi))
			}
			return int8(v), nil
		}
		for i, c := range itemCols {
			if resp.Answers[i], err = value(c, items[i].ID, 1, p); err != nil {
				return nil, err
			}
		}
		if satCol >= 0 {
			if resp.Satisfaction, err = value(satCol, q.Outcomes.Satisfaction.ID, 1, p); err != nil {
				return nil, err
			}
		}
		if enpsCol >= 0 {
			if resp.ENPS, err = value(enpsCol, q.Outcomes.ENPS.ID, 0, 10); err != nil {
				return nil, err
			}
		}
		for i, c := range commentCols {
			resp.Comments[i] = PlainCell(rec[c]) // exports neutralise formulas (SafeCell)
		}
		if len(q.Attributes) > 0 {
			resp.Attributes, attrSlab = attrSlab[:len(q.Attributes):len(q.Attributes)], attrSlab[len(q.Attributes):]
			for i, c := range attrCols {
				resp.Attributes[i] = NA
				if c < 0 || cell(c) == "" {
					continue
				}
				a := &q.Attributes[i]
				o := a.OptionIndex(cell(c))
				if o < 0 {
					ids := make([]string, len(a.Options))
					for j, opt := range a.Options {
						ids[j] = opt.ID
					}
					return nil, lineErr(line, fmt.Sprintf("%s%s の値 %q は選択肢 (%s) のどれでもありません（空欄は「回答しない」）", AttrColumnPrefix, a.ID, cell(c), strings.Join(ids, ", ")),
						fmt.Sprintf("%s%s: %q is not one of its options (%s); leave it empty for not stated", AttrColumnPrefix, a.ID, cell(c), strings.Join(ids, ", ")))
				}
				resp.Attributes[i] = int8(o)
			}
		}
		if err := resp.Validate(q); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return nil, lineErr(line, e.Message.JA, e.Message.EN)
			}
			return nil, err
		}
		out = append(out, resp)
	}
	return out, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{Code: EINVALID, Err: err, Message: Text{
			JA: fmt.Sprintf("%d 行目: CSV として読めません（%v）", pe.Line, pe.Err),
			EN: fmt.Sprintf("line %d: not valid CSV (%v)", pe.Line, pe.Err)}}
	}
	return fmt.Errorf("read csv: %w", err)
}

// ExportOptions say how WriteCSV writes.
type ExportOptions struct {
	Format string // FormatWide (default) or FormatLong
	// BOM writes a UTF-8 byte order mark and CRLF line ends for Excel. Text cells that a
	// spreadsheet would run as formulas are neutralised either way (SafeCell).
	BOM bool
	// Section maps a response's leaf section to the section written, so that sections below
	// the minimum group size appear as their nearest shown ancestor. Nil writes sections as they are.
	Section func(string) string
	// Comments reports whether the comments of a response of a leaf section may be written
	// (docs/anonymity.md, rule 7: never with a section below min_comment_group_size); when it
	// returns false the comment cells are left empty (wide) or their rows left out (long).
	// Nil writes every comment.
	Comments func(string) bool
	// Comment reports whether the answer text to the question-th comment question may be
	// written: false for one that waits for an admin's review because it may name a person
	// (docs/anonymity.md, "Names in comments"). Its cell is left empty (wide) or its row left
	// out (long), as for Comments. Nil writes every comment.
	Comment func(question int, text string) bool
}

// CSVWriter writes responses of one questionnaire as CSV (docs/formats.md).
type CSVWriter struct {
	q    *Questionnaire
	opts ExportOptions
	w    *csv.Writer
	rec  []string
	year string
	// The long format's respondent keys: the n-th response written gets mul·n + add (mod
	// 2^64), a bijection with a multiplier and an offset drawn afresh for every writer, so that
	// keys are unique within an export and unrelated across exports.
	n, mul, add uint64
}

// Validate checks the options a user chooses: the format ("" means wide).
func (o ExportOptions) Validate() error {
	switch o.Format {
	case "", FormatWide, FormatLong:
	case FormatCodebook, FormatXLSX:
		// not a CSV of responses: the callers that write them check for them first
		return Errorf(EINVALID, "形式 %q はこの出力では使えません（wide か long）", "format %q cannot be used here (wide or long)", o.Format)
	default:
		return Errorf(EINVALID, "形式 %q は wide, long, codebook, xlsx のいずれかで指定してください", "format %q must be wide, long, codebook or xlsx", o.Format)
	}
	return nil
}

// NewCSVWriter writes the BOM (if asked for) and the header row.
func NewCSVWriter(w io.Writer, q *Questionnaire, opts ExportOptions) (*CSVWriter, error) {
	if opts.Format == "" {
		opts.Format = FormatWide
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	out, err := NewExcelCSV(w, opts.BOM)
	if err != nil {
		return nil, err
	}
	cw := &CSVWriter{q: q, opts: opts, w: out, year: strconv.Itoa(q.Year)}
	head := Header(q)
	if opts.Format == FormatLong {
		head = LongHeader
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		cw.mul = binary.LittleEndian.Uint64(b[:8]) | 1 // odd: invertible mod 2^64
		cw.add = binary.LittleEndian.Uint64(b[8:])
	}
	return cw, cw.w.Write(head)
}

// Write writes one response: one row in wide format, one row per answered question in long format.
func (cw *CSVWriter) Write(r *Response) error {
	q := cw.q
	section := r.Section
	if cw.opts.Section != nil {
		section = cw.opts.Section(section)
	}
	comments := cw.opts.Comments == nil || cw.opts.Comments(r.Section)
	num := func(v int8) string {
		if v == NA {
			return ""
		}
		return strconv.Itoa(int(v))
	}
	text := SafeCell
	comment := func(i int) string {
		if !comments || (cw.opts.Comment != nil && !cw.opts.Comment(i, r.Comments[i])) {
			return ""
		}
		return text(r.Comments[i])
	}
	if cw.opts.Format == FormatLong {
		cw.n++
		key := fmt.Sprintf("%016x", cw.mul*cw.n+cw.add)
		row := func(question, value string) error {
			if value == "" {
				return nil
			}
			return cw.w.Write([]string{q.ID, cw.year, section, key, question, value})
		}
		for i, it := range q.Items() {
			if err := row(it.ID, num(r.Answers[i])); err != nil {
				return err
			}
		}
		if o := q.Outcomes.Satisfaction; o != nil {
			if err := row(o.ID, num(r.Satisfaction)); err != nil {
				return err
			}
		}
		if o := q.Outcomes.ENPS; o != nil {
			if err := row(o.ID, num(r.ENPS)); err != nil {
				return err
			}
		}
		for i, c := range q.Comments {
			if err := row(c.ID, comment(i)); err != nil {
				return err
			}
		}
		return nil
	}
	rec := append(cw.rec[:0], q.ID, cw.year, section)
	for _, v := range r.Answers {
		rec = append(rec, num(v))
	}
	if q.Outcomes.Satisfaction != nil {
		rec = append(rec, num(r.Satisfaction))
	}
	if q.Outcomes.ENPS != nil {
		rec = append(rec, num(r.ENPS))
	}
	for i := range r.Comments {
		rec = append(rec, comment(i))
	}
	cw.rec = rec
	return cw.w.Write(rec)
}

// Flush writes buffered rows and reports any write error.
func (cw *CSVWriter) Flush() error {
	cw.w.Flush()
	return cw.w.Error()
}
