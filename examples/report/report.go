package main

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
	"github.com/accordhq/accord/metrics"
)

// Report holds the figures the command prints. Rates are shares from 0 to
// 1 rounded to 4 places and durations are days rounded to 2 places; both
// are null when undefined (no closed deal, no won deal). Money is in the
// mapping's currency: values in another currency are left out of the sums
// (never converted) and counted in other_currency.
type Report struct {
	Deals               int64        `json:"deals"`
	Won                 int64        `json:"won"`
	Lost                int64        `json:"lost"`
	Open                int64        `json:"open"`
	WinRate             *float64     `json:"win_rate"`
	MedianCycleDaysWon  *float64     `json:"median_cycle_days_won"`
	MedianCycleDaysLost *float64     `json:"median_cycle_days_lost"`
	WonValue            accord.Money `json:"won_value"`
	// OpenValue is the value of the deals in the pipeline; WeightedValue
	// each of those values times its stage's probability (see
	// Stage.Probability); Unvalued counts the deals in the pipeline
	// without a value.
	OpenValue     accord.Money `json:"open_value"`
	WeightedValue accord.Money `json:"weighted_value"`
	Unvalued      int64        `json:"unvalued"`
	OtherCurrency int64        `json:"other_currency"`
	// VelocityPerDay is the sales velocity of all deals: in the pipeline ×
	// win rate × average won value / average won cycle, money per day;
	// null when no deal in the pipeline has a value.
	VelocityPerDay *accord.Money `json:"velocity_per_day"`
	// Reversion is the share of deals that moved back to an earlier stage.
	Reversion *float64 `json:"reversion"`
	// PeriodEnd is the share of wins closed in the last 14 days of their
	// quarter; spread evenly, about 15% would be.
	PeriodEnd *float64 `json:"period_end_clustering"`
	// LostAfterWin counts the deals won and later marked lost (see
	// dealcsv.Deal.LostAfterWin); they count as won everywhere else.
	LostAfterWin int64 `json:"lost_after_win"`
	// Stages has one row per open stage of the process, in order.
	Stages      []Stage      `json:"stages"`
	LossReasons []LossReason `json:"loss_reasons"`
	// Groupings has the figures by each -by grouping, in the flag's order.
	Groupings []Grouping `json:"groupings"`
	// Trend has one row per month from the first deal opened to the last
	// deal closed.
	Trend []Month `json:"trend"`
	// Consistency is how consistently the process is used.
	Consistency *Consistency `json:"consistency"`
	// Retention is set when a contracts export is given.
	Retention *Retention `json:"retention,omitempty"`

	winRate, reversion, periodEnd metrics.Rate
	cycleWon, cycleLost           metrics.Distribution
	currency                      accord.Currency
	closedWon                     string
}

// Grouping holds the figures of the deals grouped one way.
type Grouping struct {
	// By names the grouping: segment, owner or a column.
	By       string    `json:"by"`
	Segments []Segment `json:"segments"`
}

// Segment holds the figures of one group of deals.
type Segment struct {
	Segment             string        `json:"segment"`
	Deals               int64         `json:"deals"`
	Open                int64         `json:"open"`
	Won                 int64         `json:"won"`
	Lost                int64         `json:"lost"`
	WinRate             *float64      `json:"win_rate"`
	MedianCycleDaysWon  *float64      `json:"median_cycle_days_won"`
	MedianCycleDaysLost *float64      `json:"median_cycle_days_lost"`
	WonValue            accord.Money  `json:"won_value"`
	OpenValue           accord.Money  `json:"open_value"`
	VelocityPerDay      *accord.Money `json:"velocity_per_day"`
	LostAfterWin        int64         `json:"lost_after_win"`

	winRate metrics.Rate
}

// Stage holds the figures of one open stage.
type Stage struct {
	Stage string `json:"stage"`
	Name  string `json:"name"`
	// Entered counts the deals whose history entered the stage; Reached
	// those that entered it or a later stage (an export may skip stages);
	// Current those in it now.
	Entered int64 `json:"entered"`
	Reached int64 `json:"reached"`
	Current int64 `json:"current"`
	// Conversion is the share of the deals that entered the stage which
	// later entered the next one (the library's conversion); Onward the
	// share of those that reached it which reached the next or a later one.
	Conversion *float64 `json:"conversion"`
	Onward     *float64 `json:"conversion_onward"`
	// MedianDaysInStage is over the deals that have left the stage.
	MedianDaysInStage *float64 `json:"median_days_in_stage"`
	// Probability is the win rate of the closed deals that reached the
	// stage: the weight of the stage in the weighted pipeline.
	Probability *float64 `json:"probability"`
	// LostAfterWin counts the deals lost after the win in this stage.
	LostAfterWin int64 `json:"lost_after_win"`

	conversion, onward metrics.Rate
}

