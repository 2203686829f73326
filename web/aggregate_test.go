package web

import (
	"staffsurvey/analysis"
	"staffsurvey/survey/storage"
)

// A survey with attributes (the shipped kita-2026 asks three) keeps the analysis's sums instead
// of response records once closed or imported into, made by analysis.Aggregate, which the store
// may not import. The binary wires it in its main package; these tests, which seed the demo
// data of kita-2026, wire it the same way.
func init() { storage.SetAggregator(analysis.Aggregate) }
