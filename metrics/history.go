package metrics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

func invalidf(field, format string, args ...any) error {
	return accord.Invalid(field, format, args...)
}

// process is what the calculators need of a deal.Process: the stages by
// position (open stages in order, then live, then lost) and the position
// of the Closed Won stage.
type process struct {
	ids     []deal.StageID
	stages  []deal.Stage // the open stages
	live    int          // position of live; lost is live+1
	won     int          // position of the Closed Won stage
	reasons []deal.LossReason
	// reasonSlots indexes reasons; see reason.
	reasonSlots [64]int8
}

func newProcess(p *deal.Process) (*process, error) {
	stages := p.Stages() // nil for a nil or unbuilt process
	if len(stages) == 0 {
		return nil, invalidf("process", "is not built: use deal.Default or deal.NewProcess")
	}
	ps := &process{stages: stages, live: len(stages), reasons: deal.LossReasons()}
	ps.indexReasons()
	for _, s := range stages {
		ps.ids = append(ps.ids, s.ID)
	}
	ps.ids = append(ps.ids, deal.StageLive, deal.StageLost)
	ps.won = ps.pos(p.ClosedWon(), 0)
	if ps.won < 0 || ps.won > ps.live {
		ps.won = ps.live
	}
	return ps, nil
}

// walkValued walks d's history like walk and also checks its value, for
// the calculators that add up deal values.
func (ps *process) walkValued(d *deal.Deal) (facts, error) {
	f, err := ps.walk(d, nil, nil)
	if err == nil {
		if err = d.Value.Validate("value"); err != nil {
			err = dealErr(d, err)
		}
	}
	return f, err
}

// same reports whether ps and o describe the same stages: the same IDs in
// the same order and the same Closed Won stage, and for each stage what the
// calculators read of it (probability, healthy time, flags, required
// fields). Variants of one process share IDs but not always the rest, and
// their accumulators must not merge.
func (ps *process) same(o *process) bool {
	return o != nil && ps.won == o.won && slices.Equal(ps.ids, o.ids) &&
		slices.EqualFunc(ps.stages, o.stages, func(a, b deal.Stage) bool {
			return a.Probability.Equal(b.Probability) && a.HealthyDays == b.HealthyDays &&
				a.MultiThreaded == b.MultiThreaded && a.NeedsBusinessCase == b.NeedsBusinessCase &&
				slices.Equal(a.RequiredFields(), b.RequiredFields())
		})
}

// pos returns the position of stage id, trying guess first; -1 when the
// process has no such stage.
func (ps *process) pos(id deal.StageID, guess int) int {
	if uint(guess) < uint(len(ps.ids)) && ps.ids[guess] == id {
		return guess
	}
	if id == deal.StageLost {
		return ps.live + 1
	}
	for i := range ps.ids {
		if ps.ids[i] == id {
			return i
		}
	}
	return -1
}

// reason returns the index of r in the loss reasons, or -1. A loss reason
// is found in one probe of a small table keyed by its length and end bytes;
// a slot that two reasons share falls back to a scan.
func (ps *process) reason(r deal.LossReason) int {
	switch i := ps.reasonSlots[reasonSlot(r)]; {
	case i == -1:
		return -1
	case i >= 0:
		if ps.reasons[i] == r {
			return int(i)
		}
		return -1
	}
	for i := range ps.reasons {
		if ps.reasons[i] == r {
			return i
		}
	}
	return -1
}

func reasonSlot(r deal.LossReason) int {
	if len(r) == 0 {
		return 0
	}
	return (len(r)*7 + int(r[0])*3 + int(r[len(r)-1])) & 63
}

// indexReasons fills the reason table: -1 for an empty slot, -2 for a
// shared one, else the index of the reason in it.
func (ps *process) indexReasons() {
	for i := range ps.reasonSlots {
		ps.reasonSlots[i] = -1
	}
	for i, r := range ps.reasons {
		switch s := reasonSlot(r); ps.reasonSlots[s] {
		case -1:
			ps.reasonSlots[s] = int8(i)
		default:
			ps.reasonSlots[s] = -2
		}
	}
}

// The outcome of a deal, from the stage its history ends in.
type outcome uint8

const (
	inPipeline outcome = iota // before the Closed Won stage
	won                       // at or past Closed Won, not lost
	lost
)

// facts is what one walk over a deal's history establishes.
type facts struct {
	final    int // position of the stage the history ends in
	before   int // position before the last event; -1 for a single event
	outcome  outcome
	first    time.Time // the first event
	last     time.Time // the last event
	wonAt    time.Time // the last move into the won stages, for a won deal
	reason   int       // loss reason index of the last event, for a lost deal
	reverted bool      // some event moved back to an earlier open stage
}

