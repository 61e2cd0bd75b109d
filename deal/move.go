package deal

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
)

// Open starts d in the first stage of the process: it sets Stage,
// StageEnteredAt and Version 0, and records the open event. d must have an
// ID and an owner and no history yet.
func (p *Process) Open(d *Deal, by accord.Actor, at time.Time) error {
	if err := p.usable(d); err != nil {
		return err
	}
	if err := p.actor(d, by, EventOpen); err != nil {
		return err
	}
	if len(d.History) > 0 || d.Stage != "" {
		return fmt.Errorf("%w: deal %q is already open, in stage %q", accord.ErrConflict, d.ID, d.Stage)
	}
	errs := []error{d.Validate()}
	if at.IsZero() {
		errs = append(errs, accord.Invalid("at", "is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("deal %q: open: %w", d.ID, err)
	}
	first := p.stages[0].ID
	d.History = append(d.History, Event{Kind: EventOpen, To: first, At: at, By: by})
	d.Stage, d.StageEnteredAt, d.Version = first, at, 0
	return nil
}

// Advance moves d forward one stage, at time at, when every exit criterion
// of its stage and every entry criterion of the next one hold (evaluated at
// at). Advancing into the Closed Won stage records a won event; advancing out
// of the last open stage makes the deal live. In a process that keeps a
// scope guarantee ([Process.Guarantees]) the move into the Closed Won stage
// is made with [Process.Close], which checks the Scope of Work itself:
// Advance refuses it, listing the unmet criterion "scope_presented" with the
// others.
//
// Every move checks the deal first: it must pass [Deal.Validate] (the
// problems are listed, joined; [accord.ErrInvalid]) and its stage, time
// entered, version and loss must be those its history supports
// ([accord.ErrConflict]; see [Process.Verify]).
//
// A refused move changes nothing. When criteria are unmet the error is a
// [*accord.BlockedError] listing every one; it wraps [accord.ErrBlocked].
// Bad arguments wrap [accord.ErrInvalid], a role that may not move deals
// [accord.ErrForbidden], and a deal with no next stage [accord.ErrConflict].
func (p *Process) Advance(d *Deal, by accord.Actor, at time.Time) error {
	from, err := p.precheck(d, by, at, EventAdvance)
	if err != nil {
		return err
	}
	t, ok := p.advanceAt(from)
	if !ok {
		return fmt.Errorf("%w: deal %q is %s: it cannot advance", accord.ErrConflict, d.ID, d.Stage)
	}
	if p.closes(t) {
		return &accord.BlockedError{Op: t.Op, Subject: d.ID, From: t.From, To: t.To, Unmet: p.unmet(t, d, at)}
	}
	return p.apply(d, t, Event{Kind: p.kindAt(t.ToIndex), By: by, At: at})
}

// kindAt names an advance into the stage at position to: won into the
// Closed Won stage, live into live, advance otherwise.
func (p *Process) kindAt(to int) EventKind {
	switch to {
	case p.wonIndex:
		return EventWon
	case len(p.stages):
		return EventLive
	}
	return EventAdvance
}

// Revert moves d back to an earlier open stage because new information
// invalidated an assumption. The reason is required. No criteria gate a
// revert: it records that the deal knows less than it thought.
//
// An implementation lead may revert a won deal only within the post-sale
// stages (the Closed Won stage and later; [accord.ErrForbidden] otherwise).
// A revert to a stage before the Closed Won stage undoes the win: while the
// deal has a contract ([Deal.ContractID]) it is refused
// ([accord.ErrConflict]) unless opts present that contract, ended
// ([WithContract]); the revert then clears ContractID, and the deal is won
// again only through the close.
func (p *Process) Revert(d *Deal, to StageID, reason string, by accord.Actor, at time.Time, opts ...MoveOption) error {
	if err := p.usable(d); err != nil {
		return err
	}
	if err := p.actor(d, by, EventRevert); err != nil {
		return err
	}
	if err := p.leadReverts(d, to, by); err != nil {
		return err
	}
	if _, err := p.precheck(d, by, at, EventRevert); err != nil {
		return err
	}
	if err := p.reason(d, reason); err != nil {
		return err
	}
	if _, open := p.index[d.Stage]; !open {
		return fmt.Errorf("%w: deal %q is %s: only an open deal can revert", accord.ErrConflict, d.ID, d.Stage)
	}
	t, ok := p.machine.Find(string(d.Stage), prefixRevert+string(to))
	if !ok {
		return fmt.Errorf("deal %q: revert: %w", d.ID, accord.Invalid("to", "must be an open stage before %s; got %q", d.Stage, to))
	}
	release, err := p.undoesWin(d, t.ToIndex, opts)
	if err != nil {
		return err
	}
	if err := p.apply(d, t, Event{Kind: EventRevert, By: by, At: at, Reason: reason}); err != nil {
		return err
	}
	if release {
		d.ContractID = ""
	}
	return nil
}

// Lose moves d from any open stage to lost, recording the reason from the
// controlled vocabulary ([LossReasons]) and the stage it was lost at. A note
// is required when the reason is [LossOther]. Losing a won deal undoes the
// win: while it has a contract it needs the contract, ended, as for
// [Process.Revert].
func (p *Process) Lose(d *Deal, reason LossReason, note string, by accord.Actor, at time.Time, opts ...MoveOption) error {
	if _, err := p.precheck(d, by, at, EventLost); err != nil {
		return err
	}
	var errs []error
	if !reason.Valid() {
		errs = append(errs, accord.Invalid("reason", "must be one of the loss reasons; got %q", reason))
	}
	if reason == LossOther && strings.TrimSpace(note) == "" {
		errs = append(errs, accord.Invalid("note", "is required when the reason is %q", LossOther))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("deal %q: lose: %w", d.ID, err)
	}
	t, ok := p.machine.Find(string(d.Stage), eventLose)
	if !ok {
		return fmt.Errorf("%w: deal %q is %s: only an open deal can be lost", accord.ErrConflict, d.ID, d.Stage)
	}
	release, err := p.undoesWin(d, t.ToIndex, opts)
	if err != nil {
		return err
	}
	from := d.Stage
	if err := p.apply(d, t, Event{Kind: EventLost, By: by, At: at, Reason: note, LossReason: reason}); err != nil {
		return err
	}
	d.Loss = &Loss{Reason: reason, Stage: from, Note: note}
	if release {
		d.ContractID = ""
	}
	return nil
}

// Reopen brings a lost deal back to an open stage no later than the one it
// was lost at, and before the Closed Won stage, when the entry criteria of
// that stage hold. The reason is required. It clears Loss; the history keeps
// the loss. A deal lost after it was won reopens at the latest into the
// stage before the Closed Won stage: it is won again only through the close
// ([Process.Close]), so no path into the won stages skips the close gate.
func (p *Process) Reopen(d *Deal, to StageID, reason string, by accord.Actor, at time.Time) error {
	if _, err := p.precheck(d, by, at, EventReopen); err != nil {
		return err
	}
	if err := p.reason(d, reason); err != nil {
		return err
	}
	if d.Stage != StageLost {
		return fmt.Errorf("%w: deal %q is %s: only a lost deal can be reopened", accord.ErrConflict, d.ID, d.Stage)
	}
	t, ok := p.machine.Find(string(StageLost), prefixReopen+string(to))
	lostAt := p.lostAt(d)
	if !ok || p.order(to) > p.order(lostAt) {
		return fmt.Errorf("deal %q: reopen: %w", d.ID, accord.Invalid("to", "must be an open stage no later than %s, where the deal was lost; got %q", lostAt, to))
	}
	if p.won(t.ToIndex) {
		return fmt.Errorf("deal %q: reopen: %w", d.ID, accord.Invalid("to", "must be a stage before %s, the Closed Won stage: a deal is won again only through the close; got %q", p.ClosedWon(), to))
	}
	if err := p.apply(d, t, Event{Kind: EventReopen, By: by, At: at, Reason: reason}); err != nil {
		return err
	}
	d.Loss = nil
	return nil
}

// lostAt returns the open stage a lost deal was lost at: from its last
// lost event (the history, not the Loss summary, which every move checks
// against it), or else, for a deal with no lost event in its history (such
// as one a query builds by hand), from Loss, or else the last open stage.
func (p *Process) lostAt(d *Deal) StageID {
	for i := len(d.History) - 1; i >= 0; i-- {
		if ev := d.History[i]; ev.Kind == EventLost {
			if _, open := p.index[ev.From]; open {
				return ev.From
			}
			return p.stages[len(p.stages)-1].ID
		}
	}
	if d.Loss != nil {
		if _, open := p.index[d.Loss.Stage]; open {
			return d.Loss.Stage
		}
	}
	return p.stages[len(p.stages)-1].ID
}

// apply evaluates t's criteria at ev.At and, when all hold, records ev
// through the engine (see [journal]).
func (p *Process) apply(d *Deal, t *engine.Transition[*Deal], ev Event) error {
	return engine.Apply(d, d.ID, t, ev.At, func() { journal{}.Append(d, t, &ev) })
}

// journal records a deal's moves for the engine: the event, the stage and
// the version together.
type journal struct{}

// Append records ev, the event of the move t, on d. The event is written
// into the history field by field: an Event is a large struct, and
// appending a value would build it once more on the stack.
func (journal) Append(d *Deal, t *engine.Transition[*Deal], ev *Event) {
	n := len(d.History)
	if n == cap(d.History) {
		// Grow by a quarter rather than append's doubling: a host typically
		// loads a deal, makes one move and stores it, so the spare room
		// would be garbage; the growth is still geometric for long runs.
		h := make([]Event, n, n+1+n/4)
		copy(h, d.History)
		d.History = h
	}
	d.History = d.History[:n+1]
	e := &d.History[n]
	e.Kind, e.From, e.To, e.At, e.By = ev.Kind, d.Stage, StageID(t.To), ev.At, ev.By
	e.Reason, e.LossReason, e.Scope, e.Contract = ev.Reason, ev.LossReason, ev.Scope, ev.Contract
	d.Stage, d.StageEnteredAt = e.To, e.At
	d.Version++
}

// leadReverts refuses an implementation lead's revert of a won deal to a
// stage before the Closed Won stage. It is a refusal of the role, so it
// comes before anything else about the move is checked, as [Process.actor]
// does for the role alone; a revert that does not exist from the deal's
// stage is left to the checks that report it.
func (p *Process) leadReverts(d *Deal, to StageID, by accord.Actor) error {
	if by.Role != accord.RoleImplementationLead || !p.Won(d) {
		return nil
	}
	if _, open := p.index[d.Stage]; !open {
		return nil
	}
	if t, ok := p.machine.Find(string(d.Stage), prefixRevert+string(to)); ok && !p.won(t.ToIndex) {
		return fmt.Errorf("%w: deal %q: an implementation lead reverts a won deal only within the post-sale stages, from %s on; %s is before the close",
			accord.ErrForbidden, d.ID, p.ClosedWon(), to)
	}
	return nil
}

// actor checks that by is a valid actor allowed to make a move of kind on
// d, through the engine: a forbidden role is refused before anything else
// about the move is checked.
func (p *Process) actor(d *Deal, by accord.Actor, kind EventKind) error {
	if by.Validate("by") == nil && p.permits(d, by.Role, kind) {
		return nil // what CheckActor answers, without building the change
	}
	ch := engine.Change{Noun: "deal", ID: d.ID, Action: verb(kind), By: by}
	return ch.CheckActor(func(r accord.Role) bool { return p.permits(d, r, kind) },
		func() string { return fmt.Sprintf("may not %s a deal in stage %s", verb(kind), d.Stage) })
}

// permits reports whether role may make a move of kind on d.
func (p *Process) permits(d *Deal, role accord.Role, kind EventKind) bool {
	switch role {
	case accord.RoleSalesRep, accord.RoleSalesManager, accord.RoleAdmin:
		return true
	case accord.RoleImplementationLead:
		// Delivery takes over once the deal is won: it may advance a won
		// deal to live or send it back within the post-sale stages.
		return (kind == EventAdvance || kind == EventRevert) && p.Won(d)
	}
	return false
}

func verb(k EventKind) string {
	switch k {
	case EventLost:
		return "lose"
	case EventWon:
		return "close"
	case EventContract:
		return "set contract"
	case EventOpen, EventAdvance, EventRevert, EventReopen:
		return string(k)
	}
	return "move"
}

// built reports whether p was made by [NewProcess] or [Default]; the zero
// Process (or a nil one) answers every question with nothing and refuses
// every move.
func (p *Process) built() bool { return p != nil && p.machine != nil }

// usable refuses a zero process or a nil deal.
func (p *Process) usable(d *Deal) error {
	switch {
	case !p.built():
		return accord.Invalid("process", "is not built: use deal.Default or deal.NewProcess")
	case d == nil:
		return accord.Invalid("deal", "is nil")
	}
	return nil
}

// precheck validates what every move on an open deal needs, and returns the
// position of the deal's stage.
func (p *Process) precheck(d *Deal, by accord.Actor, at time.Time, kind EventKind) (int, error) {
	if err := p.usable(d); err != nil {
		return 0, err
	}
	if err := p.actor(d, by, kind); err != nil {
		return 0, err
	}
	if len(d.History) == 0 {
		return 0, fmt.Errorf("deal %q: %s: %w", d.ID, verb(kind), accord.Invalid("history", "is empty: open the deal with Process.Open first"))
	}
	i := p.order(d.Stage)
	if i < 0 {
		return 0, fmt.Errorf("deal %q: %s: %w", d.ID, verb(kind), accord.Invalid("stage", "%q is not a stage of this process", d.Stage))
	}
	if last := d.History[len(d.History)-1].At; at.Before(last) || at.IsZero() {
		return 0, fmt.Errorf("deal %q: %s: %w", d.ID, verb(kind), accord.Invalid("at", "%s is before the last event, at %s", at.Format(time.RFC3339), last.Format(time.RFC3339)))
	}
	if err := d.Validate(); err != nil {
		return 0, fmt.Errorf("deal %q: %s: %w", d.ID, verb(kind), err)
	}
	if err := p.agrees(d, i, kind); err != nil {
		return 0, err
	}
	return i, nil
}

func (p *Process) reason(d *Deal, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("deal %q: %w", d.ID, accord.Invalid("reason", "is required"))
	}
	return nil
}

// Unmet lists what is missing for d to advance to the next stage at now:
// every unmet exit criterion of its stage, then every unmet entry criterion
// of the next one. It returns nil when nothing is missing, and for a deal
// that cannot advance (see [Process.Moves]).
func (p *Process) Unmet(d *Deal, now time.Time) []accord.Unmet {
	if p.usable(d) != nil {
		return nil
	}
	t, ok := p.machine.Find(string(d.Stage), eventAdvance)
	if !ok {
		return nil
	}
	return p.unmet(t, d, now)
}

// UnmetTo lists what is missing for d to move to stage to at now, for any
// kind of move (advance, revert, lose, reopen). It fails with
// [accord.ErrConflict] when the process has no move from d's stage to to.
func (p *Process) UnmetTo(d *Deal, to StageID, now time.Time) ([]accord.Unmet, error) {
	if err := p.usable(d); err != nil {
		return nil, err
	}
	t, ok := p.transition(d, to)
	if !ok {
		return nil, fmt.Errorf("%w: deal %q: no move from %s to %s", accord.ErrConflict, d.ID, d.Stage, to)
	}
	return p.unmet(t, d, now), nil
}

func (p *Process) transition(d *Deal, to StageID) (*engine.Transition[*Deal], bool) {
	from := string(d.Stage)
	switch next, _ := p.StageAfter(d.Stage); {
	case to == next:
		return p.machine.Find(from, eventAdvance)
	case to == StageLost:
		return p.machine.Find(from, eventLose)
	case d.Stage == StageLost:
		if o := p.order(to); o > p.order(p.lostAt(d)) || p.won(o) {
			return nil, false
		}
		return p.machine.Find(from, prefixReopen+string(to))
	}
	return p.machine.Find(from, prefixRevert+string(to))
}

// Move is one move a deal can make now, with what blocks it.
type Move struct {
	Kind EventKind `json:"kind"`
	To   StageID   `json:"to"`
	// Unmet lists the unmet criteria; the move is possible when it is empty.
	Unmet []accord.Unmet `json:"unmet"`
}

// Possible reports whether no criterion blocks the move.
func (m Move) Possible() bool { return len(m.Unmet) == 0 }

// Moves lists every move the process allows d from its current stage, with
// the gaps of each at now: the advance first, then reverts from the nearest
// stage back, then lose; for a lost deal, the reopens from the stage it was
// lost at back to the first. Reverts, losses and reopens also need a reason.
func (p *Process) Moves(d *Deal, now time.Time) []Move {
	if p.usable(d) != nil {
		return nil
	}
	var out []Move
	add := func(kind EventKind, to StageID) {
		if t, ok := p.transition(d, to); ok {
			out = append(out, Move{Kind: kind, To: to, Unmet: p.unmet(t, d, now)})
		}
	}
	cur, open := p.index[d.Stage]
	switch {
	case open:
		if next, ok := p.StageAfter(d.Stage); ok {
			add(p.kindAt(p.order(next)), next)
		}
		for i := cur - 1; i >= 0; i-- {
			add(EventRevert, p.stages[i].ID)
		}
		add(EventLost, StageLost)
	case d.Stage == StageLost:
		for i := min(p.order(p.lostAt(d)), p.wonIndex-1); i >= 0; i-- {
			add(EventReopen, p.stages[i].ID)
		}
	}
	return out
}
