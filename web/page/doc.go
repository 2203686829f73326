// Package page is what every page of the server shares, whichever side serves it: rendering
// (Site.Render, with the layout's language switch and the staff info), the one language type
// (Lang, with Pick and Text), number formats, the "withheld and why" texts of suppressed numbers,
// the error page and the table of domain codes to HTTP statuses (StatusOf, HandleError), the
// security headers, the access log without tokens, the client's address behind trusted proxies,
// and spooled downloads.
//
// The anonymous answering side imports it, so it imports neither results, analysis nor the
// store (TestImportRule in cmd/staffsurvey).
package page
