package contract

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// ChangeRequest is a request to change what the contract delivers.
type ChangeRequest struct {
	// ID is unique within the contract.
	ID string `json:"id"`
	// Category is the kind of work asked for, such as integration; a
	// category the contract does not cover is scope creep.
	Category scope.Activity `json:"category"`
	// Deliverable, when set, is the deliverable the request changes; one
	// the contract does not cover is scope creep too.
	Deliverable string `json:"deliverable,omitempty"`
	Summary     string `json:"summary"`
	// Hours is the estimated effort, if known.
	Hours decimal.Decimal `json:"hours"`
	By    accord.Actor    `json:"by"`
	At    time.Time       `json:"at"`
}

// Usage is some use of an entitlement, such as 2.5 hours of support on a
// day.
type Usage struct {
	// ID is unique within the contract.
	ID string `json:"id"`
	// Entitlement is the name of a contracted entitlement.
	Entitlement string          `json:"entitlement"`
	Day         accord.Date     `json:"day"`
	Quantity    decimal.Decimal `json:"quantity"`
	Note        string          `json:"note,omitempty"`
	By          accord.Actor    `json:"by"`
	At          time.Time       `json:"at"`
}

// The entitlement periods a contract can measure, as written in
// [scope.Entitlement.Per]; "" and "term" mean the whole term.
var periods = []string{"", "term", "day", "week", "month", "quarter", "year"}

// maxQuantity bounds the quantities recorded, so that sums stay exact and
// cheap.
var maxQuantity = decimal.New(1, 12)

func checkQuantity(field string, q decimal.Decimal, positive bool) error {
	// The exponent is checked before anything formats or compares q:
	// either would build a billion-digit integer for 0e1000000000.
	switch {
	case q.Exponent() < -6:
		return accord.Invalid(field, "must have at most 6 decimal places")
	case q.Exponent() > 12:
		return accord.Invalid(field, "must be at most %s, written with an exponent of at most 12", maxQuantity)
	case q.Sign() < 0:
		return accord.Invalid(field, "must not be negative")
	case positive && q.Sign() == 0:
		return accord.Invalid(field, "must be positive")
	case q.Cmp(maxQuantity) > 0:
		return accord.Invalid(field, "must be at most %s", maxQuantity)
	}
	return nil
}

// checkID refuses an empty ID, and one taken by a record the contract
// already holds.
func checkID(field, id string, taken bool) error {
	switch {
	case id == "":
		return accord.Invalid(field, "is required")
	case taken:
		return accord.Invalid(field, "must be unique: %q is already recorded", id)
	}
	return nil
}

// RecordChange records a change request. Its ID, category and summary are
// required; the hours, when given, are not negative. A request outside the
// contracted scope is recorded like any other: [Contract.Drift] reports it.
func (c *Contract) RecordChange(cr ChangeRequest, by accord.Actor, at time.Time) error {
	problems := []error{checkID("change_request.id", cr.ID, c != nil && slices.ContainsFunc(c.ChangeRequests, func(o ChangeRequest) bool { return o.ID == cr.ID }))}
	if strings.TrimSpace(string(cr.Category)) == "" {
		problems = append(problems, accord.Invalid("change_request.category", "is required"))
	}
	if strings.TrimSpace(cr.Summary) == "" {
		problems = append(problems, accord.Invalid("change_request.summary", "is required"))
	}
	problems = append(problems, checkQuantity("change_request.hours", cr.Hours, false))
	cr.By, cr.At = by, at
	return c.keep("record change request", "may not record change requests", problems, Event{Kind: EventChangeRequest, Ref: cr.ID, By: by, At: at}, func() {
		c.ChangeRequests = append(c.ChangeRequests, cr)
	})
}

// RecordUsage records use of a contracted entitlement. The entitlement must
// be one of the contract's, the day a real day, the quantity positive.
func (c *Contract) RecordUsage(u Usage, by accord.Actor, at time.Time) error {
	problems := []error{checkID("usage.id", u.ID, c != nil && slices.ContainsFunc(c.Usage, func(o Usage) bool { return o.ID == u.ID }))}
	if c != nil && !slices.ContainsFunc(c.Scope.Entitlements, func(e scope.Entitlement) bool { return e.Name == u.Entitlement }) {
		problems = append(problems, accord.Invalid("usage.entitlement", "must be a contracted entitlement; %q is not one", u.Entitlement))
	}
	if !u.Day.Valid() {
		problems = append(problems, accord.Invalid("usage.day", "must be a real day"))
	}
	problems = append(problems, checkQuantity("usage.quantity", u.Quantity, true))
	u.By, u.At = by, at
	return c.keep("record usage", "may not record usage", problems, Event{Kind: EventUsage, Ref: u.ID, By: by, At: at}, func() {
		c.Usage = append(c.Usage, u)
	})
}

// keep records what add appends to the contract, and ev, the event that
// refers to the record, once problems hold no error and ev.By, a manager,
// may record it at ev.At (see [Contract.precheck], which names action and
// refusal).
func (c *Contract) keep(action, refusal string, problems []error, ev Event, add func()) error {
	if err := c.precheck(action, ev.By, ev.At, manager, refusal, problems...); err != nil {
		return err
	}
	add()
	c.record(ev)
	return nil
}

// Drift reports how the relationship has drifted from what was contracted.
type Drift struct {
	// Creep lists the change requests outside the contracted scope: their
	// category is not a contracted category, or they change a deliverable
	// that was not contracted.
	Creep []ChangeRequest `json:"creep"`
	// Entitlements reports the use of each entitlement in the current
	// term, in the order of the contract's entitlements.
	Entitlements []EntitlementUse `json:"entitlements"`
}

