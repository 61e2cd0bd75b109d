package pipelinebench

import (
	"os"
	"sync"
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/google/go-cmp/cmp"
)

var fixture struct {
	once  sync.Once
	deals []deal.Deal
	want  Report
	err   error
}

// Fixture returns the benchmarks' deals ([Count] of them, [Deals] with seed
// 1) and their [Pipeline] report, generated once per test binary: the
// caller stops or resets its timer after. A bad ACCORD_BENCH_DEALS fails
// tb.
func Fixture(tb testing.TB) ([]deal.Deal, Report) {
	fixture.once.Do(func() {
		n, err := Count(os.Getenv, testing.Short())
		if err != nil {
			fixture.err = err
			return
		}
		fixture.deals = Deals(n, 1)
		fixture.want, fixture.err = Pipeline(fixture.deals)
	})
	if fixture.err != nil {
		tb.Fatal(fixture.err)
	}
	return fixture.deals, fixture.want
}

// Check fails tb unless got, the figures of one way of computing the
// report, equal want, the Pipeline's.
func Check(tb testing.TB, got, want Report) {
	tb.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		tb.Fatalf("figures differ from the Pipeline's (-pipeline +got):\n%s", diff)
	}
}

// BenchmarkPipeline is BenchmarkPipelineReport: [metrics.Pipeline] over
// the fixture's deals, keyed by segment, checked outside the timer against
// the fixture's report. Package metrics and the SQLite comparison both run
// it, so that each compares its own way with the same code in the same
// run.
func BenchmarkPipeline(b *testing.B) {
	deals, want := Fixture(b)
	proc := deal.Default()
	b.ReportAllocs()
	b.ResetTimer()
	var r metrics.PipelineResult
	for i := 0; i < b.N; i++ {
		p, err := metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.BySegment})
		if err != nil {
			b.Fatal(err)
		}
		for j := range deals {
			if err := p.Add(&deals[j]); err != nil {
				b.Fatal(err)
			}
		}
		r = p.Result()
	}
	b.StopTimer()
	b.ReportMetric(float64(len(deals)), "deals")
	Check(b, FromResult(r), want)
}
