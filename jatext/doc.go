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
// Themes finds, over a set of comments, what a chief would read as their themes: phrases (a
// noun, が or を, and its predicate: 残業が多い, 休暇が取りにくい, 人員が足りない), compound
// nouns (人事評価制度, 超過勤務, 引継ぎ資料) and nouns that say something on their own (窓口,
// 研修, テレワーク, 見直し), with how many comments hold each, and which. Spelling variants are
// one theme: width (ＰＣ, PC), okurigana (引継ぎ, 引き継ぎ, 引継) and the long vowel ending a
// katakana word (サーバー, サーバ). Bare verbs and adjectives (多い, 困る, 止める), single
// characters (手, 他), English words and the generic nouns of every comment (業務, 仕事,
// 職員) are no themes. A name is never a theme, nor part of one.
//
// Measured, top 15 themes in 2 comments or more, before (single base forms, no folding, a short
// stop list) and after. testdata/bench.tsv, 174 comments (TestThemesMeasured; a set written to
// test the finder, so titles lead):
//
//	before  152 themes, 14 compounds: . 13、係長 13、業務 11、窓口 11、職員 11、多い 10、課長 10、
//	        the 7、会議 7、研修 7、仕事 6、係 6、減る 6、相談 6、雰囲気 6
//	after    97 themes, 13 compounds, 4 phrases: 係長 13、窓口 11、課長 10、会議 7、研修 7、
//	        相談 6、雰囲気 6、主査 5、担当 5、連携 5、業務量 4、丁寧 4、人事 4、区民 4、応援 4
//
// The demo's comments (the last closed kita-2026 year, TestDemoThemes in internal/demo),
// 「職場の良いところ」 (42 comments) and 「改善してほしいこと」 (50):
//
//	before  忙しい 9、相談 9、先輩 8、区民 8、困る 8、手 8、教える 8、業務 8、止める 8、係内 7、
//	        乗り 7、係長 7、頑張れる 7、大変 6、実感 6
//	after   相談 9、手を止める 8、先輩 8、区民 8、係内 7、係長 7、業務は大変 6、実感 6、休暇 5、
//	        希望 5、調整 5、仕事が進めやすい 3、情報共有ができる 3、打ち合わせ 3、雰囲気 3
//	before  またぐ 15、課 15、共有 13、情報共有 8、仕組み 8、作り 8、進める 8、勉強会 7、仕事 7、
//	        他 7、多い 7、OJT 6、充実 6、増やす 6、引き継ぎ 6
//	after   課をまたぐ 15、共有 13、仕組みを作る 8、情報共有 8、勉強会 7、OJT 6、充実 6、
//	        引き継ぎ 6、決裁が多い 5、電子決裁を進める 5、庁内 5、取り組み 5、見直し 5、
//	        機会を増やす 4、企画 4
//
// A phrase is read only where the analyser sees the noun, the particle and the predicate
// written together (残業が非常に多い is 残業, not 残業が多い), and a negation only in the
// forms ない, ず, ん (取れない, 足りず, ありません).
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
