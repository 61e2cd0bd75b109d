package scope

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// maxEffort bounds a step's effort, in hours, so that sums stay exact.
const maxEffort = 1_000_000

// span is where a step or a milestone falls: working-day indexes from the
// scope's start. ok is false when its day could not be placed.
type span struct {
	first, last int
	ok          bool
}

// layout is the scheduling view of a scope under one calendar.
type layout struct {
	tl       *timeline
	stepIdx  map[string]int // step ID to its first index in Steps
	reqIdx   map[string]int
	delivIdx map[string]int
	steps    []span
	deps     [][]int // deps[i] lists the indexes of the known steps i depends on
	cyclic   []bool  // cyclic[i] is true when step i is on a dependency cycle
	knot     []int   // knot[i] numbers the cycle step i is on, from 1; 0 for none
	effort   []int64 // in hundredths of an hour; -1 when invalid
	// addressed[k] is true when a step addresses the requirement indexed k
	// in reqIdx.
	addressed []bool
	errs      []error
}

func (l *layout) bad(path, format string, args ...any) {
	l.errs = append(l.errs, accord.Invalid(path, format, args...))
}

// elem names one element of a list of the scope, such as steps[3]. Its
// paths are formatted only when a problem is reported: a valid scope costs
// no formatting.
type elem struct {
	list string
	i    int
}

// at returns the path of field of the element, such as steps[3].days.
func (e elem) at(field string) string { return e.list + "[" + strconv.Itoa(e.i) + "]" + field }

// Validate checks the scope as a whole against the calendar and reports
// every problem, joined, each a [*accord.FieldError] naming its field:
//
//   - a missing ID, deal ID, start or price, a negative price, a blank or repeated
//     signatory, and malformed entries;
//   - a must-have requirement that no step addresses;
//   - a step, deliverable or milestone that names a requirement, step or
//     deliverable that does not exist;
//   - a dependency cycle, reported once at the first step on it (steps
//     that reach each other through their dependencies form one knot,
//     reported once, by its shortest cycle through that first step);
//   - a step that does not start after the last day of a step it depends
//     on (finish to start: a step the day after what it needs);
//   - a step or milestone on a non-working day or before the start;
//   - inconsistent dates and durations: a date and an offset both set, a
//     negative offset, duration or effort, a milestone before the steps it
//     needs, a phase that starts before an earlier phase of the framework;
//   - a gate with an unknown or repeated phase, no exit criteria, or a
//     criterion without an ID (or with a repeated one) or a description,
//     and a step of a later phase planned to start before the last day of
//     a gated phase's steps: a phase's exit holds only once its work is
//     done.
//
// Problems are reported each exactly once, in a fixed order: the scope's
// own fields, the signatories, the requirements, deliverables, entitlements and steps in the
// order of their fields, the steps' dependency lists, then the checks across
// steps (dependency cycles, order, must-have coverage, phases), the gates,
// then the milestones. The same scope and calendar always give the same report.
// Validate does not judge capacity: that is [SOW.Feasibility].
func (s *SOW) Validate(cal accord.Calendar) error {
	if s == nil {
		return accord.Invalid("sow", "is nil")
	}
	l := s.layout(cal)
	return errors.Join(l.errs...)
}

// calendarErrors reports the malformed fields of cal.
func calendarErrors(cal accord.Calendar) []error {
	var errs []error
	for i, d := range cal.Weekend {
		if d < time.Sunday || d > time.Saturday {
			errs = append(errs, accord.Invalid(fmt.Sprintf("calendar.weekend[%d]", i), "must be a time.Weekday, 0 (Sunday) to 6 (Saturday); got %d", int(d)))
		}
	}
	for i, d := range cal.Holidays {
		if !d.Valid() {
			errs = append(errs, accord.Invalid(fmt.Sprintf("calendar.holidays[%d]", i), "must be a real day; got %d-%d-%d", d.Year, int(d.Month), d.Day))
		}
	}
	return errs
}

