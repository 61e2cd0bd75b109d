package deal

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"strings"
	"time"
	"unsafe"

	"github.com/accordhq/accord"
)

// Outcome says where a deal's history leaves it.
type Outcome string

// The outcomes.
const (
	// OutcomeOpen: the deal is in an open stage before the Closed Won stage.
	OutcomeOpen Outcome = "open"
	// OutcomeWon: the deal is in the Closed Won stage or an open stage
	// after it.
	OutcomeWon Outcome = "won"
	// OutcomeLive: the deal is live.
	OutcomeLive Outcome = "live"
	// OutcomeLost: the deal is lost.
	OutcomeLost Outcome = "lost"
)

// Stay is one stay of a deal in a stage: from the event that entered the
// stage to the event that left it.
type Stay struct {
	Stage StageID
	// Index is the position of Stage in the process: the open stages in
	// order from 0, then live, then lost.
	Index int
	// Entered is when the deal entered the stage; Left when it left it,
	// zero for the stay the deal is still in.
	Entered, Left time.Time
	// Duration is the wall-clock time from Entered to Left, saturated at
	// the bounds of a [time.Duration]; 0 for the stay the deal is still in.
	Duration time.Duration
}

// Reading is what a deal's history says, read once against a process by
// [Process.Read] or [Process.ReadImported]: every stay in a stage, the
// outcome, and the moves back.
//
// A Reading is reused: each read resets it and keeps its memory, so that
// reading deal after deal into one Reading allocates nothing once it has
// grown. It refers to the history it read rather than copying it: read
// again after changing the history.
type Reading struct {
	// Outcome is where the history leaves the deal.
	Outcome Outcome
	// OpenedAt is the time of the history's first event.
	OpenedAt time.Time
	// WonAt is when the deal last entered the Closed Won stage or a stage
	// after it from outside those stages (by winning, or by a reopen into
	// them), for a deal that is won or live; zero otherwise.
	WonAt time.Time
	// LiveAt is when a live deal went live; zero otherwise.
	LiveAt time.Time
	// LostAt is when a lost deal was lost, and Loss why and where (the
	// stage it was lost at, the reason and the note of the loss event);
	// both are zero otherwise.
	LostAt time.Time
	Loss   Loss
	// Reverts counts the moves back to an earlier open stage; Reopens the
	// moves from lost back to an open stage.
	Reverts, Reopens int
	// Contract is the contract the history records now: the one its last
	// [EventContract] event names, unless the deal left the won stages
	// since; "" for none.
	Contract string

	history []Event
	events  []int32 // the event that began each stay; empty when stay i began at event i
	index   []int32 // the position of each event's stage
	// The figures of each position, zero for a stage the deal never
	// entered, so that one clear resets them.
	byPos []position
}

// Len returns the number of stays: one for each event of the history read,
// none after a failed read, and none for a nil Reading.
func (r *Reading) Len() int {
	if r == nil {
		return 0
	}
	return len(r.index)
}

// Stay returns stay i, 0 ≤ i < Len(): the stay that event i of the history
// began; the zero Stay for any other i, and for a nil Reading.
func (r *Reading) Stay(i int) Stay {
	if uint(i) >= uint(r.Len()) {
		return Stay{}
	}
	ev := &r.history[r.event(i)]
	s := Stay{Stage: ev.To, Index: int(r.index[i]), Entered: ev.At}
	if i+1 < len(r.index) {
		s.Left = r.history[r.event(i+1)].At
		s.Duration = instantOf(s.Left).sub(instantOf(s.Entered))
	}
	return s
}

// Index returns the position of the stage of stay i, 0 ≤ i < Len():
// Stay(i).Index, without building the Stay; -1 for any other i, and for a
// nil Reading.
func (r *Reading) Index(i int) int {
	if r == nil || uint(i) >= uint(len(r.index)) {
		return -1
	}
	return int(r.index[i])
}

// event returns the event that began stay i: event i itself when the
// history has no contract event, which begins no stay (events is then
// left empty).
func (r *Reading) event(i int) int32 {
	if len(r.events) == 0 {
		return int32(i)
	}
	return r.events[i]
}

