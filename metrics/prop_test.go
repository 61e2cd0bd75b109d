package metrics_test

import (
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var positions = []deal.StageID{tg, ql, ds, sa, bc, pr, ho, lv, ls}

// genHistoryDeal draws a deal whose history is a random walk over the
// stages of the default process: mostly valid, sometimes not (a loss
// without a reason, an unknown stage, events out of order), sometimes nil.
func genHistoryDeal() *rapid.Generator[*deal.Deal] {
	reasons := append(deal.LossReasons(), "", "meh")
	return rapid.Custom(func(t *rapid.T) *deal.Deal {
		if rapid.IntRange(0, 40).Draw(t, "nil") == 0 {
			return nil
		}
		d := &deal.Deal{
			ID:      rapid.StringMatching(`d-[0-9]{1,3}`).Draw(t, "id"),
			Owner:   rapid.SampledFrom([]string{"u-1", "u-2", "u-3"}).Draw(t, "owner"),
			Segment: rapid.SampledFrom([]string{"smb", "mid", "ent"}).Draw(t, "segment"),
		}
		if rapid.Bool().Draw(t, "valued") {
			d.Value = accord.Money{
				Amount:   decimal.New(rapid.Int64Range(0, 1_000_000).Draw(t, "amount"), int32(rapid.IntRange(-2, 0).Draw(t, "exp"))),
				Currency: rapid.SampledFrom([]accord.Currency{"USD", "EUR"}).Draw(t, "currency"),
			}
		}
		n := rapid.IntRange(0, 12).Draw(t, "events")
		at := t0.Add(time.Duration(rapid.Int64Range(0, int64(400*day)).Draw(t, "start")))
		prev := -1
		for i := 0; i < n; i++ {
			var p int
			switch {
			case i == 0:
				p = rapid.SampledFrom([]int{0, 0, 0, 1, 2, 8}).Draw(t, "first")
			case prev == 8: // lost: reopen, or rarely something odd
				p = rapid.IntRange(0, 8).Draw(t, "reopen")
			default:
				p = rapid.SampledFrom([]int{min(prev+1, 7), min(prev+1, 7), min(prev+1, 7), 8, rapid.IntRange(0, 7).Draw(t, "any")}).Draw(t, "next")
			}
			ev := deal.Event{To: positions[p], At: at}
			if rapid.IntRange(0, 60).Draw(t, "odd_stage") == 0 {
				ev.To = "elsewhere"
			}
			if p == 8 {
				ev.LossReason = rapid.SampledFrom(reasons[:len(reasons)-1+rapid.IntRange(0, 1).Draw(t, "bad_reason")]).Draw(t, "reason")
			}
			if rapid.IntRange(0, 60).Draw(t, "backwards") == 0 {
				ev.At = at.Add(-time.Second)
			}
			d.History = append(d.History, ev)
			// Durations to the nanosecond, from none to two months.
			step := rapid.OneOf(rapid.Just(int64(0)), rapid.Int64Range(0, int64(time.Hour)), rapid.Int64Range(0, int64(60*day))).Draw(t, "step")
			at = at.Add(time.Duration(step))
			prev = p
		}
		if rapid.Bool().Draw(t, "dated") {
			d.CloseDate = at
			for range rapid.IntRange(0, 2).Draw(t, "changes") {
				from := d.CloseDate
				to := from.Add(time.Duration(rapid.Int64Range(-10, 10).Draw(t, "slip")) * day)
				d.CloseDateChanges = append(d.CloseDateChanges, deal.CloseDateChange{From: from, To: to, At: at})
				d.CloseDate = to
			}
		}
		if rapid.Bool().Draw(t, "next_step") {
			d.NextStep = deal.NextStep{At: at.Add(time.Duration(rapid.Int64Range(-5, 5).Draw(t, "next_in")) * day), Purpose: "call"}
		}
		for range rapid.IntRange(0, 3).Draw(t, "stakeholders") {
			d.Stakeholders = append(d.Stakeholders, deal.Stakeholder{Name: "s", Role: deal.RoleChampion, Engaged: rapid.Bool().Draw(t, "engaged")})
		}
		if rapid.Bool().Draw(t, "criteria") {
			d.Discovery.SuccessCriteria = []string{rapid.SampledFrom([]string{"", " ", "fast"}).Draw(t, "criterion")}
		}
		if rapid.Bool().Draw(t, "impact") {
			d.BusinessCase.Impact = accord.Money{Amount: decimal.New(rapid.Int64Range(-5, 5).Draw(t, "impact_amount"), 3), Currency: "USD"}
		}
		d.BusinessCase.ChampionStrength = deal.Strength(rapid.SampledFrom([]string{"", "strong", "moderate", "weak", "none", "odd"}).Draw(t, "champion"))
		if rapid.Bool().Draw(t, "activity") {
			d.Activities = append(d.Activities, deal.Activity{Kind: "call", At: at.Add(-time.Duration(rapid.Int64Range(0, 30).Draw(t, "activity_ago")) * day), By: d.Owner})
		}
		return d
	})
}

func dealCalcs(now time.Time) []calctest.Calc[*deal.Deal] {
	proc := deal.Default()
	g := genHistoryDeal()
	return []calctest.Calc[*deal.Deal]{
		calctest.Of("Pipeline", g, func(*rapid.T) (*metrics.Pipeline, error) {
			return metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.ByOwner, Percentiles: []int{0, 10, 90, 100}})
		}, (*metrics.Pipeline).Add),
		calctest.Of("Health", g, func(*rapid.T) (*metrics.Health, error) {
			return metrics.NewHealth(proc, metrics.HealthOptions{Now: now})
		}, (*metrics.Health).Add),
		calctest.Of("PipelineValue", g, func(*rapid.T) (*metrics.PipelineValue, error) {
			plan := accord.Money{Amount: decimal.New(500000, 0), Currency: "USD"}
			return metrics.NewPipelineValue(proc, metrics.ValueOptions{Plan: plan, From: t0, To: t0.Add(300 * day)})
		}, (*metrics.PipelineValue).Add),
		calctest.Of("Velocity", g, func(*rapid.T) (*metrics.Velocity, error) {
			return metrics.NewVelocity(proc, metrics.VelocityOptions{Key: metrics.BySegment})
		}, (*metrics.Velocity).Add),
		calctest.Of("PeriodEnd", g, func(*rapid.T) (*metrics.PeriodEnd, error) {
			return metrics.NewPeriodEnd(proc, metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, FiscalYearStart: time.February, Location: time.UTC})
		}, (*metrics.PeriodEnd).Add),
		calctest.Of("Hygiene", g, func(*rapid.T) (*metrics.Hygiene, error) {
			return metrics.NewHygiene(proc, metrics.HygieneOptions{Now: now})
		}, (*metrics.Hygiene).Add),
	}
}