// LossReason counts the deals lost at one stage for one reason.
type LossReason struct {
	Stage  string `json:"stage"`
	Reason string `json:"reason"`
	Deals  int64  `json:"deals"`
}

// Month is one month of the trend: the cohort of deals opened in it, and
// the deals closed in it.
type Month struct {
	Month string `json:"month"`
	// Opened counts the deals opened in the month; OpenedWinRate is their
	// win rate so far.
	Opened        int64    `json:"opened"`
	OpenedWinRate *float64 `json:"opened_win_rate"`
	// Won and Lost count the deals closed in the month, ClosedWinRate
	// their win rate.
	Won           int64    `json:"won"`
	Lost          int64    `json:"lost"`
	ClosedWinRate *float64 `json:"closed_win_rate"`

	openedRate, closedRate metrics.Rate
}

// noSegment names the group of deals without a value for the grouping.
const noSegment = "(none)"

// grouping is a way to group the deals: its name and the key of a deal.
type grouping struct {
	By  string
	Key func(*dealcsv.Deal) string
}

// computeOptions configure compute.
type computeOptions struct {
	Currency  accord.Currency
	Location  *time.Location
	Groupings []grouping
	// CurrentOnly says the export has one row per deal (its current
	// stage), not one per stage change.
	CurrentOnly bool
}

// periodEndDays is the window of period-end clustering, in days before
// the end of the quarter.
const periodEndDays = 14