// Stays returns the stays in order, with their positions.
func (r *Reading) Stays() iter.Seq2[int, Stay] {
	return func(yield func(int, Stay) bool) {
		for i := range r.Len() {
			if !yield(i, r.Stay(i)) {
				return
			}
		}
	}
}

// Entries returns the first and the last stay in the stage at position
// index (see [Stay]), or -1, -1 when the deal never entered it or index is
// not a position of the process.
func (r *Reading) Entries(index int) (first, last int) {
	if r == nil || uint(index) >= uint(len(r.byPos)) {
		return -1, -1
	}
	s := &r.byPos[index]
	return int(s.first) - 1, int(s.last) - 1
}

// TimeIn returns the wall-clock time the deal spent in the stage at
// position index over all its stays there but the one it is still in,
// saturated at the bounds of a [time.Duration].
func (r *Reading) TimeIn(index int) time.Duration {
	if r == nil || uint(index) >= uint(len(r.byPos)) {
		return 0
	}
	return r.byPos[index].timeIn
}

// Won reports whether the reading's outcome is won or live: the deal is at
// or past the Closed Won stage and not lost. It agrees with [Process.Won]
// on every deal the process can read.
func (r *Reading) Won() bool {
	return r != nil && (r.Outcome == OutcomeWon || r.Outcome == OutcomeLive)
}

// Current returns the stay the deal is in: the last one; the zero Stay for
// an empty reading.
func (r *Reading) Current() Stay {
	return r.Stay(r.Len() - 1)
}

func (r *Reading) reset() {
	r.Outcome, r.OpenedAt, r.WonAt, r.LiveAt, r.LostAt, r.Loss = "", time.Time{}, time.Time{}, time.Time{}, time.Time{}, Loss{}
	r.Reverts, r.Reopens, r.history, r.Contract = 0, 0, nil, ""
	r.index, r.events = r.index[:0], r.events[:0]
	r.byPos = r.byPos[:0]
}

// position holds the figures of one position of the process in a
// Reading: the first and the last stay in its stage, each counted from 1
// (0 for none), and the time of its finished stays summed.
type position struct {
	first, last int32
	timeIn      time.Duration
}

// positions sizes and clears the per-position figures for n positions.
func (r *Reading) positions(n int) {
	if cap(r.byPos) < n {
		r.byPos = make([]position, n)
	}
	r.byPos = r.byPos[:n]
	clear(r.byPos)
}

// Read reads d's history into r (see [Reading]) and checks that it is a
// history the process records. Every problem is reported, joined, each a
// [*accord.FieldError] (wrapping [accord.ErrInvalid]) naming the event
// index and the rule, such as "history[3].from: must be discovery, where
// event 2 went; got targeting". The rules:
//
//   - the history is not empty, and starts with an open event from no
//     stage into the first stage;
//   - every event is dated, no earlier than the event before it, and goes
//     to a stage of the process;
//   - every event's From is the stage the event before it went to;
//   - every event's kind is the move it makes: an advance goes to the next
//     stage and is recorded as won into the Closed Won stage, live into
//     live and advance otherwise; a revert goes from an open stage to an
//     earlier one; a loss goes from an open stage to lost with one of the
//     [LossReasons]; a reopen goes from lost to an open stage no later than
//     the one the deal was lost at and before the Closed Won stage;
//   - the deal's Stage, StageEnteredAt and Version are those of the last
//     event and the number of moves; Loss is set exactly while the deal is
//     lost, and records the last loss.
//
// On error r is reset: it has no stays. A zero process or a nil deal
// is refused with an error wrapping [accord.ErrInvalid].
func (p *Process) Read(d *Deal, r *Reading) error { return p.read(d, r, true) }

// ReadImported reads d's history into r (see [Reading]) as a history that
// records only the stages a deal entered and when, such as one imported
// from another CRM: it checks that the history is not empty, that every
// event is dated, no earlier than the one before it and goes to a stage of
// the process, and that every loss follows an open stage and has one of the
// [LossReasons]; it does not check the events' kinds and From, nor the
// deal's own Stage, Version and Loss. A history [Process.Read] accepts is
// read the same way by both.
//
// Package metrics reads every history this way.
func (p *Process) ReadImported(d *Deal, r *Reading) error {
	if r != nil && d != nil && p.built() && len(d.History) > 0 {
		r.positions(len(p.stages) + 2)
		if p.readPlain(d.History, r) {
			return nil
		}
	}
	return p.read(d, r, false)
}

