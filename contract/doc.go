// Package contract keeps what the business promised a client as data the
// system can act on, from the signature through renewal, or through a
// refund.
//
// In most CRMs the contract is a PDF attached to the deal: its renewal date
// is not a field, its scope cannot be reported on, and "Customer" is a
// lifecycle stage that never changes again. A [Contract] is a plain value
// with stable JSON instead: the parties and the value, the billing, the
// current [Term] (first day, last day, length in months, renewal date),
// auto-renewal and the notice period, the scope categories and entitlements
// taken from the client-approved Scope of Work, the commitment type, the
// refund terms, and a customer status that keeps moving after the sale.
//
// # Creation
//
// [New] creates a contract from a [Signing] (the process, the won deal, its
// Scope of Work and the proposal) and an [Agreement] (what the parties
// agreed beyond them, with the zone the start is read in):
//
//	c, err := contract.New(contract.Signing{Process: p, Deal: &d, Scope: sow, Proposal: proposal},
//		contract.Agreement{ID: "ctr-1", Vendor: vendor, Billing: contract.BillingAnnual, Commitment: contract.CommitTerm},
//		by, at)
//
// Deal and contract never disagree: the deal and the scope must agree with
// their histories ([deal.Process.Verify], [scope.SOW.Verify]), the scope
// must be the very revision the deal closed on ([deal.Deal.ClosedOn]: ID,
// revision and digest), and its current revision must have the
// implementation lead's and then the client's approval
// ([scope.SOW.Approved]). The term's value is the price the client
// approved, the scope's, unless a decision recorded on the scope says the
// proposal's price stands; its currency is the scope's. New records the
// contract's ID on the deal; the host stores both. While the deal records
// it, undoing the win needs the contract ended ([Contract.Ended],
// [deal.WithContract]).
//
// Errors come one class at a time: bad input as field errors
// ([accord.ErrInvalid]), a role that may not create contracts
// ([accord.ErrForbidden]), a deal or scope that disagrees with its history
// or with the other ([accord.ErrConflict], saying what), and only then a
// *[accord.BlockedError] whose Op is [accord.OpCreateContract], listing
// every unmet item (deal_won, scope_client_approved). [Contract.Verify]
// checks a stored contract against its history for a host's load path.
//
// # Customer status
//
// The status is a state machine of its own, separate from the deal's stage:
//
//	from          to           how                        needs
//	onboarding    active       Move                       a recorded go-live (go_live_recorded)
//	active        paused       Move
//	paused        active       Move                       go_live_recorded
//	active        at_risk      Move
//	at_risk       active       Move                       go_live_recorded
//	active        lapsed       Move                       the term ended (term_ended) and it does
//	at_risk       lapsed       Move                         not renew by itself (not_auto_renewing)
//	any but       churned      Churn, with a reason
//	  churned,
//	  refunded
//	any but       refunded     RequestRefund
//	  refunded
//
// Every change is an [Event] recording who made it, when, and the reason, and a
// refused move changes nothing. Three conditions can hold alongside any
// status ([Contract.Conditions]): [InRenewalWindow], which follows from the
// dates, and [Expansion] and [Dispute], which people flag.
//
// # Dates and renewal
//
// Contract dates are [accord.Date] values: days of the contract's
// calendar, with no time zone. A term starting on day S for M months renews on the same day of
// the month M months later, clamped to the end of a shorter month, counted
// from the first term's first day ([Contract.Since]) so that clamping never
// accumulates; the term ends the day before it renews. The renewal window
// opens WindowDays (default 90) before the last day, but not before the
// term's first day, and lasts to the last day inclusive; notice is due
// NoticeDays before the last day, which must be inside the window so that
// the first alert comes in time.
//
// Functions that take now read the day from now in now's own location: pass
// now.In(loc) to count days in the caller's time zone. [Due] returns the
// renewal alerts for the contracts in their window, each with the days left
// and the notice deadline. Each alert says which step of the alert ladder
// it has reached, counting down to the notice deadline while notice can
// still be given and to the term's last day after it ([AlertThresholds]),
// and carries an idempotency key formed from the contract, the term's first
// day, the kind and the step ("renewal:ctr-1:2026-03-02:notice:30"): the
// same on every day of the step, different for any other occurrence, so a
// host that runs Due daily and remembers the keys it delivered tells the
// owner once per step, as it does with the deal triggers' keys.
// [Contract.Renew] records a renewal with a new term
// and value (an expansion or a contraction) once the window has opened, even
// after the last day until a lapse is recorded; [Contract.AutoRenewal]
// records a renewal by itself, and [Contract.Churn] a customer who left, with
// a reason.
//
// # The refund guarantee
//
// A client may ask for a refund at any time. [Contract.RequestRefund] grants
// it at once, with no waiting period and no penalty: the refund terms have no
// field for either. The amount follows the refund terms, by default
// everything paid, and the status becomes refunded. A refund is granted once,
// and a refunded contract cannot be renewed; the refunded client may still
// refer others (see below).
//
// # References and ambassadors
//
// Any customer, whatever their status, can become a reference.
// [Contract.RecordConsent] records their consent (the kinds it covers, who
// on their side gave it, who recorded it and when) and
// [Contract.WithdrawConsent] its withdrawal. [Contract.RecordReference]
// records each time they vouched for the vendor: a case study, a reference
// call, a referral or a review, with the customer's status at the time. A
// case study, a call or a review uses their name and is refused without
// consent covering it (a *[accord.BlockedError], criterion
// "reference_consent"); a referral is their own act. A referral given while
// refunded is an ambassador's ([Reference.Ambassador]) and also records
// that the refunded client still refers others. Package metrics counts the
// share of customers who are references, referrals per cohort and the
// refunded clients' ambassador rate.
//
// # Scope drift
//
// [Contract.RecordChange] records change requests and [Contract.RecordUsage]
// the use of entitlements. [Contract.Drift] reports the requests outside the
// contracted categories or deliverables (scope creep) and, per entitlement,
// the use in the current term against what is included, with every period in
// which more was used than included.
//
// # Who may do what
//
// Sales roles and admins create contracts and record renewals; finance and
// admins record payments; anyone on the vendor's side changes the status,
// flags conditions and records change requests, usage and references;
// anyone, the client included, may ask for a refund and record or withdraw
// their consent to act as a reference. Like every package of accord, contract does
// no I/O and never reads the clock.
package contract
