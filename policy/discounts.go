package policy

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// Blackout says when a discount is a period-end (panic) discount: when it is
// offered in the last MonthDays days of a calendar month, the last
// QuarterDays days of a fiscal quarter, or the last YearDays days of a fiscal
// year. The last day of a period counts as its last 1 day; 0 days turns the
// check of that period off.
//
// Days are calendar days in Location (UTC when nil): a discount offered at
// 23:30 in Kolkata on 31 March is offered on 31 March, whatever the time in
// UTC. The fiscal year starts on the first day of FiscalYearStart (January
// when 0), and its quarters start every three months from it.
type Blackout struct {
	// MonthDays is at most 27, QuarterDays at most 88 and YearDays at most
	// 364, so that every period keeps days without a blackout.
	MonthDays, QuarterDays, YearDays int
	FiscalYearStart                  time.Month
	Location                         *time.Location
}

// DefaultBlackout returns the last 5 days of a month, 10 of a quarter and 15
// of a fiscal year starting in January, in UTC.
func DefaultBlackout() Blackout {
	return Blackout{MonthDays: 5, QuarterDays: 10, YearDays: 15, FiscalYearStart: time.January}
}

// NoPanicDiscounts returns the policy that discounts are not used to pull a
// deal into a period, and always buy something:
//   - a discount offered within the blackout b of a period's end violates
//     it;
//   - so does a discount that names no concession from deal.Concessions
//     (a multi-year term, a reference, a faster signature, expanded scope),
//     and a multi-year concession on a deal whose term is under 24 months.
//
// It checks the subject's proposed Discount and every discount on the deal's
// quote.
func NoPanicDiscounts(b Blackout) Policy { return noPanicDiscounts{b: b} }

type noPanicDiscounts struct{ b Blackout }

func (noPanicDiscounts) ID() string { return IDNoPanicDiscounts }
func (noPanicDiscounts) Description() string {
	return "No discounts in the last days of a month, quarter or fiscal year, and none that buys nothing."
}

type blackoutParams struct {
	MonthDays       int    `json:"month_days"`
	QuarterDays     int    `json:"quarter_days"`
	YearDays        int    `json:"year_days"`
	FiscalYearStart int    `json:"fiscal_year_start"`
	TimeZone        string `json:"time_zone"`
}

func (p noPanicDiscounts) Params() any {
	fs := p.b.FiscalYearStart
	if fs == 0 {
		fs = time.January
	}
	return blackoutParams{p.b.MonthDays, p.b.QuarterDays, p.b.YearDays, int(fs), zoneName(p.b.Location)}
}

var _ Validator = noPanicDiscounts{}

// Validate reports days out of range and a fiscal year start that is not a
// month.
func (p noPanicDiscounts) Validate() error { return p.b.validate() }

func (b Blackout) validate() error {
	var errs []error
	check := func(field string, n, most int) {
		if n < 0 || n > most {
			errs = append(errs, accord.Invalid(field, "must be between 0 and %d days; got %d", most, n))
		}
	}
	check("month_days", b.MonthDays, 27)
	check("quarter_days", b.QuarterDays, 88)
	check("year_days", b.YearDays, 364)
	if b.FiscalYearStart < 0 || b.FiscalYearStart > 12 {
		errs = append(errs, accord.Invalid("fiscal_year_start", "must be a month, 1 to 12; got %d", int(b.FiscalYearStart)))
	}
	return errors.Join(errs...)
}

func (p noPanicDiscounts) Check(s Subject, _ time.Time) []Violation {
	var out []Violation
	if s.Discount != nil {
		out = p.discount(out, s, -1, s.Discount)
	}
	if s.Deal != nil {
		for i := range s.Deal.Quote.Discounts {
			out = p.discount(out, s, i, &s.Deal.Quote.Discounts[i])
		}
	}
	return out
}

// discount checks one discount: the subject's own when i is -1, else the
// deal's i-th. Its path is built only for a violation, so that a check that
// passes allocates nothing.
func (p noPanicDiscounts) discount(out []Violation, s Subject, i int, d *deal.Discount) []Violation {
	path := func() string {
		if i < 0 {
			return "discount"
		}
		return fmt.Sprintf("deal.quote.discounts[%d]", i)
	}
	if d.OfferedAt.IsZero() {
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".offered_at", "the discount has no offer date; record when it was offered"))
	} else if w, ok := p.b.In(d.OfferedAt); ok {
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".offered_at", "the discount was offered on %s, %s; no discounts in the last days of a period", w.Day, w))
	}
	switch c := d.Concession; {
	case c == "":
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".concession", "the discount buys nothing; name the concession it buys: multi_year_term, reference, faster_signature or expanded_scope"))
	case !c.Valid():
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".concession", "%q is not a concession; name multi_year_term, reference, faster_signature or expanded_scope", c))
	case c == deal.ConcessionMultiYear && s.Deal != nil && s.Deal.Commercials.TermMonths < 24:
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".concession", "the discount buys a multi-year term, but the deal's term is %d months; a multi-year term is 24 months or more", s.Deal.Commercials.TermMonths))
	}
	return out
}

// Window is a blackout a day falls in: the last Days days of the Period
// ("month", "quarter" or "fiscal year") ending on End.
type Window struct {
	Day    accord.Date
	Period string
	End    accord.Date
	Days   int
}

// String describes w, as "in the last 10 days of the quarter ending
// 2027-03-31", or "the last day of the month" for a one-day blackout.
func (w Window) String() string {
	if w.Days == 1 {
		return fmt.Sprintf("the last day of the %s", w.Period)
	}
	return fmt.Sprintf("in the last %d days of the %s ending %s", w.Days, w.Period, w.End)
}

// In reports whether instant t, read as a day in b's location, falls in one
// of b's blackouts, and which: the fiscal year's when it falls in several,
// then the quarter's, then the month's.
func (b Blackout) In(t time.Time) (Window, bool) {
	day := accord.DateOf(t.In(zone(b.Location)))
	if w, ok := b.last(day, accord.PeriodYear, "fiscal year", b.YearDays); ok {
		return w, true
	}
	if w, ok := b.last(day, accord.PeriodQuarter, "quarter", b.QuarterDays); ok {
		return w, true
	}
	return b.last(day, accord.PeriodMonth, "month", b.MonthDays)
}

// last returns the blackout of the last days days of period p, named
// name, when day falls in it.
func (b Blackout) last(day accord.Date, p accord.Period, name string, days int) (Window, bool) {
	if !p.InLast(day, days, b.FiscalYearStart) {
		return Window{}, false
	}
	_, end := p.Of(day, b.FiscalYearStart)
	return Window{day, name, end, days}, true
}
