package results

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"staffsurvey/survey"
)

// Sheets of the workbook (docs/formats.md, "Excel workbook").
const (
	SheetData     = "data"
	SheetCodebook = "codebook"
	SheetReport   = "report"
	SheetItems    = "items"
)

// WriteXLSX writes closed survey id as an Excel workbook to w: the responses in the wide format
// with a section_name column after section (sheet data), the codebook, the report table and
// the per-question results. The data sheet is the wide CSV export itself, read back — the
// same generalised sections and withheld comments (Export) — so that the two can never
// differ. Names are in lang. start is called as for Export.
func (s *Service) WriteXLSX(ctx context.Context, w io.Writer, id, lang string, start func(sv *survey.Survey)) error {
	var data bytes.Buffer
	var sv *survey.Survey
	if err := s.Export(ctx, &data, id, survey.ExportOptions{Format: survey.FormatWide}, func(x *survey.Survey) { sv = x }); err != nil {
		return err
	}
	res, err := s.result(ctx, sv)
	if err != nil {
		return err
	}
	q := sv.Questionnaire
	rows, err := csv.NewReader(&data).ReadAll()
	if err != nil {
		return fmt.Errorf("xlsx: read back the export: %w", err)
	}
	for i, row := range rows {
		if q.HasAttributes() {
			break // the group table (GroupTable), not response rows
		}
		name := "section_name"
		if i > 0 {
			name = q.SectionName(row[2], lang)
		}
		rows[i] = append(row[:3:3], append([]string{name}, row[3:]...)...)
	}
	// Text columns stay text, whatever they hold: ids, codes, names and the comments.
	text := map[string]bool{"survey": true, "section": true, "section_name": true, "name": true, "parent": true,
		"type": true, "category": true, "item": true, "text": true, "kind": true, "id": true,
		"group_type": true, "group": true, "attribute": true, "option": true, "metric": true, "withheld": true}
	for _, c := range q.Comments {
		text[c.ID] = true
	}
	head, table := Table(q, res, lang)
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name string
		rows [][]string
	}{
		{SheetData, rows},
		{SheetCodebook, append([][]string{survey.CodebookHeader}, survey.CodebookRows(q)...)},
		{SheetReport, append([][]string{head}, table...)},
		{SheetItems, ItemTable(q, res, lang)},
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		if err := writeSheet(f, sh.name, sh.rows, text); err != nil {
			return err
		}
	}
	if start != nil {
		start(sv)
	}
	return f.Write(w)
}

// writeSheet writes rows to sheet through a stream writer: numbers as numbers (so that Excel
// sums them), everything in a text column, and empty cells, as they are. Cells are plain
// values, never formulas.
func writeSheet(f *excelize.File, sheet string, rows [][]string, text map[string]bool) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for r, row := range rows {
		cells := make([]any, len(row))
		for c, v := range row {
			cells[c] = v
			if r == 0 || text[rows[0][c]] || v == "" {
				if v == "" {
					cells[c] = nil
				}
				continue
			}
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				cells[c] = x
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}
