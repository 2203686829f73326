package page

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"time"
)

// Funcs returns the shared functions of every template — the pages' own (funcs, render.go)
// and the admin pages' number formats (adminFuncs) — in a new map, for each parser to get
// before it parses, with no init order to rely on.
func Funcs() template.FuncMap {
	m := make(template.FuncMap, len(funcs)+len(adminFuncs))
	for name, fn := range funcs {
		m[name] = fn
	}
	for name, fn := range adminFuncs {
		m[name] = fn
	}
	return m
}

// adminFuncs are the template functions of the admin pages. They format numbers that come,
// finished, from the analysis package: no statistic is computed here.
var adminFuncs = map[string]any{
	// dict builds a map for passing several values to a partial: dict "Lang" .Lang "X" .X.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	// deref reads a number that the template has checked is not null.
	"deref": func(x *float64) float64 { return *x },
	// f1 formats a score with one decimal, or "—" for a null.
	"f1": func(x *float64) string { return FmtNum(x, 1, false) },
	// f2 formats a coefficient (r, α) with two decimals, or "—".
	"f2": func(x *float64) string { return FmtNum(x, 2, false) },
	// signed formats a change with its sign and one decimal.
	"signed": func(x float64) string { return FmtNum(&x, 1, true) },
	// pvalue formats a p-value for a table.
	"pvalue": FmtP,
	// has reports whether a list of strings holds s (the selected sections of a user).
	"has": func(list []string, s string) bool { return slices.Contains(list, s) },
	// jst formats a time in Japan Standard Time (the audit log page; its CSV keeps UTC).
	"jst": func(t time.Time) string { return t.In(jst).Format("2006-01-02 15:04:05") },
}

// jst is Japan Standard Time, without daylight saving: no time zone database needed.
var jst = time.FixedZone("JST", 9*60*60)

// FmtP formats a p-value: "<0.001" or three decimals, "—" for a null.
func FmtP(p *float64) string {
	switch {
	case p == nil:
		return "—"
	case *p < 0.001:
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", *p)
}

// FmtNum formats x with the given decimals, "—" for nil or a non-finite number; signed adds
// "+" to positive numbers and uses the true minus sign for negative ones.
func FmtNum(x *float64, decimals int, signed bool) string {
	if x == nil || math.IsNaN(*x) || math.IsInf(*x, 0) {
		return "—"
	}
	v := *x
	s := fmt.Sprintf("%.*f", decimals, math.Abs(v))
	if s == fmt.Sprintf("%.*f", decimals, 0.0) {
		return s
	}
	switch {
	case v < 0:
		return "−" + s
	case signed:
		return "+" + s
	}
	return s
}
