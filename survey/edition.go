package survey

import "time"

// Edition is a staff edition (職員向け公開版) of a closed survey: the whole organisation's
// results, the shown sections, the action plans and the suggestions the survey office chose,
// on one printable page behind a random read-only link that needs no sign-in. It shows
// nothing a report does not (the same suppression), and only to whoever holds the link,
// until it is revoked.
type Edition struct {
	// ID names the edition on the admin pages, in their URLs and in the audit log: the first
	// 16 hex digits of the SHA-256 of Token, so that the link itself never appears there.
	ID     string `json:"id"`
	Token  string `json:"token"`  // the link's secret: 32 random bytes, base64url without padding
	Survey string `json:"survey"` // a closed survey
	// Comments are the chosen suggestions, as CommentID values. They are resolved against
	// the survey's current organisation-wide comments each time the page is shown, so a
	// comment later flagged, redacted or hidden drops out by itself.
	Comments []string `json:"comments,omitempty"`
	// Attributes are the ids of the attributes whose option groups the edition shows (the
	// survey office ticks them); none by default.
	Attributes []string  `json:"attributes,omitempty"`
	By         string    `json:"by"`      // the user who published it
	Created    time.Time `json:"created"` // UTC
}

// MaxEditionComments bounds the suggestions one edition may show.
const MaxEditionComments = 200
