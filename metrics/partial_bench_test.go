package metrics_test

import (
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/pipelinebench"
)

// BenchmarkPipelinePartial writes and reads the partial of a Pipeline fed
// the benchmark deals (1,000,000 by default; see BenchmarkPipelineReport),
// keyed by segment, and reports its size in bytes; "json" writes the same
// state as a JSON envelope (gap-encoded too), for comparison.
func BenchmarkPipelinePartial(b *testing.B) {
	deals, _ := pipelinebench.Fixture(b)
	build := func() *metrics.Pipeline {
		p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment})
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	p := build()
	for i := range deals {
		if err := p.Add(&deals[i]); err != nil {
			b.Fatal(err)
		}
	}
	data, err := p.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, len(data))
		for b.Loop() {
			if buf, err = p.AppendBinary(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(buf)), "bytes")
		b.ReportMetric(float64(len(deals)), "deals")
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		q := build()
		for b.Loop() {
			if err := q.UnmarshalBinary(data); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if got, want := q.Result(), p.Result(); got.Deals != want.Deals || *got.CycleWon.Median != *want.CycleWon.Median {
			b.Fatalf("read back: %d deals, cycle %v; want %d, %v", got.Deals, *got.CycleWon.Median, want.Deals, *want.CycleWon.Median)
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		var j []byte
		for b.Loop() {
			if j, err = metrics.PartialJSON(p); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(j)), "bytes")
	})
}
