package main

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
	"github.com/accordhq/accord/metrics"
	"github.com/shopspring/decimal"
)

// Report holds the figures the command prints. Rates are shares from 0 to
// 1 rounded to 4 places and durations are days rounded to 2 places; both
// are null when undefined (no closed deal, no won deal).
type Report struct {
	Deals               int64        `json:"deals"`
	Won                 int64        `json:"won"`
	Lost                int64        `json:"lost"`
	Open                int64        `json:"open"`
	WinRate             *float64     `json:"win_rate"`
	MedianCycleDaysWon  *float64     `json:"median_cycle_days_won"`
	MedianCycleDaysLost *float64     `json:"median_cycle_days_lost"`
	WonValue            accord.Money `json:"won_value"`
	Segments            []Segment    `json:"segments"`
	// Stages is set for an event log only.
	Stages []Stage `json:"stages,omitempty"`

	winRate             metrics.Rate
	cycleWon, cycleLost metrics.Distribution
	funnel              []bar
}

// Segment holds the figures of one segment (or owner, with -by owner).
type Segment struct {
	Segment            string       `json:"segment"`
	Deals              int64        `json:"deals"`
	Won                int64        `json:"won"`
	Lost               int64        `json:"lost"`
	WinRate            *float64     `json:"win_rate"`
	MedianCycleDaysWon *float64     `json:"median_cycle_days_won"`
	WonValue           accord.Money `json:"won_value"`

	winRate metrics.Rate
}

// Stage holds the figures of one open stage of an event log.
type Stage struct {
	Stage string `json:"stage"`
	// Entered counts the deals that ever entered the stage; Current those
	// in it now.
	Entered int64 `json:"entered"`
	Current int64 `json:"current"`
	// Conversion is the share of the deals that entered the stage which
	// later entered the next one.
	Conversion *float64 `json:"conversion"`
	// MedianDaysInStage is over the deals that have left the stage.
	MedianDaysInStage *float64 `json:"median_days_in_stage"`

	conversion metrics.Rate
}

// noSegment names the segment of deals without one.
const noSegment = "(none)"

// compute computes the report of the deals read from an export, grouping
// them with key. A deal the metrics refuse is returned as a problem.
func compute(res *dealcsv.Result, currency accord.Currency, key func(*deal.Deal) string, events bool) (*Report, []dealcsv.Problem, error) {
	group := func(d *deal.Deal) string {
		if k := key(d); k != "" {
			return k
		}
		return noSegment
	}
	newPipeline := func(k func(*deal.Deal) string) (*metrics.Pipeline, error) {
		return metrics.NewPipeline(res.Process, metrics.PipelineOptions{Key: k, Percentiles: []int{25, 75, 100, 0}})
	}
	all, err := newPipeline(group)
	if err != nil {
		return nil, nil, err
	}
	vel, err := metrics.NewVelocity(res.Process, metrics.VelocityOptions{Key: group})
	if err != nil {
		return nil, nil, err
	}
	type counts struct {
		deals int64
		pipe  *metrics.Pipeline
	}
	groups := map[string]*counts{}
	var problems []dealcsv.Problem
	var deals int64
	d := new(deal.Deal) // filled again for each deal: the accumulators keep none
	for i := range res.Deals {
		res.Deals[i].Fill(d)
		g := group(d)
		c := groups[g]
		if c == nil {
			p, err := newPipeline(nil)
			if err != nil {
				return nil, nil, err
			}
			c = &counts{pipe: p}
		}
		if len(d.History) > 0 {
			if err := all.Add(d); err != nil {
				problems = append(problems, dealcsv.Problem{Line: res.Deals[i].Line, Err: err})
				continue
			}
			if err := errors.Join(c.pipe.Add(d), vel.Add(d)); err != nil {
				return nil, nil, fmt.Errorf("deal %q: accepted once and refused once: %w", d.ID, err)
			}
		}
		groups[g] = c
		c.deals++
		deals++
	}
	r := all.Result()
	rep := &Report{
		Deals:     deals,
		Won:       r.WinRate.Num,
		Lost:      r.WinRate.Den - r.WinRate.Num,
		winRate:   r.WinRate,
		cycleWon:  r.CycleWon,
		cycleLost: r.CycleLost,
		WinRate:   share(r.WinRate),
		Segments:  []Segment{}, // a list in JSON, even when empty
	}
	total := accord.Money{Amount: decimal.Zero, Currency: currency}
	rep.Open = rep.Deals - rep.Won - rep.Lost
	rep.MedianCycleDaysWon = days(r.CycleWon.Median)
	rep.MedianCycleDaysLost = days(r.CycleLost.Median)
	vr := vel.Result()
	for g, c := range groups {
		pr := c.pipe.Result()
		s := Segment{
			Segment: g, Deals: c.deals,
			Won: pr.WinRate.Num, Lost: pr.WinRate.Den - pr.WinRate.Num,
			WinRate: share(pr.WinRate), winRate: pr.WinRate,
			MedianCycleDaysWon: days(pr.CycleWon.Median),
		}
		for _, vg := range vr.Groups {
			if vg.Key == g && vg.Currency == currency && vg.WinRate.Num > 0 {
				s.WonValue = vg.WonValue
				sum, err := total.Add(vg.WonValue)
				if err != nil {
					return nil, nil, err
				}
				total = sum
			}
		}
		rep.Segments = append(rep.Segments, s)
	}
	if len(vr.Groups) > 0 && slices.ContainsFunc(rep.Segments, func(s Segment) bool { return s.WonValue.IsSet() }) {
		rep.WonValue = total
	}
	if err := rep.WonValue.Validate("won_value"); err != nil {
		return nil, nil, fmt.Errorf("the won value cannot be reported: %w", err)
	}
	slices.SortFunc(rep.Segments, func(a, b Segment) int { return cmp.Compare(a.Segment, b.Segment) })
	if events {
		names := res.Process.Stages()
		for i, c := range r.Conversions {
			st := r.Stages[i]
			s := Stage{
				Stage: names[i].Name, Entered: st.Entered, Current: st.Current,
				Conversion: share(c.Rate), conversion: c.Rate,
				MedianDaysInStage: days(st.Time.Median),
			}
			if i == len(r.Conversions)-1 {
				// An export never records the move to live: the last
				// stage has no next stage to convert to.
				s.Conversion, s.conversion = nil, metrics.Rate{}
			}
			rep.Stages = append(rep.Stages, s)
			rep.funnel = append(rep.funnel, bar{Label: names[i].Name, N: st.Entered})
		}
	} else {
		rep.funnel = []bar{{"All deals", rep.Deals}, {"Closed", rep.Won + rep.Lost}, {"Won", rep.Won}}
	}
	return rep, problems, nil
}

// share returns r as a fraction rounded to 4 places, or nil when undefined.
func share(r metrics.Rate) *float64 {
	v, ok := r.Value()
	if !ok {
		return nil
	}
	v = math.Round(v*1e4) / 1e4
	return &v
}

// days returns d in days of 24 hours rounded to 2 places, or nil.
func days(d *time.Duration) *float64 {
	if d == nil {
		return nil
	}
	v := math.Round(d.Hours()/24*100) / 100
	return &v
}
