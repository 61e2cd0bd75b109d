package metrics_test

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// step is one event of a test history: the stage entered, when (after t0),
// and the loss reason of a loss.
type step struct {
	to     deal.StageID
	at     time.Duration
	reason deal.LossReason
}

// mkDeal builds a deal whose history enters each step's stage in turn.
func mkDeal(id, segment string, steps ...step) *deal.Deal {
	d := &deal.Deal{ID: id, Owner: "u-1", Segment: segment}
	for i, s := range steps {
		ev := deal.Event{Kind: deal.EventAdvance, To: s.to, At: t0.Add(s.at), LossReason: s.reason}
		if i == 0 {
			ev.Kind = deal.EventOpen
		} else {
			ev.From = steps[i-1].to
		}
		if s.to == deal.StageLost {
			ev.Kind = deal.EventLost
		}
		d.History = append(d.History, ev)
	}
	if n := len(d.History); n > 0 {
		d.Stage, d.StageEnteredAt = d.History[n-1].To, d.History[n-1].At
	}
	return d
}

const (
	tg = deal.StageTargeting
	ql = deal.StageQualification
	ds = deal.StageDiscovery
	sa = deal.StageSolutionAlignment
	bc = deal.StageBusinessCase
	pr = deal.StageProposal
	ho = deal.StageHandoff
	lv = deal.StageLive
	ls = deal.StageLost
)

// fiveDeals is the pipeline of TestPipeline, worked out by hand there.
func fiveDeals() []*deal.Deal {
	return []*deal.Deal{
		mkDeal("A", "smb", step{tg, 0, ""}, step{ql, 2 * day, ""}, step{ds, 5 * day, ""}, step{ls, 10 * day, deal.LossCompetitor}),
		mkDeal("B", "smb", step{tg, 0, ""}, step{ql, 1 * day, ""}, step{ds, 3 * day, ""}, step{sa, 6 * day, ""},
			step{bc, 10 * day, ""}, step{pr, 15 * day, ""}, step{ho, 20 * day, ""}, step{lv, 30 * day, ""}),
		mkDeal("C", "mid", step{tg, 0, ""}, step{ql, 1 * day, ""}, step{ds, 2 * day, ""}, step{ql, 4 * day, ""}, step{ds, 7 * day, ""}),
		mkDeal("D", "mid", step{tg, 0, ""}, step{ls, 1 * day, deal.DisqualifiedNoFit}, step{tg, 5 * day, ""}, step{ql, 6 * day, ""},
			step{ls, 9 * day, deal.LossBudget}),
		mkDeal("E", "ent", step{tg, 0, ""}, step{ql, 2 * day, ""}, step{ds, 4 * day, ""}, step{sa, 8 * day, ""},
			step{bc, 12 * day, ""}, step{pr, 14 * day, ""}, step{ho, 16 * day, ""}),
	}
}

