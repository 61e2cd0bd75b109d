package metrics_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
)

// Two shards, say two processes that each read half of a CRM, compute a
// Pipeline and send its partial; a third reads the partials into
// pipelines built the same way and merges them: the answer of one pass.
// A partial computed under other settings, here a calendar, is refused.
func ExamplePipeline_UnmarshalBinary() {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	mk := func(id, segment string, path ...deal.StageID) *deal.Deal {
		d := &deal.Deal{ID: id, Segment: segment}
		for i, s := range path {
			ev := deal.Event{To: s, At: start.Add(time.Duration(i) * 72 * time.Hour)}
			if s == deal.StageLost {
				ev.LossReason = deal.LossCompetitor
			}
			d.History = append(d.History, ev)
		}
		return d
	}
	shards := [][]*deal.Deal{
		{mk("d-1", "smb", "targeting", "qualification", "discovery", "lost"), mk("d-2", "smb", "targeting", "qualification")},
		{mk("d-3", "enterprise", "targeting", "qualification", "discovery", "solution_alignment", "business_case", "proposal", "handoff")},
	}
	opts := metrics.PipelineOptions{Key: metrics.BySegment}

	// In each shard's process.
	var partials [][]byte
	for _, deals := range shards {
		p, err := metrics.NewPipeline(deal.Default(), opts)
		if err != nil {
			panic(err)
		}
		for _, d := range deals {
			if err := p.Add(d); err != nil {
				panic(err)
			}
		}
		data, err := p.MarshalBinary()
		if err != nil {
			panic(err)
		}
		partials = append(partials, data)
	}

	// In the process that combines them.
	total, _ := metrics.NewPipeline(deal.Default(), opts)
	for _, data := range partials {
		part, _ := metrics.NewPipeline(deal.Default(), opts)
		if err := part.UnmarshalBinary(data); err != nil {
			panic(err)
		}
		if err := total.Merge(part); err != nil {
			panic(err)
		}
	}
	r := total.Result()
	fmt.Println("deals:", r.Deals, "win rate:", r.WinRate)
	for _, g := range r.WinRateBy {
		fmt.Printf("  %s: %d deals, %v\n", g.Key, g.Deals, g.WinRate)
	}
	fmt.Println("median cycle won:", *r.CycleWon.Median)

	// A pipeline that counts working days reads no calendar-time partial.
	working, _ := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment, Calendar: &accord.Calendar{}})
	fmt.Println(working.UnmarshalBinary(partials[0]))
	// Output:
	// deals: 3 win rate: 50.00% (1/2)
	//   enterprise: 1 deals, 100.00% (1/1)
	//   smb: 2 deals, 0.00% (0/1)
	// median cycle won: 432h0m0s
	// reading a pipeline partial: settings.calendar: the partial was computed with none, this pipeline with "zone=UTC 0,0,0,0,0 weekend=[Sunday Saturday] holidays=": they do not merge
}
