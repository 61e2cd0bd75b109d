package policy

import (
	"fmt"
	"time"
)

// The IDs of the built-in policies.
const (
	IDSingleEdition              = "single_edition"
	IDNoQuotas                   = "no_quotas"
	IDNoPanicDiscounts           = "no_panic_discounts"
	IDPaymentAfterClientApproval = "payment_after_client_approval"
	IDRefundGuarantee            = "refund_guarantee"
	IDClosedWonOnStructure       = "closed_won_on_structure"
	IDLeadResponseSLA            = "lead_response_sla"
)

// DefaultOptions say where the days of [Default]'s policies are read.
type DefaultOptions struct {
	// Location is the time zone days are read in; UTC when nil.
	Location *time.Location
	// FiscalYearStart is the month the fiscal year starts in; January
	// when 0.
	FiscalYearStart time.Month
}

// Default returns every built-in policy with its default parameters: one
// edition (whatever its name), no quotas, no discounts in the last 5 days of
// a month, 10 of a quarter or 15 of a fiscal year ([DefaultBlackout]), no
// payment before the client's approval, refunds granted the day they are
// asked for, Closed Won only on structure, and inbound leads touched within
// 5 minutes. Days are read in opts.Location, and the fiscal year starts in
// opts.FiscalYearStart, which must be a month; a bad one is an error
// naming fiscal_year_start.
func Default(opts DefaultOptions) (*Set, error) {
	loc := opts.Location
	b := DefaultBlackout()
	b.FiscalYearStart = opts.FiscalYearStart
	b.Location = loc
	return NewSet(
		SingleEdition(""),
		NoQuotas(),
		NoPanicDiscounts(b),
		PaymentAfterClientApproval(),
		RefundGuarantee(loc),
		ClosedWonOnStructure(),
		LeadResponseSLA(DefaultResponseMinutes),
	)
}

// isBuiltin reports whether p is one of this package's policies, which
// alone may take the built-in IDs.
func isBuiltin(p Policy) bool {
	switch p.(type) {
	case singleEdition, fixed, noPanicDiscounts, refundGuarantee, leadResponse:
		return true
	}
	return false
}

// zoneOf returns the time zone a built-in policy reads days in, if it has
// one.
func zoneOf(p Policy) (*time.Location, bool) {
	switch p := p.(type) {
	case noPanicDiscounts:
		return zone(p.b.Location), true
	case refundGuarantee:
		return zone(p.loc), true
	}
	return nil, false
}

// writable reports whether loc can be written as data by its name and read
// back as the same zone: it has a name, and a zone named "UTC" is UTC.
func writable(loc *time.Location) error {
	name := loc.String()
	switch {
	case name == "":
		return fmt.Errorf("a time zone without a name cannot be written as data; give it one")
	case name == "Local":
		return fmt.Errorf("the local time zone is another zone on every machine and cannot be written as data; use the zone's own name")
	case name == "UTC":
		for _, t := range []time.Time{time.Date(2001, time.January, 1, 0, 0, 0, 0, time.UTC), time.Date(2001, time.July, 1, 0, 0, 0, 0, time.UTC)} {
			if _, off := t.In(loc).Zone(); off != 0 {
				return fmt.Errorf("a time zone named %q that is not UTC cannot be written as data; give it its own name", name)
			}
		}
	}
	return nil
}

// zone returns loc, or UTC for nil.
func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// zoneName is how a location is written as data.
func zoneName(loc *time.Location) string { return zone(loc).String() }

// fixed is a built-in policy that takes no parameters: [NoQuotas],
// [PaymentAfterClientApproval] and [ClosedWonOnStructure]. Its ID says
// which, and which function checks it.
type fixed struct {
	id, description string
}

func (p fixed) ID() string          { return p.id }
func (p fixed) Description() string { return p.description }
func (fixed) Params() any           { return nil }

func (p fixed) Check(s Subject, _ time.Time) []Violation {
	switch p.id {
	case IDNoQuotas:
		return noQuotas(s)
	case IDPaymentAfterClientApproval:
		return paymentAfterApproval(s)
	case IDClosedWonOnStructure:
		return closedWonOnStructure(s)
	}
	return nil
}
