// Package engine is the generic stage machine behind deals, Scopes of Work
// and customer statuses: states, the moves allowed between them, and each
// state's entry and exit criteria.
//
// It also records moves, not only gates them: [Change.Check] checks who
// makes a change and when, through each machine's role policy
// ([Change.CheckActor] who alone, for a machine that checks the time after
// the role), and [Apply] evaluates a move's gates and then has the
// machine's journal append the event, set the state and bump the version,
// so a machine cannot do one without the others.
//
// # Why looplab/fsm is used at build time only
//
// github.com/looplab/fsm is the transition engine named by the design. [New]
// hands it the move table and asks it, state by state, which events exist
// (AvailableTransitions) and where each one leads (Event on a probe machine).
// The answers are compiled into an immutable index that every evaluation then
// reads without locks or allocations.
//
// Per-subject moves deliberately do not go through an fsm.FSM. An FSM holds
// the current state of one subject behind a mutex, so a machine shared by a
// host's deals would serialise them all, and one machine per deal per request
// costs a build of its maps. Its Event also allocates on every call and runs
// callbacks under its lock, where calling back into the machine deadlocks.
// BenchmarkLooplabEvent and BenchmarkAdvance in package deal measure the
// difference in one run; the figures are in the README's Performance
// section.
//
// The other hazards of looplab/fsm are routed around here too: no callbacks
// are registered, so no host code ever runs inside it and no callback key can
// be misspelled; no context is passed that could be cancelled mid-transition;
// AvailableTransitions is sorted before use; and probe machines are local to
// [New], never shared between goroutines.
package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/looplab/fsm"
)

// Check is the pure test behind a criterion. Met must not modify the subject
// and must give the same answer for the same subject and now.
type Check[S any] interface {
	Met(subject S, now time.Time) bool
}

// Explainer is a [Check] that can say why it does not hold, one reason per
// problem it finds, such as a policy reporting each of its violations.
// Explain is called only when Met is false. Each reason's Message and Field
// are used; its Criterion, State and Side are those of the criterion. An
// empty Message or Field falls back to the criterion's, and no reasons at
// all to the criterion's single report.
type Explainer[S any] interface {
	Explain(subject S, now time.Time) []accord.Unmet
}

// Criterion is one condition a move must satisfy.
type Criterion[S any] struct {
	ID      string
	Message string
	Field   string
	Check   Check[S]
}

// State is one state of a machine with its entry and exit criteria, each
// list in the order it is evaluated and reported.
type State[S any] struct {
	ID    string
	Entry []Criterion[S]
	Exit  []Criterion[S]
}

// Move declares an event that takes a subject from any state in From to To,
// and which criteria gate it: the exit criteria of the state it leaves, the
// entry criteria of To, both, or neither. Op is what a refusal of the move
// reports it refused; empty means [accord.OpMove].
type Move struct {
	Event     string
	Op        accord.Op
	From      []string
	To        string
	GateExit  bool
	GateEntry bool
}

// Transition is one compiled (event, from) pair of a machine. FromIndex and
// ToIndex are the positions of From and To in the states given to [New].
type Transition[S any] struct {
	Event     string
	Op        accord.Op
	From      string
	To        string
	FromIndex int
	ToIndex   int
	gates     []gate[S]
	// all is the fused check of the gates (see [Fuse]), or nil.
	all Check[S]
}

// Fuse builds one check that holds exactly when every one of checks
// holds, for a machine whose subjects can be checked faster as a whole
// than one criterion at a time (a deal reads its text fields at their
// offsets, without a call per field). [New] fuses the checks of every
// gated transition once, and [Transition.Unmet] asks the fused check
// first: when it holds, nothing is missing; when it does not, each
// criterion is evaluated and reported as without it. Of several Fuses
// given to New, the last is used.
type Fuse[S any] func(checks []Check[S]) Check[S]

type gate[S any] struct {
	unmet accord.Unmet // the report if the check fails; shared, never mutated
	check Check[S]
}

