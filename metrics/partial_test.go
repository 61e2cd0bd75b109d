package metrics_test

import (
	"bytes"
	"encoding"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The partials of the deal calculators and of Forecasts are checked by
// TestMergeLaws (calctest writes, reads and merges the shards of every
// split), Consistency's and References' by their own merge-law tests;
// Retention's here.
func TestRetentionPartials(t *testing.T) {
	opts := metrics.RetentionOptions{From: accord.MakeDate(2025, 1, 1), To: accord.MakeDate(2026, 7, 1), Percentiles: []int{25, 90}}
	calctest.CheckMergeLaws(t, calctest.Of("Retention", genContract("c"), func(*rapid.T) (*metrics.Retention, error) {
		return metrics.NewRetention(opts)
	}, func(r *metrics.Retention, c contract.Contract) error { return r.Add(&c) }))
}

// partial returns the partial of acc after adding deals to it.
func partial(t *testing.T, acc interface {
	Add(*deal.Deal) error
	encoding.BinaryMarshaler
}, deals ...*deal.Deal) []byte {
	t.Helper()
	for _, d := range deals {
		if err := acc.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	data, err := acc.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestPartialRefusesOtherSettings: a partial computed under other settings
// is refused, as Merge refuses an accumulator built otherwise, with an
// error that names the setting and what each side has.
func TestPartialRefusesOtherSettings(t *testing.T) {
	proc := deal.Default()
	variant := variantOf(t, proc, ds)
	d := mkDeal("A", "smb", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 3 * day, ""})
	now := t0.Add(40 * day)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	cal := &accord.Calendar{Location: berlin}
	renamed, err := proc.Derive(deal.Variant{ID: "renamed"})
	if err != nil {
		t.Fatal(err)
	}
	refs := func(opts metrics.ReferenceOptions) []byte {
		r := must(metrics.NewReferences(opts))
		c := genReferenceContract().Example(1)
		if err := r.Add(&c); err != nil {
			t.Fatal(err)
		}
		return must(r.MarshalBinary())
	}
	pe := metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, Location: time.UTC}
	tests := []struct {
		name    string
		data    []byte
		into    encoding.BinaryUnmarshaler
		setting string // the field of the error
		says    string
	}{
		{"another process", partial(t, must(metrics.NewPipeline(variant, metrics.PipelineOptions{})), d),
			must(metrics.NewPipeline(proc, metrics.PipelineOptions{})), "settings.stages[2]", `,account", this pipeline with`},
		{"a calendar", partial(t, must(metrics.NewPipeline(proc, metrics.PipelineOptions{Calendar: cal})), d),
			must(metrics.NewPipeline(proc, metrics.PipelineOptions{})), "settings.calendar", "Europe/Berlin"},
		{"a key", partial(t, must(metrics.NewVelocity(proc, metrics.VelocityOptions{Key: metrics.BySegment})), d),
			must(metrics.NewVelocity(proc, metrics.VelocityOptions{})), "settings.key", `"set", this velocity with "none"`},
		{"another moment", partial(t, must(metrics.NewHealth(proc, metrics.HealthOptions{Now: now})), d),
			must(metrics.NewHealth(proc, metrics.HealthOptions{Now: now.Add(time.Second)})), "settings.now", "2026-02-14T09:00:01Z"},
		{"other idle days", partial(t, must(metrics.NewHygiene(proc, metrics.HygieneOptions{Now: now, IdleDays: 7})), d),
			must(metrics.NewHygiene(proc, metrics.HygieneOptions{Now: now})), "settings.idle_days", `"7", this hygiene with "14"`},
		{"another zone", partial(t, must(metrics.NewPeriodEnd(proc, pe)), d),
			must(metrics.NewPeriodEnd(proc, metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, Location: berlin})), "settings.location", "Europe/Berlin"},
		{"another plan", partial(t, must(metrics.NewPipelineValue(proc, metrics.ValueOptions{})), d),
			must(metrics.NewPipelineValue(proc, metrics.ValueOptions{Plan: accord.Money{Amount: decimal.New(5, 0), Currency: "EUR"}, From: t0, To: now})),
			"settings.plan", `computed with none, this pipeline value with "5 EUR"`},
		{"other teams", partial(t, must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{Teams: map[string]string{"a": "east", "b c": ""}})), d),
			must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{Teams: map[string]string{"a": "east"}})),
			"settings.teams", `computed with "a=east,\"b c\"=\"\"", this consistency with "a=east"`},
		{"another target", partial(t, must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{Target: 80})), d),
			must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{})), "settings.target", `"80", this consistency with "90"`},
		{"another variant", partial(t, must(metrics.NewConsistency(renamed, metrics.ConsistencyOptions{})), d),
			must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{})), "settings.variant", `"renamed", this consistency with "default"`},
		{"references in another zone", refs(metrics.ReferenceOptions{Location: berlin}),
			must(metrics.NewReferences(metrics.ReferenceOptions{})), "settings.location", `"Europe/Berlin`},
		{"another kind", partial(t, must(metrics.NewHealth(proc, metrics.HealthOptions{Now: now})), d),
			must(metrics.NewPipeline(proc, metrics.PipelineOptions{})), "kind", `is "health", not "pipeline": it cannot be read into this pipeline`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.into.UnmarshalBinary(tt.data)
			if !errors.Is(err, accord.ErrInvalid) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("got %v; want an invalid error saying %q", err, tt.says)
			}
			if got := calctest.FieldsOf(err); !slices.Equal(got, []string{tt.setting}) {
				t.Errorf("fields %q; want %q", got, tt.setting)
			}
		})
	}

	// Retention names its period.
	a := must(metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2025, 1, 1), To: accord.MakeDate(2026, 1, 1)}))
	b := must(metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2025, 1, 1), To: accord.MakeDate(2025, 7, 1)}))
	data, _ := a.MarshalBinary()
	if err := b.UnmarshalBinary(data); err == nil || !strings.Contains(err.Error(), `settings.to: the partial was computed with "2026-01-01", this retention with "2025-07-01"`) {
		t.Errorf("retention of another period: %v", err)
	}
}

