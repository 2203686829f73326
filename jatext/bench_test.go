package jatext

import "testing"

// BenchmarkNames: one op reads every comment of the fixture once (104 comments).
func BenchmarkNames(b *testing.B) {
	ts := texts(loadComments(b))
	Load()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, t := range ts {
			Names(t)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ts)), "ns/comment")
}

// BenchmarkThemes: one op finds the themes of the fixture repeated 100 times (10,400 comments).
func BenchmarkThemes(b *testing.B) {
	one := texts(loadComments(b))
	var ts []string
	for range 100 {
		ts = append(ts, one...)
	}
	Load()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Themes(ts, 5, 50)
	}
}

// BenchmarkMatches: one op searches every comment of the fixture for two words.
func BenchmarkMatches(b *testing.B) {
	ts := texts(loadComments(b))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range ts {
			Matches(t, "人事　ＰＣ")
		}
	}
}