// layout validates s and computes its schedule.
func (s *SOW) layout(cal accord.Calendar) *layout {
	l := &layout{
		tl:        newTimeline(cal, s.Start),
		stepIdx:   make(map[string]int, len(s.Steps)),
		reqIdx:    make(map[string]int, len(s.Requirements)),
		delivIdx:  make(map[string]int, len(s.Deliverables)),
		steps:     make([]span, len(s.Steps)),
		deps:      make([][]int, len(s.Steps)),
		effort:    make([]int64, len(s.Steps)),
		addressed: make([]bool, len(s.Requirements)),
	}
	l.errs = append(l.errs, calendarErrors(cal)...)
	if blank(s.ID) {
		l.bad("id", "is required")
	}
	if blank(s.DealID) {
		l.bad("deal_id", "is required")
	}
	if s.Start.IsZero() {
		l.bad("start", "is required")
	}
	if !s.Price.IsSet() {
		l.bad("price", "is required")
	} else if err := s.Price.Validate("price"); err != nil {
		l.errs = append(l.errs, err)
	} else if s.Price.Amount.Sign() < 0 {
		l.bad("price", "must not be negative")
	}
	s.checkSignatories(l)
	s.checkRequirements(l)
	s.checkDeliverables(l)
	s.checkEntitlements(l)
	s.checkSteps(l)
	l.findCycles(s)
	s.checkOrder(l)
	s.checkCoverage(l)
	s.checkPhases(l)
	s.checkGates(l)
	s.checkMilestones(l)
	return l
}

// checkSignatories refuses a blank signatory and one named twice: IDs are
// compared as [accord.Actor.Is] compares them, after trimming spaces.
func (s *SOW) checkSignatories(l *layout) {
	for i, id := range s.Signatories {
		p := elem{"signatories", i}
		switch {
		case blank(id):
			l.bad(p.at(""), "is required: the actor ID of a buyer-side person allowed to approve")
		case slices.ContainsFunc(s.Signatories[:i], func(o string) bool { return (accord.Actor{ID: o}).Is(id) }):
			l.bad(p.at(""), "duplicates signatory %q", strings.TrimSpace(id))
		}
	}
}

func (s *SOW) checkRequirements(l *layout) {
	for i, r := range s.Requirements {
		p := elem{"requirements", i}
		l.id(p, r.ID, "requirement", l.reqIdx, i)
		if blank(r.Title) {
			l.bad(p.at(".title"), "is required")
		}
		if !r.Kind.Valid() {
			l.bad(p.at(".kind"), "%s", kinds.Rule(r.Kind))
		}
		if !r.Priority.Valid() {
			l.bad(p.at(".priority"), "must be must, should or could; got %q", r.Priority)
		}
		if blank(r.Source.Name) {
			l.bad(p.at(".source.name"), "is required: who stated the requirement")
		}
		if r.Source.At.IsZero() {
			l.bad(p.at(".source.at"), "is required: when the requirement was stated")
		}
	}
}

func (s *SOW) checkDeliverables(l *layout) {
	for i, d := range s.Deliverables {
		p := elem{"deliverables", i}
		l.id(p, d.ID, "deliverable", l.delivIdx, i)
		if blank(d.Name) {
			l.bad(p.at(".name"), "is required")
		}
		l.refs(p, ".requirements", d.Requirements, "requirement", l.reqIdx, nil)
	}
}

func (s *SOW) checkEntitlements(l *layout) {
	seen := make(map[entitlementKey]bool, len(s.Entitlements))
	for i, e := range s.Entitlements {
		p := elem{"entitlements", i}
		switch k := keyOf(e); {
		case blank(e.Name):
			l.bad(p.at(".name"), "is required")
		case seen[k]:
			l.bad(p.at(".name"), "duplicates entitlement %q in %s", e.Name, k.measure())
		default:
			seen[k] = true
		}
		switch {
		case e.Quantity.Sign() < 0:
			l.bad(p.at(".quantity"), "must not be negative; got %s", quantity(e.Quantity))
		case extreme(e.Quantity):
			l.bad(p.at(".quantity"), "must have an exponent between -%d and %d; got %s", maxExponent, maxExponent, quantity(e.Quantity))
		}
		if blank(e.Unit) {
			l.bad(p.at(".unit"), "is required, such as \"hours\"")
		}
	}
}