func (p *Process) read(d *Deal, r *Reading, strict bool) error {
	if r == nil {
		return accord.Invalid("reading", "is nil")
	}
	if err := p.usable(d); err != nil {
		r.reset()
		return err
	}
	h := d.History
	if len(h) == 0 {
		r.reset()
		return fmt.Errorf("deal %q: %w", d.ID, accord.Invalid("history", "is empty: an open deal has at least its open event"))
	}
	var errs []error
	live, lost := len(p.stages), len(p.stages)+1
	r.positions(lost + 1)
	// The stays, the figures by position and the counts are kept in locals
	// while the loop runs, so that a store into one does not reload the
	// others; r's own fields are set once, after it (or reset on error).
	index, events := r.index[:0], r.events[:0]
	byPos := r.byPos
	prev, won, reverts, reopens := -1, -1, 0, 0
	var last instant
	// contract and end are what contractOf and lastMove find, followed
	// along the way rather than by two more passes over the history.
	contract, end := "", 0
	for i := range h {
		ev := &h[i]
		if ev.Kind == EventContract {
			errs = p.checkContract(errs, h, i, prev)
			contract = ev.Contract
			continue
		}
		end = i
		o := p.orderFrom(ev.To, prev+1)
		if contract != "" && (!p.won(o) || ev.From != "" && !p.won(p.order(ev.From))) {
			contract = ""
		}
		cur := instantOf(ev.At)
		var dur time.Duration // since the event before; negative when out of order
		if i > 0 {
			dur = cur.sub(last)
		}
		switch {
		case o < 0:
			errs = badEvent(errs, i, "to", "%q is not a stage of the process", ev.To)
		case ev.At.IsZero():
			errs = badEvent(errs, i, "at", "is required")
		case dur < 0:
			errs = badEvent(errs, i, "at", "%s is before event %d, at %s", ev.At, i-1, h[i-1].At)
		}
		if strict {
			errs = p.checkMove(errs, h, i, prev, o)
		}
		if o == lost {
			if !strict && (prev < 0 || prev >= live) {
				errs = badEvent(errs, i, "to", "a loss must follow an open stage")
			}
			if !ev.LossReason.Valid() {
				errs = badEvent(errs, i, "loss_reason", "must be one of the loss reasons; got %q", ev.LossReason)
			}
		}
		if errs != nil {
			prev, last = o, cur
			continue
		}
		if i > 0 {
			s := &byPos[prev]
			if t := s.timeIn + dur; t >= s.timeIn {
				s.timeIn = t
			} else {
				s.timeIn = math.MaxInt64
			}
		}
		n := int32(min(len(index), math.MaxInt32-1)) + 1 // this stay, from 1
		index = append(index, int32(o))
		events = append(events, int32(min(i, math.MaxInt32)))
		if s := &byPos[o]; s.first == 0 {
			s.first, s.last = n, n
		} else {
			s.last = n
		}
		if o >= p.wonIndex && o <= live && (prev < p.wonIndex || prev == lost) {
			won = i
		}
		switch {
		case prev == lost:
			reopens++
		case prev >= 0 && prev < live && o < prev:
			reverts++
		}
		prev, last = o, cur
	}
	r.index, r.events = index, events
	if strict {
		errs = p.checkDeal(errs, d)
	}
	if errs != nil {
		r.reset()
		return fmt.Errorf("deal %q: %w", d.ID, errors.Join(errs...))
	}
	r.history, r.OpenedAt, r.Contract, r.Reverts, r.Reopens = h, h[0].At, contract, reverts, reopens
	r.WonAt, r.LiveAt, r.LostAt, r.Loss = time.Time{}, time.Time{}, time.Time{}, Loss{}
	switch e := &h[end]; {
	case prev == lost:
		r.Outcome, r.LostAt = OutcomeLost, e.At
		r.Loss = Loss{Reason: e.LossReason, Stage: e.From, Note: e.Reason}
	case prev == live:
		r.Outcome, r.LiveAt, r.WonAt = OutcomeLive, e.At, h[won].At
	case p.won(prev):
		r.Outcome, r.WonAt = OutcomeWon, h[won].At
	default:
		r.Outcome = OutcomeOpen
	}
	return nil
}