// TestPartialRefusesBadInput: a damaged or forged partial is refused with
// the path of the first field at fault, and the receiver is unchanged.
func TestPartialRefusesBadInput(t *testing.T) {
	proc := deal.Default()
	good := partial(t, must(metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.BySegment})),
		mkDeal("A", "smb", step{tg, 0, ""}, step{ql, day, ""}, step{ls, 3 * day, deal.LossBudget}),
		mkDeal("B", "ent", step{tg, 0, ""}, step{ho, 9 * day, ""}))
	tests := []struct {
		name  string
		data  []byte
		field string
	}{
		{"nothing", nil, ""},
		{"another format", []byte(`{"v":1}`), ""},
		{"a later version", append([]byte("accm\x02"), good[5:]...), "version"},
		{"cut short", good[:len(good)-3], ""},
		{"bytes after the end", append(slices.Clone(good), 0), "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := must(metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.BySegment}))
			_ = p.Add(mkDeal("C", "mid", step{tg, 0, ""}))
			before := p.Result()
			err := p.UnmarshalBinary(tt.data)
			if !errors.Is(err, accord.ErrInvalid) || len(calctest.FieldsOf(err)) != 1 {
				t.Fatalf("got %v; want one invalid field", err)
			}
			if f := calctest.FieldsOf(err)[0]; tt.field != "" && f != tt.field {
				t.Errorf("field %q; want %q (%v)", f, tt.field, err)
			}
			if after := p.Result(); after.Deals != before.Deals || after.Stages[0].Current != 1 {
				t.Errorf("the pipeline changed on a refused partial: %+v", after)
			}
		})
	}

	// Forged forecasts, byte by byte: header, no settings, then snapshots,
	// rejected and the groups.
	head := "accm\x01\x09forecasts\x00"
	forged := []struct {
		name, data, field, says string
	}{
		{"a length beyond the input", head + "\x00\x00\xff\xff\xff\xff\x0f", "state.groups", "more than the 0 bytes left"},
		{"a count beyond int64", head + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "state.snapshots", "more than an int64"},
		{"an unknown currency", head + "\x01\x00\x01\x02Q1\x03XXX", "state.groups[0].currency", `got "XXX"`},
		{"keys twice", head + "\x02\x00\x02" + "\x02Q1\x03USD\x01" + strings.Repeat("\x00", 18) +
			"\x02Q1\x03USD", "state.groups[1]", "increasing order"},
		{"an exponent out of bounds", head + "\x01\x00\x01\x02Q1\x03USD\x01\x01\x7f\x00\x00\x00\x00", "state.groups[0].forecast.exponent", "between -18 and 30"},
	}
	for _, tt := range forged {
		t.Run(tt.name, func(t *testing.T) {
			var f metrics.Forecasts
			err := f.UnmarshalBinary([]byte(tt.data))
			if got := calctest.FieldsOf(err); !slices.Equal(got, []string{tt.field}) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got %v (fields %q); want %s saying %q", err, got, tt.field, tt.says)
			}
		})
	}

	// Forged consistency and references partials: the header of an empty
	// one (its state is 15 and 10 zero bytes), then a forged state.
	cons := func() *metrics.Consistency {
		c := must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{Teams: map[string]string{"u-1": "east"}}))
		_ = c.Add(mkDeal("A", "smb", step{tg, 0, ""}, step{ql, day, ""}))
		return c
	}
	refs := func() *metrics.References {
		r := must(metrics.NewReferences(metrics.ReferenceOptions{}))
		c := genReferenceContract().Example(2)
		_ = r.Add(&c)
		return r
	}
	consHead := must(must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{Teams: map[string]string{"u-1": "east"}})).MarshalBinary())
	consHead = consHead[:len(consHead)-15]
	refsHead := must(must(metrics.NewReferences(metrics.ReferenceOptions{})).MarshalBinary())
	refsHead = refsHead[:len(refsHead)-10]
	tally := func(counts ...byte) string { return string(counts) } // eight counts, then four drag lengths
	damaged := []struct {
		name string
		into interface {
			encoding.BinaryUnmarshaler
			encoding.BinaryMarshaler
		}
		data, field, says string
	}{
		{"consistency cut short", cons(), func() string { b := must(cons().MarshalBinary()); return string(b[:len(b)-2]) }(),
			"state.groups[2].drag.activity_logged[1].reason", "more than the 8 bytes left can hold"},
		{"consistency overall off the deals", cons(), string(consHead) + "\x02\x00" + tally(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) + "\x00",
			"state.overall.deals", "is 1, not deals (2)"},
		{"consistency drag beyond the failures", cons(), string(consHead) + "\x01\x00" + tally(1, 1, 0, 0, 0, 0, 0, 0) + "\x01\x07history\x01\x00\x00\x00\x00",
			"state.overall.drag.through_process[0].count", "more than the 0 that failed"},
		{"consistency fields missing without a reason", cons(), string(consHead) + "\x01\x00" + tally(1, 1, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0) + "\x00",
			"state.overall.drag.required_fields", "the counts add up to 0, not fields - filled (1)"},
		{"consistency of an unknown group", cons(), string(consHead) + "\x01\x00" + tally(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) + "\x01\x04boss\x01a",
			"state.groups[0].group", `got "boss"`},
		{"consistency groups off the deals", cons(), string(consHead) + "\x01\x00" + tally(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) + "\x00",
			"state.groups", "the deals of the rep groups add up to 0, not overall.deals (1)"},
		{"references cut short", refs(), string(refsHead) + "\x01", "", "cut short"},
		{"references of an unknown kind", refs(), string(refsHead) + "\x01\x00\x01\x00\x01\x05tweet\x01",
			"state.by_kind[0].kind", `got "tweet"`},
		{"references of a bad cohort", refs(), string(refsHead) + "\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01\x072026-Q5\x01\x00\x00",
			"state.cohorts[0].cohort", `got "2026-Q5"`},
		{"references with referrals unaccounted", refs(), string(refsHead) + "\x01\x00\x01\x00\x01\x08referral\x02\x01\x00\x00\x00\x00",
			"state.from_ambassadors", "add up to 1, not by_kind[referral] (2)"},
		{"references with customers in no cohort", refs(), string(refsHead) + "\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x072026-Q1\x01\x00\x00",
			"state.cohorts", "the customers of the cohorts add up to 1, not customers (2)"},
	}
	for _, tt := range damaged {
		t.Run(tt.name, func(t *testing.T) {
			before := must(tt.into.MarshalBinary())
			err := tt.into.UnmarshalBinary([]byte(tt.data))
			got := calctest.FieldsOf(err)
			if !errors.Is(err, accord.ErrInvalid) || len(got) != 1 || tt.field != "" && got[0] != tt.field || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("got %v (fields %q); want %s saying %q", err, got, tt.field, tt.says)
			}
			if after := must(tt.into.MarshalBinary()); !bytes.Equal(before, after) {
				t.Errorf("a refused partial changed the accumulator")
			}
		})
	}

	var unbuilt metrics.Pipeline
	if err := unbuilt.UnmarshalBinary(good); err == nil || !strings.Contains(err.Error(), "NewPipeline") {
		t.Errorf("reading into an unbuilt pipeline: %v", err)
	}
	if _, err := unbuilt.MarshalBinary(); err == nil {
		t.Error("an unbuilt pipeline wrote a partial")
	}
}

