// Package deal models a B2B pipeline whose stages have entry and exit
// criteria, so that a deal cannot move on a promise it cannot keep, and every
// refusal lists exactly what is missing.
//
// # The process
//
// A [Process] is an immutable, ordered list of open [Stage] values plus two
// terminal stages every process has, [StageLive] and [StageLost]. [Default]
// returns the seven-stage process of the design:
//
//	targeting → qualification → discovery → solution_alignment →
//	business_case → proposal → handoff → live
//
// Each stage has a purpose, buyer commitments, entry and exit criteria, a
// healthy time in stage and a default win probability. Advancing from
// proposal into handoff is Closed Won; advancing out of handoff, once the
// customer is live or past the first milestone, makes the deal live. Build a
// custom process with [NewProcess]; it validates the whole definition and
// reports every problem with its path.
//
// # The unified process
//
// [Unified] is [Default] with the gates that make sales and implementation
// one process. Discovery cannot be left until requirements of every kind
// of [MandatoryKinds] are gathered in Discovery.Requirements (the typed
// [scope.Requirement] that becomes the Scope of Work's). Proposal cannot be
// left for handoff, which is Closed Won, until the deal's Scope of Work has
// the implementation lead's and then the client's approval of its current
// revision, and every discrepancy between the proposal and the scope is
// settled by a recorded decision.
//
// A deal keeps a [scope.Ref] to its scope in Deal.Scope rather than the
// scope itself: the scope has its own store, reviewers and lifecycle. The
// reference is a cache, and a gate verifies the document, never a copy of
// its facts. A team that marks other requirement kinds mandatory edits
// Unified().Config() with [RequirementsGathered] and builds its process
// with [NewProcess].
//
// # The close
//
// Closed Won is recorded by [Process.Close], which takes the document:
//
//	d.Scope = sow.Ref(proposal, f) // the reference the criteria and reports read
//	err := p.Close(&d, deal.Closing{Scope: sow, Proposal: proposal, Feasibility: f}, by, at)
//
// Close compares the presented Scope of Work with the deal's reference
// (same ID and deal, revision, digest, approvals, reconciliation with the
// presented proposal; no unrecorded edit; approvals backed by review events,
// [scope.SOW.Verify]) and refuses any disagreement with [accord.ErrConflict]
// saying what disagrees, so a stale or hand-written reference never closes
// a deal. Then the criteria run as for any move. The won event records the
// revision closed on ([Deal.ClosedOn]); package contract makes the contract
// from exactly that revision.
//
// A process keeps guarantees ([Process.Guarantees]): [GuaranteeScopeApproved]
// and [GuaranteeDiscrepanciesResolved] when a [ScopeApproved] or
// [DiscrepanciesResolved] criterion gates the move into its Closed Won
// stage. Such a process closes only through Close: [Process.Advance] into
// its Closed Won stage is refused, and [Process.Unmet] and [Process.Moves]
// list the unmet criterion "scope_presented". No other path enters the won
// stages: [Process.Reopen] stops before the Closed Won stage (a deal lost
// after its win is won again only through the close), and a variant
// ([Process.Derive], [LoadVariant]) that drops a scope gate or moves it off
// the close is allowed but no longer reports the guarantee; its diagrams
// say so, and [github.com/accordhq/accord/deal/dealtest.Keeps] asserts it.
//
// A win is undone by a revert to a stage before the Closed Won stage or a
// loss. While the deal's history records a contract (an [EventContract]
// event, recorded by [github.com/accordhq/accord/contract.New] through
// [Process.SetContract]; Deal.ContractID caches its ID and must agree with
// it) that is refused
// ([accord.ErrConflict]) unless the move presents the contract, ended
// (refunded, churned or lapsed), with [WithContract]. An implementation
// lead may revert a won deal only within the post-sale stages.
//
// # Stored state and its history
//
// Every move first checks the deal: it must pass [Deal.Validate]
// ([accord.ErrInvalid], every problem listed) and its Stage,
// StageEnteredAt, Version and Loss must be those its last event supports
// ([accord.ErrConflict]). [Process.Verify] checks a stored deal completely,
// for a host's load path: its history read by [Process.Read] and its
// summary fields, every disagreement in one [accord.ErrConflict]. The
// classes are: [Process.Read] reports a history it cannot read as field
// errors ([accord.ErrInvalid]: bad input to a reader), while a gate or
// Verify that finds a stored deal disagreeing with its history refuses it
// as a conflict.
//
// # Criteria
//
// A [Criterion] is a value with a stable ID, a description a rep can act on,
// and a pure [Rule]. The constructors cover the common kinds: [Present] (a
// field has a value), [Engaged] (at least N engaged stakeholders with a
// role), [EngagedWithin] (a stakeholder with a role engaged recently),
// [Confirmed] (who on the buyer's side confirmed, and when),
// [ChampionGraded], [HasArtifact], [NextStepWithin], [Reached] (a date has
// come), [AnyOf], [RequirementsGathered], [ScopeApproved],
// [DiscrepanciesResolved], [FitViable], and [RuleFunc] for anything else.
// [Named] gives a host's rule a name, so that a process holding it can be
// written as data. [Stage.RequiredFields] and [Stage.RequiredArtifacts]
// list what a stage's entry criteria and then its exit criteria ask for.
//
// # Evidence
//
// Each stage's exit in the source process is something the buyer did, so
// the criteria about people ask for evidence: who, and when. The
// solution's agreement is Alignment.AgreedBy, a stakeholder of the deal by
// name, and Alignment.AgreedAt; the business case's is BusinessCase.AgreedBy
// and AgreedAt; the fact that there is no executive sponsor is
// BusinessCase.NoExecutiveSponsor with NoExecutiveSponsorBy and
// NoExecutiveSponsorAt. [Confirmed] holds when such a name is a
// stakeholder's and its date has come. A champion is a stakeholder whose
// role is champion; [EngagedWithin] asks that they were last engaged
// (Stakeholder.EngagedAt) recently, 30 days in [Default], and
// [ChampionGraded] that a strength other than none has a champion behind
// it. [Deal.Validate] holds the structure: unique stakeholder names, each
// confirmation naming a stakeholder and given whenever its date is, the
// no-sponsor flag set when someone confirmed it, no grade without a
// champion. It reads no clock; whether a date has come is for the rules.
//
// Free text (a problem statement, a decision plan) stays a presence check
// ([Present]) on purpose: no count of words or characters tells a real
// statement from filler, and any threshold both rejects a terse true
// answer ("none" for blockers) and accepts padding. Who and when is what a
// library can hold a deal to; the words are for the manager who reads them.
//
// # Definitions as data
//
// A process can be written as JSON, so that RevOps changes a stage's
// criteria without a deploy. [Process.MarshalJSON] writes it and [Load]
// reads it back, validating the whole definition and reporting every
// problem with its JSON path, such as "stages[2].exit[1].kind". A process
// loaded from its own JSON decides exactly as the original on every deal;
// testdata/default.json and testdata/unified.json hold [Default] and
// [Unified] as data.
//
//	{"id": "inbound", "name": "Inbound", "closed_won": "close", "idle_alert_days": 14,
//	 "lead_response": {"alert_minutes": 5, "escalate_minutes": 30},
//	 "stages": [{"id": "qualify", "name": "Qualify", "purpose": "...",
//	   "buyer_commitments": ["..."], "core": true, "healthy_days": 14, "probability": 0.2,
//	   "multi_threaded": false, "needs_business_case": false, "follow_up_days": 0,
//	   "entry": [],
//	   "exit": [{"id": "why_now", "description": "Record why the buyer must act now.",
//	             "kind": "present", "path": "qualification.why_now"}]}, ...]}
//
// Only id and name are required of a stage; a criterion needs an id, a
// description, a kind and the kind's parameters, and may name its field
// (the field of the [accord.Unmet] it reports). Keys are matched exactly,
// and a key the definition does not have is an error. The kinds:
//
//	kind                    parameters              Go constructor
//	present                 path                    Present
//	reached                 path (a date)           Reached
//	engaged                 role (optional), n      Engaged
//	has_artifact            artifact                HasArtifact
//	next_step_within        days                    NextStepWithin
//	any_of                  rules (kind and params) AnyOf
//	requirements_gathered   kinds                   RequirementsGathered
//	scope_approved          (none)                  ScopeApproved
//	discrepancies_resolved  (none)                  DiscrepanciesResolved
//	fit_viable              (none)                  FitViable
//	named                   name                    Named, resolved by Load
//	confirmed               path                    Confirmed
//	engaged_within          role (optional), days   EngagedWithin
//	champion_graded         (none)                  ChampionGraded
//
// Rules nest at most 16 deep (a criterion's rule at depth 1, the rules of
// an any_of one deeper). Counts of days (healthy_days, follow_up_days,
// idle_alert_days and the days of next_step_within and engaged_within) are
// at most 36500, a century, and the minutes of lead_response at most a
// century of minutes; a probability has at most 18 decimal places and 19
// digits.
// [NewProcess] holds a process built in Go to the same bounds, so every
// process it builds marshals to a definition that Load reads back.
//
// A host rule that is not wrapped with [Named] cannot be written as data:
// MarshalJSON reports it with its path.
//
// # Variants
//
// Teams that sell differently derive their process from the company's with
// [Process.Derive], or from JSON with [LoadVariant]. A [Variant] removes
// stages, inserts stages between two neighbours, renames stages for display,
// changes healthy times, follow-up days, idle-alert days and the lead
// response thresholds, and adds or removes criteria by ID. The stage IDs
// of the base are kept, and an inserted stage cannot take one (not even
// that of a stage the variant removes), so metrics over deals of different
// variants stay comparable. A derived process has the variant's ID, not
// the base's. A stage marked Core, such as qualification, discovery,
// proposal and handoff in [Default], cannot be removed.
//
// # Diagrams
//
// [Process.Mermaid] and [Process.DOT] draw a process as a Mermaid flowchart
// or a Graphviz digraph: the stages in order with their criteria, and the
// advance, revert, lose and reopen moves. The output is deterministic, so it
// can be checked in and reviewed like code.
//
// # Moves
//
// A [Deal] is a plain struct the host stores. Moves go through the process
// and mutate the deal only when they succeed:
//
//   - [Process.Open] starts a deal in the first stage.
//   - [Process.Advance] moves forward one stage when the exit criteria of the
//     current stage and the entry criteria of the next all hold.
//   - [Process.Revert] moves back to an earlier open stage, with a reason,
//     when new information invalidates an assumption.
//   - [Process.Lose] moves any open deal to lost, with a [LossReason] from a
//     controlled vocabulary and the stage it was lost at.
//   - [Process.Reopen] brings a lost deal back, with a reason, to a stage no
//     later than the one it was lost at, when that stage's entry criteria
//     hold.
//
// Each successful move appends an [Event] (kind, from, to, at, by, reason) to
// the history and bumps Version. A refused move leaves the deal exactly as it
// was. Criteria that do not hold are reported together as an
// [*accord.BlockedError]: the exit criteria of the current stage first, then
// the entry criteria of the target, each in declaration order. Errors are
// classified by [accord.ErrBlocked], [accord.ErrInvalid] (bad arguments, a
// move dated before the last event), [accord.ErrForbidden] (a role that may
// not move deals) and [accord.ErrConflict] (no such move from the current
// stage).
//
// Sales roles (rep, manager, admin) make every move; the implementation lead
// may also advance or revert a won deal; clients and finance move nothing.
//
// # Reading a history
//
// A deal's history is read in one place. [Process.Read] reads it into a
// [Reading]: its stays (stage, entered, left, time), its outcome (open, won
// at, live at, lost at with the loss reason and stage), its reverts and
// reopens. It checks the history once, as the process records it: events
// dated and in time order, each starting where the one before ended, each a
// move the process allows recorded as its kind, and the deal's stage,
// version and loss agreeing with the last event; each inconsistency is a
// [*accord.FieldError] naming the event and the rule. [Process.ReadImported]
// reads a history that records only stages and times, as one imported from
// another CRM; package metrics reads every deal that way. [Process.Won] and
// [Reading.Won] share one definition of won; packages contract and dealtest
// ask this package rather than keeping their own. A Reading is reused from
// deal to deal and then allocates nothing.
//
// # Questions a rep asks
//
// [Process.Unmet] lists what is missing to advance; [Process.Moves] lists
// every move possible from the current stage with its unmet criteria;
// [Deal.TimeInStage] and [Deal.TimeByStage] say how long the deal has spent
// where. [Process.Risks] raises flags at a given time: no next step,
// single-threaded, no business case, stalled, close date slipped or passed.
// [Process.Triggers] returns, as data, the automation actions a host should
// carry out, each with an idempotency key: a follow-up task after the deal
// enters proposal, an alert to the manager after 14 idle days, a handoff
// notice to implementation when the deal is won, and the lead response SLA
// (an inbound lead untouched 5 minutes alerts its owner, 30 minutes the
// manager). Which of them fire and their thresholds are part of the
// process's definition ([Config], its JSON form, and a [Variant]), so
// RevOps changes them without a deploy.
//
// # Purity and performance
//
// Nothing in the package reads the clock, does I/O or keeps global state:
// every function that depends on time takes now (or at). A Process is safe
// for concurrent use; a Deal is not, like any plain value. Evaluating the
// gates of a move allocates nothing when they hold, and a successful advance
// costs less than a bare looplab/fsm Event (see BenchmarkAdvance and
// BenchmarkLooplabEvent).
package deal