// readPlain reads h into r, whose positions are sized and clear, and
// reports true, when h is a plain history: no contract event, every event
// dated between mid-1827 and mid-2112, in time order and going to a stage
// of the process, and every loss following an open stage with one of the
// [LossReasons]. Anything else (every history with a problem among them)
// it leaves to the general loop of read, which reads the plain histories
// the same way, and reports false, r's figures by position then dirty.
//
// It is read's loop without the bookkeeping that only contract events and
// problems need, since a metric reads every history of a pipeline through
// it: each event's time is taken once as Unix nanoseconds (which the range
// keeps exact, and any two of them a valid Duration apart), its stage is
// found by the identity of its ID where it can be, and what is rare (a
// stage found by its bytes, a loss, a revert or a reopen) is counted out
// of line, so that the loop keeps its figures in registers.
func (p *Process) readPlain(h []Event, r *Reading) bool {
	if len(h) == 0 || len(h) >= math.MaxInt32 {
		return false
	}
	live, lost := len(p.stages), len(p.stages)+1
	byPos := r.byPos[:lost+1]
	if cap(r.index) < len(h) {
		r.index = make([]int32, len(h), len(h)+len(h)/2)
	}
	index := r.index[:len(h)]
	r.Reverts, r.Reopens = 0, 0
	// The first event, peeled from the loop: it ends no stay, and the
	// position it goes to is clear.
	ev := &h[0]
	if len(ev.Kind) == len(EventContract) && ev.Kind == EventContract {
		return false
	}
	prev := 0
	if len(p.ids) == 0 || !identical(p.ids[0], ev.To) {
		if prev = p.plainMove(r, ev, -1); prev < 0 {
			return false
		}
	}
	last, ok := plainNanos(&ev.At) // the time of the event before
	if !ok {
		return false
	}
	index[0] = int32(prev)
	byPos[prev].first, byPos[prev].last = 1, 1
	for i := 1; i < len(h); i++ {
		ev := &h[i]
		if len(ev.Kind) == len(EventContract) && ev.Kind == EventContract {
			return false
		}
		o := prev + 1
		if uint(o) >= uint(len(p.ids)) || !identical(p.ids[o], ev.To) {
			if o = p.plainMove(r, ev, prev); o < 0 {
				return false
			}
		}
		ns, ok := plainNanos(&ev.At)
		if !ok {
			return false
		}
		// The stays' times add up to no more than the time from the
		// first event to the last: no sum of them overflows.
		dur := time.Duration(ns - last)
		if dur < 0 {
			return false
		}
		byPos[prev].timeIn += dur
		index[i] = int32(o)
		s := &byPos[o]
		s.last = int32(i) + 1 // this stay, from 1
		if s.first == 0 {
			s.first = s.last
		}
		prev, last = o, ns
	}
	// A won deal was won by the first event of the run of won stages the
	// history ends with: the last that entered them from outside.
	won := len(h) - 1
	if p.won(prev) {
		for won > 0 && p.won(int(index[won-1])) {
			won--
		}
	}
	r.index, r.events = index, r.events[:0]
	r.history, r.OpenedAt, r.Contract = h, h[0].At, ""
	switch e := &h[len(h)-1]; {
	case prev == lost:
		r.Outcome, r.WonAt, r.LiveAt, r.LostAt = OutcomeLost, time.Time{}, time.Time{}, e.At
		// Field by field: a Loss built whole is built on the stack and
		// copied in wider loads than its stores, which the processor
		// cannot forward.
		r.Loss.Reason, r.Loss.Stage, r.Loss.Note = e.LossReason, e.From, e.Reason
		return true
	case prev == live:
		r.Outcome, r.WonAt, r.LiveAt = OutcomeLive, h[won].At, e.At
	case p.won(prev):
		r.Outcome, r.WonAt, r.LiveAt = OutcomeWon, h[won].At, time.Time{}
	default:
		r.Outcome, r.WonAt, r.LiveAt = OutcomeOpen, time.Time{}, time.Time{}
	}
	r.LostAt = time.Time{}
	r.Loss = Loss{}
	return true
}

