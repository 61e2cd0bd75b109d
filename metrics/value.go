package metrics

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
	"github.com/shopspring/decimal"
)

// ValueOptions configures a [PipelineValue].
type ValueOptions struct {
	// Plan, when set, is the revenue plan for the period from From
	// (inclusive) to To (exclusive); the result's Coverage then compares
	// with it the value of the deals in the pipeline expected to close in
	// the period.
	Plan     accord.Money
	From, To time.Time
}

// PipelineValue accumulates the value of the pipeline: per currency, the
// value of the deals in the pipeline and the weighted pipeline (each deal's
// value times the win probability of its current stage), and optionally
// the coverage of a revenue plan. Amounts are never added across currencies.
//
// A deal is in the pipeline when its history ends in an open stage before
// the Closed Won stage. Deals without a value are counted as unvalued.
// Its memory grows with the number of currencies only. Not safe for
// concurrent use; merge one per goroutine.
type PipelineValue struct {
	base
	opts     ValueOptions
	unvalued int64
	byCur    map[accord.Currency]*valueSums
	cover    amountSum
	covered  int64 // deals counted in cover
	other    int64 // deals expected in the period in another currency
}

type valueSums struct {
	deals   int64
	byStage []amountSum // value of the deals in each pre-won stage
}

// NewPipelineValue returns an empty PipelineValue for deals of process p.
func NewPipelineValue(p *deal.Process, opts ValueOptions) (*PipelineValue, error) {
	b, err := newBase(p)
	errs := []error{err}
	if opts.Plan.IsSet() || !opts.Plan.IsZero() {
		errs = append(errs, opts.Plan.Validate("plan"))
		if opts.Plan.Amount.IsNegative() {
			errs = append(errs, invalidf("plan.amount", "must not be negative"))
		}
		if opts.From.IsZero() {
			errs = append(errs, invalidf("from", "is required with a plan"))
		}
		if opts.To.IsZero() {
			errs = append(errs, invalidf("to", "is required with a plan"))
		} else if !opts.To.After(opts.From) {
			errs = append(errs, invalidf("to", "must be after from"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &PipelineValue{base: b, opts: opts, byCur: map[accord.Currency]*valueSums{}}, nil
}

func (v *PipelineValue) built() error { return builtCalc(v, "pipeline_value", "NewPipelineValue") }

// Add accumulates one deal. A deal with an unusable history (see
// [Pipeline.Add]) or an invalid value is refused with an error and counted
// as rejected.
func (v *PipelineValue) Add(d *deal.Deal) error {
	rd, err := readDeal(v, d, true)
	if err != nil {
		return err
	}
	if !inPipeline(rd) {
		return nil
	}
	if !d.Value.IsSet() {
		v.unvalued++
		return nil
	}
	s := v.byCur[d.Value.Currency]
	if s == nil {
		s = &valueSums{byStage: make([]amountSum, v.closedWon)}
		v.byCur[d.Value.Currency] = s
	}
	s.deals++
	s.byStage[rd.Current().Index].add(d.Value.Amount)
	if v.opts.Plan.IsSet() && !d.CloseDate.Before(v.opts.From) && d.CloseDate.Before(v.opts.To) {
		if d.Value.Currency == v.opts.Plan.Currency {
			v.cover.add(d.Value.Amount)
			v.covered++
		} else {
			v.other++
		}
	}
	return nil
}

// Merge adds the deals accumulated by o, built for the same process and
// plan.
func (v *PipelineValue) Merge(o *PipelineValue) error {
	if err := mergeable(v, o, "pipeline value"); err != nil {
		return err
	}
	if !v.opts.Plan.Equal(o.opts.Plan) || !v.opts.From.Equal(o.opts.From) || !v.opts.To.Equal(o.opts.To) {
		return invalidf("other", "was built for a different plan")
	}
	v.addCounts(&o.base)
	v.unvalued += o.unvalued
	v.covered += o.covered
	v.other += o.other
	v.cover.merge(&o.cover)
	for c, os := range o.byCur {
		s := v.byCur[c]
		if s == nil {
			s = &valueSums{byStage: make([]amountSum, v.closedWon)}
			v.byCur[c] = s
		}
		if s == os {
			continue // merging into itself: handled below
		}
		s.deals += os.deals
		for i := range s.byStage {
			s.byStage[i].merge(&os.byStage[i])
		}
	}
	if v == o {
		for _, s := range v.byCur {
			s.deals *= 2
			for i := range s.byStage {
				s.byStage[i].merge(&s.byStage[i])
			}
		}
	}
	return nil
}

// ValueResult holds the figures of a [PipelineValue].
type ValueResult struct {
	// Deals counts the deals added; Rejected those refused; Unvalued the
	// deals in the pipeline without a value.
	Deals    int64 `json:"deals"`
	Rejected int64 `json:"rejected"`
	Unvalued int64 `json:"unvalued"`
	// ByCurrency has one row per currency of the deals in the pipeline, by
	// currency code.
	ByCurrency []CurrencyValue `json:"by_currency"`
	// Coverage compares the pipeline with the plan; nil without a plan.
	Coverage *Coverage `json:"coverage,omitempty"`
}

// CurrencyValue is the pipeline in one currency.
type CurrencyValue struct {
	Currency accord.Currency `json:"currency"`
	// Deals counts the deals in the pipeline in this currency.
	Deals int64 `json:"deals"`
	// Open is the sum of their values.
	Open accord.Money `json:"open"`
	// Weighted is the sum of each value times the probability of the
	// deal's stage, exactly (not rounded).
	Weighted accord.Money `json:"weighted"`
}

// Coverage is pipeline coverage: the value of the deals in the pipeline
// that are expected to close in the plan's period (close date from From,
// inclusive, to To, exclusive) and are in the plan's currency, over the plan.
// A coverage of 3 means the pipeline is three times the plan.
type Coverage struct {
	Pipeline accord.Money `json:"pipeline"`
	Plan     accord.Money `json:"plan"`
	// Deals counts the deals in Pipeline. OtherCurrency counts the deals
	// expected in the period but valued in another currency, which are left
	// out rather than converted.
	Deals         int64 `json:"deals"`
	OtherCurrency int64 `json:"other_currency"`
}

// Value returns Pipeline/Plan, or false when the plan is zero.
func (c Coverage) Value() (float64, bool) {
	if c.Plan.Amount.IsZero() {
		return 0, false
	}
	return c.Pipeline.Amount.InexactFloat64() / c.Plan.Amount.InexactFloat64(), true
}

// Result returns the figures accumulated so far.
func (v *PipelineValue) Result() ValueResult {
	if v.built() != nil {
		return ValueResult{}
	}
	r := ValueResult{Deals: v.deals, Rejected: v.rejected, Unvalued: v.unvalued}
	for c, s := range v.byCur {
		open, weighted := decimal.Zero, decimal.Zero
		for i := range s.byStage {
			sum := s.byStage[i].value()
			open = open.Add(sum)
			weighted = weighted.Add(sum.Mul(v.stages[i].Probability))
		}
		r.ByCurrency = append(r.ByCurrency, CurrencyValue{
			Currency: c, Deals: s.deals,
			Open:     accord.Money{Amount: open, Currency: c},
			Weighted: accord.Money{Amount: weighted, Currency: c},
		})
	}
	slices.SortFunc(r.ByCurrency, func(a, b CurrencyValue) int { return strings.Compare(string(a.Currency), string(b.Currency)) })
	if v.opts.Plan.IsSet() {
		r.Coverage = &Coverage{
			Pipeline: v.cover.money(v.opts.Plan.Currency), Plan: v.opts.Plan,
			Deals: v.covered, OtherCurrency: v.other,
		}
	}
	return r
}

// dealErr prefixes err with the deal's ID.
func dealErr(d *deal.Deal, err error) error {
	return fmt.Errorf("deal %q: %w", d.ID, err)
}

// MarshalBinary returns v's partial, for [PipelineValue.UnmarshalBinary]
// in another process (see the package documentation, "Partials").
func (v *PipelineValue) MarshalBinary() ([]byte, error) { return v.AppendBinary(nil) }

// AppendBinary appends v's partial to b, as [PipelineValue.MarshalBinary].
func (v *PipelineValue) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(v, b, "pipeline_value")
}

// UnmarshalBinary replaces v's state with the partial in data, computed
// for the same process and plan. v must be built with [NewPipelineValue];
// on error it is left unchanged.
func (v *PipelineValue) UnmarshalBinary(data []byte) error {
	return readPartial(v, data, "pipeline_value", "this pipeline value", func() (*PipelineValue, error) { return NewPipelineValue(v.proc, v.opts) })
}

func (v *PipelineValue) settings() []wire.Setting {
	plan := ""
	if v.opts.Plan.IsSet() || !v.opts.Plan.IsZero() {
		plan = v.opts.Plan.Amount.Rat().RatString() + " " + string(v.opts.Plan.Currency)
	}
	return v.base.settings(
		wire.Setting{Name: "plan", Value: plan},
		wire.Setting{Name: "from", Value: describeTime(v.opts.From)},
		wire.Setting{Name: "to", Value: describeTime(v.opts.To)})
}

func (v *PipelineValue) state(c *wire.Codec) {
	v.base.state(c)
	c.Uint("unvalued", &v.unvalued)
	wire.Map(c, "by_currency", v.byCur, cmp.Compare[accord.Currency],
		func(cur *accord.Currency) { currency(c, "currency", cur, false) },
		func(s *valueSums) {
			c.Uint("deals", &s.deals)
			if c.Reading() {
				s.byStage = make([]amountSum, v.closedWon)
			}
			c.Enter("by_stage", -1)
			c.Fixed(len(s.byStage))
			c.Leave()
			for i := range s.byStage {
				s.byStage[i].state(c, "by_stage", i)
			}
		})
	v.cover.state(c, "cover", -1)
	c.Uint("covered", &v.covered)
	c.Uint("other", &v.other)
	if c.Reading() && c.Err() == nil && !v.opts.Plan.IsSet() && (v.covered != 0 || v.other != 0 || v.cover.has || !v.cover.big.IsZero()) {
		c.Fail("covered", "must be 0 without a plan")
	}
}
