// Package slips writes what the survey office prints or hands out for a batch of tokens: the
// printable slips (HTML) and the token list (CSV). The admin pages and the command line both use
// it, so the command line needs no part of the web server to print them.
package slips

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"

	qrcode "github.com/skip2/go-qrcode"

	"staffsurvey/survey"
)

// Printable token slips: A4 sheets of slipsPerSheet slips, each with the survey, the section,
// a QR code of the answer URL (an inline data: PNG), the URL and the token as text, and a
// short explanation of what is and is not stored. The document is self-contained — its CSS in
// a <style> element allowed by hash (CSP), no script, no request to any host — so the same
// file works from the admin pages and from `staffsurvey tokens issue --format html`.

// slipsPerSheet is how many slips fit on one A4 sheet (2 columns × 3 rows): room for the
// period, the contact and a privacy note in 9 pt.
const slipsPerSheet = 6

// MaxSlips bounds the slips the admin pages print in one issue: a batch larger than this is
// unwieldy in a browser, and every slip carries a QR image. Larger batches can be issued as CSV,
// or as HTML from the command line, which checks nothing here because its tokens already exist.
const MaxSlips = 5000

//go:embed slips.html
var slipsHTML string

var (
	slipsTemplate = template.Must(template.New("slips.html").Parse(slipsHTML))
	slipsCSS      = mustExecute(slipsTemplate, "slips_css")
	// CSP replaces the server's policy for the slips page: nothing but its own style
	// element (by hash) and data: images.
	CSP = "default-src 'none'; style-src 'sha256-" + sha256Base64(slipsCSS) + "'; img-src data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

func mustExecute(t *template.Template, name string) string {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, nil); err != nil {
		panic(err)
	}
	return b.String()
}

func sha256Base64(s string) string {
	h := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}

// slip is one printed slip.
type slip struct {
	URL   string
	Token string
	QR    template.URL // data:image/png;base64,…
}

// slipsPage is the data of slips.html.
type slipsPage struct {
	CSS        template.CSS
	Title      string
	Year       int
	Section    string
	MinGroup   int
	MinComment int
	// Period, Contact and Results are the questionnaire's, in Japanese; "" when it has none.
	Period, Contact, Results string
	Count                    int
	Sheets                   [][]slip
}

// WriteSlips writes printable HTML slips for tokens of a leaf section of sv, in a fresh random
// order, each pointing to TokenURL(baseURL, token).
func WriteSlips(w io.Writer, sv *survey.Survey, section string, tokens []string, baseURL string) error {
	q := sv.Questionnaire
	fs, ok := q.Section(section)
	if !ok {
		return survey.Errorf(survey.ENOTFOUND, "所属 %q はありません", "no section %q", section)
	}
	order := append([]string(nil), tokens...)
	survey.Shuffle(order)
	p := slipsPage{CSS: template.CSS(slipsCSS), Title: q.Title.JA, Year: q.Year, Section: fs.Name.JA,
		MinGroup: q.MinGroupSize(), MinComment: q.MinCommentGroupSize(), Count: len(order),
		Period: q.Period.Say("ja")}
	if q.Contact != nil {
		p.Contact = q.Contact.JA
	}
	if q.Results != nil {
		p.Results = q.Results.JA
	}
	var sheet []slip
	for _, t := range order {
		u := TokenURL(baseURL, t)
		png, err := qrcode.Encode(u, qrcode.Medium, 256)
		if err != nil {
			return fmt.Errorf("qr code: %w", err)
		}
		sheet = append(sheet, slip{URL: u, Token: t,
			QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))})
		if len(sheet) == slipsPerSheet {
			p.Sheets = append(p.Sheets, sheet)
			sheet = nil
		}
	}
	if len(sheet) > 0 {
		p.Sheets = append(p.Sheets, sheet)
	}
	return slipsTemplate.ExecuteTemplate(w, "slips", p)
}
