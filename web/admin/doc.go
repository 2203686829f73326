// Package admin is the signed-in side of the server: sessions, login throttle, CSRF, roles and
// section scopes; surveys, token batches, users and the audit log; comment review; reports,
// trends and charts, action plans, staff editions and exports of closed surveys.
//
// Handlers parse the request, call the store (through the small interfaces of server.go) or the
// results service, and render; they hold no business rule. Errors become responses in one place,
// page.Site.HandleError.
package admin
