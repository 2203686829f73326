package survey

import (
	"encoding/csv"
	"io"
	"strings"
)

// Excel reads a CSV file as UTF-8 only when it starts with a byte order mark, and runs a cell
// that starts with = + - @ (or a tab or carriage return, which it skips first) as a formula —
// which a comment could use to run a formula on an analyst's machine ("CSV injection"). Every
// CSV written for Excel goes through NewExcelCSV and ExcelCell, here and nowhere else.

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

// ExcelCell returns s as a cell of a CSV file written for Excel (excel true): text that Excel
// would run as a formula gets a leading apostrophe, which Excel shows as text and hides. With
// excel false s is returned as it is, for R and pandas.
func ExcelCell(s string, excel bool) string {
	if excel && s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
