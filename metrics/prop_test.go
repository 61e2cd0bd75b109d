package metrics_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
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

// A calc is one accumulator under test: how to build it, feed it, merge
// it and read it.
type calc[T any] struct {
	name   string
	gen    *rapid.Generator[T]
	build  func(t *rapid.T) any
	add    func(acc any, x T) error
	merge  func(acc, other any) error
	result func(acc any) any
}

func dealCalcs(now time.Time) []calc[*deal.Deal] {
	proc := deal.Default()
	g := genHistoryDeal()
	return []calc[*deal.Deal]{
		{
			name: "Pipeline",
			gen:  g,
			build: func(t *rapid.T) any {
				return must(metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.ByOwner, Percentiles: []int{0, 10, 90, 100}}))
			},
			add:    func(a any, d *deal.Deal) error { return a.(*metrics.Pipeline).Add(d) },
			merge:  func(a, o any) error { return a.(*metrics.Pipeline).Merge(o.(*metrics.Pipeline)) },
			result: func(a any) any { return a.(*metrics.Pipeline).Result() },
		},
		{
			name:   "Health",
			gen:    g,
			build:  func(t *rapid.T) any { return must(metrics.NewHealth(proc, metrics.HealthOptions{Now: now})) },
			add:    func(a any, d *deal.Deal) error { return a.(*metrics.Health).Add(d) },
			merge:  func(a, o any) error { return a.(*metrics.Health).Merge(o.(*metrics.Health)) },
			result: func(a any) any { return a.(*metrics.Health).Result() },
		},
		{
			name: "PipelineValue",
			gen:  g,
			build: func(t *rapid.T) any {
				plan := accord.Money{Amount: decimal.New(500000, 0), Currency: "USD"}
				return must(metrics.NewPipelineValue(proc, metrics.ValueOptions{Plan: plan, From: t0, To: t0.Add(300 * day)}))
			},
			add:    func(a any, d *deal.Deal) error { return a.(*metrics.PipelineValue).Add(d) },
			merge:  func(a, o any) error { return a.(*metrics.PipelineValue).Merge(o.(*metrics.PipelineValue)) },
			result: func(a any) any { return a.(*metrics.PipelineValue).Result() },
		},
		{
			name: "Velocity",
			gen:  g,
			build: func(t *rapid.T) any {
				return must(metrics.NewVelocity(proc, metrics.VelocityOptions{Key: metrics.BySegment}))
			},
			add:    func(a any, d *deal.Deal) error { return a.(*metrics.Velocity).Add(d) },
			merge:  func(a, o any) error { return a.(*metrics.Velocity).Merge(o.(*metrics.Velocity)) },
			result: func(a any) any { return a.(*metrics.Velocity).Result() },
		},
		{
			name: "PeriodEnd",
			gen:  g,
			build: func(t *rapid.T) any {
				return must(metrics.NewPeriodEnd(proc, metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, FiscalYearStart: time.February, Location: time.UTC}))
			},
			add:    func(a any, d *deal.Deal) error { return a.(*metrics.PeriodEnd).Add(d) },
			merge:  func(a, o any) error { return a.(*metrics.PeriodEnd).Merge(o.(*metrics.PeriodEnd)) },
			result: func(a any) any { return a.(*metrics.PeriodEnd).Result() },
		},
		{
			name:   "Hygiene",
			gen:    g,
			build:  func(t *rapid.T) any { return must(metrics.NewHygiene(proc, metrics.HygieneOptions{Now: now})) },
			add:    func(a any, d *deal.Deal) error { return a.(*metrics.Hygiene).Add(d) },
			merge:  func(a, o any) error { return a.(*metrics.Hygiene).Merge(o.(*metrics.Hygiene)) },
			result: func(a any) any { return a.(*metrics.Hygiene).Result() },
		},
	}
}

func genRecord() *rapid.Generator[metrics.Record] {
	return rapid.Custom(func(t *rapid.T) metrics.Record {
		return metrics.Record{
			ID:            rapid.SampledFrom([]string{"", "r1", "r2", "r3", "r4", "r5", "r6"}).Draw(t, "id"),
			Name:          rapid.SampledFrom([]string{"", "Acme", "ACME, Inc.", "acme co", "Globex Ltd", "The Globex"}).Draw(t, "name"),
			Email:         rapid.SampledFrom([]string{"", "a@acme.com", " A@Acme.com ", "b@acme.com", "bad"}).Draw(t, "email"),
			Phone:         rapid.SampledFrom([]string{"", "+1 415 555 0100", "(415) 555-0100", "1-415-555-0100", "020 7946 0018", "+44 20 7946 0018", "555"}).Draw(t, "phone"),
			LastEngagedAt: rapid.SampledFrom([]time.Time{{}, t0, t0.AddDate(-1, 0, 0), t0.AddDate(-1, 0, 1)}).Draw(t, "engaged"),
		}
	})
}

