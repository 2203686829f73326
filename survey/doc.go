// Package survey is the domain of staffsurvey: the questionnaire and its YAML loader, the
// organisation tree, single-use tokens, anonymous responses, the survey lifecycle, the
// small-group rule on respondent counts (rules a and b of docs/analysis.md, "Suppression") and CSV import and export. The bbolt
// store that keeps these promises is package survey/storage.
//
// # Anonymity guarantees
//
// These are the promises of docs/anonymity.md. Who may try to break them: managers and analysts
// with every report and export of closed surveys; the survey office with the admin pages,
// backup downloads, live response counts, the printed token lists and perhaps a note of who
// got which slip; whoever holds copies of the database file, several taken at different times
// during the survey included; proxy and browser logs; an outsider guessing tokens. None of
// them, alone or together, learns the answers of a person or of a group smaller than
// min_group_size:
//
//   - A token is an answer code of 80 random bits (16 Crockford base32 characters and a check
//     character, token.go; UUIDv4 tokens of earlier versions still work), returned once by
//     IssueTokens and never stored: the store keeps its SHA-256, its survey and section, and
//     apart from them a used mark keyed by a secret kept beside the database, not in it, so that
//     copies of the database alone do not tell which tokens were used; no time of use.
//     Redeeming a token and storing its response happen in one durable bbolt transaction; a
//     failed validation leaves the token unused, and a token can be used once only, however
//     many requests race for it.
//   - While a survey is open its responses are in a ballot box (投票箱): each is stored only
//     sealed — section, answers and comments encrypted and authenticated together with
//     AES-256-GCM under the survey's ballot key, padded to a few fixed sizes — under a random
//     UUIDv4 key. The ballot key is made when the survey opens and lives in a file beside the
//     database (0600 in a 0700 directory), never in it and never in a web download. Copies of
//     the database taken during the survey, however many, show that some token was used and
//     some sealed record appeared at about that time — never which section or which answers.
//   - Closing a survey opens the box in one transaction: every response is stored under a
//     fresh random key with only its survey (by its bucket), a section, the answers and the
//     comment texts — no token, token hash, time, IP address, user agent or sequence number.
//     The section is generalised to the nearest group that the suppression rules a and b (on the
//     respondent counts, k = min_group_size) leave shown, so the file never holds a finer
//     section than a report may show. A comment whose generalised group may not show comments
//     (the same rules at min_comment_group_size) is stored apart from its answers, alone,
//     under the nearest group that may. The respondent count of every section is kept for
//     the reports, and the tokens' used flags are cleared. Then the key file is removed (and
//     its directory synced) and the file is compacted into a new one, so that no freed page
//     keeps a sealed record, a record before generalisation or a token's state while open. A
//     crash at any point leaves either the open survey with its sealed responses and key, or
//     the closed survey with every response opened; closing again finishes the job.
//     Imported responses are generalised the same way.
//   - Once a survey is closed, every token, used or not, gets the same answer.
//   - Export generalises sections below the minimum group size to their nearest ancestor that
//     is not (docs/formats.md) and leaves out the comments of rows whose section could tie them to
//     fewer than min_comment_group_size respondents (ExportOptions.Comments).
//
// # The one exception
//
// Whoever operates the server while a survey is open holds its ballot key (in the .keys
// directory beside the database, and in memory) and the program itself, and could open the
// sealed responses, or change the program to keep what staff send. Nothing in this package can
// stop that; it is why the key directory must be as private as the server. Once the survey is
// closed not even the operator can link a response to a token with any copy of the file ever
// taken: the key that sealed the records of the old copies is destroyed, and the opened
// records share nothing with them — not their keys, not their order, not their pages. This
// holds only if the copies of the key are gone too: `staffsurvey backup` copies the ballot keys
// beside its backup (BACKUP.keys/) so that a restore does not lose an open survey, and those
// copies are the operator's to delete once the survey is closed.
//
// # Caveats
//
//   - A sealed record's length reveals its size class: no or a short comment, a long one (over
//     about 150 Japanese characters) or a very long one (over about 1,300). Snapshots taken
//     while staff answer, together with the participation key beside the database, can tie a
//     used token to the class of its record; when only one or two respondents write a long
//     comment, that says who wrote one, and after close the opened record with a comment of
//     that length is theirs. The classes are wide so that this is
//     rare; a survey office that fears it should keep comments short (max_length).
//   - While open, snapshots still show how many tokens of each section were used and when (at
//     the grain of the snapshots); the admin pages show the same counts live. Response rates
//     are not secret; answers are.
//   - Generalisation is decided on the counts at close. Responses imported into a closed
//     survey with earlier ones can move earlier records up to a larger group (never down), and
//     the file is then compacted again.
//   - Nothing finer than a group shown at min_group_size is stored, so a group hidden at that
//     size shows no comments once the survey is closed through the ballot box, even where
//     min_comment_group_size alone would allow them (possible when it is the smaller of the
//     two, and through the remainder rule's cascades): its respondents' comments are listed
//     under the larger group their answers went to.
//   - A restore of the database without its ballot keys loses the answers of the surveys that
//     were open in it: they cannot be opened.
package survey
