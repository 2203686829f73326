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
// got which slip; whoever holds copies of the database file and of everything beside it,
// several taken at different times during the survey included; proxy and browser logs; an outsider guessing tokens. None of
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
//     sealed — section, answers and comments together, with HPKE (ML-KEM-768 + X25519,
//     AES-256-GCM) to the survey's public key, padded to a few fixed sizes — under a random
//     UUIDv4 key. The private key exists only as its custodians' (開票立会人) Shamir shares,
//     handed out once when the survey opens; no file, database, log or backup holds it. Copies
//     of the database and of everything beside it, however many, show that some token was used
//     and some sealed record appeared at about that time — never which section or which answers.
//   - Closing a survey opens the box in one transaction: every response is stored under a
//     fresh random key with only its survey (by its bucket), a section, the answers and the
//     comment texts — no token, token hash, time, IP address, user agent or sequence number.
//     The section is generalised to the nearest group that the suppression rules a and b (on the
//     respondent counts, k = min_group_size) leave shown, so the file never holds a finer
//     section than a report may show. A comment whose generalised group may not show comments
//     (the same rules at min_comment_group_size) is stored apart from its answers, alone,
//     under the nearest group that may. The respondent count of every section is kept for
//     the reports, and the tokens' used flags are cleared. It needs t shares, which must
//     rebuild the private key of the stored public key before anything changes; the rebuilt
//     key is wiped after, and the file is compacted into a new one, so that no freed page
//     keeps a sealed record, a record before generalisation or a token's state while open. A
//     crash at any point leaves either the open survey with its sealed responses (closing
//     again needs the shares again), or the closed survey with every response opened;
//     closing again finishes the job.
//     Imported responses are generalised the same way.
//   - Once a survey is closed, every token, used or not, gets the same answer.
//   - Export generalises sections below the minimum group size to their nearest ancestor that
//     is not (docs/formats.md) and leaves out the comments of rows whose section could tie them to
//     fewer than min_comment_group_size respondents (ExportOptions.Comments).
//
// # The one exception
//
// Nobody holds the key that opens an open survey's ballot box: the server keeps only its public
// key, and the private key exists as the custodians' Shamir shares (package ballot), t of which
// rebuild it in memory at close, and it is wiped after. Someone who changes the program on the
// server while a survey is open, though, could make it keep what staff send before it is
// sealed. Nothing in this package can stop that. Once the survey is closed, no copy of the
// file ever taken links a response to a token: the opened records share nothing with the
// sealed ones — not their keys, not their order, not their pages — and the key that sealed
// them is gone. t custodians together could open the sealed records of a copy taken while
// the survey was open: that is what they are chosen not to do.
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
//   - Fewer than t shares, and the answers of an open survey are lost: nobody can rebuild the
//     key. (Surveys opened by the version before the custodians still need their key file.)
package survey