func dist(n int64, median time.Duration, p90 time.Duration) metrics.Distribution {
	return metrics.Distribution{Count: n, Median: &median, Percentiles: []metrics.Percentile{{P: 90, Value: p90}}}
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

// TestPipeline checks every figure of a small pipeline worked out by hand:
//
//	A smb  targeting 2d, qualification 3d, discovery 5d, lost (competitor) at day 10
//	B smb  1d, 2d, 3d, 4d, 5d, 5d, won at day 20, handoff 10d, live at day 30
//	C mid  targeting 1d, qualification 1d, discovery 2d, back to qualification 3d, in discovery
//	D mid  targeting 1d, lost (no fit), reopened into targeting 1d, qualification 3d, lost (budget) at day 9
//	E ent  2d, 2d, 4d, 4d, 2d, 2d, won at day 16, in handoff
func TestPipeline(t *testing.T) {
	p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment, Percentiles: []int{90}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range fiveDeals() {
		if err := p.Add(d); err != nil {
			t.Fatalf("Add(%s): %v", d.ID, err)
		}
	}
	none := metrics.Distribution{}
	want := metrics.PipelineResult{
		Deals: 5,
		Stages: []metrics.StageResult{
			// targeting: 1, 1, 2, 2, 2 days
			{Stage: tg, Current: 0, Entered: 5, Time: dist(5, 2*day, 2*day)},
			// qualification: 2, 2, 3, 3, 4 days; p90 = 3 + 0.6 × (4 − 3)
			{Stage: ql, Current: 0, Entered: 5, Time: dist(5, 3*day, hours(3.6*24))},
			// discovery: 3, 4, 5 days (C is still there)
			{Stage: ds, Current: 1, Entered: 4, Time: dist(3, 4*day, hours(4.8*24))},
			{Stage: sa, Current: 0, Entered: 2, Time: dist(2, 4*day, 4*day)},
			// business case and proposal: 2 and 5 days
			{Stage: bc, Current: 0, Entered: 2, Time: dist(2, hours(3.5*24), hours(4.7*24))},
			{Stage: pr, Current: 0, Entered: 2, Time: dist(2, hours(3.5*24), hours(4.7*24))},
			{Stage: ho, Current: 1, Entered: 2, Time: dist(1, 10*day, 10*day)},
			{Stage: lv, Current: 1, Entered: 1, Time: none},
			{Stage: ls, Current: 2, Entered: 2, Time: none},
		},
		Conversions: []metrics.Conversion{
			{From: tg, To: ql, Rate: metrics.Rate{Num: 5, Den: 5}},
			{From: ql, To: ds, Rate: metrics.Rate{Num: 4, Den: 5}},
			{From: ds, To: sa, Rate: metrics.Rate{Num: 2, Den: 4}},
			{From: sa, To: bc, Rate: metrics.Rate{Num: 2, Den: 2}},
			{From: bc, To: pr, Rate: metrics.Rate{Num: 2, Den: 2}},
			{From: pr, To: ho, Rate: metrics.Rate{Num: 2, Den: 2}},
			{From: ho, To: lv, Rate: metrics.Rate{Num: 1, Den: 2}},
		},
		WinRate: metrics.Rate{Num: 2, Den: 4},
		WinRateBy: []metrics.GroupWinRate{
			{Key: "ent", Deals: 1, WinRate: metrics.Rate{Num: 1, Den: 1}},
			{Key: "mid", Deals: 2, WinRate: metrics.Rate{Num: 0, Den: 1}},
			{Key: "smb", Deals: 2, WinRate: metrics.Rate{Num: 1, Den: 2}},
		},
		// won: 16 and 20 days; lost: 9 and 10 days
		CycleWon:  dist(2, 18*day, hours(19.6*24)),
		CycleLost: dist(2, hours(9.5*24), hours(9.9*24)),
		LossReasons: []metrics.LossCount{
			{Stage: ql, Reason: deal.LossBudget, Deals: 1},
			{Stage: ds, Reason: deal.LossCompetitor, Deals: 1},
		},
		Reversion: metrics.Rate{Num: 1, Den: 5},
	}
	got := p.Result()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	// The result survives JSON.
	back := jsontest.Copy(t, got)
	if diff := cmp.Diff(got, back); diff != "" {
		t.Errorf("JSON round trip (-before +after):\n%s", diff)
	}
}

// TestPipelineCalendar measures with a calendar: Friday 17:00 to Monday
// 09:00 counts 16 hours on weekdays.
func TestPipelineCalendar(t *testing.T) {
	fri := time.Date(2026, 1, 9, 17, 0, 0, 0, time.UTC)
	d := &deal.Deal{ID: "w", History: []deal.Event{
		{Kind: deal.EventOpen, To: tg, At: fri},
		{Kind: deal.EventAdvance, From: tg, To: ql, At: fri.Add(64 * time.Hour)},
	}}
	for _, c := range []struct {
		cal  *accord.Calendar
		want time.Duration
	}{{nil, 64 * time.Hour}, {&accord.Calendar{}, 16 * time.Hour}} {
		p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Calendar: c.cal})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Add(d); err != nil {
			t.Fatal(err)
		}
		if got := p.Result().Stages[0].Time.Median; got == nil || *got != c.want {
			t.Errorf("calendar %v: time in targeting = %v, want %v", c.cal, got, c.want)
		}
	}
}

// TestPipelineRefuses checks that unusable deals are refused with an error
// naming every problem, counted as rejected, and contribute nothing.
func TestPipelineRefuses(t *testing.T) {
	ev := func(to deal.StageID, at time.Time, r deal.LossReason) deal.Event {
		return deal.Event{To: to, At: at, LossReason: r}
	}
	for _, c := range []struct {
		name   string
		d      *deal.Deal
		fields []string
	}{
		{"nil deal", nil, []string{"deal"}},
		{"no history", &deal.Deal{ID: "x"}, []string{"history"}},
		{"unknown stage", &deal.Deal{ID: "x", History: []deal.Event{ev(tg, t0, ""), ev("elsewhere", t0, "")}}, []string{"history[1].to"}},
		{"undated", &deal.Deal{ID: "x", History: []deal.Event{ev(tg, time.Time{}, "")}}, []string{"history[0].at"}},
		{"out of order", &deal.Deal{ID: "x", History: []deal.Event{ev(tg, t0, ""), ev(ql, t0.Add(-time.Second), "")}}, []string{"history[1].at"}},
		{"lost first, no reason", &deal.Deal{ID: "x", History: []deal.Event{ev(ls, t0, "")}}, []string{"history[0].to", "history[0].loss_reason"}},
		{"lost after lost", &deal.Deal{ID: "x", History: []deal.Event{ev(tg, t0, ""), ev(ls, t0, deal.LossPrice), ev(ls, t0, deal.LossPrice)}}, []string{"history[2].to"}},
		{"several", &deal.Deal{ID: "x", History: []deal.Event{ev("", t0, ""), ev(ql, time.Time{}, ""), ev(ls, t0, "meh")}}, []string{"history[0].to", "history[1].at", "history[2].loss_reason"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.ByOwner})
			if err != nil {
				t.Fatal(err)
			}
			err = p.Add(c.d)
			if !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("Add = %v, want an error wrapping accord.ErrInvalid", err)
			}
			if diff := cmp.Diff(c.fields, calctest.FieldsOf(err)); diff != "" {
				t.Errorf("fields named (-want +got):\n%s\nerror: %v", diff, err)
			}
			want := emptyPipeline(t)
			want.Rejected = 1
			if diff := cmp.Diff(want, p.Result()); diff != "" {
				t.Errorf("a refused deal changed the result (-want +got):\n%s", diff)
			}
		})
	}
}

