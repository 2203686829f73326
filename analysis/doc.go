// Package analysis computes the reports of the staff survey: category scores on 0–100 with
// favourable %, SD, 95% t-interval and Cronbach's α; the satisfaction and eNPS outcomes;
// 組織活性度 (motivation, cohesion, index and the four types); changes between consecutive
// years with Welch's t-test; and drivers (Pearson r against the activity index). DESIGN.md §6
// defines every number; this package implements exactly that and nothing a caller could get
// wrong is left to the caller.
//
// It is pure: plain data in (a survey.Questionnaire and its survey.Responses), plain structs of
// float64, int and pointers (nil is JSON null) out. It imports only the standard library, gonum
// and the survey types, never the store or the web.
//
// # Basics
//
// One survey is analysed by streaming its responses through an Accumulator:
//
//	acc := analysis.NewAccumulator(q)
//	err := store.EachResponse(q.ID, func(r *survey.Response) error { acc.Add(r); return nil })
//	res := acc.Result()
//
// The accumulator keeps only sufficient statistics per section (counts, integer sums,
// co-moments), so 100,000 responses take no more memory than ten. Category scores, the two
// axes and the activity index are summed exactly, as integers over a common denominator, so a
// report does not depend on the order in which the store returns responses (a random one),
// and a group whose mean is exactly at the 組織活性度 cutoff is at it, not a rounding error
// below it. Scan wraps the loop and
// Analyze takes a slice. Build then joins per-survey results into the Report of
// `staffsurvey analyze --json`, sorting by year and testing changes from the moments each
// SurveyResult keeps. A closed survey's SurveyResult is fixed until its Revision changes, so
// callers keep it in a Cache and rebuild reports without rescanning. For pages, a
// SurveyResult offers Group, Heatmap and Report offers Trend.
//
// # Suppression
//
// Small groups are suppressed inside Result (DESIGN.md §6.5), so no caller can forget it: a
// suppressed group carries its n and nothing else, a metric of a shown group with fewer than
// min_group_size respondents has only its n, and so has a metric that the remainder rule,
// run again on that metric's own counts, withholds (else a parent's number minus a sibling's
// would give away the metric of a few); changes exist only for metrics shown in both years,
// and drivers exist only while the whole organisation is shown. Whatever a hand-built
// questionnaire says, the minimum is never below survey.MinAllowedGroupSize.
//
// Comments follow DESIGN.md §2 rule 5 through Comments: they need min_comment_group_size
// respondents in the group (with the same remainder rule at that size, so that comments of a
// small section cannot be had by subtraction), carry no section, and come shuffled.
//
// # Caveats
//
// Results of open surveys must not be shown (DESIGN.md §2 rule 4); this package does not know
// a survey's state, so that check is the caller's. Accumulator is not safe for concurrent use:
// use one per survey and run surveys in parallel.
package analysis
