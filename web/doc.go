// Package web is the Echo server of staffsurvey. It only wires: it builds the shared page
// helpers (web/page), the anonymous side that staff answer with (web/answer: token entry,
// questionnaire, JSON API) and the signed-in side (web/admin: surveys, tokens, users, reports,
// plans, editions, exports) over the store, and routes requests to them. Templates and static
// files are embedded here and parsed once at start, so pages load nothing from another host;
// charts are drawn on the server (web/admin), so no page loads a chart library.
//
// The split is the trust boundary, which is also the anonymity boundary: the answering side
// cannot import results, analysis or the store (TestImportRule in cmd/staffsurvey), so no page
// that staff reach with a token can read a response or a result. It gets the three store methods
// it needs through its own small interface.
//
// Tokens are secrets: no log line contains one, and the answering routes are not
// access-logged at all, so that no log holds a per-response event with a time (docs/anonymity.md).
package web
