package contract

import (
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
)

// Status is the customer's status: where the relationship stands, separate
// from the deal's stage, which ends at live. Its codes are stable.
type Status string

// The statuses, in the order of the table in the package doc.
const (
	StatusOnboarding Status = "onboarding"
	StatusActive     Status = "active"
	StatusPaused     Status = "paused"
	StatusAtRisk     Status = "at_risk"
	StatusLapsed     Status = "lapsed"
	StatusChurned    Status = "churned"
	StatusRefunded   Status = "refunded"
)

// Statuses lists every status in a fixed order.
func Statuses() []Status { return statuses.Codes() }

// Condition is a fact that can hold alongside any status. Its codes are
// stable.
type Condition string

// The conditions.
const (
	// InRenewalWindow holds from the day the renewal window opens to the
	// last day of the term, while the contract can still renew. It follows
	// from the dates (see [Contract.InWindow]) and cannot be flagged.
	InRenewalWindow Condition = "in_renewal_window"
	// Expansion flags an expansion opportunity.
	Expansion Condition = "expansion"
	// Dispute flags a dispute with the client.
	Dispute Condition = "dispute"
)

// EventKind says what an Event records. Its codes are stable.
type EventKind string

// The event kinds.
const (
	EventCreated       EventKind = "created"
	EventStatus        EventKind = "status"
	EventCondition     EventKind = "condition"
	EventRenewal       EventKind = "renewal"
	EventPayment       EventKind = "payment"
	EventRefund        EventKind = "refund"
	EventReferral      EventKind = "referral"
	EventChangeRequest EventKind = "change_request"
	EventUsage         EventKind = "usage"
	EventConsent       EventKind = "consent"
	EventReference     EventKind = "reference"
)

// Event records one change to a contract: what changed, who changed it,
// when and why.
type Event struct {
	Kind EventKind `json:"kind"`
	// From and To are the statuses before and after a status change (and
	// the status at creation, in To).
	From Status `json:"from,omitempty"`
	To   Status `json:"to,omitempty"`
	// Condition and On record a condition set or cleared; On also says
	// whether a consent was given or withdrawn and whether a refunded
	// client still refers others.
	Condition Condition `json:"condition,omitempty"`
	On        bool      `json:"on,omitempty"`
	// Ref is the ID of the payment, change request or usage recorded, or
	// the kind of a reference.
	Ref    string       `json:"ref,omitempty"`
	Reason string       `json:"reason,omitempty"`
	By     accord.Actor `json:"by"`
	At     time.Time    `json:"at"`
}

// The events of the status machine.
const (
	evGoLive  = "go_live"
	evPause   = "pause"
	evResume  = "resume"
	evRisk    = "flag_risk"
	evRecover = "recover"
	evLapse   = "lapse"
	evChurn   = "churn"
	evRefund  = "refund"
)

var statusEvents = []string{evGoLive, evPause, evResume, evRisk, evRecover, evLapse, evChurn, evRefund}

// check adapts a function to an engine check.
type check func(c *Contract, now time.Time) bool

func (f check) Met(c *Contract, now time.Time) bool { return f(c, now) }

// machine is the compiled status machine; it is immutable and shared.
var machine = func() *engine.Machine[*Contract] {
	live := engine.Criterion[*Contract]{
		ID: "go_live_recorded", Field: "go_live_at",
		Message: "Record the go-live: a customer is active once it is live.",
		Check:   check(func(c *Contract, now time.Time) bool { return !c.GoLiveAt.IsZero() && !c.GoLiveAt.After(now) }),
	}
	ended := engine.Criterion[*Contract]{
		ID: "term_ended", Field: "term.end",
		Message: "Wait for the term to end: a contract lapses only after its last day passes without a renewal.",
		Check:   check(func(c *Contract, now time.Time) bool { return accord.DateOf(now).After(c.Term.End) }),
	}
	manual := engine.Criterion[*Contract]{
		ID: "not_auto_renewing", Field: "auto_renew",
		Message: "The contract renews by itself: record the auto-renewal, or churn the customer if notice was given.",
		Check:   check(func(c *Contract, _ time.Time) bool { return !c.AutoRenew }),
	}
	s := func(st Status) string { return string(st) }
	states := []engine.State[*Contract]{
		{ID: s(StatusOnboarding)},
		{ID: s(StatusActive), Entry: []engine.Criterion[*Contract]{live}},
		{ID: s(StatusPaused)},
		{ID: s(StatusAtRisk)},
		{ID: s(StatusLapsed), Entry: []engine.Criterion[*Contract]{ended, manual}},
		{ID: s(StatusChurned)},
		{ID: s(StatusRefunded)},
	}
	moves := []engine.Move{
		{Event: evGoLive, From: []string{s(StatusOnboarding)}, To: s(StatusActive), GateEntry: true},
		{Event: evPause, From: []string{s(StatusActive)}, To: s(StatusPaused)},
		{Event: evResume, From: []string{s(StatusPaused)}, To: s(StatusActive), GateEntry: true},
		{Event: evRisk, From: []string{s(StatusActive)}, To: s(StatusAtRisk)},
		{Event: evRecover, From: []string{s(StatusAtRisk)}, To: s(StatusActive), GateEntry: true},
		{Event: evLapse, From: []string{s(StatusActive), s(StatusAtRisk)}, To: s(StatusLapsed), GateEntry: true},
		{Event: evChurn, From: []string{s(StatusOnboarding), s(StatusActive), s(StatusPaused), s(StatusAtRisk), s(StatusLapsed)}, To: s(StatusChurned)},
		{Event: evRefund, From: []string{s(StatusOnboarding), s(StatusActive), s(StatusPaused), s(StatusAtRisk), s(StatusLapsed), s(StatusChurned)}, To: s(StatusRefunded)},
	}
	m, err := engine.New(states, moves)
	if err != nil {
		// Unreachable: the definition above is fixed and tested.
		panic("contract: the status machine is invalid: " + err.Error())
	}
	return m
}()