// plainNanos returns t in Unix nanoseconds for readPlain, and false when
// t is not between mid-1827 and mid-2112 (the zero time among them).
func plainNanos(t *time.Time) (int64, bool) {
	const secs = 4_500_000_000 // seconds either side of 1970
	sec := t.Unix()
	if uint64(sec+secs) > 2*secs {
		return 0, false
	}
	return sec*int64(time.Second) + int64(t.Nanosecond()), true
}

// plainMove returns the position of the stage ev goes to from the stage
// at position prev (-1 before the first event), for readPlain, when it is
// not the next one or not found by the identity of its ID: -1 when ev is
// not part of a plain history. It counts a revert or a reopen in r.
//
//go:noinline // keeps the loop of readPlain free of the calls made here
func (p *Process) plainMove(r *Reading, ev *Event, prev int) int {
	live, lost := len(p.stages), len(p.stages)+1
	var o int
	switch {
	case identical(ev.To, StageLost):
		o = lost
	case identical(ev.To, StageLive):
		// The usual move of a won import, from its last open stage; no
		// open stage is named live.
		o = live
	default:
		o = p.orderFrom(ev.To, prev+1)
	}
	switch {
	case o == lost:
		if prev < 0 || prev >= live || !ev.LossReason.Valid() {
			return -1
		}
	case prev == lost:
		r.Reopens++
	case prev >= 0 && prev < live && o >= 0 && o < prev:
		r.Reverts++
	}
	return o
}

// identical reports whether a and b are one string in memory, and so
// equal, without comparing their bytes: the usual case for the stage IDs
// and loss reasons of a history, made from the process's or the package's
// constants. It is a test cheaper than ==, which calls out to compare the
// bytes of two strings of one length even when they are one.
func identical[S ~string](a, b S) bool {
	return len(a) == len(b) && unsafe.StringData(string(a)) == unsafe.StringData(string(b))
}

// badEvent appends to errs the problem with field of event i: out of line,
// so that the loop of read, which calls it only on a bad history, keeps
// errs in a register rather than in a closure's memory.
func badEvent(errs []error, i int, field, format string, args ...any) []error {
	return append(errs, accord.Invalid(fmt.Sprintf("history[%d].%s", i, field), format, args...))
}

// checkMove appends to errs every way event i of h, going to the stage at
// position to from the stage at position from (-1 before the first event),
// is not a move the process records.
func (p *Process) checkMove(errs []error, h []Event, i, from, to int) []error {
	bad := func(field, format string, args ...any) {
		errs = append(errs, accord.Invalid(fmt.Sprintf("history[%d].%s", i, field), format, args...))
	}
	ev := &h[i]
	if i == 0 {
		if first := p.stages[0].ID; ev.Kind != EventOpen || ev.From != "" || ev.To != first {
			bad("kind", "must be an open event from \"\" to %s; got %s from %q to %s", first, ev.Kind, ev.From, ev.To)
		}
		return errs
	}
	if ev.From != h[i-1].To {
		bad("from", "must be %s, where event %d went; got %s", h[i-1].To, i-1, ev.From)
		from = p.order(ev.From)
	}
	if from < 0 || to < 0 {
		return errs // an unknown stage is reported once, by its own event
	}
	live, lost := len(p.stages), len(p.stages)+1
	open := func(o int) bool { return o >= 0 && o < live }
	switch ev.Kind {
	case EventAdvance, EventWon, EventLive:
		if !open(from) || to != from+1 {
			bad("to", "an advance from %s must go to the next stage; went to %s", ev.From, ev.To)
		} else if want := p.kindAt(to); ev.Kind != want {
			bad("kind", "an advance into %s must be recorded as %s; got %s", ev.To, want, ev.Kind)
		}
	case EventRevert:
		if !open(from) || !open(to) || to >= from {
			bad("to", "a revert must go from an open stage to an earlier one; went from %s to %s", ev.From, ev.To)
		}
	case EventLost:
		if !open(from) || to != lost {
			bad("to", "a loss must go from an open stage to lost; went from %s to %s", ev.From, ev.To)
		}
	case EventReopen:
		if from != lost || !open(to) {
			bad("to", "a reopen must go from lost to an open stage; went from %s to %s", ev.From, ev.To)
		} else if i >= 2 && h[i-1].Kind == EventLost && to > p.order(h[i-1].From) {
			bad("to", "a reopen must go no later than %s, where the deal was lost; went to %s", h[i-1].From, ev.To)
		} else if p.won(to) {
			bad("to", "a reopen must go to a stage before %s, the Closed Won stage: a deal is won again only through the close; went to %s", p.ClosedWon(), ev.To)
		}
	default:
		bad("kind", "must be advance, won, live, revert, lost, reopen or contract; got %q", ev.Kind)
	}
	return errs
}

