// Package jatext reads Japanese free text — the comments staff write — with the morphological
// analyser kagome and its IPA dictionary: the person names a comment contains (so that it can
// be flagged for the person who reviews every comment), the frequent terms and
// compound nouns of a set of comments, and keyword search.
//
// The package imports only the standard library and kagome. Every function is safe for
// concurrent use.
//
// # Names
//
// Finder.Names flags what may name a person, for a person to review before a comment is shown,
// and says what kind it found (Span.Why):
//
//   - WhyName: a word the dictionary knows as a name (名詞,固有名詞,人名: 田中, 太郎, サトウ);
//   - WhyTitled: the word before an honorific (…さん, …様, …君/くん, …ちゃん, …氏) when it is
//     name-like: a name, a word the dictionary does not know, a proper noun (千葉さん, スズキさん),
//     a katakana or hiragana word (ヤマダさん, たなかさん), or a single kanji (森さん, 東さん);
//     and the word before a title (…課長, …係長, …主任, …主査, …所長, …区長 and the like) on the
//     same terms, except that an ordinary noun before a title names a post, not a person
//     (総務課長, 戸籍係長, システム課長), and a place before 区長 or 所長 does too (北区長);
//   - WhyInitial: one Latin letter, full-width or not, before a title or an honorific (Ｓ係長,
//     Ｙさん, K課長), never a letter of a word (ＩＴ担当, OJT);
//   - WhyLatin: a name in Latin letters: after Mr./Ms./Mrs./Miss/Dr. (Mr. Suzuki), before an
//     honorific or a title in Latin letters or Japanese (Tanaka-san, Ogawa kakaricho, Smithさん),
//     and two capitalised words that are not words of the trade (John Smith; not Microsoft Teams);
//   - WhyRole: a reference that may identify a person by role inside a small group (例の主査,
//     うちの新人, 隣の係長, 窓口の再任用の方, 唯一の保健師, 異動してきた主査) — not a role in
//     general (再任用職員の経験, 新人研修, 派遣職員);
//   - WhyAgain: every further occurrence of a name found.
//
// Variant kanji of surnames are read as the form the dictionary knows (髙橋 as 高橋, 山﨑 as
// 山崎), and the span keeps the text as written.
//
// The span is the name only: the title or honorific stays, so 「上司の田中課長に相談しにくい」
// becomes 「上司の＊＊課長に相談しにくい」. The title says which post the comment is about, which
// the survey office needs to act on it, and a post is not a person; the name is what must not
// reach a report. Where one report group holds a single 課長 the reviewer can still hide more.
//
// A name is hidden whole: adjacent name words are one span (高橋一郎, 田中　太郎); a Latin given
// name or an initial beside a name joins it (Ken 田中, Ｋ・田中, Taro Yamada); a surname the
// analyser splits (勅使河原) is one span; a name found once is hidden everywhere in the comment
// (a second 田中 is the same 田中), even inside another word (森 in 森林).
//
// The rules err on the side of flagging: a flag costs a reviewer a glance, a missed name costs a
// colleague their anonymity. So an unknown word before さん is flagged (マイクさん), and so is a
// single kanji (北さん). They are tuned not to flag what staff write every day: a title alone
// (課長が忙しい), a post (総務課長), ordinary people (皆さん, お客さん, 業者さん, パートさん,
// 住民の方), and the ward's own places (NewFinder's places: the `places:` of the questionnaire),
// many of which the dictionary also knows as surnames (梅田, 天満, 中之島, 本庄): a place word is a
// name only before an honorific or a title (梅田さん). Text already redacted (＊＊課長) is not
// flagged again.
//
// # Measured
//
// testdata/bench.tsv holds 182 comments written as staff write them: 75 that name or single out
// someone in the forms above (initials, Latin names, kana names, variant kanji, names that are
// also places, roles) and 107 traps (titles alone, 区長面談, 北区, 梅田, 中之島, section names,
// お疲れ様, 皆様, products in Latin letters, English sentences). With 大阪市北区's places,
// TestFinderBenchmark measures (go test ./jatext -run FinderBenchmark -v):
//
//	naming comments found   75 of 75  (100%; floor 95%), every name hidden whole
//	harmless comments held   1 of 99  (1.0%; ceiling 15%: "Work Style Reform")
//
// The same set with the rules before initials, Latin names, roles and variant kanji: 46 of 75
// found (61%). The set was written together with the rules, so the figures are an upper bound
// for comments nobody has seen; whatever the finder misses, a person still reads under
// comment_review: all.
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
// surname that is also one of the ward's places (梅田, 本庄) or an ordinary word (東, 北) written
// without an honorific or a title; a given name in hiragana written bare (なか is also 中); a
// name the analyser reads into another word (はなこちゃんと as は+なこ+ちゃんと, the adverb).
// Names read into a title (関係長 as 関係+長) are found. Every flag is for a person to review,
// and the admin can hide more words with Find.
package jatext