// transition finds the move from status from to status to.
func transition(from, to Status) (*engine.Transition[*Contract], bool) {
	for _, ev := range statusEvents {
		if t, ok := machine.Find(string(from), ev); ok && t.To == string(to) {
			return t, true
		}
	}
	return nil, false
}

// Moves lists the statuses c can move to with [Contract.Move] at now, each with
// the criteria still unmet (nil when the move would succeed now). Churned and
// refunded are reached only through [Contract.Churn] and
// [Contract.RequestRefund], and are not listed.
func (c *Contract) Moves(now time.Time) map[Status][]accord.Unmet {
	if c == nil {
		return nil
	}
	out := map[Status][]accord.Unmet{}
	for _, ev := range statusEvents {
		t, ok := machine.Find(string(c.Status), ev)
		if !ok || t.To == string(StatusChurned) || t.To == string(StatusRefunded) {
			continue
		}
		out[Status(t.To)] = t.Unmet(c, now)
	}
	return out
}

// Move changes the customer's status to to, recording by, at and the reason
// (required). The moves are those in the package doc's table: going active
// needs a recorded go-live, and lapsing needs the term to have ended. To
// churn, use [Contract.Churn]; to refund, [Contract.RequestRefund].
//
// A refused move changes nothing. A move the table does not have wraps
// [accord.ErrConflict]; unmet criteria give a *[accord.BlockedError]; a client
// actor wraps [accord.ErrForbidden]; bad arguments wrap [accord.ErrInvalid].
func (c *Contract) Move(to Status, reason string, by accord.Actor, at time.Time) error {
	if err := c.precheck("move", by, at, manager, "may not change a customer's status", requireReason(reason)); err != nil {
		return err
	}
	if to == StatusChurned || to == StatusRefunded {
		verb := map[Status]string{StatusChurned: "Churn", StatusRefunded: "RequestRefund"}[to]
		return fmt.Errorf("%w: contract %q: move to %s with %s, which records what it needs", accord.ErrConflict, c.ID, to, verb)
	}
	t, ok := transition(c.Status, to)
	if !ok {
		return fmt.Errorf("%w: contract %q: no move from %s to %s", accord.ErrConflict, c.ID, c.Status, to)
	}
	ev := Event{Kind: EventStatus, Reason: reason, By: by, At: at}
	return engine.Apply(c, c.ID, t, at, func() { journal{}.Append(c, t, ev) })
}

// journal records a contract's status moves for the engine: the event, the
// status and the version together.
type journal struct{}

// Append records e, the event of the move t, on c.
func (journal) Append(c *Contract, t *engine.Transition[*Contract], e Event) {
	e.From, e.To = c.Status, Status(t.To)
	c.record(e)
	c.Status = e.To
}

// Flag sets (on) or clears a condition that holds alongside any status:
// [Expansion] or [Dispute]. Setting a condition that already holds records
// nothing. The reason is required.
func (c *Contract) Flag(cond Condition, on bool, reason string, by accord.Actor, at time.Time) error {
	var condErr error
	if cond != Expansion && cond != Dispute {
		condErr = accord.Invalid("condition", "must be %s or %s; %q cannot be flagged", Expansion, Dispute, cond)
	}
	if err := c.precheck("flag", by, at, manager, "may not flag a contract", condErr, requireReason(reason)); err != nil {
		return err
	}
	flag := &c.Expansion
	if cond == Dispute {
		flag = &c.Dispute
	}
	if *flag == on {
		return nil
	}
	*flag = on
	c.record(Event{Kind: EventCondition, Condition: cond, On: on, Reason: reason, By: by, At: at})
	return nil
}

// Conditions lists the conditions that hold at now, in the order
// InRenewalWindow, Expansion, Dispute.
func (c *Contract) Conditions(now time.Time) []Condition {
	if c == nil {
		return nil
	}
	var out []Condition
	if c.InWindow(now) {
		out = append(out, InRenewalWindow)
	}
	if c.Expansion {
		out = append(out, Expansion)
	}
	if c.Dispute {
		out = append(out, Dispute)
	}
	return out
}

// record appends e to the history and counts it.
func (c *Contract) record(e Event) {
	c.History = append(c.History, e)
	c.Version++
}

// manager reports whether role may change a customer's status: anyone on
// the vendor's side.
func manager(r accord.Role) bool { return r != accord.RoleClient }

// precheck checks the arguments every recorded change shares: a contract,
// a valid actor allowed to act, and a time not before the last event. It
// reports them together with problems, the action's own argument errors
// (nil entries are ignored).
func (c *Contract) precheck(action string, by accord.Actor, at time.Time, allowed func(accord.Role) bool, refusal string, problems ...error) error {
	if c == nil {
		return accord.Invalid("contract", "is nil")
	}
	ch := engine.Change{Noun: "contract", ID: c.ID, Action: action, By: by, At: at, LastEvent: "event"}
	if h := c.History; len(h) > 0 {
		ch.Last = h[len(h)-1].At
	}
	return ch.Check(allowed, refusal, problems...)
}

// requireReason refuses a blank reason.
func requireReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return accord.Invalid("reason", "is required: say why")
	}
	return nil
}