func (s *SOW) checkSteps(l *layout) {
	for i, st := range s.Steps {
		p := elem{"steps", i}
		l.id(p, st.ID, "step", l.stepIdx, i)
		if !st.Activity.Valid() {
			l.bad(p.at(".activity"), "%s", activities.Rule(st.Activity))
		}
		if !st.Phase.Valid() {
			l.bad(p.at(".phase"), "%s", phases.Rule(st.Phase))
		}
		l.refs(p, ".requirements", st.Requirements, "requirement", l.reqIdx, l.addressed)
		if blank(st.Owner) {
			l.bad(p.at(".owner"), "is required: the team role that does the work")
		}
		if h, ok := hundredths(st.Effort); ok {
			l.effort[i] = h
		} else {
			l.effort[i] = -1 // not schedulable
			l.bad(p.at(".effort_hours"), "must be between 0 and %d hours with at most two decimal places; got %s", maxEffort, quantity(st.Effort))
		}
		if st.Days < 0 || st.Days > MaxWorkingDays {
			l.bad(p.at(".days"), "must be between 0 and %d working days; got %d", MaxWorkingDays, st.Days)
		}
		if first, ok := l.day(p, st.Date, st.Offset, !s.Start.IsZero()); ok && st.Days >= 0 && st.Days <= MaxWorkingDays {
			last := first + max(st.Days, 1) - 1
			if l.tl.has(last) {
				l.steps[i] = span{first: first, last: last, ok: true}
			} else {
				l.bad(p.at(".days"), "ends more than %d working days after the start", MaxWorkingDays)
			}
		}
	}
	// Dependencies are resolved once every step ID is known, into one
	// backing array.
	total := 0
	for _, st := range s.Steps {
		total += len(st.DependsOn)
	}
	backing := make([]int, 0, total)
	for i, st := range s.Steps {
		from := len(backing)
		var seen map[string]bool // for long lists; short ones are searched
		if len(st.DependsOn) > 16 {
			seen = make(map[string]bool, len(st.DependsOn))
		}
		p := elem{"steps", i}
		for j, dep := range st.DependsOn {
			var repeated bool
			if seen != nil {
				repeated = seen[dep]
				seen[dep] = true
			} else {
				repeated = slices.Contains(st.DependsOn[:j], dep)
			}
			k, known := l.stepIdx[dep]
			switch {
			case !known:
				l.bad(p.at(".depends_on["+strconv.Itoa(j)+"]"), "names unknown step %q", dep)
			case k == i || dep == st.ID:
				l.bad(p.at(".depends_on["+strconv.Itoa(j)+"]"), "names the step itself")
			case repeated:
				l.bad(p.at(".depends_on["+strconv.Itoa(j)+"]"), "repeats step %q", dep)
			default:
				backing = append(backing, k)
			}
		}
		l.deps[i] = backing[from:len(backing):len(backing)]
	}
}

// day places a date or an offset on the timeline, reporting why it cannot.
func (l *layout) day(p elem, date time.Time, offset int, started bool) (int, bool) {
	if !date.IsZero() {
		if offset != 0 {
			l.bad(p.at(".offset"), "must be 0 when date is set; got %d", offset)
		}
		if !started {
			return 0, false // the missing start is reported once, at "start"
		}
		day := l.tl.cal.Day(date)
		i, why := l.tl.index(day)
		if why != "" {
			l.bad(p.at(".date"), "%s %s", day, why)
			return 0, false
		}
		return i, true
	}
	if offset < 0 || offset >= MaxWorkingDays {
		l.bad(p.at(".offset"), "must be between 0 and %d working days; got %d", MaxWorkingDays-1, offset)
		return 0, false
	}
	if !started {
		return 0, false
	}
	if !l.tl.has(offset) {
		l.bad(p.at(".offset"), "has no working day in the calendar")
		return 0, false
	}
	return offset, true
}

// id records an ID, reporting a missing or duplicate one.
func (l *layout) id(p elem, id, what string, index map[string]int, i int) {
	switch _, dup := index[id]; {
	case blank(id):
		l.bad(p.at(".id"), "is required")
	case dup:
		l.bad(p.at(".id"), "duplicates %s %q", what, id)
	default:
		index[id] = i
	}
}

// refs reports each reference, in field of p, that names no known ID, and
// marks the index of each known one in mark, if not nil.
func (l *layout) refs(p elem, field string, ids []string, what string, index map[string]int, mark []bool) {
	for j, id := range ids {
		if k, ok := index[id]; ok && mark != nil {
			mark[k] = true
		} else if !ok {
			l.bad(p.at(field+"["+strconv.Itoa(j)+"]"), "names unknown %s %q", what, id)
		}
	}
}

