package contract

import (
	"fmt"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// The contract is what a deal asks for before a move undoes its win.
var _ deal.Contract = (*Contract)(nil)

// Identify returns the contract's ID and the ID of the deal it was made
// from, for [deal.WithContract]. A nil contract has neither.
func (c *Contract) Identify() (id, dealID string) {
	if c == nil {
		return "", ""
	}
	return c.ID, c.DealID
}

// Ended reports whether the contract has ended: refunded, churned or
// lapsed. Only then may the deal it was made from lose its win
// ([deal.WithContract]). A nil contract has not ended.
func (c *Contract) Ended() bool {
	if c == nil {
		return false
	}
	switch c.Status {
	case StatusRefunded, StatusChurned, StatusLapsed:
		return true
	}
	return false
}

// Verify checks a stored contract against its history, for a host's own
// load path: the summary fields are a cache of the events that made them.
// It refuses, in one error wrapping [accord.ErrConflict] that lists every
// disagreement:
//
//   - a history that does not start with the creation, or a Version other
//     than the number of events after it;
//   - a Status other than the one the last status event went to;
//   - payments, renewals (churns excluded) and a refund other than those
//     the history records, one event each;
//   - events out of time order.
//
// The contract's own methods trust the summary fields, as the status
// machine's tests set them directly: a host that loads contracts it did not
// write verifies them first.
func (c *Contract) Verify() error {
	if c == nil {
		return accord.Invalid("contract", "is nil")
	}
	var why []string
	add := func(format string, args ...any) { why = append(why, fmt.Sprintf(format, args...)) }
	if w := c.summary(); w != "" {
		add("%s", w)
	}
	payments, renewals, refunds := 0, 0, 0
	for i, e := range c.History {
		if i > 0 && e.At.Before(c.History[i-1].At) {
			add("event %d is before event %d", i, i-1)
		}
		switch e.Kind {
		case EventPayment:
			payments++
		case EventRenewal:
			renewals++
		case EventRefund:
			refunds++
		}
	}
	if payments != len(c.Payments) {
		add("it records %d payments, its history %d", len(c.Payments), payments)
	}
	made := 0
	for _, r := range c.Renewals {
		if r.Outcome != OutcomeChurned {
			made++
		}
	}
	if renewals != made {
		add("it records %d renewals, its history %d", made, renewals)
	}
	if (refunds > 0) != (c.Refunded != nil) {
		add("it records a refund %t, its history %t", c.Refunded != nil, refunds > 0)
	}
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%w: contract %q disagrees with its history: %s", accord.ErrConflict, c.ID, strings.Join(why, "; "))
}

// summary says how c's Version and Status disagree with its history, or
// "" when they agree.
func (c *Contract) summary() string {
	h := c.History
	if len(h) == 0 || h[0].Kind != EventCreated {
		return "its history does not start with the creation"
	}
	if c.Version != len(h)-1 {
		return fmt.Sprintf("its version is %d, but its history has %d events after the creation", c.Version, len(h)-1)
	}
	for i := len(h) - 1; i >= 0; i-- {
		if e := &h[i]; e.Kind == EventCreated || e.Kind == EventStatus {
			if e.To != c.Status {
				return fmt.Sprintf("its status is %s, but its last status event went to %s", c.Status, e.To)
			}
			break
		}
	}
	return ""
}
