// Package answer is the anonymous side of the server: the pages staff reach with their token
// (token entry, questionnaire, thank-you page), the JSON API, and the rate limit in front of
// them. It works without JavaScript; static/app.js adds the rest where it runs.
//
// It sees the store only through Store, three methods: a token's ticket, the one-shot
// submission and the list of surveys. It cannot import results, analysis or the store package
// (TestImportRule in cmd/staffsurvey): no answering page can read a response, sealed or opened,
// or any result, by construction.
package answer