func forecastCalc() calctest.Calc[metrics.Snapshot] {
	money := rapid.Custom(func(t *rapid.T) accord.Money {
		if rapid.IntRange(0, 15).Draw(t, "unset") == 0 {
			return accord.Money{}
		}
		return accord.Money{
			Amount:   decimal.New(rapid.Int64Range(-10, 1_000_000).Draw(t, "amount"), int32(rapid.IntRange(-2, 0).Draw(t, "exp"))),
			Currency: rapid.SampledFrom([]accord.Currency{"USD", "USD", "USD", "EUR"}).Draw(t, "currency"),
		}
	})
	gen := rapid.Custom(func(t *rapid.T) metrics.Snapshot {
		return metrics.Snapshot{Key: rapid.SampledFrom([]string{"Q1", "Q2"}).Draw(t, "key"), Forecast: money.Draw(t, "forecast"), Actual: money.Draw(t, "actual")}
	})
	return calctest.Of("Forecasts", gen, func(*rapid.T) (*metrics.Forecasts, error) { return &metrics.Forecasts{}, nil }, (*metrics.Forecasts).Add)
}

func TestMergeLaws(t *testing.T) {
	for _, c := range dealCalcs(t0.Add(200 * day)) {
		calctest.CheckMergeLaws(t, c)
	}
	calctest.CheckMergeLaws(t, forecastCalc())
}