// partialKinds lists every accumulator of the package that has a partial,
// built as the fuzz target reads them, each with its Result and Merge.
func partialKinds() []func() (calctest.Partial, func() any, func(calctest.Partial) error) {
	proc := deal.Default()
	now := t0.Add(200 * day)
	cal := &accord.Calendar{Holidays: []accord.Date{accord.MakeDate(2026, 1, 1)}}
	return []func() (calctest.Partial, func() any, func(calctest.Partial) error){
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			p := must(metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.ByOwner, Calendar: cal, Percentiles: []int{0, 90, 100}}))
			return p, func() any { return p.Result() }, func(o calctest.Partial) error { return p.Merge(o.(*metrics.Pipeline)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			v := must(metrics.NewPipelineValue(proc, metrics.ValueOptions{Plan: accord.Money{Amount: decimal.New(500000, 0), Currency: "USD"}, From: t0, To: t0.Add(300 * day)}))
			return v, func() any { return v.Result() }, func(o calctest.Partial) error { return v.Merge(o.(*metrics.PipelineValue)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			v := must(metrics.NewVelocity(proc, metrics.VelocityOptions{Key: metrics.BySegment}))
			return v, func() any { return v.Result() }, func(o calctest.Partial) error { return v.Merge(o.(*metrics.Velocity)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			h := must(metrics.NewHealth(proc, metrics.HealthOptions{Now: now}))
			return h, func() any { return h.Result() }, func(o calctest.Partial) error { return h.Merge(o.(*metrics.Health)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			h := must(metrics.NewHygiene(proc, metrics.HygieneOptions{Now: now}))
			return h, func() any { return h.Result() }, func(o calctest.Partial) error { return h.Merge(o.(*metrics.Hygiene)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			c := must(metrics.NewPeriodEnd(proc, metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, FiscalYearStart: time.February, Location: time.UTC}))
			return c, func() any { return c.Result() }, func(o calctest.Partial) error { return c.Merge(o.(*metrics.PeriodEnd)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			f := &metrics.Forecasts{}
			return f, func() any { return f.Result() }, func(o calctest.Partial) error { return f.Merge(o.(*metrics.Forecasts)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			r := must(metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2025, 1, 1), To: accord.MakeDate(2026, 7, 1), Percentiles: []int{25, 90}}))
			return r, func() any { return r.Result() }, func(o calctest.Partial) error { return r.Merge(o.(*metrics.Retention)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			c := must(metrics.NewConsistency(proc, metrics.ConsistencyOptions{Teams: map[string]string{"u-1": "east", "u-2": "west"}}))
			return c, func() any { return c.Result() }, func(o calctest.Partial) error { return c.Merge(o.(*metrics.Consistency)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			r := must(metrics.NewReferences(metrics.ReferenceOptions{}))
			return r, func() any { return r.Result() }, func(o calctest.Partial) error { return r.Merge(o.(*metrics.References)) }
		},
	}
}

// FuzzPartials reads any bytes as a partial of every kind: never a panic,
// an error naming a field, or a partial that writes back and merges.
func FuzzPartials(f *testing.F) {
	kinds := partialKinds()
	var seeds [][]byte
	deals := rapid.SliceOfN(genHistoryDeal(), 20, 20).Example(1)
	contracts := rapid.SliceOfN(genContract("c"), 6, 6).Example(1)
	referencing := rapid.SliceOfN(genReferenceContract(), 12, 12).Example(1)
	for i, build := range kinds {
		p, _, _ := build()
		switch a := p.(type) {
		case interface{ Add(*deal.Deal) error }:
			for _, d := range deals {
				_ = a.Add(d)
			}
		case *metrics.Forecasts:
			_ = a.Add(metrics.Snapshot{Key: "Q1", Forecast: accord.Money{Amount: decimal.New(12345, -2), Currency: "USD"}, Actual: accord.Money{Amount: decimal.New(99, 0), Currency: "USD"}})
		case *metrics.Retention:
			for i := range contracts {
				_ = a.Add(&contracts[i])
			}
		case *metrics.References:
			for i := range referencing {
				_ = a.Add(&referencing[i])
			}
		}
		data, err := p.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, append([]byte{byte(i)}, data...))
	}
	calctest.FuzzPartials(f, kinds, seeds)
}
