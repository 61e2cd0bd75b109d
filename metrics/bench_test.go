package metrics_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/pipelinebench"
)

// The two benchmarks compute the same figures over the same deals: counts
// by stage, stage-to-stage conversion, win rate by segment, the median time
// in each stage, the median sales cycle by outcome and loss reasons by
// stage. Each checks, outside the timer, that its figures equal the
// Pipeline's.
//
//   - BenchmarkPipelineReport: metrics.Pipeline over []deal.Deal.
//   - BenchmarkPipelineReportFlat: a hand-written single loop over flat
//     arrays (stage positions, Unix seconds): the floor.
//
// The third way, the SQL a user would write over the same histories loaded
// into SQLite, is benchmarked beside the Pipeline in its own module,
// metrics/internal/sqlitebench, so that the library's go.mod needs no
// database driver.
//
// The deals (package pipelinebench) are generated once per test binary,
// outside the timer: 1,000,000 by default, 100,000 with -short or in CI,
// ACCORD_BENCH_DEALS to choose (see pipelinebench.Count). Each benchmark
// reports the count as its "deals" metric.

// benchReport holds the figures the benchmarks compute.
type benchReport = pipelinebench.Report

func newBenchReport() benchReport { return pipelinebench.NewReport() }

func pipelineReport(tb testing.TB, deals []deal.Deal) benchReport {
	r, err := pipelinebench.Pipeline(deals)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func BenchmarkPipelineReport(b *testing.B) { pipelinebench.BenchmarkPipeline(b) }

// flatDeals is the same deals as flat arrays, as a hand-written report
// would lay them out: a segment per deal, and per event its stage position,
// time in Unix seconds and loss reason, the events of deal i at
// [start[i], start[i+1]).
type flatDeals struct {
	segs     []string
	ids      []deal.StageID // positions: open stages, live, lost
	reasons  []deal.LossReason
	won      int
	seg      []uint8
	start    []int32
	pos      []uint8
	at       []int64
	reason   []uint8
	segIndex map[string]uint8
}

func flatten(tb testing.TB, deals []deal.Deal) *flatDeals {
	proc := deal.Default()
	f := &flatDeals{reasons: deal.LossReasons(), segIndex: map[string]uint8{}}
	posOf := map[deal.StageID]uint8{}
	for i, s := range proc.Stages() {
		f.ids = append(f.ids, s.ID)
		posOf[s.ID] = uint8(i)
		if s.ID == proc.ClosedWon() {
			f.won = i
		}
	}
	f.ids = append(f.ids, deal.StageLive, deal.StageLost)
	posOf[deal.StageLive], posOf[deal.StageLost] = uint8(len(f.ids)-2), uint8(len(f.ids)-1)
	reasonOf := map[deal.LossReason]uint8{}
	for i, r := range f.reasons {
		reasonOf[r] = uint8(i)
	}
	f.seg = make([]uint8, len(deals))
	f.start = make([]int32, len(deals)+1)
	for i := range deals {
		d := &deals[i]
		s, ok := f.segIndex[d.Segment]
		if !ok {
			s = uint8(len(f.segs))
			f.segIndex[d.Segment] = s
			f.segs = append(f.segs, d.Segment)
		}
		f.seg[i] = s
		f.start[i] = int32(len(f.pos))
		for _, ev := range d.History {
			p, ok := posOf[ev.To]
			if !ok {
				tb.Fatalf("deal %s: unknown stage %q", d.ID, ev.To)
			}
			f.pos = append(f.pos, p)
			f.at = append(f.at, ev.At.Unix())
			f.reason = append(f.reason, reasonOf[ev.LossReason])
		}
	}
	f.start[len(deals)] = int32(len(f.pos))
	return f
}

// flatReport computes the figures in one loop over the flat arrays, with
// durations counted per minute in pages allocated when first needed, as
// metrics.Pipeline does.
func flatReport(f *flatDeals) benchReport {
	const maxPos = 16
	nPos := len(f.ids)
	live, lost, won := nPos-2, nPos-1, f.won
	nr := len(f.reasons)
	var current, entered, onward [maxPos]int64
	times := make([]flatHist, live)
	var cycleWon, cycleLost flatHist
	segWon := make([]int64, len(f.segs))
	segLost := make([]int64, len(f.segs))
	losses := make([]int64, live*nr)
	for d := 0; d+1 < len(f.start); d++ {
		var first, last [maxPos]int32
		var spent [maxPos]int64
		for i := 0; i < nPos; i++ {
			first[i], last[i] = -1, -1
		}
		s, e := int(f.start[d]), int(f.start[d+1])
		prev, before := -1, -1
		var wonAt int64
		for i := s; i < e; i++ {
			p := int(f.pos[i])
			if prev >= 0 && prev < live {
				spent[prev] += f.at[i] - f.at[i-1]
			}
			if first[p] < 0 {
				first[p] = int32(i - s)
			}
			last[p] = int32(i - s)
			if p >= won && p <= live && (prev < won || prev == lost) {
				wonAt = f.at[i]
			}
			before, prev = prev, p
		}
		current[prev]++
		for i := 0; i < nPos; i++ {
			if first[i] < 0 {
				continue
			}
			entered[i]++
			if i < live {
				if last[i+1] > first[i] {
					onward[i]++
				}
				if i != prev {
					times[i].count(spent[i] / 60)
				}
			}
		}
		switch {
		case prev == lost:
			segLost[f.seg[d]]++
			cycleLost.count((f.at[e-1] - f.at[s]) / 60)
			losses[before*nr+int(f.reason[e-1])]++
		case prev >= won:
			segWon[f.seg[d]]++
			cycleWon.count((wonAt - f.at[s]) / 60)
		}
	}
	out := newBenchReport()
	for i := 0; i < nPos; i++ {
		if current[i] > 0 {
			out.Current[f.ids[i]] = current[i]
		}
		if i < live {
			if entered[i] > 0 {
				out.Conversion[f.ids[i]] = metrics.Rate{Num: onward[i], Den: entered[i]}
			}
			if n, med := flatMedian(times[i]); n > 0 {
				out.TimeCount[f.ids[i]], out.TimeMedian[f.ids[i]] = n, med
			}
		}
	}
	for i, s := range f.segs {
		out.WinRateBy[s] = metrics.Rate{Num: segWon[i], Den: segWon[i] + segLost[i]}
	}
	for name, h := range map[string]flatHist{"won": cycleWon, "lost": cycleLost} {
		if n, med := flatMedian(h); n > 0 {
			out.CycleCount[name], out.CycleMedian[name] = n, med
		}
	}
	for s := 0; s < live; s++ {
		for r := 0; r < nr; r++ {
			if n := losses[s*nr+r]; n > 0 {
				out.Losses[string(f.ids[s])+"/"+string(f.reasons[r])] = n
			}
		}
	}
	return out
}

// flatHist counts minutes in pages of 2^14, 16-bit counters carrying into
// 32 bits, as metrics.Pipeline does.
type flatHist []*flatPage

type flatPage struct {
	lo [1 << 14]uint16
	hi [1 << 14]uint32
}

func (h *flatHist) count(m int64) {
	p := int(m >> 14)
	if p >= len(*h) {
		*h = append(*h, make([]*flatPage, p+1-len(*h))...)
	}
	pg := (*h)[p]
	if pg == nil {
		pg = new(flatPage)
		(*h)[p] = pg
	}
	k := m & (1<<14 - 1)
	if pg.lo[k]++; pg.lo[k] == 0 {
		pg.hi[k]++
	}
}

// flatMedian returns the count and the median of the minutes counted in h:
// the mean of the two middle values of an even count.
func flatMedian(h flatHist) (int64, time.Duration) {
	var n int64
	for _, pg := range h {
		if pg == nil {
			continue
		}
		for i, c := range pg.lo {
			n += int64(c) + int64(pg.hi[i])<<16
		}
	}
	if n == 0 {
		return 0, 0
	}
	lo, hi := (n-1)/2, n/2
	var seen int64
	var a int64 = -1
	for p, pg := range h {
		if pg == nil {
			continue
		}
		for i, c := range pg.lo {
			seen += int64(c) + int64(pg.hi[i])<<16
			m := int64(p)<<14 + int64(i)
			if a < 0 && seen > lo {
				a = m
			}
			if seen > hi {
				return n, time.Duration(a+m) * 30 * time.Second
			}
		}
	}
	panic("unreachable")
}

func BenchmarkPipelineReportFlat(b *testing.B) {
	deals, want := pipelinebench.Fixture(b)
	f := flatten(b, deals)
	b.ReportAllocs()
	b.ResetTimer()
	var r benchReport
	for i := 0; i < b.N; i++ {
		r = flatReport(f)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(deals)), "deals")
	pipelinebench.Check(b, r, want)
}

// TestReportsAgree checks on a small pipeline that the flat loop computes
// exactly the Pipeline's figures, so that the benchmarks compare like with
// like.
func TestReportsAgree(t *testing.T) {
	deals := pipelinebench.Deals(3000, 7)
	want := pipelineReport(t, deals)
	if len(want.Losses) == 0 || len(want.TimeMedian) == 0 || len(want.CycleMedian) != 2 {
		t.Fatalf("the synthetic pipeline should have losses, times in stage and both cycles: %+v", want)
	}
	pipelinebench.Check(t, flatReport(flatten(t, deals)), want)
}
