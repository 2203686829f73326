package slips

import (
	"encoding/csv"
	"io"
	"net"
	"net/url"
	"staffsurvey/survey"
	"strings"
)

// TokenURL is the URL printed on a slip, encoded in its QR code and listed in the token CSV:
// the entry page with the token, which the answering pages redeem (GET /?t=TOKEN). It is the
// one place that builds it; the admin pages and the command line both use it.
func TokenURL(base, token string) string {
	return strings.TrimRight(base, "/") + "/?t=" + token
}

// WriteTokensCSV writes freshly issued tokens of one leaf section as CSV, header
// token,section,url — the list the admin pages download and `tokens issue` prints.
func WriteTokensCSV(w io.Writer, section string, tokens []string, base string) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"token", "section", "url"})
	for _, t := range tokens {
		cw.Write([]string{survey.SafeCell(t), survey.SafeCell(section), survey.SafeCell(TokenURL(base, t))})
	}
	cw.Flush()
	return cw.Error()
}

// IsLoopbackURL reports whether base is unset or points at this machine, which staff cannot
// reach: the admin pages then ask for a confirmation, and `tokens issue` warns.
func IsLoopbackURL(base string) bool {
	u, err := url.Parse(base)
	if base == "" || err != nil || u.Host == "" {
		return true
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