// compute computes the report of the deals read from an export. A deal the
// metrics refuse is returned as a problem.
func compute(res *dealcsv.Result, o computeOptions) (*Report, []dealcsv.Problem, error) {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if len(o.Groupings) == 0 {
		o.Groupings = []grouping{{By: "segment", Key: func(x *dealcsv.Deal) string { return x.Segment }}}
	}
	proc := res.Process
	stages := proc.Stages()
	n := len(stages)
	index := map[deal.StageID]int{}
	for i, s := range stages {
		index[s.ID] = i
	}

	// First pass: how far each deal went, for the onward conversion and
	// the probability of each stage, and which deals the metrics refuse.
	reached := make([]int64, n+1)
	reachedWon := make([]int64, n+1)
	reachedClosed := make([]int64, n+1)
	var rd deal.Reading
	d := new(deal.Deal) // filled again for each deal: the accumulators keep none
	refused := map[int]error{}
	for i := range res.Deals {
		res.Deals[i].Fill(d)
		if len(d.History) == 0 {
			continue
		}
		if err := proc.ReadImported(d, &rd); err != nil {
			refused[i] = err
			continue
		}
		far := -1
		for _, s := range rd.Stays() {
			if s.Index <= n {
				far = max(far, s.Index)
			}
		}
		for k := 0; k <= far; k++ {
			reached[k]++
			if rd.Outcome == deal.OutcomeLost || rd.Won() {
				reachedClosed[k]++
				if rd.Won() {
					reachedWon[k]++
				}
			}
		}
	}
	cfg := proc.Config()
	probs := make([]metrics.Rate, n)
	for i := range cfg.Stages {
		probs[i] = metrics.Rate{Num: reachedWon[i], Den: reachedClosed[i]}
		if v, ok := probs[i].Value(); ok {
			cfg.Stages[i].Probability = decimal.NewFromFloat(v).Round(4)
		}
	}
	weighted, err := deal.NewProcess(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("the process weighted by its win rates: %w", err)
	}

	month := func(t time.Time) string { return t.In(o.Location).Format("2006-01") }
	var openedMonth, closedMonth string
	pipeOpts := metrics.PipelineOptions{Percentiles: []int{25, 75, 100, 0}}
	all, err := metrics.NewPipeline(proc, pipeOpts)
	if err != nil {
		return nil, nil, err
	}
	openedCohort, err := metrics.NewPipeline(proc, metrics.PipelineOptions{Key: func(*deal.Deal) string { return openedMonth }})
	if err != nil {
		return nil, nil, err
	}
	closedCohort, err := metrics.NewPipeline(proc, metrics.PipelineOptions{Key: func(*deal.Deal) string { return closedMonth }})
	if err != nil {
		return nil, nil, err
	}
	value, err := metrics.NewPipelineValue(weighted, metrics.ValueOptions{})
	if err != nil {
		return nil, nil, err
	}
	vel, err := metrics.NewVelocity(proc, metrics.VelocityOptions{})
	if err != nil {
		return nil, nil, err
	}
	pe, err := metrics.NewPeriodEnd(proc, metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: periodEndDays, Location: o.Location})
	if err != nil {
		return nil, nil, err
	}

	// One set of accumulators per group of each grouping.
	type group struct {
		deals, lostAfterWin int64
		pipe                *metrics.Pipeline
		value               *metrics.PipelineValue
		vel                 *metrics.Velocity
	}
	groups := make([]map[string]*group, len(o.Groupings))
	for g := range groups {
		groups[g] = map[string]*group{}
	}
	afterWin := map[deal.StageID]int64{}
	cons, err := newConsistencyAcc(proc)
	if err != nil {
		return nil, nil, err
	}
	rep := &Report{currency: o.Currency, Stages: []Stage{}, LossReasons: []LossReason{}, Trend: []Month{}}
	var problems []dealcsv.Problem
	for i := range res.Deals {
		x := &res.Deals[i]
		if err := refused[i]; err != nil {
			problems = append(problems, dealcsv.Problem{Line: x.Line, Err: err})
			continue
		}
		x.Fill(d)
		rep.Deals++
		if x.LostAfterWin != nil {
			rep.LostAfterWin++
			afterWin[x.LostAfterWin.Stage]++
		}
		var gs []*group
		for k, gr := range o.Groupings {
			key := gr.Key(x)
			if key == "" {
				key = noSegment
			}
			c := groups[k][key]
			if c == nil {
				c = &group{}
				if c.pipe, err = metrics.NewPipeline(proc, pipeOpts); err != nil {
					return nil, nil, err
				}
				if c.value, err = metrics.NewPipelineValue(weighted, metrics.ValueOptions{}); err != nil {
					return nil, nil, err
				}
				if c.vel, err = metrics.NewVelocity(proc, metrics.VelocityOptions{}); err != nil {
					return nil, nil, err
				}
				groups[k][key] = c
			}
			c.deals++
			if x.LostAfterWin != nil {
				c.lostAfterWin++
			}
			gs = append(gs, c)
		}
		if len(d.History) == 0 {
			continue // an open deal without a date counts in deals and open only
		}
		if err := proc.ReadImported(d, &rd); err != nil {
			return nil, nil, fmt.Errorf("deal %q: read once and refused once: %w", d.ID, err)
		}
		openedMonth, closedMonth = month(rd.OpenedAt), ""
		switch {
		case rd.Won():
			closedMonth = month(rd.WonAt)
		case rd.Outcome == deal.OutcomeLost:
			closedMonth = month(rd.LostAt)
		}
		errs := []error{all.Add(d), openedCohort.Add(d), closedCohort.Add(d), value.Add(d), vel.Add(d), pe.Add(d), cons.add(d, cmp.Or(x.Segment, noSegment))}
		for _, c := range gs {
			errs = append(errs, c.pipe.Add(d), c.value.Add(d), c.vel.Add(d))
		}
		if err := errors.Join(errs...); err != nil {
			return nil, nil, fmt.Errorf("deal %q: accepted once and refused once: %w", d.ID, err)
		}
	}

	r := all.Result()
	rep.Won, rep.Lost = r.WinRate.Num, r.WinRate.Den-r.WinRate.Num
	rep.Open = rep.Deals - rep.Won - rep.Lost
	rep.winRate, rep.WinRate = r.WinRate, share(r.WinRate)
	rep.cycleWon, rep.cycleLost = r.CycleWon, r.CycleLost
	rep.MedianCycleDaysWon, rep.MedianCycleDaysLost = days(r.CycleWon.Median), days(r.CycleLost.Median)
	rep.reversion, rep.Reversion = r.Reversion, share(r.Reversion)
	pr := pe.Result()
	rep.periodEnd, rep.PeriodEnd = pr.Clustering, share(pr.Clustering)
	rep.WonValue, rep.VelocityPerDay, rep.OtherCurrency = velocityOf(vel.Result(), o.Currency)
	rep.OpenValue, rep.WeightedValue, rep.Unvalued, err = valueOf(value.Result(), o.Currency)
	if err != nil {
		return nil, nil, err
	}
	if err := rep.WonValue.Validate("won_value"); err != nil {
		return nil, nil, fmt.Errorf("the won value cannot be reported: %w", err)
	}

	// Stages, in order; the last stage has no next stage to convert to
	// when the export never records the move to live (Closed Won is a
	// stage of its own).
	names := map[deal.StageID]string{}
	if cw := proc.ClosedWon(); index[cw] > 0 {
		rep.closedWon = string(cw) // a stage of its own, not the move to live
	}
	for i, st := range stages {
		names[st.ID] = st.Name
		sr := r.Stages[i]
		s := Stage{
			Stage: string(st.ID), Name: st.Name, Entered: sr.Entered, Reached: reached[i], Current: sr.Current,
			conversion:        r.Conversions[i].Rate,
			onward:            metrics.Rate{Num: reached[i+1], Den: reached[i]},
			MedianDaysInStage: days(sr.Time.Median),
			Probability:       share(probs[i]),
			LostAfterWin:      afterWin[st.ID],
		}
		if i == n-1 && rep.closedWon != "" {
			s.conversion, s.onward = metrics.Rate{}, metrics.Rate{}
		}
		s.Conversion, s.Onward = share(s.conversion), share(s.onward)
		rep.Stages = append(rep.Stages, s)
	}
	for _, l := range r.LossReasons {
		rep.LossReasons = append(rep.LossReasons, LossReason{Stage: cmp.Or(names[l.Stage], string(l.Stage)), Reason: string(l.Reason), Deals: l.Deals})
	}

	for k, gr := range o.Groupings {
		g := Grouping{By: gr.By, Segments: []Segment{}}
		for key, c := range groups[k] {
			pr := c.pipe.Result()
			s := Segment{
				Segment: key, Deals: c.deals,
				Won: pr.WinRate.Num, Lost: pr.WinRate.Den - pr.WinRate.Num,
				WinRate: share(pr.WinRate), winRate: pr.WinRate,
				MedianCycleDaysWon:  days(pr.CycleWon.Median),
				MedianCycleDaysLost: days(pr.CycleLost.Median),
				LostAfterWin:        c.lostAfterWin,
			}
			s.Open = s.Deals - s.Won - s.Lost
			s.WonValue, s.VelocityPerDay, _ = velocityOf(c.vel.Result(), o.Currency)
			if s.OpenValue, _, _, err = valueOf(c.value.Result(), o.Currency); err != nil {
				return nil, nil, err
			}
			g.Segments = append(g.Segments, s)
		}
		slices.SortFunc(g.Segments, func(a, b Segment) int { return cmp.Compare(a.Segment, b.Segment) })
		rep.Groupings = append(rep.Groupings, g)
	}

	rep.Consistency = cons.result(o.CurrentOnly)
	rep.Trend = trend(openedCohort.Result().WinRateBy, closedCohort.Result().WinRateBy)
	return rep, sortProblems(problems), nil
}