func recordCalcs() []calc[metrics.Record] {
	return []calc[metrics.Record]{
		{
			name: "Duplicates",
			gen:  genRecord(),
			build: func(t *rapid.T) any {
				u, err := metrics.NewDuplicates(metrics.DuplicateOptions{CountryCode: "1"})
				if err != nil {
					t.Fatal(err)
				}
				return u
			},
			add:    func(a any, r metrics.Record) error { return a.(*metrics.Duplicates).Add(r) },
			merge:  func(a, o any) error { return a.(*metrics.Duplicates).Merge(o.(*metrics.Duplicates)) },
			result: func(a any) any { return a.(*metrics.Duplicates).Result() },
		},
		{
			name: "Stale",
			gen:  genRecord(),
			build: func(t *rapid.T) any {
				s, err := metrics.NewStale(metrics.StaleOptions{Now: t0, Location: time.UTC})
				if err != nil {
					t.Fatal(err)
				}
				return s
			},
			add:    func(a any, r metrics.Record) error { return a.(*metrics.Stale).Add(r) },
			merge:  func(a, o any) error { return a.(*metrics.Stale).Merge(o.(*metrics.Stale)) },
			result: func(a any) any { return a.(*metrics.Stale).Result() },
		},
	}
}

func activityCalc() calc[deal.Activity] {
	return calc[deal.Activity]{
		name: "Activity",
		gen: rapid.Custom(func(t *rapid.T) deal.Activity {
			return deal.Activity{
				By: rapid.SampledFrom([]string{"", "u-1", "u-2", "u-3"}).Draw(t, "by"),
				At: t0.Add(time.Duration(rapid.Int64Range(-int64(2*day), int64(30*day)).Draw(t, "at"))),
			}
		}),
		build: func(t *rapid.T) any {
			a, err := metrics.NewActivity(metrics.ActivityOptions{From: t0, To: t0.Add(28 * day), Location: time.UTC, Reps: []string{"u-1", "u-9"}})
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		add:    func(a any, x deal.Activity) error { return a.(*metrics.Activity).Add(x) },
		merge:  func(a, o any) error { return a.(*metrics.Activity).Merge(o.(*metrics.Activity)) },
		result: func(a any) any { return a.(*metrics.Activity).Result() },
	}
}

func forecastCalc() calc[metrics.Snapshot] {
	money := rapid.Custom(func(t *rapid.T) accord.Money {
		if rapid.IntRange(0, 15).Draw(t, "unset") == 0 {
			return accord.Money{}
		}
		return accord.Money{
			Amount:   decimal.New(rapid.Int64Range(-10, 1_000_000).Draw(t, "amount"), int32(rapid.IntRange(-2, 0).Draw(t, "exp"))),
			Currency: rapid.SampledFrom([]accord.Currency{"USD", "USD", "USD", "EUR"}).Draw(t, "currency"),
		}
	})
	return calc[metrics.Snapshot]{
		name: "Forecasts",
		gen: rapid.Custom(func(t *rapid.T) metrics.Snapshot {
			return metrics.Snapshot{Key: rapid.SampledFrom([]string{"Q1", "Q2"}).Draw(t, "key"), Forecast: money.Draw(t, "forecast"), Actual: money.Draw(t, "actual")}
		}),
		build:  func(*rapid.T) any { return &metrics.Forecasts{} },
		add:    func(a any, s metrics.Snapshot) error { return a.(*metrics.Forecasts).Add(s) },
		merge:  func(a, o any) error { return a.(*metrics.Forecasts).Merge(o.(*metrics.Forecasts)) },
		result: func(a any) any { return a.(*metrics.Forecasts).Result() },
	}
}

// moneyEqual compares amounts by value: 1.0 equals 1.
var moneyEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// checkMergeLaws checks, on random inputs, that merging the accumulators of
// any split of the input equals one accumulator fed the whole input, that
// Merge is associative and commutative, that merging an accumulator into
// itself doubles it, and that every rate has 0 ≤ Num ≤ Den.
func checkMergeLaws[T any](t *testing.T, c calc[T]) {
	t.Run(c.name, func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			xs := rapid.SliceOfN(c.gen, 0, 30).Draw(t, "inputs")
			feed := func(part []T) any {
				a := c.build(t)
				for _, x := range part {
					_ = c.add(a, x) // refusals are part of the result
				}
				return a
			}
			merge := func(a, b any) any {
				if err := c.merge(a, b); err != nil {
					t.Fatalf("Merge: %v", err)
				}
				return a
			}
			whole := c.result(feed(xs))
			checkRates(t, whole)
			checkJSON(t, whole)

			// Any split, merged in a random order.
			cuts := rapid.SliceOfNDistinct(rapid.IntRange(0, len(xs)), 0, 4, rapid.ID).Draw(t, "cuts")
			slices.Sort(cuts)
			var parts []any
			last := 0
			for _, cut := range append(cuts, len(xs)) {
				parts = append(parts, feed(xs[last:cut]))
				last = cut
			}
			order := rapid.Permutation(parts).Draw(t, "order")
			acc := c.build(t)
			for _, p := range order {
				acc = merge(acc, p)
			}
			if diff := cmp.Diff(whole, c.result(acc), moneyEqual); diff != "" {
				t.Fatalf("split %v merged differs from the whole (-whole +merged):\n%s", cuts, diff)
			}

			// Associative and commutative, over three parts.
			i := rapid.IntRange(0, len(xs)).Draw(t, "i")
			j := rapid.IntRange(i, len(xs)).Draw(t, "j")
			a, b, cc := xs[:i], xs[i:j], xs[j:]
			left := merge(merge(feed(a), feed(b)), feed(cc))
			right := merge(feed(a), merge(feed(b), feed(cc)))
			if diff := cmp.Diff(c.result(left), c.result(right), moneyEqual); diff != "" {
				t.Fatalf("(a+b)+c differs from a+(b+c):\n%s", diff)
			}
			ab, ba := merge(feed(a), feed(b)), merge(feed(b), feed(a))
			if diff := cmp.Diff(c.result(ab), c.result(ba), moneyEqual); diff != "" {
				t.Fatalf("a+b differs from b+a:\n%s", diff)
			}

			// Merging into itself equals merging a copy.
			self := feed(xs)
			self = merge(self, self)
			twice := merge(feed(xs), feed(xs))
			if diff := cmp.Diff(c.result(twice), c.result(self), moneyEqual); diff != "" {
				t.Fatalf("x+x differs from x+copy of x:\n%s", diff)
			}
		})
	})
}