// checkDeal appends to errs every way d's stage, version and loss disagree
// with its history.
func (p *Process) checkDeal(errs []error, d *Deal) []error {
	h := d.History
	last := lastMove(h)
	if d.Stage != last.To {
		errs = append(errs, accord.Invalid("stage", "must be %s, where the last event went; got %s", last.To, d.Stage))
	}
	if !d.StageEnteredAt.Equal(last.At) {
		errs = append(errs, accord.Invalid("stage_entered_at", "must be %s, the time of the last event; got %s", last.At, d.StageEnteredAt))
	}
	if d.Version != len(h)-1 {
		errs = append(errs, accord.Invalid("version", "must be %d, the number of moves in the history; got %d", len(h)-1, d.Version))
	}
	switch {
	case d.Stage == StageLost && d.Loss == nil:
		errs = append(errs, accord.Invalid("loss", "is required while the deal is lost"))
	case d.Stage != StageLost && d.Loss != nil:
		errs = append(errs, accord.Invalid("loss", "must be nil while the deal is %s", d.Stage))
	case d.Loss != nil && last.Kind == EventLost && (d.Loss.Stage != last.From || d.Loss.Reason != last.LossReason):
		errs = append(errs, accord.Invalid("loss", "must record the last loss, %s at %s; got %s at %s", last.LossReason, last.From, d.Loss.Reason, d.Loss.Stage))
	}
	if d.ContractID != p.contractOf(h) {
		errs = append(errs, accord.Invalid("contract_id", "must be %q, the contract the history records; got %q", p.contractOf(h), d.ContractID))
	}
	return errs
}

// checkContract appends to errs every way event i of h, an [EventContract]
// event after a move into the stage at position prev, is not one the
// process records: it names a contract, is dated (when the contract was
// made, which need not follow the moves' times: it begins no stay), leaves
// a won stage as it is, and follows no other contract still recorded.
func (p *Process) checkContract(errs []error, h []Event, i, prev int) []error {
	bad := func(field, format string, args ...any) {
		errs = append(errs, accord.Invalid(fmt.Sprintf("history[%d].%s", i, field), format, args...))
	}
	ev := &h[i]
	switch {
	case i == 0 || !p.won(prev):
		bad("kind", "a contract is recorded only on a won deal")
	case ev.From != h[i-1].To || ev.To != h[i-1].To:
		bad("to", "a contract event leaves the stage as it is, %s; went from %s to %s", h[i-1].To, ev.From, ev.To)
	case strings.TrimSpace(ev.Contract) == "":
		bad("contract", "is required on a contract event")
	case p.contractOf(h[:i]) != "":
		bad("contract", "the deal already has contract %q", p.contractOf(h[:i]))
	}
	if ev.At.IsZero() {
		bad("at", "is required")
	}
	return errs
}

// instant is a wall-clock time as Unix seconds and nanoseconds: cheaper to
// subtract than a time.Time, and blind to monotonic clock readings, which
// stored events do not have anyway.
type instant struct {
	sec  int64
	nsec int64
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int64(t.Nanosecond())} }

// sub returns a − b, saturated at the bounds of a Duration.
func (a instant) sub(b instant) time.Duration {
	const limit = math.MaxInt64/int64(time.Second) - 1
	ds := a.sec - b.sec
	switch {
	case (ds > 0) != (a.sec > b.sec) || ds > limit: // overflowed, or too far apart
		if a.sec > b.sec {
			return math.MaxInt64
		}
		return math.MinInt64
	case ds < -limit:
		return math.MinInt64
	}
	return time.Duration(ds)*time.Second + time.Duration(a.nsec-b.nsec)
}