func emptyPipeline(t *testing.T) metrics.PipelineResult {
	p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Result()
}

// TestNotBuilt: the zero values and nil accumulators refuse instead of
// panicking, and options are validated as a whole.
func TestNotBuilt(t *testing.T) {
	d := fiveDeals()[0]
	var zero metrics.Pipeline
	if err := zero.Add(d); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("zero Pipeline Add = %v, want ErrInvalid", err)
	}
	var nilp *metrics.Pipeline
	if err := nilp.Add(d); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("nil Pipeline Add = %v, want ErrInvalid", err)
	}
	if err := nilp.Merge(&zero); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("nil Pipeline Merge = %v, want ErrInvalid", err)
	}
	if diff := cmp.Diff(metrics.PipelineResult{}, nilp.Result()); diff != "" {
		t.Errorf("nil Pipeline Result:\n%s", diff)
	}
	_, err := metrics.NewPipeline(nil, metrics.PipelineOptions{Percentiles: []int{-1, 50, 101}})
	if diff := cmp.Diff([]string{"process", "percentiles[0]", "percentiles[2]"}, calctest.FieldsOf(err)); diff != "" {
		t.Errorf("NewPipeline fields (-want +got):\n%s", diff)
	}
	p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Merge(nil); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("Merge(nil) = %v, want ErrInvalid", err)
	}
	other, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: "trial", Name: "Trial"}}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := metrics.NewPipeline(other, metrics.PipelineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Merge(q); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("Merge of another process = %v, want ErrInvalid", err)
	}
}

// TestPipelineFindsStaysByEntries checks on random histories that the
// pipeline, which finds a deal's current stage and the stage a lost deal
// was lost at through the entries of each stage, counts the stages that
// Reading.Current and Reading.Stay name.
func TestPipelineFindsStaysByEntries(t *testing.T) {
	proc := deal.Default()
	rapid.Check(t, func(t *rapid.T) {
		deals := rapid.SliceOfN(genHistoryDeal(), 0, 20).Draw(t, "deals")
		p := must(metrics.NewPipeline(proc, metrics.PipelineOptions{}))
		var rd deal.Reading
		current := map[deal.StageID]int64{}
		losses := map[metrics.LossCount]int64{}
		for _, d := range deals {
			err := p.Add(d)
			if proc.ReadImported(d, &rd) != nil {
				if err == nil {
					t.Fatalf("Add accepted a deal the process does not read: %+v", d)
				}
				continue
			}
			current[rd.Current().Stage]++
			if rd.Outcome == deal.OutcomeLost {
				losses[metrics.LossCount{Stage: rd.Stay(rd.Len() - 2).Stage, Reason: rd.Loss.Reason}]++
			}
		}
		r := p.Result()
		for _, s := range r.Stages {
			if s.Current != current[s.Stage] {
				t.Fatalf("stage %s: current %d; the readings end there %d times", s.Stage, s.Current, current[s.Stage])
			}
		}
		got := map[metrics.LossCount]int64{}
		for _, l := range r.LossReasons {
			got[metrics.LossCount{Stage: l.Stage, Reason: l.Reason}] = l.Deals
		}
		if diff := cmp.Diff(losses, got); diff != "" {
			t.Fatalf("loss counts differ from the readings' (-readings +pipeline):\n%s", diff)
		}
	})
}

// TestPipelineReadConcurrently: Result and AppendBinary do not change the
// pipeline, so several goroutines may read one at once (run with -race),
// and every read, then and after, gives the figures of a pipeline that
// was never read.
func TestPipelineReadConcurrently(t *testing.T) {
	fill := func() *metrics.Pipeline {
		t.Helper()
		p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment, Percentiles: []int{10, 50, 90}})
		if err != nil {
			t.Fatal(err)
		}
		for range 20 { // more durations than one queue holds
			for _, d := range fiveDeals() {
				if err := p.Add(d); err != nil {
					t.Fatalf("Add(%s): %v", d.ID, err)
				}
			}
		}
		return p
	}
	want := fill().Result()
	wantPartial, err := fill().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	p := fill()
	var wg sync.WaitGroup
	results := make([]metrics.PipelineResult, 8)
	partials := make([][]byte, len(results))
	errs := make([]error, len(results))
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = p.Result()
			partials[i], errs[i] = p.MarshalBinary()
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if diff := cmp.Diff(want, results[i]); diff != "" {
			t.Errorf("reader %d: Result differs from an unread pipeline's (-want +got):\n%s", i, diff)
		}
		if !bytes.Equal(partials[i], wantPartial) {
			t.Errorf("reader %d: the partial differs from an unread pipeline's", i)
		}
	}
	if diff := cmp.Diff(want, p.Result()); diff != "" {
		t.Errorf("after the reads: Result differs from an unread pipeline's (-want +got):\n%s", diff)
	}
}
