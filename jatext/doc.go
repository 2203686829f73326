// Package jatext reads Japanese free text — the comments staff write — with the morphological
// analyser kagome and its IPA dictionary: the person names a comment contains (so that it can
// be kept out of every report until an admin redacts or clears it), the frequent terms and
// compound nouns of a set of comments, and keyword search.
//
// The package imports only the standard library and kagome. Every function is safe for
// concurrent use.
//
// # Names
//
// Names flags what may name a person, for an admin to review before a comment is shown:
//
//   - a word the dictionary knows as a name (名詞,固有名詞,人名: 田中, 太郎, サトウ);
//   - the word before an honorific (…さん, …様, …君/くん, …ちゃん, …氏) when it is
//     name-like: a name, a word the dictionary does not know, a proper noun (千葉さん, スズキさん),
//     a katakana or hiragana word (ヤマダさん, たなかさん), or a single kanji (森さん, 東さん);
//   - the word before a title (…課長, …係長, …主任, …主査, …所長, …区長 and the like) on the
//     same terms, except that an ordinary noun before a title names a post, not a person
//     (総務課長, 戸籍係長, システム課長), and a place before 区長 or 所長 does too (北区長).
//
// The span is the name only: the title or honorific stays, so 「上司の田中課長に相談しにくい」
// becomes 「上司の＊＊課長に相談しにくい」. The title says which post the comment is about, which
// the survey office needs to act on it, and a post is not a person; the name is what must not
// reach a report. Where one report group holds a single 課長 the admin can still redact more with
// Find.
//
// A name found once is hidden everywhere in the comment (a second 田中 is the same 田中), even
// inside another word (森 in 森林), so that a redacted comment never shows a name that was found;
// adjacent name words are one span (高橋一郎, 田中　太郎).
//
// The rules err on the side of flagging: a flag costs an admin a glance, a missed name costs a
// colleague their anonymity. So an unknown word before さん is flagged (マイクさん), and so is a
// single kanji (北さん). They are tuned not to flag what staff write every day: a title alone
// (課長が忙しい), a post (総務課長), ordinary people (皆さん, お客さん, 業者さん, パートさん,
// 住民の方), and the ward's own places, many of which the dictionary also knows as surnames
// (赤羽, 田端, 神谷, 豊島): a place word is a name only before an honorific or a title. Text
// already redacted (＊＊課長) is not flagged again.
//
// # Themes
//
// Themes counts, over a set of comments, the content words by their base form (名詞, 動詞 and
// 形容詞 that carry meaning; not する, こと, numbers or pronouns; a verb as its noun where it has
// one, 見直す as 見直し) and the compound nouns (人事評価制度, 超過勤務, ペーパーレス化): how many
// comments contain each, and which. A name is never a theme, nor part of one.
//
// # Search
//
// Matches is a plain keyword search that ignores the differences Japanese text is full of:
// full-width and half-width letters, digits and katakana (ＰＣ = pc, ﾃﾚﾜｰｸ = テレワーク), letter
// case, and katakana against hiragana. Find, the admin's list of further words to hide, ignores
// the same.
//
// # Caveats
//
// The dictionary is large (about 90 MiB in memory, a second or more to load, 12 MB of the
// binary): it is loaded once, on first use, or by Load.
//
// Names is a heuristic over a general dictionary, and misses what the rules cannot see: a
// surname that is also one of the ward's places (神谷, 豊島) or an ordinary word (東, 北) written
// without an honorific or a title; a given name in hiragana written bare (なか is also 中); a
// name the analyser reads into another word (はなこちゃんと as は+なこ+ちゃんと, the adverb).
// Names read into a title (関係長 as 関係+長) are found. Every flag is for a person to review,
// and the admin can hide more words with Find.
package jatext
