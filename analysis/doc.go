// Package analysis computes the reports of the staff survey: category scores on 0–100 with
// favourable %, SD, 95% t-interval and Cronbach's α; the satisfaction and eNPS outcomes;
// 組織活性度 (motivation, cohesion, index and the four types); changes between consecutive
// years with Welch's t-test; and drivers (Pearson r against the activity index). docs/analysis.md
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
// callers (the results package) cache it and rebuild reports without rescanning. For pages, a
// SurveyResult offers Group, Heatmap and Report offers Trend.
//
// # Suppression
//
// The rule every published number keeps (docs/analysis.md, "Suppression"): no number, alone
// or combined with the others of the same survey, gives away a sum, a mean or a count over 1
// to k−1 respondents (k = min_group_size), and no statistic, linear or not, is computed over
// fewer than k. Result applies it, so no caller can forget it:
//
//   - A group with 0 < n < k is suppressed; so is the smallest shown group under a shown
//     parent whose remaining respondents would number 1..k−1 (the remainder rule), repeated
//     until nothing changes. A suppressed group carries its n and nothing else.
//   - Within a shown group each metric has its own n (people skip questions). A metric with
//     n < k keeps only its n, and the remainder rule runs again on each metric's own counts,
//     so a withheld metric cannot be had as parent minus siblings either.
//   - One metric, one respondent set: every number of a metric is computed over exactly the
//     respondents its n counts. Two attacks on an earlier version show why.
//
// Category against 組織活性度. A section of 11; one person answered the motivation items but
// too few cohesion items. The motivation category was published over 11 (57.386) and the
// motivation axis over the 10 with both axes (55.625): 11 × 57.386 − 10 × 55.625 = 75.0, that
// person's score. The remainder rule compares a metric with itself and cannot see this, so
// a respondent's M (I) now exists only when every category of the axis does, the activity
// respondents are those with both, and a category on an axis is scored over the group's
// activity respondents: it and the axis share one set.
//
// Favourable against n. Favourable % used to count the answers of respondents without a
// category score (too few items answered), whom n does not count: two groups with equal n
// and 17/41 against 17/40 favourable gave away one person's unfavourable answer. Favourable
// now counts only the answers of the respondents in n, and Cronbach's α only those of them
// who answered every item, and only when they are at least k. Drivers' r needs k too.
//
// The differencing auditor (audit_*_test.go) checks the rule the way an attacker would:
// TestAuditRandom turns every number of the report JSON of 1,000 small random surveys into
// linear equations over the respondents' values and proves, with exact arithmetic, that no
// combination of them singles out 1..k−1 respondents; statistics that are not linear (sd, α,
// r, p) are checked for the size of the set they are computed over. TestAuditAttacks keeps
// the two attacks above as cases the auditor must find under the old rules, and
// TestAuditBruteForce checks its search against enumerating every small respondent set.
//
// Responses may carry an inner section instead of a leaf: the store generalises sections
// when it opens the ballot box at close (docs/anonymity.md rule 4) and keeps the original counts,
// which SetSectionCounts hands back so that every decision above is the one the ungeneralised
// responses would give.
//
// Comments follow their own rule through Comments: they need min_comment_group_size
// respondents in the group (with the same remainder rule at that size, so that comments of a
// small section cannot be had by subtraction), carry no section, and come shuffled.
//
// # Caveats
//
// Results of open surveys must not be shown (docs/anonymity.md rule 4); this package does not know
// a survey's state, so that check is the caller's. Accumulator is not safe for concurrent use:
// use one per survey and run surveys in parallel.
package analysis