// Machine is an immutable, compiled stage machine. It is safe for concurrent
// use by any number of goroutines.
type Machine[S any] struct {
	index map[string]int
	from  [][]*Transition[S] // by state index, sorted by event
}

// New validates states and moves as a whole and compiles them. Every problem
// is reported, joined, each a [*accord.FieldError] with its path.
func New[S any](states []State[S], moves []Move, fuse ...Fuse[S]) (*Machine[S], error) {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, accord.Invalid(path, format, args...))
	}
	if len(states) == 0 {
		bad("states", "must list at least one state")
	}
	m := &Machine[S]{index: make(map[string]int, len(states))}
	for i, s := range states {
		p := fmt.Sprintf("states[%d]", i)
		if s.ID == "" {
			bad(p+".id", "is required")
		} else if _, dup := m.index[s.ID]; dup {
			bad(p+".id", "duplicates state %q", s.ID)
		} else {
			m.index[s.ID] = i
		}
		checkCriteria(p+".entry", s.Entry, bad)
		checkCriteria(p+".exit", s.Exit, bad)
	}
	type key struct{ event, from string }
	seen := map[key]bool{}
	var events fsm.Events
	for i, mv := range moves {
		p := fmt.Sprintf("moves[%d]", i)
		if mv.Event == "" {
			bad(p+".event", "is required")
		}
		if _, ok := m.index[mv.To]; !ok {
			bad(p+".to", "names unknown state %q", mv.To)
		}
		if len(mv.From) == 0 {
			bad(p+".from", "must list at least one state")
		}
		for j, f := range mv.From {
			if _, ok := m.index[f]; !ok {
				bad(fmt.Sprintf("%s.from[%d]", p, j), "names unknown state %q", f)
			}
			k := key{mv.Event, f}
			if seen[k] {
				bad(fmt.Sprintf("%s.from[%d]", p, j), "event %q from %q is already declared", mv.Event, f)
			}
			seen[k] = true
		}
		events = append(events, fsm.EventDesc{Name: mv.Event, Src: slices.Clone(mv.From), Dst: mv.To})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	gates := map[key]Move{}
	for _, mv := range moves {
		for _, f := range mv.From {
			gates[key{mv.Event, f}] = mv
		}
	}
	m.from = make([][]*Transition[S], len(states))
	for i, s := range states {
		// looplab/fsm is the authority on which events exist from a state
		// and where they lead.
		probe := fsm.NewFSM(s.ID, events, nil)
		available := probe.AvailableTransitions()
		slices.Sort(available)
		for _, ev := range available {
			to, err := destination(s.ID, ev, events)
			if err != nil {
				return nil, err
			}
			mv := gates[key{ev, s.ID}]
			op := mv.Op
			if op == "" {
				op = accord.OpMove
			}
			t := &Transition[S]{Event: ev, Op: op, From: s.ID, To: to, FromIndex: i, ToIndex: m.index[to]}
			if mv.GateExit {
				t.gates = appendGates(t.gates, s.ID, accord.SideExit, s.Exit)
			}
			if mv.GateEntry {
				dst := states[m.index[to]]
				t.gates = appendGates(t.gates, dst.ID, accord.SideEntry, dst.Entry)
			}
			if len(t.gates) > 0 {
				if len(fuse) > 0 {
					checks := make([]Check[S], len(t.gates))
					for i := range t.gates {
						checks[i] = t.gates[i].check
					}
					t.all = fuse[len(fuse)-1](checks)
				}
			}
			m.from[i] = append(m.from[i], t)
		}
	}
	return m, nil
}

// destination asks a fresh looplab machine where event leads from state.
func destination(state, event string, events fsm.Events) (string, error) {
	probe := fsm.NewFSM(state, events, nil)
	err := probe.Event(context.Background(), event)
	var noTransition fsm.NoTransitionError
	if err != nil && !errors.As(err, &noTransition) {
		return "", fmt.Errorf("engine: looplab/fsm refused %q from %q: %w", event, state, err)
	}
	return probe.Current(), nil
}

