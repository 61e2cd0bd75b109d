package metrics

import (
	"errors"
	"strconv"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
	"github.com/accordhq/accord/metrics/internal/zone"
)

// PeriodEndOptions configures a [PeriodEnd].
type PeriodEndOptions struct {
	// Period is the length of the periods: accord.PeriodMonth,
	// PeriodQuarter or PeriodYear.
	Period accord.Period
	// Days is N: a win counts as clustered when it falls in the last N
	// calendar days of its period. At least 1.
	Days int
	// FiscalYearStart is the first month of the fiscal year, which sets
	// where quarters and years begin; 0 means January.
	FiscalYearStart time.Month
	// Location is where the days and periods are reckoned. Required.
	Location *time.Location
}

// PeriodEnd accumulates period-end clustering: the share of wins closed in
// the last N days of their period, the fingerprint of quota pressure. With
// wins spread evenly, the share is about N over the period's length in days;
// far above that, deals are being pulled in to make the number.
//
// A deal is a win when its history ends at or past the Closed Won stage and
// not lost; it closed at its last move into the won stages. That moment is
// read as a day in Location, and the win is clustered when the day is in
// the last N days of its period ([accord.Period.InLast]): for a quarter
// ending 31 March and N = 14, from 18 March to 31 March. Not safe for
// concurrent use; merge one per goroutine.
type PeriodEnd struct {
	base
	opts PeriodEndOptions
	wins int64
	late int64
}

// NewPeriodEnd returns an empty PeriodEnd for deals of process p.
func NewPeriodEnd(p *deal.Process, opts PeriodEndOptions) (*PeriodEnd, error) {
	b, err := newBase(p)
	errs := []error{err}
	if !opts.Period.Valid() {
		errs = append(errs, invalidf("period", "must be month, quarter or year; got %q", opts.Period))
	}
	if opts.Days < 1 || opts.Days > 366 {
		errs = append(errs, invalidf("days", "must be between 1 and 366; got %d", opts.Days))
	}
	if opts.FiscalYearStart < 0 || opts.FiscalYearStart > time.December {
		errs = append(errs, invalidf("fiscal_year_start", "must be a month, 1 to 12, or 0 for January; got %d", opts.FiscalYearStart))
	}
	if opts.Location == nil {
		errs = append(errs, invalidf("location", "is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.FiscalYearStart == 0 {
		opts.FiscalYearStart = time.January
	}
	return &PeriodEnd{base: b, opts: opts}, nil
}

func (c *PeriodEnd) built() error { return builtCalc(c, "period_end", "NewPeriodEnd") }

// Add accumulates one deal. A deal with an unusable history (see
// [Pipeline.Add]) is refused with an error and counted as rejected.
func (c *PeriodEnd) Add(d *deal.Deal) error {
	rd, err := readDeal(c, d, false)
	if err != nil {
		return err
	}
	if !rd.Won() {
		return nil
	}
	c.wins++
	if opts := &c.opts; opts.Period.InLast(accord.DateOf(rd.WonAt.In(opts.Location)), opts.Days, opts.FiscalYearStart) {
		c.late++
	}
	return nil
}

// Merge adds the deals accumulated by o, built for the same process and
// options.
func (c *PeriodEnd) Merge(o *PeriodEnd) error {
	if err := mergeable(c, o, "period end"); err != nil {
		return err
	}
	if c.opts.Period != o.opts.Period || c.opts.Days != o.opts.Days || c.opts.FiscalYearStart != o.opts.FiscalYearStart ||
		!zone.Same(c.opts.Location, o.opts.Location) {
		return invalidf("other", "was built with different options")
	}
	c.addCounts(&o.base)
	c.wins += o.wins
	c.late += o.late
	return nil
}

// PeriodEndResult holds the figures of a [PeriodEnd].
type PeriodEndResult struct {
	Deals    int64 `json:"deals"`
	Rejected int64 `json:"rejected"`
	// Clustering is the share of wins closed in the last Days days of
	// their period.
	Clustering Rate `json:"clustering"`
}

// Result returns the figures accumulated so far.
func (c *PeriodEnd) Result() PeriodEndResult {
	if c.built() != nil {
		return PeriodEndResult{}
	}
	return PeriodEndResult{Deals: c.deals, Rejected: c.rejected, Clustering: Rate{Num: c.late, Den: c.wins}}
}

// MarshalBinary returns c's partial, for [PeriodEnd.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (c *PeriodEnd) MarshalBinary() ([]byte, error) { return c.AppendBinary(nil) }

// AppendBinary appends c's partial to b, as [PeriodEnd.MarshalBinary].
func (c *PeriodEnd) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(c, b, "period_end")
}

// UnmarshalBinary replaces c's state with the partial in data, computed
// for the same process, period, days, fiscal year and location. c must be
// built with [NewPeriodEnd]; on error it is left unchanged.
func (c *PeriodEnd) UnmarshalBinary(data []byte) error {
	return readPartial(c, data, "period_end", "this period end", func() (*PeriodEnd, error) { return NewPeriodEnd(c.proc, c.opts) })
}

func (c *PeriodEnd) settings() []wire.Setting {
	return c.base.settings(
		wire.Setting{Name: "period", Value: string(c.opts.Period)},
		wire.Setting{Name: "days", Value: strconv.Itoa(c.opts.Days)},
		wire.Setting{Name: "fiscal_year_start", Value: strconv.Itoa(int(c.opts.FiscalYearStart))},
		wire.Setting{Name: "location", Value: zone.Describe(c.opts.Location)})
}

func (c *PeriodEnd) state(w *wire.Codec) {
	c.base.state(w)
	w.Uint("wins", &c.wins)
	w.Uint("late", &c.late)
	atMost(w, "wins", "deals", c.deals, c.wins)
	atMost(w, "late", "wins", c.wins, c.late)
}
