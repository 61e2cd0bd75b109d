package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord/contract"
)

// PaymentAfterClientApproval returns the policy that no payment is taken before
// the client approves the scope: a payment request violates it unless the
// current revision of the deal's Scope of Work has the implementation
// lead's and then the client's approval (scope.SOW.Approved). It checks
// the document, the subject's Scope: its deal, its ID and revision against
// the deal's scope reference, its content against its recorded digest. A
// request with no Scope presented violates it (field "scope"): money is
// never taken on the deal's scope reference alone.
func PaymentAfterClientApproval() Policy {
	return fixed{IDPaymentAfterClientApproval, "No payment before the client approves the current revision of the Scope of Work."}
}

func paymentAfterApproval(s Subject) []Violation {
	pr := s.Payment
	if pr == nil {
		return nil
	}
	dealID := pr.DealID
	if dealID == "" && s.Deal != nil {
		dealID = s.Deal.ID
	}
	v := func(field, format string, args ...any) []Violation {
		return []Violation{s.Violation(IDPaymentAfterClientApproval, field, format, args...)}
	}
	switch {
	case s.Deal != nil && pr.DealID != "" && s.Deal.ID != pr.DealID:
		return v("payment.deal_id", "the payment is for deal %q, but the subject's deal is %q", pr.DealID, s.Deal.ID)
	case s.Scope != nil:
		sow := s.Scope
		if dealID != "" && sow.DealID != dealID {
			return v("payment.deal_id", "the Scope of Work %q is for deal %q, not %q; take payment against the deal's own scope", sow.ID, sow.DealID, dealID)
		}
		if s.Deal != nil && s.Deal.Scope.ID != "" && s.Deal.Scope.ID != sow.ID {
			return v("scope.id", "the payment is checked against Scope of Work %q, but the deal's scope is %q; take payment against the deal's current scope", sow.ID, s.Deal.Scope.ID)
		}
		if s.Deal != nil && s.Deal.Scope.ID == sow.ID && sow.Review.Revision < s.Deal.Scope.Revision {
			return v("scope.review.revision", "the payment is checked against revision %d of Scope of Work %q, but the deal knows revision %d; take payment against the current revision", sow.Review.Revision, sow.ID, s.Deal.Scope.Revision)
		}
		if !sow.Approved() {
			if sow.Review.Digest != "" && sow.Digest() != sow.Review.Digest {
				return v("payment", "Scope of Work %q changed since revision %d was recorded; record the change and take payment only after the client approves it", sow.ID, sow.Review.Revision)
			}
			return v("payment", "the client has not approved %s (it is %s); take payment only after the client approves", revisionOf(sow.Review.Revision, sow.ID), statusOf(string(sow.Review.Status)))
		}
	case s.Deal != nil && s.Deal.Scope.ID == "":
		return v("scope", "the deal has no Scope of Work; take payment only after the client approves one")
	default:
		// Money is never taken on a copy of the facts: the deal's scope
		// reference alone approves nothing.
		return v("scope", "no Scope of Work presented; present the deal's Scope of Work: a payment is checked against the document, never against the deal's reference alone")
	}
	return nil
}

// revisionOf names a revision of a scope for messages.
func revisionOf(rev int, id string) string {
	if rev <= 0 {
		return fmt.Sprintf("Scope of Work %q", id)
	}
	return fmt.Sprintf("revision %d of Scope of Work %q", rev, id)
}

func statusOf(s string) string {
	switch s {
	case "", "draft":
		return "a draft"
	case "changes_requested":
		return "sent back for changes"
	}
	return strings.ReplaceAll(s, "_", " ")
}

// RefundGuarantee returns the policy that the refund guarantee is honoured
// at any time, in full:
//   - a refund not granted on the calendar day it was requested violates
//     it: one granted a later day, and one still not granted once that day
//     is over;
//   - so do contract terms with a waiting period or a penalty on refunds.
//
// The day is read as contract.RequestRefund reads it, in the location of
// the request time (contract.RefundDay, contract.SameRefundDay): one rule,
// so that a refund the contract grants the day it is asked for never breaks
// the policy. loc is kept so that stored sets (the time_zone parameter)
// still load and print the same; it no longer changes which day it is.
func RefundGuarantee(loc *time.Location) Policy { return refundGuarantee{loc: loc} }

type refundGuarantee struct{ loc *time.Location }

func (refundGuarantee) ID() string { return IDRefundGuarantee }
func (refundGuarantee) Description() string {
	return "A refund is granted the day it is asked for, with no waiting period and no penalty."
}
func (p refundGuarantee) Params() any {
	return struct {
		TimeZone string `json:"time_zone"`
	}{zoneName(p.loc)}
}

func (p refundGuarantee) Check(s Subject, now time.Time) []Violation {
	var out []Violation
	if r := s.Refund; r != nil {
		asked := contract.RefundDay(r.RequestedAt, r.RequestedAt)
		switch {
		case r.RequestedAt.IsZero():
			out = append(out, s.Violation(IDRefundGuarantee, "refund.requested_at", "the refund has no request date; record when it was asked for"))
		case r.GrantedAt.IsZero():
			if today := contract.RefundDay(r.RequestedAt, now); today.After(asked) {
				out = append(out, s.Violation(IDRefundGuarantee, "refund.granted_at", "the refund asked for on %s is still not granted on %s; grant it the day it is asked for", asked, today))
			}
		default:
			if !contract.SameRefundDay(r.RequestedAt, r.GrantedAt) {
				out = append(out, s.Violation(IDRefundGuarantee, "refund.granted_at", "the refund asked for on %s was granted on %s; grant it the day it is asked for", asked, contract.RefundDay(r.RequestedAt, r.GrantedAt)))
			}
		}
	}
	if t := s.Terms; t != nil {
		if t.RefundWaitingDays != 0 {
			out = append(out, s.Violation(IDRefundGuarantee, "terms.refund_waiting_days", "the terms make a refund wait %d days; the guarantee grants it the day it is asked for", t.RefundWaitingDays))
		}
		if t.RefundPenalty.IsSet() && !t.RefundPenalty.Amount.IsZero() {
			out = append(out, s.Violation(IDRefundGuarantee, "terms.refund_penalty", "the terms keep %s back from a refund; the guarantee refunds in full", t.RefundPenalty))
		}
		if !t.RefundPenaltyPercent.IsZero() {
			out = append(out, s.Violation(IDRefundGuarantee, "terms.refund_penalty_percent", "the terms keep %s%% back from a refund; the guarantee refunds in full", t.RefundPenaltyPercent))
		}
	}
	return out
}
