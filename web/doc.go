// Package web is the Echo server of staffsurvey: the answering pages staff use with their
// token, the JSON API, and the admin pages (surveys, tokens, response rates, reports, trends,
// exports). Templates and static files, echarts included, are embedded in the binary and
// parsed once at start, so pages load nothing from another host.
//
// Handlers parse the request, call the survey and analysis packages and render; they hold no
// business rule. Errors become responses in one place, Server.handleError, which maps
// survey.Error codes to HTTP statuses.
//
// Tokens are secrets: no log line contains one, and the answering routes are not
// access-logged at all, so that no log holds a per-response event with a time (docs/anonymity.md).
package web
