package page

import "fmt"

// What pages say where a number is withheld to keep DESIGN §2 rule 7: a mark in the cell and a
// sentence saying why, in the page's language.

// SuppressedMark is the mark of a suppressed cell: 「n<10」 with the survey's own minimum.
func SuppressedMark(k int) string { return fmt.Sprintf("n<%d", k) }

// WithheldMark is the mark of a value that is not shown though n people stand behind it: 「n<k」
// when they are too few, 「非表示」 when there are enough but the remainder rule
// (docs/analysis.md, "Suppression" b, for the group or this metric) hides it, so that no page claims n<k untruthfully.
func WithheldMark(k, n int, lang Lang) string {
	if n >= k {
		return lang.Pick("非表示", "hidden")
	}
	return SuppressedMark(k)
}

// GroupWhy says why a group shows nothing, and what would show it.
func GroupWhy(k, n int, lang Lang) string {
	if n == 0 {
		return lang.Pick("この所属の回答はありません。", "This section has no responses.")
	}
	if n < k {
		return fmt.Sprintf(lang.Pick("回答者が %d 人と、匿名性を守る最小人数 %d 人に満たないため非表示です。来年度は近い所属と統合して集計すると表示できます。",
			"%d respondents, fewer than the %d that anonymity needs: hidden. Merging it with a neighbouring section next year would show it."), n, k)
	}
	return fmt.Sprintf(lang.Pick("回答者は %d 人いますが、上位の所属からほかの所属を差し引くと %d 人未満の所属の回答が計算できてしまうため非表示です。来年度は小さな所属を統合して集計すると表示できます。",
		"%d respondents, but hidden: subtracting the other sections from the one above would reveal a group of fewer than %d. Merging the small sections next year would show it."), n, k)
}

// MetricWhy says why one metric of a shown group is withheld.
func MetricWhy(k, n int, lang Lang) string {
	if n < k {
		return fmt.Sprintf(lang.Pick("一部の指標は回答者が %d 人未満のため非表示です（来年度は所属の統合を）。", "Some measures have fewer than %d respondents and are hidden (merge sections next year)."), k)
	}
	return lang.Pick("一部の指標は、ほかの所属との差し引きで少人数の回答が分かるため非表示です（来年度は所属の統合を）。",
		"Some measures are hidden because subtracting other sections would reveal a small group (merge sections next year).")
}

// ItemsWhy says why a category's per-question shares are withheld.
func ItemsWhy(k int, lang Lang) string {
	return fmt.Sprintf(lang.Pick("設問ごとの割合は、どれかの設問の回答者が %d 人未満か、差し引きで少人数の回答が分かるため非表示です。",
		"Per-question shares are hidden: a question has fewer than %d answers, or subtracting other groups would reveal a small one."), k)
}