func checkCriteria[S any](path string, cs []Criterion[S], bad func(string, string, ...any)) {
	ids := map[string]bool{}
	for i, c := range cs {
		p := fmt.Sprintf("%s[%d]", path, i)
		if c.ID == "" {
			bad(p+".id", "is required")
		} else if ids[c.ID] {
			bad(p+".id", "duplicates criterion %q", c.ID)
		}
		ids[c.ID] = true
		if c.Message == "" {
			bad(p+".message", "is required")
		}
		if c.Check == nil {
			bad(p+".check", "is required")
		}
	}
}

func appendGates[S any](gs []gate[S], state string, side accord.Side, cs []Criterion[S]) []gate[S] {
	for _, c := range cs {
		gs = append(gs, gate[S]{
			unmet: accord.Unmet{Criterion: c.ID, State: state, Side: side, Message: c.Message, Field: c.Field},
			check: c.Check,
		})
	}
	return gs
}

// Find returns the transition for event from state, if the machine has one.
func (m *Machine[S]) Find(from, event string) (*Transition[S], bool) {
	i, ok := m.index[from]
	if !ok {
		return nil, false
	}
	return m.FindAt(i, event)
}

// FindAt is [Machine.Find] for the state at position from in the states
// given to [New], for callers that already know it.
func (m *Machine[S]) FindAt(from int, event string) (*Transition[S], bool) {
	if from < 0 || from >= len(m.from) {
		return nil, false
	}
	for _, t := range m.from[from] {
		if t.Event == event {
			return t, true
		}
	}
	return nil, false
}

// Unmet evaluates every criterion gating t against subject at now and
// returns those that do not hold: the exit criteria of t.From first, then the
// entry criteria of t.To, each in declaration order. A criterion whose check
// is an [Explainer] is reported once per reason it gives. It returns nil,
// without allocating, when all hold.
func (t *Transition[S]) Unmet(subject S, now time.Time) []accord.Unmet {
	// The loop that finds the first unmet criterion keeps nothing else
	// live across the checks it calls: every move runs it, and usually
	// every criterion holds.
	if t.all != nil && t.all.Met(subject, now) {
		return nil
	}
	gs := t.gates
	for i := range gs {
		if !gs[i].check.Met(subject, now) {
			return unmetFrom(gs, i, subject, now)
		}
	}
	return nil
}

// unmetFrom reports the criteria of gs that do not hold, gs[i] the first.
func unmetFrom[S any](gs []gate[S], i int, subject S, now time.Time) []accord.Unmet {
	out := gs[i].report(make([]accord.Unmet, 0, len(gs)-i), subject, now)
	for j := i + 1; j < len(gs); j++ {
		if !gs[j].check.Met(subject, now) {
			out = gs[j].report(out, subject, now)
		}
	}
	return out
}

// report appends what g reports when its check fails: the check's own
// reasons when it explains itself, else g's single report.
func (g *gate[S]) report(out []accord.Unmet, subject S, now time.Time) []accord.Unmet {
	x, ok := g.check.(Explainer[S])
	if !ok {
		return append(out, g.unmet)
	}
	reasons := x.Explain(subject, now)
	if len(reasons) == 0 {
		return append(out, g.unmet)
	}
	for _, r := range reasons {
		u := g.unmet
		if r.Message != "" {
			u.Message = r.Message
		}
		if r.Field != "" {
			u.Field = r.Field
		}
		out = append(out, u)
	}
	return out
}

// Blocked evaluates t like [Transition.Unmet] and returns nil when every
// criterion holds, or a [*accord.BlockedError] for subject id listing the
// unmet ones, with t's Op.
func (t *Transition[S]) Blocked(id string, subject S, now time.Time) error {
	unmet := t.Unmet(subject, now)
	if unmet == nil {
		return nil
	}
	return &accord.BlockedError{Op: t.Op, Subject: id, From: t.From, To: t.To, Unmet: unmet}
}

