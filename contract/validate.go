package contract

import (
	"errors"
	"fmt"

	"github.com/accordhq/accord"
)

// Validate checks a contract a host loaded or edited: the fields New sets
// and the facts the methods rely on. Every problem is reported, joined,
// each a *[accord.FieldError] naming its field:
//
//   - an ID, a deal ID, an owner, a vendor and a client name;
//   - known billing, commitment, status and refund basis codes;
//   - a first day, a term whose days agree with it (its start is an
//     anniversary of Since, its renewal date Months later, its end the day
//     before) and a value that is set and not negative;
//   - notice and window days in range, measurable entitlement periods,
//     quantities in range (at most 10^12, at most 6 decimal places);
//   - a refund recorded exactly when the status is refunded;
//   - payments that are valid amounts in the contract's currency, usage on
//     real days, renewals with a known outcome and terms of valid length
//     and value;
//   - consent and references of known kinds, references with a known
//     status.
func (c *Contract) Validate() error {
	if c == nil {
		return accord.Invalid("contract", "is nil")
	}
	// Only problems are kept, so that a valid contract allocates nothing.
	var errs []error
	add := func(more ...error) {
		for _, err := range more {
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	req := func(field, v string) {
		if v == "" {
			add(accord.Invalid(field, "is required"))
		}
	}
	req("id", c.ID)
	req("deal_id", c.DealID)
	req("owner", c.Owner)
	req("vendor.name", c.Vendor.Name)
	req("client.name", c.Client.Name)
	add(
		checkCode("billing", c.Billing, billings),
		checkCode("commitment", c.Commitment, commitments),
		checkCode("status", c.Status, statuses),
		checkCode("refund_terms.basis", c.Refund.Basis, bases))
	if err := checkStart(c.Since); err != nil {
		add(accord.Invalid("since", "%s", err.(*accord.FieldError).Rule))
	} else {
		add(c.checkTerm()...)
	}
	add(checkValue("term.value", c.Term.Value))
	if c.NoticeDays < 0 || c.NoticeDays > 3650 {
		add(accord.Invalid("notice_days", "must be between 0 and 3650; got %d", c.NoticeDays))
	}
	if c.WindowDays < 1 || c.WindowDays > 3650 {
		add(accord.Invalid("window_days", "must be between 1 and 3650; got %d", c.WindowDays))
	} else if c.NoticeDays >= c.WindowDays {
		add(accord.Invalid("notice_days", "must be less than window_days, %d; got %d", c.WindowDays, c.NoticeDays))
	}
	add(checkEntitlements("scope.entitlements", c.Scope.Entitlements)...)
	if (c.Refunded != nil) != (c.Status == StatusRefunded) {
		add(accord.Invalid("refunded", "must be recorded exactly when the status is %s", StatusRefunded))
	}
	for i, u := range c.Usage {
		add(checkQuantity(fmt.Sprintf("usage[%d].quantity", i), u.Quantity, true))
	}
	for i, cr := range c.ChangeRequests {
		add(checkQuantity(fmt.Sprintf("change_requests[%d].hours", i), cr.Hours, false))
	}
	for i, p := range c.Payments {
		field := fmt.Sprintf("payments[%d].amount", i)
		if err := checkValue(field, p.Amount); err != nil {
			add(err)
		} else if p.Amount.Currency != c.Term.Value.Currency {
			add(accord.Invalid(field+".currency", "must be the contract's currency, %s; got %s", c.Term.Value.Currency, p.Amount.Currency))
		}
	}
	for i, u := range c.Usage {
		if !u.Day.Valid() {
			add(accord.Invalid(fmt.Sprintf("usage[%d].day", i), "must be a real day"))
		}
	}
	add(c.checkReferences()...)
	for i, r := range c.Renewals {
		prefix := fmt.Sprintf("renewals[%d]", i)
		add(checkCode(prefix+".outcome", r.Outcome, outcomes))
		add(checkMonths(prefix+".previous.months", r.Previous.Months), checkValue(prefix+".previous.value", r.Previous.Value))
		if r.Outcome != OutcomeChurned {
			add(checkMonths(prefix+".next.months", r.Next.Months), checkValue(prefix+".next.value", r.Next.Value))
		}
	}
	return errors.Join(errs...)
}

// checkTerm checks that the current term's days agree with Since.
func (c *Contract) checkTerm() []error {
	t := c.Term
	if err := checkMonths("term.months", t.Months); err != nil {
		return []error{err}
	}
	served := c.monthsServed()
	if served < 0 || served > MaxTermMonths*4 || c.Since.AddMonths(served) != t.Start {
		return []error{accord.Invalid("term.start", "must be an anniversary of since, %s; got %s", c.Since, t.Start)}
	}
	want := c.termAfter(served, t.Months, t.Value)
	var errs []error
	if t.Renewal != want.Renewal {
		errs = append(errs, accord.Invalid("term.renewal", "must be %d months after the term's start, %s; got %s", t.Months, want.Renewal, t.Renewal))
	}
	if t.End != want.End {
		errs = append(errs, accord.Invalid("term.end", "must be the day before the renewal date, %s; got %s", want.End, t.End))
	}
	return errs
}