// TestDistributionsMatchSort checks the medians and percentiles of time in
// stage and of the sales cycle against a brute-force sort of the same
// durations, on random histories.
func TestDistributionsMatchSort(t *testing.T) {
	ps := []int{0, 1, 25, 33, 50, 67, 90, 99, 100}
	rapid.Check(t, func(t *rapid.T) {
		deals := rapid.SliceOfN(genHistoryDeal(), 0, 40).Draw(t, "deals")
		p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Percentiles: ps})
		if err != nil {
			t.Fatal(err)
		}
		times := map[deal.StageID][]int64{}
		var won, lost []int64
		for _, d := range deals {
			if p.Add(d) != nil {
				continue
			}
			// Brute force: sum the visits of each stage left, in minutes.
			spent := map[int]time.Duration{}
			final := slices.Index(positions, d.History[len(d.History)-1].To)
			var wonAt time.Time
			prev := -1
			for i, ev := range d.History {
				pos := slices.Index(positions, ev.To)
				if i > 0 && prev < 7 {
					spent[prev] += ev.At.Sub(d.History[i-1].At)
				}
				if pos >= 6 && pos <= 7 && (prev < 6 || prev == 8) {
					wonAt = ev.At
				}
				if pos < 7 {
					if _, ok := spent[pos]; !ok {
						spent[pos] = 0
					}
				}
				prev = pos
			}
			for pos, dur := range spent {
				if pos != final {
					times[positions[pos]] = append(times[positions[pos]], int64(dur/time.Minute))
				}
			}
			first := d.History[0].At
			switch {
			case final == 8:
				lost = append(lost, int64(d.History[len(d.History)-1].At.Sub(first)/time.Minute))
			case final >= 6:
				won = append(won, int64(wonAt.Sub(first)/time.Minute))
			}
		}
		r := p.Result()
		for _, s := range r.Stages[:7] {
			checkDistribution(t, string(s.Stage), s.Time, times[s.Stage], ps)
		}
		checkDistribution(t, "cycle won", r.CycleWon, won, ps)
		checkDistribution(t, "cycle lost", r.CycleLost, lost, ps)
	})
}

// checkDistribution compares d with the distribution of the minutes xs,
// computed by sorting: the median is the middle value or the mean of the two
// middle ones, and percentile p interpolates linearly at rank (n−1)p/100.
func checkDistribution(t *rapid.T, name string, d metrics.Distribution, xs []int64, ps []int) {
	slices.Sort(xs)
	want := metrics.Distribution{Count: int64(len(xs))}
	if n := len(xs); n > 0 {
		var m time.Duration
		if n%2 == 1 {
			m = time.Duration(xs[n/2]) * time.Minute
		} else {
			m = time.Duration(xs[n/2-1]+xs[n/2]) * time.Minute / 2
		}
		want.Median = &m
		for _, p := range ps {
			h := (n - 1) * p
			lo, rem := h/100, h%100
			v := time.Duration(xs[lo]) * time.Minute
			if rem > 0 {
				v += time.Duration(xs[lo+1]-xs[lo]) * time.Minute * time.Duration(rem) / 100
			}
			want.Percentiles = append(want.Percentiles, metrics.Percentile{P: p, Value: v})
		}
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Fatalf("%s: distribution differs from a sort of %v (-sort +got):\n%s", name, xs, diff)
	}
}

// must returns a, or panics (failing the property) on an error that a
// correct configuration cannot produce.
func must[A any](a A, err error) A {
	if err != nil {
		panic(err)
	}
	return a
}