// scratch receives the per-stage figures of one walk, indexed by position.
type scratch struct {
	spent       []time.Duration // time in each open stage, visits summed
	first, last []int32         // index of the first and last event entering it; -1 if none
}

func (sc *scratch) reset(n int) {
	if len(sc.spent) != n {
		sc.spent = make([]time.Duration, n)
		sc.first = make([]int32, n)
		sc.last = make([]int32, n)
	}
	clear(sc.spent)
	for i := range sc.first {
		sc.first[i], sc.last[i] = -1, -1
	}
}

// walk validates d's history against the process and establishes its facts;
// with sc it also fills in the time spent in each stage (measured with cal)
// and the events entering each stage. The history must be non-empty, every
// event dated, in time order and naming a stage of the process, and every
// loss must follow an open stage and carry a known loss reason. All problems
// are reported, joined, each naming its field.
func (ps *process) walk(d *deal.Deal, cal *accord.Calendar, sc *scratch) (facts, error) {
	var f facts
	if d == nil {
		return f, invalidf("deal", "is nil")
	}
	h := d.History
	if len(h) == 0 {
		return f, fmt.Errorf("deal %q: %w", d.ID, invalidf("history", "is empty: the deal was never opened"))
	}
	if sc != nil {
		sc.reset(len(ps.ids))
	}
	var errs []error
	prev, lostPos, wonIdx := -1, ps.live+1, -1
	var last instant
	for i := range h {
		ev := &h[i]
		p := ps.pos(ev.To, prev+1)
		cur := instantOf(ev.At)
		var dur time.Duration // since the event before; negative when out of order
		if i > 0 {
			dur = cur.sub(last)
		}
		last = cur
		switch {
		case p < 0:
			errs = append(errs, invalidf(fmt.Sprintf("history[%d].to", i), "%q is not a stage of the process", ev.To))
		case ev.At.IsZero():
			errs = append(errs, invalidf(fmt.Sprintf("history[%d].at", i), "is required"))
		case dur < 0:
			errs = append(errs, invalidf(fmt.Sprintf("history[%d].at", i), "is before the event before it"))
		}
		if p == lostPos {
			if prev < 0 || prev >= ps.live {
				errs = append(errs, invalidf(fmt.Sprintf("history[%d].to", i), "a loss must follow an open stage"))
			}
			if f.reason = ps.reason(ev.LossReason); f.reason < 0 {
				errs = append(errs, invalidf(fmt.Sprintf("history[%d].loss_reason", i), "must be one of the loss reasons; got %q", ev.LossReason))
			}
		}
		if errs != nil {
			prev = p
			continue
		}
		if sc != nil {
			if prev >= 0 && prev < ps.live {
				if cal != nil {
					dur = between(cal, h[i-1].At, ev.At)
				}
				if s := sc.spent[prev] + dur; s >= sc.spent[prev] {
					sc.spent[prev] = s
				} else {
					sc.spent[prev] = math.MaxInt64
				}
			}
			if sc.first[p] < 0 {
				sc.first[p] = int32(min(i, math.MaxInt32))
			}
			sc.last[p] = int32(min(i, math.MaxInt32))
		}
		if p >= ps.won && p <= ps.live && (prev < ps.won || prev == lostPos) {
			wonIdx = i
		}
		if prev >= 0 && prev < ps.live && p < prev {
			f.reverted = true
		}
		f.before, prev = prev, p
	}
	if errs != nil {
		return facts{}, fmt.Errorf("deal %q: %w", d.ID, errors.Join(errs...))
	}
	f.final = prev
	f.first, f.last = h[0].At, h[len(h)-1].At
	if wonIdx >= 0 {
		f.wonAt = h[wonIdx].At
	}
	switch {
	case prev == lostPos:
		f.outcome = lost
	case prev >= ps.won:
		f.outcome = won
	default:
		f.outcome = inPipeline
	}
	return f, nil
}

// cycle returns the sales cycle of a closed deal: from its first event to
// the moment it was won (its last move into the won stages) or lost (its
// last event), measured with cal.
func (f *facts) cycle(cal *accord.Calendar) time.Duration {
	end := f.last
	if f.outcome == won {
		end = f.wonAt
	}
	if cal == nil {
		return max(instantOf(end).sub(instantOf(f.first)), 0)
	}
	return between(cal, f.first, end)
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