// Apply makes the move t on subject s (identified by id in errors) at at:
// it evaluates every criterion gating t and, when all hold, calls record,
// the machine's journal, which records the move: it appends the move's
// event to s's history, sets s's state to t.To and bumps s's version (for
// a machine whose subjects count moves), together. A refused move returns
// the [*accord.BlockedError] of [Transition.Blocked] and changes nothing.
// Every gated move of every machine goes through Apply, so none can record
// a move without its gates, or pass its gates without recording it.
//
// record is a closure over the machine's event rather than a journal
// given the event: an event passed by value through a generic call is
// copied at each step, and one passed by pointer escapes to the heap,
// where a closure that Apply only calls stays on the caller's stack.
func Apply[S any](s S, id string, t *Transition[S], at time.Time, record func()) error {
	if err := t.Blocked(id, s, at); err != nil {
		return err
	}
	record()
	return nil
}

// Change is what every recorded change of a machine's subject is checked
// for before the machine looks at the move itself: who makes it, when, and
// whether their role allows it. Noun and ID name the subject in errors
// ("contract", "ctr-1"), Action the change ("move", "submit").
type Change struct {
	Noun, ID, Action string
	By               accord.Actor
	At               time.Time
	// Last is the time of the last event recorded on the subject, or zero.
	Last time.Time
	// LastEvent names that event in messages, such as "event" or "review
	// event".
	LastEvent string
}

// Check validates c for a machine whose role policy is allowed: the actor
// (by.id, by.role), the time (at: set, and not before the last event) and
// the change's own argument errors (problems; nil entries are ignored) are
// reported together, each a [*accord.FieldError] wrapped as
// "noun "id": action: ..." ([accord.ErrInvalid]); then a role allowed
// refuses wraps [accord.ErrForbidden] with refusal. It returns nil when the
// change may go ahead.
func (c Change) Check(allowed func(accord.Role) bool, refusal string, problems ...error) error {
	errs := []error{c.By.Validate("by")}
	switch {
	case c.At.IsZero():
		errs = append(errs, accord.Invalid("at", "is required"))
	case !c.Last.IsZero() && c.At.Before(c.Last):
		errs = append(errs, accord.Invalid("at", "%s is before the last %s, at %s", c.At.Format(time.RFC3339), c.LastEvent, c.Last.Format(time.RFC3339)))
	}
	if err := errors.Join(append(errs, problems...)...); err != nil {
		return c.invalid(err)
	}
	if !allowed(c.By.Role) {
		return c.forbidden(refusal)
	}
	return nil
}

// CheckActor validates only who makes c, for a machine that tells an actor
// who may not make a change so before anything else is wrong with it (a
// deal's moves: a forbidden role is refused before a bad date, a missing
// history or an unknown stage). by (by.id, by.role) is reported as by
// [Change.Check]; then a role allowed refuses wraps [accord.ErrForbidden]
// with the reason refusal gives, called only then (so that a machine whose
// reason names the subject's state builds it only for a refusal). At, Last
// and LastEvent are not read: the machine checks the time itself.
func (c Change) CheckActor(allowed func(accord.Role) bool, refusal func() string) error {
	if err := c.By.Validate("by"); err != nil {
		return c.invalid(err)
	}
	if !allowed(c.By.Role) {
		return c.forbidden(refusal())
	}
	return nil
}

// invalid wraps the argument errors of c as "noun "id": action: ...".
func (c Change) invalid(err error) error {
	return fmt.Errorf("%s %q: %s: %w", c.Noun, c.ID, c.Action, err)
}

// forbidden is the refusal of c's actor's role.
func (c Change) forbidden(refusal string) error {
	return fmt.Errorf("%w: %s %q: role %s %s", accord.ErrForbidden, c.Noun, c.ID, c.By.Role, refusal)
}
