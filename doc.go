// Package accord models the whole arc of a B2B sale as one process, and holds
// the vocabulary every other package of the module shares.
//
// In most CRMs the pipeline ends at "Closed Won": promises are made without
// delivery checking them, the Scope of Work is a PDF, the renewal date is not
// a field, and "Customer" is a status that never changes again. accord models
// the sale and the delivery as one gated process, so that a deal cannot move
// on a promise it cannot keep, and every refusal says exactly why.
//
// The packages, in the order a deal meets them:
//
//   - [github.com/accordhq/accord/deal]: the pipeline, a process of stages
//     with entry and exit criteria that moves a deal to Closed Won and live
//     and records every move.
//   - [github.com/accordhq/accord/deal/dealcsv]: CRM exports of deals and
//     their stage or field-change logs read into deals, with presets.
//   - [github.com/accordhq/accord/deal/dealtest]: the test harness that
//     checks a host's own process against the invariants the library
//     promises, and generates deals for the host's own properties.
//   - [github.com/accordhq/accord/scope]: the requirements and the Scope of
//     Work that the implementation lead and then the client approve before
//     the close.
//   - [github.com/accordhq/accord/contract]: the contract after the
//     signature as data: term, renewal, customer status, refunds, scope drift.
//   - [github.com/accordhq/accord/contract/contractcsv]: contract and
//     subscription exports read into contracts, or a churned share.
//   - [github.com/accordhq/accord/policy]: commercial policies checked
//     against deals, discounts, payments and plans, and gates for the close.
//   - [github.com/accordhq/accord/metrics]: the figures that show the process
//     works, from conversion and win rate to renewal rate and NRR.
//   - [github.com/accordhq/accord/metrics/adoption]: how the team keeps its
//     CRM: duplicate and stale records, active reps and activity logging.
//   - [github.com/accordhq/accord/metrics/assess]: the CRM maturity model and
//     a weighted vendor scorecard.
//
// This package holds what they share:
//
//   - [Money]: a decimal amount with an ISO 4217 [Currency]. Arithmetic across
//     currencies is an error, never a silent sum.
//   - [Date], [Period] and [Calendar]: a calendar day with no time zone,
//     a month, fiscal quarter or fiscal year, and a team's working days
//     (time zone, weekends, holidays). Contracts, scopes, policies and
//     metrics all count days, periods and working time with them.
//   - [Actor] and [Role]: who did something, and in which capacity. Who may do
//     what is checked by the library, not left to the host's user interface.
//   - Errors: the sentinels [ErrBlocked], [ErrInvalid], [ErrForbidden] and
//     [ErrConflict] classify every error the module returns, each error in
//     exactly one class. A refusal is a [*BlockedError] that says what was
//     refused ([Op]) and lists every unmet criterion, not the first one;
//     bad input is one or more [*FieldError] values that name the field and
//     the rule, listed by [FieldErrors].
//
// Every package of the module is pure: no I/O, no goroutines, no global
// mutable state, and no reading of the clock. Functions that depend on time
// take a now argument. Domain values are plain structs with stable
// snake_case JSON tags, so a host can store them as it likes.
package accord
