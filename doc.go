// Package accord models the whole arc of a B2B sale as one process, and holds
// the vocabulary every other package of the module shares.
//
// In most CRMs the pipeline ends at "Closed Won": promises are made without
// delivery checking them, the Scope of Work is a PDF, the renewal date is not
// a field, and "Customer" is a status that never changes again. accord models
// the sale and the delivery as one gated process, so that a deal cannot move
// on a promise it cannot keep, and every refusal says exactly why.
//
// The flow runs deal → scope → contract, with policy and metrics around it:
//
//   - [github.com/accordhq/accord/deal]: the pipeline. A [deal.Process] of
//     stages with entry and exit criteria moves a deal from targeting through
//     discovery and proposal to Closed Won, handoff and live, recording every
//     move as an event.
//   - scope: the requirements gathered in discovery and the Scope of Work that
//     sales writes, the implementation lead approves or sends back, and the
//     client approves before any payment.
//   - contract: the relationship after the signature as structured data:
//     term, renewal date, contracted scope, a customer status that keeps
//     moving, refunds.
//   - policy: commercial rules (one edition, no quotas, no period-end panic
//     discounts, a refund guarantee) checked against deals and plugged into
//     the pipeline as gates.
//   - metrics: stage conversion, time in stage, win rate, renewal rate, NRR,
//     adoption and data hygiene, computed from the recorded history.
//
// This root package holds what they share:
//
//   - [Money]: a decimal amount with an ISO 4217 [Currency]. Arithmetic across
//     currencies is an error, never a silent sum.
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
