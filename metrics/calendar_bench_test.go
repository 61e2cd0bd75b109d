package metrics_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/pipelinebench"
)

// BenchmarkPeriodEnd: period-end clustering of fiscal quarters in New York
// over the synthetic deals (100,000 with -short). The deals are generated
// once, outside the timer.
func BenchmarkPeriodEnd(b *testing.B) {
	n := benchSize(200_000, 100_000)
	deals := pipelinebench.Deals(n, 7)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Skip("no time zone database:", err)
	}
	opts := metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, FiscalYearStart: time.February, Location: ny}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c, err := metrics.NewPeriodEnd(deal.Default(), opts)
		if err != nil {
			b.Fatal(err)
		}
		for i := range deals {
			_ = c.Add(&deals[i])
		}
		_ = c.Result()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/deal")
}
