// Package survey is the domain of staffsurvey: the questionnaire and its YAML loader, the
// organisation tree, single-use tokens, anonymous responses, the survey lifecycle, the bbolt
// store and CSV import and export.
//
// # Anonymity guarantees
//
// These are the promises of DESIGN.md §2, kept by this package so that no adapter can break them:
//
//   - A stored response holds only its survey (by its bucket), its leaf section code, the answers
//     and the comment texts. It has no token, no token hash, no IP address, no user agent, no
//     time and no sequence number. Its key is a random UUIDv4, so key order says nothing about
//     submission order.
//   - A token is a random UUIDv4, returned once by IssueTokens and never stored: the store keeps
//     its SHA-256, its survey and section, and a used flag, with no time of use.
//   - Redeeming a token and writing its response happen in one bbolt transaction; a failed
//     validation leaves the token unused, and a token can be used once only, however many
//     requests race for it. Submissions are grouped into shared transactions (DB.Batch), which
//     also mixes several submissions into each commit.
//   - Import and export never carry tokens; export generalises sections below the minimum
//     group size to their nearest ancestor that is not (DESIGN.md §5), and leaves out the
//     comments of rows whose section could tie them to fewer than min_comment_group_size
//     respondents (ExportOptions.Comments).
//
// # Caveats
//
// bbolt writes copy-on-write pages and does not zero the pages it frees, so older versions of
// pages can linger in the file until reused. Group commit mixes submissions, but an
// administrator with forensic tools and several snapshots of the file could still narrow down
// which submissions were committed together. Keep the database file as private as the
// administrator's password.
package survey
