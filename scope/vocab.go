package scope

import "github.com/accordhq/accord/internal/vocab"

// Kind classifies a requirement by what it describes. Kinds are stable codes
// that hosts store.
type Kind string

// The kinds of requirement sales gathers during discovery.
const (
	KindCurrentState  Kind = "current_state"  // how the buyer works today
	KindFutureState   Kind = "future_state"   // how the buyer wants to work
	KindWorkflow      Kind = "workflow"       // a process the solution must support
	KindIntegration   Kind = "integration"    // a system the solution must connect to
	KindDataStructure Kind = "data_structure" // records, fields and their relations
	KindEdgeCase      Kind = "edge_case"      // an exception the solution must handle
	KindConstraint    Kind = "constraint"     // a limit: security, legal, timing
)

// Kinds lists every requirement kind, in a fixed order.
func Kinds() []Kind { return kinds.Codes() }

var kinds = vocab.Of(KindCurrentState, KindFutureState, KindWorkflow, KindIntegration, KindDataStructure, KindEdgeCase, KindConstraint)

// Valid reports whether k is one of [Kinds].
func (k Kind) Valid() bool {
	// A switch over the constants rather than kinds.Has: the compiler
	// compares each as words, without calling on the runtime, and every
	// move of a deal validates the kind of each of its requirements.
	// TestVocabValid checks it against Kinds.
	switch k {
	case KindCurrentState, KindFutureState, KindWorkflow, KindIntegration, KindDataStructure, KindEdgeCase, KindConstraint:
		return true
	}
	return false
}

// Priority says how much a requirement matters: a must-have that no step of
// the implementation sequence addresses makes a scope invalid.
type Priority string

// The priorities, MoSCoW style without the won't-haves (those belong in the
// scope's out-of-scope statements).
const (
	Must   Priority = "must"
	Should Priority = "should"
	Could  Priority = "could"
)

// Valid reports whether p is must, should or could.
func (p Priority) Valid() bool {
	// A switch, as in Kind.Valid: every move asks it of each requirement.
	switch p {
	case Must, Should, Could:
		return true
	}
	return false
}

// Activity is the type of work a step of the implementation sequence does.
type Activity string

// The activity types of an implementation step.
const (
	ActivityAudit             Activity = "audit"
	ActivityConfiguration     Activity = "configuration"
	ActivityDataMigration     Activity = "data_migration"
	ActivityIntegration       Activity = "integration"
	ActivityTesting           Activity = "testing"
	ActivityTraining          Activity = "training"
	ActivityGoLive            Activity = "go_live"
	ActivityProjectManagement Activity = "project_management"
	ActivityDocumentation     Activity = "documentation"
	ActivityOther             Activity = "other"
)

// Activities lists every activity type, in a fixed order.
func Activities() []Activity { return activities.Codes() }

var activities = vocab.Of(ActivityAudit, ActivityConfiguration, ActivityDataMigration, ActivityIntegration,
	ActivityTesting, ActivityTraining, ActivityGoLive, ActivityProjectManagement, ActivityDocumentation, ActivityOther)

// Valid reports whether a is one of [Activities].
func (a Activity) Valid() bool { return activities.Has(a) }

// Phase is a phase of the rollout framework: audit, pick, implement
// (configure, migrate, integrate), pilot, train, go live, iterate. A step
// names the phase it belongs to.
type Phase string

// The phases of the rollout framework. Configure, migrate and integrate are
// the three parts of implement and may run side by side. The codes are
// stable and the list only grows at its end: pick was added last, though
// the framework puts it between audit and implement.
const (
	PhaseAudit     Phase = "audit"
	PhaseConfigure Phase = "configure"
	PhaseMigrate   Phase = "migrate"
	PhaseIntegrate Phase = "integrate"
	PhasePilot     Phase = "pilot"
	PhaseTrain     Phase = "train"
	PhaseGoLive    Phase = "go_live"
	PhaseIterate   Phase = "iterate"
	// PhasePick is the choice of the tool: vendors scored on a scorecard.
	PhasePick Phase = "pick"
)

// Phases lists every phase in the order they joined the vocabulary: the
// framework's first phases in framework order, then pick. The list only
// grows at its end. [Phase.Before] gives the framework order.
func Phases() []Phase { return phases.Codes() }

var phases = vocab.Of(PhaseAudit, PhaseConfigure, PhaseMigrate, PhaseIntegrate, PhasePilot, PhaseTrain, PhaseGoLive, PhaseIterate, PhasePick)

// phaseRanks is the number of positions in the framework.
const phaseRanks = 7

// rank is the position of p in the framework: audit, pick, implement (its
// three parts share a rank), pilot, train, go live, iterate. It is -1 for
// an unknown phase.
func (p Phase) rank() int {
	switch p {
	case PhaseAudit:
		return 0
	case PhasePick:
		return 1
	case PhaseConfigure, PhaseMigrate, PhaseIntegrate:
		return 2
	case PhasePilot:
		return 3
	case PhaseTrain:
		return 4
	case PhaseGoLive:
		return 5
	case PhaseIterate:
		return 6
	}
	return -1
}

// Before reports whether the framework puts p before q: audit, pick,
// implement (configure, migrate and integrate, side by side), pilot,
// train, go live, iterate. An unknown phase is before and after nothing.
func (p Phase) Before(q Phase) bool {
	a, b := p.rank(), q.rank()
	return a >= 0 && b >= 0 && a < b
}

// Valid reports whether p is one of [Phases].
func (p Phase) Valid() bool { return p.rank() >= 0 }

// Status is where a Scope of Work stands in its review.
type Status string

// The statuses of the review workflow.
const (
	StatusDraft            Status = "draft"
	StatusSubmitted        Status = "submitted"
	StatusChangesRequested Status = "changes_requested"
	StatusResubmitted      Status = "resubmitted"
	StatusLeadApproved     Status = "lead_approved"
	StatusClientApproved   Status = "client_approved"
)

// Statuses lists every status in workflow order.
func Statuses() []Status {
	return []Status{StatusDraft, StatusSubmitted, StatusChangesRequested, StatusResubmitted, StatusLeadApproved, StatusClientApproved}
}

// Approvals says which approvals the current revision of a scope has, in
// the order the review gives them: none, the implementation lead's, or the
// lead's and then the client's. Its codes are stable. It is the one answer
// to "is this scope approved" (see [SOW.Approvals] and [Ref.Approved]);
// the zero value counts as none.
type Approvals string

// The approvals of a revision, in the order they are given.
const (
	ApprovalsNone          Approvals = "none"
	ApprovalsLead          Approvals = "lead"
	ApprovalsLeadAndClient Approvals = "lead_and_client"
)

// EventKind names a step of the review recorded in the history.
type EventKind string

// The kinds of review event.
const (
	EventOpened           EventKind = "opened"
	EventRevised          EventKind = "revised"
	EventSubmitted        EventKind = "submitted"
	EventChangesRequested EventKind = "changes_requested"
	EventLeadApproved     EventKind = "lead_approved"
	EventClientApproved   EventKind = "client_approved"
)
