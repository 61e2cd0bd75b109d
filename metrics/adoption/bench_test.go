package adoption_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/adoption"
)

// BenchmarkActivity: daily and weekly active reps over a year of activity
// logged by 50 reps in Berlin, one activity every 7 minutes and 13 seconds.
func BenchmarkActivity(b *testing.B) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Skip("no time zone database:", err)
	}
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, berlin)
	to := from.AddDate(1, 0, 0)
	var acts []deal.Activity
	for t, i := from, 0; t.Before(to); t, i = t.Add(7*time.Minute+13*time.Second), i+1 {
		acts = append(acts, deal.Activity{Kind: "call", At: t, By: "rep-" + string(rune('A'+i%50))})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		a, err := adoption.NewActivity(adoption.ActivityOptions{From: from, To: to, Location: berlin})
		if err != nil {
			b.Fatal(err)
		}
		for _, act := range acts {
			_ = a.Add(act)
		}
		_ = a.Result()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(acts)), "ns/activity")
}
