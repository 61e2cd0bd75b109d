package contract

import (
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
)

// Payment is money the client paid under the contract.
type Payment struct {
	// ID identifies the payment (an invoice or transaction number); it is
	// unique within the contract.
	ID     string       `json:"id"`
	Amount accord.Money `json:"amount"`
	By     accord.Actor `json:"by"`
	At     time.Time    `json:"at"`
}

// Refund records a granted refund.
type Refund struct {
	// RequestedAt is when the client asked; GrantedAt when the refund was
	// recorded and granted: the same instant, or, for a request made
	// earlier the same day than the contract's last event, that event's
	// time (see [Contract.RequestRefund]). Either way the guarantee grants
	// a refund the day it is asked for.
	RequestedAt time.Time    `json:"requested_at"`
	GrantedAt   time.Time    `json:"granted_at"`
	By          accord.Actor `json:"by"`
	Reason      string       `json:"reason,omitempty"`
	Basis       RefundBasis  `json:"basis"`
	// Amount is what is paid back, by the refund terms' basis.
	Amount accord.Money `json:"amount"`
	// StillRefers records that the refunded client still refers others:
	// set when [Contract.RecordReference] records a referral from them;
	// nil until then.
	StillRefers *bool `json:"still_refers"`
}

// finance reports whether role may record payments.
func finance(r accord.Role) bool { return r == accord.RoleFinance || r == accord.RoleAdmin }

// RecordPayment records a payment of amount, identified by id, recorded by
// by (finance or an admin) at at. The amount must be positive and in the
// contract's currency; a refunded contract takes no more payments
// ([accord.ErrConflict]).
func (c *Contract) RecordPayment(id string, amount accord.Money, by accord.Actor, at time.Time) error {
	var problems []error
	if id == "" {
		problems = append(problems, accord.Invalid("id", "is required"))
	} else if c != nil && slices.ContainsFunc(c.Payments, func(p Payment) bool { return p.ID == id }) {
		problems = append(problems, accord.Invalid("id", "must be unique: payment %q is already recorded", id))
	}
	if err := checkValue("amount", amount); err != nil {
		problems = append(problems, err)
	} else if amount.Amount.Sign() == 0 {
		problems = append(problems, accord.Invalid("amount", "must be positive"))
	} else if c != nil && amount.Currency != c.Term.Value.Currency {
		problems = append(problems, accord.Invalid("amount.currency", "must be the contract's currency, %s; got %s", c.Term.Value.Currency, amount.Currency))
	}
	if err := c.precheck("record payment", by, at, finance, "may not record a payment", problems...); err != nil {
		return err
	}
	if c.Refunded != nil {
		return fmt.Errorf("%w: contract %q: the contract was refunded on %s and takes no payments", accord.ErrConflict, c.ID, c.Refunded.GrantedAt.Format(time.DateOnly))
	}
	c.Payments = append(c.Payments, Payment{ID: id, Amount: amount, By: by, At: at})
	c.record(Event{Kind: EventPayment, Ref: id, By: by, At: at})
	return nil
}

// Paid returns the total of the payments recorded, in the contract's
// currency.
func (c *Contract) Paid() accord.Money {
	if c == nil {
		return accord.Money{}
	}
	return c.paidSince(time.Time{})
}

// paidSince totals the payments recorded at or after from.
func (c *Contract) paidSince(from time.Time) accord.Money {
	total := accord.Money{Currency: c.Term.Value.Currency}
	for _, p := range c.Payments {
		if p.At.Before(from) {
			continue
		}
		if sum, err := total.Add(p.Amount); err == nil {
			total = sum
		}
	}
	return total
}

// RefundAmount returns what a refund asked for at now would pay back, by
// the refund terms' basis: everything paid, or what was paid for the term in
// force on the day of now (the term that started last by then; a term
// renewed early is not in force before its first day). The payments for a
// term are those recorded since the renewal that made it, or all of them
// for the first term, so a payment taken at signing counts.
func (c *Contract) RefundAmount(now time.Time) accord.Money {
	if c == nil {
		return accord.Money{}
	}
	if c.Refund.Basis != RefundCurrentTerm {
		return c.paidSince(time.Time{})
	}
	_, since := c.termAt(accord.DateOf(now))
	if since < 0 {
		return c.paidSince(time.Time{})
	}
	return c.paidSince(c.Renewals[since].At)
}

// RefundDay is the calendar day of t for the refund guarantee: the day in
// the location of requested, the time the refund was asked for. It is the
// one definition of "the day a refund is asked for" that RequestRefund and
// the policy refund_guarantee (package policy) both read.
func RefundDay(requested, t time.Time) accord.Date {
	return accord.DateOf(t.In(requested.Location()))
}

// SameRefundDay reports whether t falls on the calendar day a refund asked
// for at requested was asked for, both read in requested's location
// ([RefundDay]).
func SameRefundDay(requested, t time.Time) bool {
	return RefundDay(requested, t) == RefundDay(requested, requested)
}

// RequestRefund honours the refund guarantee: the refund asked for at at is
// granted at once, with no waiting period and no penalty, for the amount the
// refund terms give on the day of the request (by default everything paid),
// and the status becomes refunded. The client may ask, or anyone on the
// vendor's side on the client's behalf; the reason is optional, because a
// guarantee asks for no reasons.
//
// A host often records the request after something else that happened the
// same day (a payment, a usage report): a request time before the
// contract's last event is accepted when it is the same calendar day, in
// at's location ([SameRefundDay], the rule the policy refund_guarantee
// reads too). The refund keeps the request time (Refund.RequestedAt) and
// is granted and recorded at the last event's time (GrantedAt, and the
// events), so that the history stays in time order. A request time on an
// earlier day is refused like any change dated before the last event
// ([accord.ErrInvalid]).
//
// A refund is granted once: asking again wraps [accord.ErrConflict] and
// changes nothing. A refunded contract cannot be renewed.
func (c *Contract) RequestRefund(reason string, by accord.Actor, at time.Time) (Refund, error) {
	granted := at
	if c != nil && len(c.History) > 0 {
		if last := c.History[len(c.History)-1].At; at.Before(last) && SameRefundDay(at, last) {
			granted = last
		}
	}
	if err := c.precheck("refund", by, granted, func(accord.Role) bool { return true }, ""); err != nil {
		return Refund{}, err
	}
	if c.Refunded != nil {
		return Refund{}, fmt.Errorf("%w: contract %q: already refunded on %s", accord.ErrConflict, c.ID, c.Refunded.GrantedAt.Format(time.DateOnly))
	}
	t, ok := transition(c.Status, StatusRefunded)
	if !ok {
		// Unreachable while Refunded is set exactly when the status is
		// refunded; kept so that a hand-edited contract cannot be refunded
		// twice.
		return Refund{}, fmt.Errorf("%w: contract %q: a contract that is %s cannot be refunded", accord.ErrConflict, c.ID, c.Status)
	}
	basis := c.Refund.Basis
	if basis == "" {
		basis = RefundAllPaid
	}
	r := Refund{RequestedAt: at, GrantedAt: granted, By: by, Reason: reason, Basis: basis, Amount: c.RefundAmount(at)}
	c.Refunded = &r
	c.record(Event{Kind: EventRefund, Reason: reason, By: by, At: granted})
	// The move to refunded has no gates: it always records.
	ev := Event{Kind: EventStatus, Reason: "refund granted", By: by, At: granted}
	if err := engine.Apply(c, c.ID, t, granted, func() { journal{}.Append(c, t, ev) }); err != nil {
		return Refund{}, err
	}
	return r, nil
}