// EntitlementUse is the use of one entitlement in the current term, up to
// a day.
type EntitlementUse struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
	Per  string `json:"per"`
	// Included is the quantity included per period.
	Included decimal.Decimal `json:"included"`
	// Periods counts the periods of the term begun by the day, and
	// IncludedToDate is Included times Periods.
	Periods        int             `json:"periods"`
	IncludedToDate decimal.Decimal `json:"included_to_date"`
	// Used is the quantity used in the current term up to the day.
	Used decimal.Decimal `json:"used"`
	// Over lists the periods in which more was used than included.
	Over []PeriodUse `json:"over"`
}

// PeriodUse is the use of an entitlement in one period.
type PeriodUse struct {
	From     accord.Date     `json:"from"`
	To       accord.Date     `json:"to"`
	Used     decimal.Decimal `json:"used"`
	Included decimal.Decimal `json:"included"`
}

// Drift reports the change requests outside the contracted scope and the use
// of each entitlement against what is included, in the term in force on the
// day of now (in now's location) up to that day: after an early renewal,
// that is still the term that is running, not the one renewed. Use recorded
// for days outside that term, or after that day, is not counted. Periods follow the
// term: weeks count from its first day, months, quarters and years from
// its anniversaries (see [Contract.Since]). An entitlement whose period the
// contract cannot measure counts the whole term as one period.
func (c *Contract) Drift(now time.Time) Drift {
	var d Drift
	if c == nil {
		return d
	}
	for _, cr := range c.ChangeRequests {
		if !slices.Contains(c.Scope.Categories, cr.Category) ||
			(cr.Deliverable != "" && !slices.Contains(c.Scope.Deliverables, cr.Deliverable)) {
			d.Creep = append(d.Creep, cr)
		}
	}
	today := accord.DateOf(now)
	for _, e := range c.Scope.Entitlements {
		d.Entitlements = append(d.Entitlements, c.entitlementUse(e, today))
	}
	return d
}

func (c *Contract) entitlementUse(e scope.Entitlement, today accord.Date) EntitlementUse {
	u := EntitlementUse{Name: e.Name, Unit: e.Unit, Per: e.Per, Included: e.Quantity, Used: decimal.Zero, IncludedToDate: decimal.Zero}
	term, _ := c.termAt(today)
	last := term.End
	if today.Before(last) {
		last = today
	}
	if last.Before(term.Start) {
		return u
	}
	p := c.periodsOf(term, e.Per)
	u.Periods = p.index(last) + 1
	u.IncludedToDate = e.Quantity.Mul(decimal.NewFromInt(int64(u.Periods)))
	used := map[int]decimal.Decimal{}
	for _, x := range c.Usage {
		if x.Entitlement != e.Name || x.Day.Before(term.Start) || x.Day.After(last) {
			continue
		}
		i := p.index(x.Day)
		used[i] = used[i].Add(x.Quantity)
		u.Used = u.Used.Add(x.Quantity)
	}
	idx := make([]int, 0, len(used))
	for i := range used {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	for _, i := range idx {
		if used[i].Cmp(e.Quantity) > 0 {
			from, to := p.bounds(i)
			u.Over = append(u.Over, PeriodUse{From: from, To: to, Used: used[i], Included: e.Quantity})
		}
	}
	return u
}

// periodsOf returns the periods of term t for per.
func (c *Contract) periodsOf(t Term, per string) periodic {
	p := periodic{since: c.Since, term: t, served: c.monthsBefore(t)}
	switch per {
	case "day":
		p.days = 1
	case "week":
		p.days = 7
	case "month":
		p.months = 1
	case "quarter":
		p.months = 3
	case "year":
		p.months = 12
	}
	return p
}

// periodic cuts a term into periods of days days or months months; neither
// means one period, the whole term. Months count from the anniversaries of
// since, the term starting served months after it.
type periodic struct {
	since  accord.Date
	term   Term
	served int
	days   int
	months int
}

// index returns the period of the term that day falls in, from 0.
func (p periodic) index(day accord.Date) int {
	t := p.term
	switch {
	case p.days > 0:
		return t.Start.DaysUntil(day) / p.days
	case p.months > 0:
		k := ((day.Year-t.Start.Year)*12 + int(day.Month) - int(t.Start.Month)) / p.months
		// The anniversary day may fall after day in its month.
		for k > 0 && day.Before(p.since.AddMonths(p.served+k*p.months)) {
			k--
		}
		return k
	}
	return 0
}

// bounds returns the first and last day of period i, within the term.
func (p periodic) bounds(i int) (accord.Date, accord.Date) {
	t := p.term
	var from, next accord.Date
	switch {
	case p.days > 0:
		from, next = t.Start.AddDays(i*p.days), t.Start.AddDays((i+1)*p.days)
	case p.months > 0:
		from, next = p.since.AddMonths(p.served+i*p.months), p.since.AddMonths(p.served+(i+1)*p.months)
	default:
		return t.Start, t.End
	}
	to := next.AddDays(-1)
	if to.After(t.End) {
		to = t.End
	}
	return from, to
}

// checkEntitlements reports entitlements whose period a contract cannot
// measure or whose quantity is out of range.
func checkEntitlements(prefix string, es []scope.Entitlement) []error {
	var errs []error
	for i, e := range es {
		field := fmt.Sprintf("%s[%d]", prefix, i)
		if !slices.Contains(periods, e.Per) {
			errs = append(errs, accord.Invalid(field+".per", "must be one of %q; got %q", periods[1:], e.Per))
		}
		if err := checkQuantity(field+".quantity", e.Quantity, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
