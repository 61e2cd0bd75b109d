// Package policy states a company's commercial policies once, checks any
// deal, quote, discount, payment, refund, plan or catalog against them, and
// plugs them into the pipeline, so that a move that would break a policy is
// refused with the reason.
//
// # Policies and subjects
//
// A [Policy] has a stable ID, a description and parameters that are data.
// Its Check is pure: given a [Subject] and now it returns the
// [Violation] values it finds, each naming the policy, the subject, the
// owner who answers for it, a message and the field at fault. A [Set] is a
// validated set of policies with distinct IDs; [Set.Check] runs them all,
// and [Set.Allow] turns the violations into an *accord.BlockedError for a
// host that must refuse an action, such as taking a payment (its Op is
// [Subject.Op]: pay, refund, discount...).
//
// A Subject holds whatever is being checked: a deal with its quote
// (deal.Deal.Quote) and lead, a proposed discount, a payment request with
// the Scope of Work it is for, a refund request, proposed contract terms,
// a compensation plan, the product catalog. Each policy checks the parts it
// is about and ignores the rest, so one set checks everything.
//
// # The built-in policies
//
//	ID                             checks                      parameters
//	single_edition                 catalog, deal quote lines   edition
//	no_quotas                      plan targets                (none)
//	no_panic_discounts             discount, deal discounts    month_days, quarter_days, year_days,
//	                                                           fiscal_year_start, time_zone
//	payment_after_client_approval  payment with scope          (none)
//	refund_guarantee               refund, terms               time_zone
//	closed_won_on_structure        closing or won deal         (none)
//	lead_response_sla              lead, deal lead             minutes
//
// [Default] returns all seven with their defaults; a host that does not
// adopt one leaves it out of its [NewSet], and adds its own. A host policy
// with parameters that can be wrong also implements the optional
// [Validator] interface, as database/sql's drivers add optional
// capabilities: a set checks its parameters when it is built.
//
//   - One edition ([SingleEdition]): the catalog offers one edition with every
//     feature; a quote with tiers, editions or paid add-ons breaks it.
//   - No quotas ([NoQuotas]): no person carries a monthly, quarterly or yearly
//     sales quota; team targets are fine.
//   - No panic discounts ([NoPanicDiscounts]): no discount in the last days of
//     a month, quarter or fiscal year ([Blackout], over [accord.Period]s:
//     the fiscal year's first month and the time zone come from the
//     caller), and every discount names
//     the concession it buys: a multi-year term (of 24 months or more),
//     a reference, a faster signature or expanded scope.
//   - Payment after client approval ([PaymentAfterClientApproval]): no payment until
//     the client approves the current revision of the Scope of Work, after
//     the implementation lead (scope.SOW.Approved). It checks the
//     Subject's Scope (its deal, its revision against the deal's
//     reference, its content against its recorded digest). Money is never
//     taken on a copy of the facts: with Subject.Scope nil the request
//     violates it (field "scope"), whatever the deal's scope.Ref says.
//   - Refund guarantee ([RefundGuarantee]): a refund is granted the calendar
//     day it is asked for, read in the location of the request time as
//     contract.RequestRefund reads it (contract.SameRefundDay), and contract
//     terms carry no waiting period or penalty on refunds. Its time_zone
//     parameter is still accepted and printed but decides no day.
//   - Closed Won only on structure ([ClosedWonOnStructure]): the close needs
//     the scope approvals and the contract data: a term, an implementation
//     start that fixes the renewal date, and the categories of scoped work.
//   - Lead response ([LeadResponseSLA]): an inbound lead is first touched
//     within N minutes, 5 by default.
//
// # Policies in the pipeline
//
// [Gate] turns a set into deal criteria, and [Gated] adds them to the entry
// of a process's Closed Won stage. The process then refuses a close while
// the deal breaks a policy, and its *accord.BlockedError lists each
// violation as an unmet criterion "policy.<id>", with the violation's message
// and the deal field at fault. Gate with the policies a close can break
// ([Set.Only]); a gate refuses until a violation is gone, and some never go
// (a lead answered late stays late). A gated [deal.Unified] closes only
// through [deal.Process.Close], which presents the Scope of Work (Advance
// into Closed Won is refused with "scope_presented"); the scope agrees
// with the deal's reference, and the policies still refuse:
//
//	closing, err := set.Only(policy.IDSingleEdition, policy.IDNoPanicDiscounts, policy.IDClosedWonOnStructure)
//	...
//	gated, err := policy.Gated(deal.Unified(), closing)
//	...
//	d.Scope = sow.Ref(proposal, f) // sow is the deal's approved *scope.SOW
//	err = gated.Close(&d, deal.Closing{Scope: sow, Proposal: proposal, Feasibility: f}, rep, now)
//	// accord: d-1 cannot move from proposal to handoff: 2 unmet:
//	//   handoff entry policy.no_panic_discounts: the discount was offered on 2026-06-30,
//	//   in the last 10 days of the quarter ending 2026-06-30; no discounts in the last days
//	//   of a period (quote.discounts[0].offered_at); handoff entry policy.no_panic_discounts: ...
//
// A gated process marshals like any other; [Rules] gives deal.Load the
// named rules to read it back.
//
// # Sets as data
//
// [Set.MarshalJSON] writes a set as policy IDs with their parameters, and
// [Load] reads it back, reporting every problem with its JSON path. Time zones
// are written by name and resolved by the caller's [LoadOptions.Zone] (such
// as time.LoadLocation), so the package never reads the zone database itself;
// a host's own policies are built from [LoadOptions.Policies].
//
// # Summaries
//
// A [Summary] counts the violations of many subjects by policy and by owner.
// It is an accumulator: add each subject's violations, and merge summaries
// computed in parallel.
//
// # Purity and performance
//
// Nothing here reads the clock, does I/O or keeps global state; a Set is
// immutable and safe for concurrent use. Checks are pure and their results do
// not depend on the order of the policies in a set: a set keeps its policies
// sorted by ID. Checking every built-in policy against a deal with a quote,
// a discount and a payment request allocates nothing when it passes (see
// BenchmarkCheckDefaultSet).
package policy
