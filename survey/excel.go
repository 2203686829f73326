package survey

import (
	"encoding/csv"
	"io"
	"strings"
)

// Excel reads a CSV file as UTF-8 only when it starts with a byte order mark, and runs a cell
// that starts with = + - @ (or a tab or carriage return, which it skips first) as a formula —
// which a comment could use to run a formula on an analyst's machine ("CSV injection"). Every
// CSV goes through NewExcelCSV and its text cells through SafeCell, here and nowhere else.

// utf8BOM is the UTF-8 byte order mark.
const utf8BOM = "\xef\xbb\xbf"

// NewExcelCSV returns a CSV writer on w. When excel is true it first writes a UTF-8 byte order
// mark and makes the writer end lines with CRLF, as Excel expects.
func NewExcelCSV(w io.Writer, excel bool) (*csv.Writer, error) {
	if excel {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = excel
	return cw, nil
}

// SafeCell returns s as a text cell of any CSV file the program writes, BOM or not: text that
// a spreadsheet would run as a formula — starting with = + - @, a tab or a carriage return
// (OWASP's list) — gets a leading apostrophe, which Excel shows as text and hides. Every CSV
// is neutralised, not only those written for Excel, because a file written for R is opened in
// Excel as often. A cell that starts with an apostrophe gets one more, so that PlainCell
// undoes SafeCell exactly and an export imports as it was.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStart+"'", rune(s[0])) {
		return "'" + s
	}
	return s
}

// PlainCell undoes SafeCell: the import reads a comment as it was written.
func PlainCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart+"'", rune(s[1])) {
		return s[1:]
	}
	return s
}

// formulaStart are the first characters that make a spreadsheet read a cell as a formula.
const formulaStart = "=+-@\t\r"
