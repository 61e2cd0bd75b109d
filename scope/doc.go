// Package scope keeps the Scope of Work honest: sales writes it,
// implementation reviews it before the client is asked to sign or pay, and
// the client approves it before any money moves.
//
// # The content
//
// A [SOW] holds the [Requirement] list gathered in discovery (each with a
// [Kind], a [Priority], acceptance criteria and a [Source]), the
// deliverables, in-scope and out-of-scope statements, assumptions,
// entitlements (such as support hours per week), a price, milestones, and
// the day-by-day implementation sequence: each [Step] is placed on a date or
// a working-day offset from the start, has an [Activity] and a rollout
// [Phase], names the requirements it addresses, its effort in hours, the
// team role that owns it and the steps it depends on.
//
// [SOW.Validate] checks the content against the team's [accord.Calendar]
// (its time zone, weekends and holidays, the same calendar that metrics
// measures working time with) and lists every problem at once: uncovered must-haves, dangling references,
// dependency cycles, steps scheduled before what they depend on, work on
// weekends and holidays, inconsistent dates and durations.
// [SOW.Feasibility] schedules the sequence against the team's [Capacity]
// and reports the overloaded days, the earliest feasible finish and the slip
// behind the scoped one: the implementation lead's "is this realistic?",
// answered before the lead is asked. [SOW.Schedule] gives the same answer
// as data: every step's planned days and its days at capacity, as
// [accord.Date] spans of working days, and [Schedule.Mermaid] draws them as
// a Mermaid gantt chart, so that a host shows the Scope of Work as a plan
// without re-implementing the working-day arithmetic.
//
// # Phases, gates and the CRM rollout
//
// Each step names its [Phase] of the rollout framework: audit, pick,
// implement (configure, migrate and integrate, side by side), pilot, train,
// go live, iterate ([Phase.Before]). A scope's [Gate] values give phases
// exit criteria: [SOW.CanStart] refuses to start a step while an exit
// criterion of a phase before its own does not hold on the host's
// [Evidence] (a *[accord.BlockedError] with op [accord.OpStart]), and
// [SOW.Validate] refuses a plan whose later phase starts before a gated
// phase's last day. [CRMRollout] is the five-phase CRM rollout as a
// template, audit → pick → implement → train → iterate, with the exit
// criteria the source names;
// [github.com/accordhq/accord/metrics/assess.RolloutEvidence] answers them
// from the vendor scorecard, the maturity model and the adoption figures.
//
// # The review
//
// The review is a state machine (on the same engine as the deal pipeline):
//
//	draft ──Submit──▶ submitted ──ApproveAsLead──▶ lead_approved ──ApproveAsClient──▶ client_approved
//	                     │  ▲                          ▲
//	      RequestChanges │  │ Submit                   │ ApproveAsLead
//	                     ▼  │                          │
//	              changes_requested ──Submit──▶ resubmitted ──RequestChanges──▶ changes_requested
//
// Every recorded edit ([SOW.Revise]; [SOW.Submit] records pending edits)
// makes a new revision, identified by a digest of the content, and voids
// both approvals; after submission it takes the scope back to
// changes_requested. Approvals name the revision they approve, so an
// approver never approves content they did not see.
//
// Only a valid, feasible revision is approved: [SOW.Submit] and
// [SOW.ApproveAsLead] refuse a revision that fails [SOW.Validate] under the
// calendar they are given (a [*accord.BlockedError], one unmet "valid" per
// problem, naming its field), and the lead approves a revision that does
// not fit the capacity in its [LeadReview] only with an override reason,
// recorded on the [Approval] and in the review [Event].
//
// # Separation of duties
//
// Who may approve is checked here, not left to the host's UI. Actor IDs are
// compared after trimming spaces ([accord.Actor.Is]); a blank ID is refused
// everywhere with [accord.ErrInvalid] naming the field. A review cycle
// begins when the scope is opened and again each time the lead sends it
// back ([SOW.RequestChanges]); an edit after submission is not a sending
// back. The lead approval comes from an implementation lead who is not the
// author, recorded no revision in the current cycle, is not one of the
// scope's [SOW.Signatories], and never approved it for the client. The
// client approval comes from a client who is not the author, never
// recorded a revision, never approved it as lead, and is one of the
// signatories when the scope names any; and only after the lead approved
// the same revision. So no one approves a scope in both roles. A conflict
// wraps [accord.ErrForbidden] and says which duty it is. [SOW.Approvals]
// applies the same rules to the approvals it finds, so a stored review
// whose approvals break them counts none.
//
// [SOW.Approvals] says which approvals the current revision has, and
// [SOW.Approved], the one definition of "approved" that the deal gate, the
// policies and contracts all read, holds exactly while it has both: only
// then may money be taken.
//
// # Proposal and scope
//
// A [Proposal] is the commercial record of what was offered. [Reconcile]
// lists every [Discrepancy] between it and the scope, missing none: the
// proposal's own problems (two timelines, impossible values), deliverables
// on one side only or under another name, a promised timeline shorter than
// the scoped or the feasible finish, entitlements (matched by name, unit
// and period; repeats reported) and a price that differ. A discrepancy is
// settled only by a decision recorded with [SOW.Resolve]: who made it (never
// the scope's author), when, and which side changes; Resolve reconciles
// again and records a decision only for a discrepancy that exists now.
// [SOW.Settled] holds when every discrepancy is decided.
//
// # Deals
//
// The package refers to a deal by its ID and imports nothing but the root
// package. A deal keeps a [Ref] to its scope (see [SOW.Ref]), which carries
// the approval and reconciliation facts that the unified process in package
// deal reads. The reference is a cache: the close (deal.Process.Close) and
// the contract take the scope itself and compare it with the reference.
//
// The review's summary (status, revision, digest, approvals) is a cache of
// its history too. [SOW.Verify] checks a stored scope against it, for a
// host's load path and for those gates, and refuses every disagreement with
// [accord.ErrConflict]; [SOW.Approvals] gives a review that disagrees with
// its history no approvals.
//
// Like every package of the module, scope does no I/O and never reads the
// clock: every call that records something takes the time, at, and the
// review's events are in the order of their times (an at before the last
// event is refused). The library cannot tell a mistyped future at from a
// true one: an event dated in the future makes every later call dated
// before it refused. Pass the host's clock.
package scope