func TestMergeLaws(t *testing.T) {
	for _, c := range dealCalcs(t0.Add(200 * day)) {
		checkMergeLaws(t, c)
	}
	for _, c := range recordCalcs() {
		checkMergeLaws(t, c)
	}
	checkMergeLaws(t, activityCalc())
	checkMergeLaws(t, forecastCalc())
}

// checkJSON fails unless v survives JSON: marshal then unmarshal gives an
// equal value.
func checkJSON(t *rapid.T, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	back := reflect.New(reflect.TypeOf(v))
	if err := json.Unmarshal(raw, back.Interface()); err != nil {
		t.Fatalf("unmarshal %T: %v", v, err)
	}
	if diff := cmp.Diff(v, back.Elem().Interface(), moneyEqual); diff != "" {
		t.Fatalf("%T differs after JSON (-before +after):\n%s", v, diff)
	}
}

var rateType = reflect.TypeOf(metrics.Rate{})

// checkRates fails unless every Rate inside v has 0 ≤ Num ≤ Den.
func checkRates(t *rapid.T, v any) {
	var walk func(path string, x reflect.Value)
	walk = func(path string, x reflect.Value) {
		switch {
		case x.Type() == rateType:
			r := x.Interface().(metrics.Rate)
			if r.Num < 0 || r.Num > r.Den {
				t.Fatalf("%s = %d/%d: want 0 ≤ num ≤ den", path, r.Num, r.Den)
			}
		case x.Kind() == reflect.Struct:
			for i := 0; i < x.NumField(); i++ {
				if x.Type().Field(i).IsExported() {
					walk(path+"."+x.Type().Field(i).Name, x.Field(i))
				}
			}
		case x.Kind() == reflect.Slice:
			for i := 0; i < x.Len(); i++ {
				walk(path+"[]", x.Index(i))
			}
		case x.Kind() == reflect.Pointer && !x.IsNil():
			walk(path, x.Elem())
		}
	}
	walk("result", reflect.ValueOf(v))
}

// TestRatesBounded checks Num ≤ Den in every result, for the calculators
// not covered above.
func TestRatesBounded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		checkRates(t, metrics.Rate{Num: 1, Den: 1}) // the walker itself
		vendors := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) metrics.VendorScores {
			return metrics.VendorScores{Vendor: rapid.StringMatching(`v[0-9]`).Draw(t, "vendor"), Scores: map[string]int{
				metrics.WorkflowFit: rapid.IntRange(1, 5).Draw(t, "fit"), "cost": rapid.IntRange(1, 5).Draw(t, "cost"),
			}}
		}), 0, 4).Draw(t, "vendors")
		_, _ = metrics.Score([]metrics.ScoreCriterion{{ID: metrics.WorkflowFit, Weight: decimal.New(3, -1)}, {ID: "cost", Weight: decimal.New(7, -1)}}, vendors)
	})
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
