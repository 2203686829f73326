package survey

import (
	"fmt"
	"time"
)

var weekdaysJA = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// Say says the period for people in lang ("ja" or "en"): 「2026年12月1日（火）〜12月14日（月）」,
// "Tuesday 1 December 2026 to Monday 14 December 2026"; "" for a nil period. Pages and printed
// slips both use it.
func (p *Period) Say(lang string) string {
	if p == nil {
		return ""
	}
	opens, closes := p.Dates()
	if lang == "en" {
		return opens.Format("Monday 2 January 2006") + " to " + closes.Format("Monday 2 January 2006")
	}
	ja := func(t time.Time, year bool) string {
		s := fmt.Sprintf("%d月%d日（%s）", int(t.Month()), t.Day(), weekdaysJA[t.Weekday()])
		if year {
			s = fmt.Sprintf("%d年", t.Year()) + s
		}
		return s
	}
	return ja(opens, true) + "〜" + ja(closes, closes.Year() != opens.Year())
}
