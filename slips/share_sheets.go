package slips

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
)

// Printable share sheets: one A4 page per custodian of a ballot box (docs/anonymity.md, rule
// 3) with their name, the survey, their share as groups of characters and as a QR code, and
// what it is for. Self-contained like the slips (slips.go): the same document comes from the
// admin page's open form, shown once, and from `staffsurvey survey open --shares-dir`; nothing
// keeps it.

//go:embed share_sheets.html
var shareSheetsHTML string

var (
	shareSheetsTemplate = template.Must(template.New("share_sheets.html").Parse(shareSheetsHTML))
	shareSheetsCSS      = mustExecute(shareSheetsTemplate, "share_sheets_css")
	// SheetsCSP is the policy of the share sheets: nothing but their own style element (by
	// hash) and data: images.
	SheetsCSP = "default-src 'none'; style-src 'sha256-" + sha256Base64(shareSheetsCSS) + "'; img-src data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

// shareSheet is one custodian's sheet.
type shareSheet struct {
	Name   string
	Index  int
	Groups []string
	QR     template.URL
}

type shareSheetsPage struct {
	CSS         template.CSS
	Title, ID   string
	Fingerprint string
	N, T        int
	Sheets      []shareSheet
}

// WriteShareSheets writes the printable sheets of the shares of box, one per custodian named
// in names (in the order of box.Shares), for survey sv.
func WriteShareSheets(w io.Writer, sv *survey.Survey, names []string, box *ballot.Box) error {
	if len(names) != len(box.Shares) {
		return fmt.Errorf("share sheets: %d names for %d shares", len(names), len(box.Shares))
	}
	p := shareSheetsPage{CSS: template.CSS(shareSheetsCSS), Title: fmt.Sprintf("%s（%d年度）", sv.Questionnaire.Title.JA, sv.Questionnaire.Year),
		ID: sv.ID(), Fingerprint: ballot.FingerprintText(ballot.Fingerprint(box.PublicKey)), N: len(box.Shares)}
	for i, sh := range box.Shares {
		p.T = sh.Threshold
		text := sh.String()
		png, err := qrcode.Encode(text, qrcode.Medium, 320)
		if err != nil {
			return fmt.Errorf("qr code: %w", err)
		}
		p.Sheets = append(p.Sheets, shareSheet{Name: names[i], Index: sh.Index, Groups: strings.Split(text, "-"),
			QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))})
	}
	return shareSheetsTemplate.ExecuteTemplate(w, "share_sheets", p)
}
