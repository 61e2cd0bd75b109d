package pipelinebench

import (
	"fmt"
	"strconv"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
)

// Count returns how many deals the benchmarks run on: ACCORD_BENCH_DEALS
// when set (read through getenv, such as os.Getenv), else 100,000 when
// short (go test -short) or in CI (CI set, as .ci/run has it), else
// 1,000,000. Loading a million deals into SQLite alone takes about half a
// minute; running every benchmark once stays within a minute on 100,000.
func Count(getenv func(string) string, short bool) (int, error) {
	if s := getenv("ACCORD_BENCH_DEALS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return 0, fmt.Errorf("ACCORD_BENCH_DEALS must be a positive integer, got %q", s)
		}
		return v, nil
	}
	if short || getenv("CI") != "" {
		return 100_000, nil
	}
	return 1_000_000, nil
}

// Report holds the figures every way of computing the pipeline report
// computes: counts by stage, stage-to-stage conversion, win rate by
// segment, the median time in each stage, the median sales cycle by
// outcome and loss reasons by stage. Two ways agree when their Reports are
// equal (cmp.Diff).
type Report struct {
	Current     map[deal.StageID]int64
	Conversion  map[deal.StageID]metrics.Rate // by the stage converted from
	WinRateBy   map[string]metrics.Rate
	TimeCount   map[deal.StageID]int64
	TimeMedian  map[deal.StageID]time.Duration
	CycleCount  map[string]int64 // by "won" and "lost"
	CycleMedian map[string]time.Duration
	Losses      map[string]int64 // by "stage/reason"
}

// NewReport returns a Report with every map empty and ready to fill.
func NewReport() Report {
	return Report{
		Current: map[deal.StageID]int64{}, Conversion: map[deal.StageID]metrics.Rate{},
		WinRateBy: map[string]metrics.Rate{}, TimeCount: map[deal.StageID]int64{},
		TimeMedian: map[deal.StageID]time.Duration{}, CycleCount: map[string]int64{},
		CycleMedian: map[string]time.Duration{}, Losses: map[string]int64{},
	}
}

// Pipeline computes the report of deals with [metrics.Pipeline] over the
// default process, keyed by segment: the figures the others must equal.
func Pipeline(deals []deal.Deal) (Report, error) {
	p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment})
	if err != nil {
		return Report{}, err
	}
	for i := range deals {
		if err := p.Add(&deals[i]); err != nil {
			return Report{}, err
		}
	}
	return FromResult(p.Result()), nil
}

// FromResult returns the figures of a pipeline result.
func FromResult(r metrics.PipelineResult) Report {
	out := NewReport()
	for _, s := range r.Stages {
		if s.Current > 0 {
			out.Current[s.Stage] = s.Current
		}
		if s.Time.Count > 0 {
			out.TimeCount[s.Stage] = s.Time.Count
			out.TimeMedian[s.Stage] = *s.Time.Median
		}
	}
	for _, c := range r.Conversions {
		if c.Rate.Den > 0 {
			out.Conversion[c.From] = c.Rate
		}
	}
	for _, g := range r.WinRateBy {
		out.WinRateBy[g.Key] = g.WinRate
	}
	for name, c := range map[string]metrics.Distribution{"won": r.CycleWon, "lost": r.CycleLost} {
		if c.Count > 0 {
			out.CycleCount[name] = c.Count
			out.CycleMedian[name] = *c.Median
		}
	}
	for _, l := range r.LossReasons {
		out.Losses[string(l.Stage)+"/"+string(l.Reason)] = l.Deals
	}
	return out
}