// checkOrder reports each step that does not start after the last day of
// every step it depends on (finish to start, in whole working days). Steps
// on one dependency cycle have no order to check: the cycle is the problem,
// and it is reported once.
func (s *SOW) checkOrder(l *layout) {
	for i, deps := range l.deps {
		if !l.steps[i].ok {
			continue
		}
		for _, k := range deps {
			if !l.steps[k].ok || l.steps[i].first > l.steps[k].last || l.knot != nil && l.knot[i] != 0 && l.knot[i] == l.knot[k] {
				continue
			}
			j := slices.Index(s.Steps[i].DependsOn, s.Steps[k].ID)
			first, _ := l.tl.date(l.steps[i].first)
			last, _ := l.tl.date(l.steps[k].last)
			l.bad(fmt.Sprintf("steps[%d].depends_on[%d]", i, j), "step starts on %s, but step %q it depends on ends on %s; start it on a later working day",
				first, s.Steps[k].ID, last)
		}
	}
}

// checkCoverage reports each must-have requirement no step addresses.
func (s *SOW) checkCoverage(l *layout) {
	for i, r := range s.Requirements {
		// A duplicate ID is addressed with the requirement it duplicates.
		if r.Priority == Must && !blank(r.ID) && !l.addressed[l.reqIdx[r.ID]] {
			l.bad(fmt.Sprintf("requirements[%d]", i), "must-have requirement %q is addressed by no step", r.ID)
		}
	}
}

// checkPhases reports a phase that starts before the phase the framework
// puts before it.
func (s *SOW) checkPhases(l *layout) {
	var start [phaseRanks]int
	var at [phaseRanks]int // the step that starts the rank's earliest phase
	for r := range start {
		start[r] = -1
	}
	for i, st := range s.Steps {
		r := st.Phase.rank()
		if r < 0 || !l.steps[i].ok {
			continue
		}
		if start[r] < 0 || l.steps[i].first < start[r] {
			start[r], at[r] = l.steps[i].first, i
		}
	}
	// prev is the earlier phase that starts last: a phase must not start
	// before any earlier phase, not only the one just before it.
	prev := -1
	for r := range start {
		if start[r] < 0 {
			continue
		}
		if prev >= 0 && start[r] < start[prev] {
			here, _ := l.tl.date(start[r])
			there, _ := l.tl.date(start[prev])
			l.bad(fmt.Sprintf("steps[%d].phase", at[r]), "phase %s starts on %s, before phase %s starts on %s",
				s.Steps[at[r]].Phase, here, s.Steps[at[prev]].Phase, there)
			continue
		}
		prev = r
	}
}

func (s *SOW) checkMilestones(l *layout) {
	seen := make(map[string]int, len(s.Milestones))
	for i, m := range s.Milestones {
		p := elem{"milestones", i}
		l.id(p, m.ID, "milestone", seen, i)
		if blank(m.Name) {
			l.bad(p.at(".name"), "is required")
		}
		at, placed := l.day(p, m.Date, m.Offset, !s.Start.IsZero())
		for j, id := range m.Steps {
			k, ok := l.stepIdx[id]
			switch {
			case !ok:
				l.bad(p.at(".steps["+strconv.Itoa(j)+"]"), "names unknown step %q", id)
			case placed && l.steps[k].ok && l.steps[k].last > at:
				end, _ := l.tl.date(l.steps[k].last)
				day, _ := l.tl.date(at)
				l.bad(p.at(".steps["+strconv.Itoa(j)+"]"), "step %q ends on %s, after the milestone on %s", id, end, day)
			}
		}
		l.refs(p, ".deliverables", m.Deliverables, "deliverable", l.delivIdx, nil)
	}
}

// hundredths converts hours to an exact count of hundredths of an hour.
func hundredths(h decimal.Decimal) (int64, bool) {
	switch {
	case h.Sign() == 0:
		return 0, true
	case h.Sign() < 0, h.Exponent() > 10, h.Exponent() < -40:
		// Negative, far too large, or far too precise: bounding the
		// exponent first keeps the comparisons below cheap.
		return 0, false
	}
	if h.NumDigits() <= 15 {
		// The common case, in int64: h is c·10^e hundredths, with c
		// below 10^16.
		c, e := h.CoefficientInt64(), int(h.Exponent())+2
		for ; e > 0; e-- {
			if c > maxEffort*100 {
				return 0, false
			}
			c *= 10
		}
		for ; e < 0; e++ {
			if c%10 != 0 {
				return 0, false
			}
			c /= 10
		}
		if c > maxEffort*100 {
			return 0, false
		}
		return c, true
	}
	if h.GreaterThan(decimal.NewFromInt(maxEffort)) {
		return 0, false
	}
	c := h.Shift(2)
	if !c.Equal(c.Truncate(0)) {
		return 0, false
	}
	return c.IntPart(), true
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