// velocityOf returns the won value and the velocity in currency c of a
// velocity result, and how many deals were in other currencies.
func velocityOf(v metrics.VelocityResult, c accord.Currency) (won accord.Money, perDay *accord.Money, other int64) {
	for _, g := range v.Groups {
		switch {
		case g.Currency == c:
			if g.WinRate.Num > 0 {
				won = g.WonValue
			}
			if g.Opportunities > 0 {
				perDay = g.PerDay
			} // else no open deal has a value: a velocity of 0 would mislead
		case g.Currency != "":
			other += g.WinRate.Den + g.Opportunities
		}
	}
	return won, perDay, other
}

// valueOf returns the open and weighted pipeline in currency c, unset
// when no deal in the pipeline has a value in c, and the deals without a
// value.
func valueOf(v metrics.ValueResult, c accord.Currency) (open, weighted accord.Money, unvalued int64, err error) {
	for _, cv := range v.ByCurrency {
		if cv.Currency == c {
			return cv.Open, cv.Weighted.Round(), v.Unvalued, nil
		}
	}
	return open, weighted, v.Unvalued, nil
}

// trend merges the win rates by month opened and by month closed into
// one row per month, with every month between the first and the last.
func trend(opened, closed []metrics.GroupWinRate) []Month {
	rows := map[string]*Month{}
	row := func(m string) *Month {
		if rows[m] == nil {
			rows[m] = &Month{Month: m}
		}
		return rows[m]
	}
	for _, g := range opened {
		if g.Key != "" {
			m := row(g.Key)
			m.Opened, m.openedRate = g.Deals, g.WinRate
		}
	}
	for _, g := range closed {
		if g.Key != "" {
			m := row(g.Key)
			m.Won, m.Lost, m.closedRate = g.WinRate.Num, g.WinRate.Den-g.WinRate.Num, g.WinRate
		}
	}
	var keys []string
	for k := range rows {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := []Month{}
	if len(keys) == 0 {
		return out
	}
	first, err1 := time.Parse("2006-01", keys[0])
	last, err2 := time.Parse("2006-01", keys[len(keys)-1])
	if err1 != nil || err2 != nil {
		return out
	}
	for t := first; !t.After(last); t = t.AddDate(0, 1, 0) {
		m := row(t.Format("2006-01"))
		m.OpenedWinRate, m.ClosedWinRate = share(m.openedRate), share(m.closedRate)
		out = append(out, *m)
	}
	return out
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
