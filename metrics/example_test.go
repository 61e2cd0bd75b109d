package metrics_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
)

// Four deals whose histories move two days per stage: one won and live,
// one lost in discovery, one still in qualification, one lost at targeting.
func ExamplePipeline() {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	deals := []struct {
		id, segment string
		path        []deal.StageID
		reason      deal.LossReason
	}{
		{"d-1", "smb", []deal.StageID{"targeting", "qualification", "discovery", "solution_alignment", "business_case", "proposal", "handoff", "live"}, ""},
		{"d-2", "smb", []deal.StageID{"targeting", "qualification", "discovery", "lost"}, deal.LossCompetitor},
		{"d-3", "enterprise", []deal.StageID{"targeting", "qualification"}, ""},
		{"d-4", "enterprise", []deal.StageID{"targeting", "lost"}, deal.DisqualifiedNoFit},
	}

	p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment, Percentiles: []int{90}})
	if err != nil {
		panic(err)
	}
	for _, x := range deals {
		d := &deal.Deal{ID: x.id, Segment: x.segment}
		for i, stage := range x.path {
			ev := deal.Event{To: stage, At: start.Add(time.Duration(i) * 48 * time.Hour)}
			if stage == deal.StageLost {
				ev.LossReason = x.reason
			}
			d.History = append(d.History, ev)
		}
		if err := p.Add(d); err != nil {
			panic(err)
		}
	}

	r := p.Result()
	fmt.Println("win rate:", r.WinRate)
	for _, g := range r.WinRateBy {
		fmt.Printf("  %s: %v\n", g.Key, g.WinRate)
	}
	for _, c := range r.Conversions[:3] {
		fmt.Printf("%s → %s: %v\n", c.From, c.To, c.Rate)
	}
	t := r.Stages[0].Time
	fmt.Printf("targeting: %d deals, median %v, p90 %v\n", t.Count, *t.Median, t.Percentiles[0].Value)
	fmt.Println("won in", *r.CycleWon.Median, "lost in", *r.CycleLost.Median)
	for _, l := range r.LossReasons {
		fmt.Println("lost at", l.Stage, "for", l.Reason)
	}
	// Output:
	// win rate: 33.33% (1/3)
	//   enterprise: 0.00% (0/1)
	//   smb: 50.00% (1/2)
	// targeting → qualification: 75.00% (3/4)
	// qualification → discovery: 66.67% (2/3)
	// discovery → solution_alignment: 50.00% (1/2)
	// targeting: 4 deals, median 48h0m0s, p90 48h0m0s
	// won in 288h0m0s lost in 96h0m0s
	// lost at targeting for disqualified_no_fit
	// lost at discovery for competitor
}

// Accumulators split and merge: here two shards of one pipeline.
func ExamplePipeline_Merge() {
	shard := func(ids ...string) *metrics.Pipeline {
		p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{})
		if err != nil {
			panic(err)
		}
		for _, id := range ids {
			at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			d := &deal.Deal{ID: id, History: []deal.Event{{To: deal.StageTargeting, At: at}}}
			if err := p.Add(d); err != nil {
				panic(err)
			}
		}
		return p
	}
	a, b := shard("d-1", "d-2"), shard("d-3")
	if err := a.Merge(b); err != nil {
		panic(err)
	}
	fmt.Println(a.Result().Deals, "deals, win rate", a.Result().WinRate)
	// Output: 3 deals, win rate undefined (0/0)
}

// A rate keeps its counts; over nothing it is undefined rather than 0.
func ExampleRate() {
	for _, r := range []metrics.Rate{{Num: 3, Den: 4}, {}} {
		v, ok := r.Value()
		fmt.Println(r, v, ok)
	}
	// Output:
	// 75.00% (3/4) 0.75 true
	// undefined (0/0) 0 false
}

func ExamplePipelineValue() {
	usd := func(s string) accord.Money { m, _ := accord.ParseMoney(s, "USD"); return m }
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	v, err := metrics.NewPipelineValue(deal.Default(), metrics.ValueOptions{
		Plan: usd("100000"), From: start, To: start.AddDate(0, 3, 0),
	})
	if err != nil {
		panic(err)
	}
	for i, stage := range []deal.StageID{deal.StageDiscovery, deal.StageProposal} {
		d := &deal.Deal{ID: fmt.Sprint("d-", i), Value: usd("60000"), CloseDate: start.AddDate(0, 1, 0),
			History: []deal.Event{{To: stage, At: start}}}
		if err := v.Add(d); err != nil {
			panic(err)
		}
	}
	r := v.Result()
	c := r.ByCurrency[0]
	cov, _ := r.Coverage.Value()
	fmt.Printf("open %v, weighted %v, coverage %.1fx\n", c.Open, c.Weighted.Round(), cov)
	// Output: open 120000 USD, weighted 60000.00 USD, coverage 1.2x
}
