package scope

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// Capacity is what the implementation team can work, in hours per working
// day of the calendar: as a pool per owner role, per person, or both (a
// role's capacity on a day is its pool plus the hours of its people who are
// not off that day).
type Capacity struct {
	// PerRole gives a pool of hours per working day for each owner role.
	PerRole map[string]decimal.Decimal `json:"per_role"`
	People  []Person                   `json:"people"`
}

// Person is one member of the implementation team.
type Person struct {
	ID string `json:"id"`
	// Role is the owner role the person works as, matching Step.Owner.
	Role        string          `json:"role"`
	HoursPerDay decimal.Decimal `json:"hours_per_day"`
	// Off lists the person's days off, read in the calendar's location.
	Off []time.Time `json:"off"`
}

// Feasibility answers the implementation lead's question: is this timeline
// realistic for the team?
type Feasibility struct {
	// Start is the scope's start day at midnight in the calendar's
	// location. Reconcile counts a timeline promised in weeks from it, so
	// that a Feasibility stored as JSON (where the location becomes a
	// fixed offset) still gives the same days.
	Start time.Time `json:"start"`
	// ScopedFinish is the last working day of the sequence as planned,
	// at midnight in the calendar's location.
	ScopedFinish time.Time `json:"scoped_finish"`
	// FeasibleFinish is the last working day of the sequence when the team
	// works it at its capacity; zero when some role's work cannot be done
	// (see Unstaffed).
	FeasibleFinish time.Time `json:"feasible_finish"`
	// Slip is how many working days FeasibleFinish falls after
	// ScopedFinish; 0 when the plan holds.
	Slip int `json:"slip_days"`
	// Overloads lists every day and role whose planned effort exceeds the
	// capacity, by date and then role.
	Overloads []Overload `json:"overloads"`
	// Unstaffed lists, sorted, the owner roles whose planned work cannot be
	// done within MaxWorkingDays of the start: most often, roles with no
	// capacity at all. A role whose steps only wait on such work of another
	// role is not listed.
	Unstaffed []string `json:"unstaffed"`
}

// Overload is one working day on which a role is planned beyond capacity.
type Overload struct {
	Date     time.Time       `json:"date"`
	Role     string          `json:"role"`
	Planned  decimal.Decimal `json:"planned_hours"`
	Capacity decimal.Decimal `json:"capacity_hours"`
}

// Feasible reports whether the sequence fits the capacity as planned: no
// overloaded day and no unstaffed role.
func (f Feasibility) Feasible() bool { return len(f.Overloads) == 0 && len(f.Unstaffed) == 0 }

// Feasibility schedules the scope against the team's capacity under the
// calendar and reports the overloaded days, the earliest feasible finish and
// the slip behind the scoped finish.
//
// The plan spreads each step's effort evenly over its days (the odd
// hundredths of an hour on its first days). The feasible schedule takes the
// steps in dependency order, earliest planned first, and works each one as
// planned, never starting before its planned day nor before the steps it
// depends on end, and never faster than planned; work the role has no
// capacity left for that day moves to the next working day. A step lasts at
// least its planned number of days. When no day is overloaded and no step
// is planned to start before a step it depends on ends (see
// [SOW.Validate]), the feasible finish is the scoped finish.
//
// It returns an error, joining every problem [SOW.Validate] finds, when the
// scope cannot be scheduled (a step that cannot be placed, a dependency
// cycle, an invalid effort) or the capacity is malformed.
func (s *SOW) Feasibility(cal accord.Calendar, c Capacity) (Feasibility, error) {
	f, _, err := s.feasibility(cal, c)
	return f, err
}

// feasibility is Feasibility, which also returns the schedule it worked.
func (s *SOW) feasibility(cal accord.Calendar, c Capacity) (Feasibility, *schedule, error) {
	if s == nil {
		return Feasibility{}, nil, accord.Invalid("sow", "is nil")
	}
	l := s.layout(cal)
	capErrs := c.validate()
	if !l.schedulable(s) || len(capErrs) > 0 {
		return Feasibility{}, nil, errors.Join(append(l.errs, capErrs...)...)
	}
	if len(s.Steps) == 0 {
		return Feasibility{}, nil, accord.Invalid("steps", "at least one step is required to judge feasibility")
	}
	sc := newSchedule(s, l, c)
	f := Feasibility{}
	scoped := 0
	for _, sp := range l.steps {
		scoped = max(scoped, sp.last)
	}
	f.Overloads = sc.overloads(scoped)
	finish, unstaffed := sc.run()
	f.Start = l.tl.time(l.tl.start)
	f.ScopedFinish = l.tl.time(l.tl.start.AddDays(int(l.tl.days[scoped])))
	if len(unstaffed) > 0 {
		f.Unstaffed = unstaffed
	} else {
		day, _ := l.tl.date(finish)
		f.FeasibleFinish = l.tl.time(day)
		f.Slip = max(0, finish-scoped)
	}
	return f, sc, nil
}

// schedulable reports whether every step has a place, an effort and no
// cycle, which is what scheduling needs.
func (l *layout) schedulable(s *SOW) bool {
	if s.Start.IsZero() {
		return false
	}
	for i := range s.Steps {
		if !l.steps[i].ok || l.cyclic[i] {
			return false
		}
		if l.effort[i] < 0 {
			return false
		}
	}
	return true
}

func (c Capacity) validate() []error {
	var errs []error
	roles := make([]string, 0, len(c.PerRole))
	for r := range c.PerRole {
		roles = append(roles, r)
	}
	slices.Sort(roles)
	for _, r := range roles {
		p := fmt.Sprintf("capacity.per_role[%q]", r)
		if blank(r) {
			errs = append(errs, accord.Invalid(p, "names no role"))
		}
		if _, ok := dayHours(c.PerRole[r]); !ok {
			errs = append(errs, accord.Invalid(p, "must be between 0 and 10000 hours per day with at most two decimal places; got %s", quantity(c.PerRole[r])))
		}
	}
	seen := map[string]bool{}
	for i, person := range c.People {
		p := fmt.Sprintf("capacity.people[%d]", i)
		switch {
		case blank(person.ID):
			errs = append(errs, accord.Invalid(p+".id", "is required"))
		case seen[person.ID]:
			errs = append(errs, accord.Invalid(p+".id", "duplicates person %q", person.ID))
		}
		seen[person.ID] = true
		if blank(person.Role) {
			errs = append(errs, accord.Invalid(p+".role", "is required"))
		}
		if h, ok := dayHours(person.HoursPerDay); !ok || h > 2400 {
			errs = append(errs, accord.Invalid(p+".hours_per_day", "must be between 0 and 24 with at most two decimal places; got %s", quantity(person.HoursPerDay)))
		}
	}
	return errs
}

// dayHours converts a pool's hours per day to hundredths, bounded so that
// sums over any team stay exact.
func dayHours(h decimal.Decimal) (int64, bool) {
	v, ok := hundredths(h)
	return v, ok && v <= 10000*100
}

// schedule holds the per-role capacity and the planned load of a scope.
type schedule struct {
	s     *SOW
	l     *layout
	roles []string        // sorted owner roles of the steps
	role  []int           // role[i] is the role index of step i
	base  []int64         // base[r]: hundredths per working day of role r
	off   []map[int]int64 // off[r][i]: hundredths of role r off on working day i
	// start and end are, after run, the working days each step starts and
	// ends on at capacity; end is MaxWorkingDays for a step that cannot be
	// done within the bound.
	start, end []int
}

func newSchedule(s *SOW, l *layout, c Capacity) *schedule {
	sc := &schedule{s: s, l: l, role: make([]int, len(s.Steps))}
	index := map[string]int{}
	for _, st := range s.Steps {
		if _, ok := index[st.Owner]; !ok {
			index[st.Owner] = 0
			sc.roles = append(sc.roles, st.Owner)
		}
	}
	slices.Sort(sc.roles)
	for r, name := range sc.roles {
		index[name] = r
	}
	for i, st := range s.Steps {
		sc.role[i] = index[st.Owner]
	}
	sc.base = make([]int64, len(sc.roles))
	sc.off = make([]map[int]int64, len(sc.roles))
	for r, name := range sc.roles {
		if h, ok := c.PerRole[name]; ok {
			sc.base[r], _ = dayHours(h)
		}
	}
	for _, p := range c.People {
		r, ok := index[p.Role]
		if !ok {
			continue
		}
		h, _ := dayHours(p.HoursPerDay)
		sc.base[r] += h
		days := make(map[int]bool, len(p.Off)) // a date listed twice is off once
		for _, d := range p.Off {
			// A day off that is not a working day within the bound
			// takes no capacity.
			i, why := l.tl.index(l.tl.cal.Day(d))
			if why != "" || days[i] {
				continue
			}
			days[i] = true
			if sc.off[r] == nil {
				sc.off[r] = map[int]int64{}
			}
			sc.off[r][i] += h
		}
	}
	return sc
}

// capacity returns role r's hundredths on working day i.
func (sc *schedule) capacity(r, i int) int64 {
	return sc.base[r] - sc.off[r][i]
}

// planned returns step i's planned hundredths on its k-th day (from 0),
// and the rate it keeps after its planned days when delayed.
func (sc *schedule) planned(i, k int) int64 {
	n := int64(max(sc.s.Steps[i].Days, 1))
	e := sc.l.effort[i]
	if int64(k) >= n {
		return (e + n - 1) / n
	}
	q := e / n
	if int64(k) < e%n {
		q++
	}
	return q
}

// overloads compares the planned load of every role on every day up to the
// scoped finish with its capacity.
func (sc *schedule) overloads(last int) []Overload {
	// The load is kept only for the days a step works, so that memory
	// follows the plan's size, not roles times days: a scope with
	// thousands of owner roles must not cost gigabytes.
	type slot struct{ d, r int }
	load := make(map[slot]int64)
	for i, sp := range sc.l.steps {
		for k := 0; sp.first+k <= sp.last && sp.first+k <= last; k++ {
			load[slot{sp.first + k, sc.role[i]}] += sc.planned(i, k)
		}
	}
	// Find the overloads first, then build them, so that the list is
	// allocated once.
	type over struct {
		d, r    int
		c, load int64
	}
	var found []over
	for s, l := range load {
		if c := sc.capacity(s.r, s.d); l > c {
			found = append(found, over{s.d, s.r, c, l})
		}
	}
	if len(found) == 0 {
		return nil
	}
	slices.SortFunc(found, func(a, b over) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.r, b.r)) })
	out := make([]Overload, len(found))
	for i, o := range found {
		day, _ := sc.l.tl.date(o.d)
		out[i] = Overload{
			Date: sc.l.tl.time(day), Role: sc.roles[o.r],
			Planned: decimal.New(o.load, -2), Capacity: decimal.New(o.c, -2),
		}
	}
	return out
}

// run works the steps at capacity and returns the feasible finish, as a
// working-day index, or the roles whose work cannot be done.
func (sc *schedule) run() (int, []string) {
	n := len(sc.s.Steps)
	// The capacity left by role and day, kept only for the days some work
	// took from it (a missing day has its full capacity), so that memory
	// follows the work done, not roles times days.
	left := make([]map[int]int64, len(sc.roles))
	avail := func(r, d int) int64 {
		if v, ok := left[r][d]; ok {
			return v
		}
		return sc.capacity(r, d)
	}
	end := make([]int, n)
	starts := make([]int, n)
	sc.start, sc.end = starts, end
	waiting := make([]int, n) // unfinished dependencies
	// The steps that depend on step k are dependents[from[k]:from[k+1]].
	from := make([]int, n+1)
	for i, deps := range sc.l.deps {
		waiting[i] = len(deps)
		for _, k := range deps {
			from[k+1]++
		}
	}
	for k := range n {
		from[k+1] += from[k]
	}
	dependents := make([]int, from[n])
	next := slices.Clone(from[:n])
	for i, deps := range sc.l.deps {
		for _, k := range deps {
			dependents[next[k]] = i
			next[k]++
		}
	}
	// ready holds the steps whose dependencies are done, earliest planned
	// (then first listed) first.
	ready := &stepHeap{items: make([]int, 0, n), first: func(i int) int { return sc.l.steps[i].first }}
	for i := range n {
		if waiting[i] == 0 {
			ready.push(i)
		}
	}
	finish := 0
	var stuck []string
	for ready.len() > 0 {
		i := ready.pop()
		r := sc.role[i]
		start := sc.l.steps[i].first
		for _, k := range sc.l.deps[i] {
			start = max(start, end[k]+1)
		}
		starts[i] = start
		remaining := sc.l.effort[i]
		d, k := start, 0
		for remaining > 0 && sc.base[r] > 0 && d < MaxWorkingDays {
			if !sc.l.tl.has(d) {
				break
			}
			a := avail(r, d)
			w := min(remaining, sc.planned(i, k), a)
			if left[r] == nil {
				left[r] = make(map[int]int64)
			}
			left[r][d] = a - w
			remaining -= w
			k++
			d++
		}
		// The day the last hour was worked, but never before the planned
		// duration has passed since the step started.
		end[i] = max(d-1, start+max(sc.s.Steps[i].Days, 1)-1, start)
		if fits := sc.l.tl.has(end[i]); remaining > 0 || !fits {
			// The step cannot be done within the bound. A step that only
			// waits on such work (blocked) does not make its own role
			// unstaffed, unless the role has no capacity for it either.
			blocked := start >= MaxWorkingDays
			if (!blocked || sc.base[r] == 0 && sc.l.effort[i] > 0) && !slices.Contains(stuck, sc.roles[r]) {
				stuck = append(stuck, sc.roles[r])
			}
			end[i] = MaxWorkingDays
		}
		finish = max(finish, end[i])
		for _, j := range dependents[from[i]:from[i+1]] {
			if waiting[j]--; waiting[j] == 0 {
				ready.push(j)
			}
		}
	}
	slices.Sort(stuck)
	return finish, stuck
}

// stepHeap is a min-heap of step indexes by planned first day, then index.
type stepHeap struct {
	items []int
	first func(int) int
}

func (h *stepHeap) less(a, b int) bool {
	fa, fb := h.first(h.items[a]), h.first(h.items[b])
	return fa < fb || fa == fb && h.items[a] < h.items[b]
}

func (h *stepHeap) len() int { return len(h.items) }

func (h *stepHeap) push(i int) {
	h.items = append(h.items, i)
	for c := len(h.items) - 1; c > 0; {
		p := (c - 1) / 2
		if !h.less(c, p) {
			break
		}
		h.items[c], h.items[p] = h.items[p], h.items[c]
		c = p
	}
}

func (h *stepHeap) pop() int {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	for p := 0; ; {
		c := 2*p + 1
		if c >= last {
			break
		}
		if c+1 < last && h.less(c+1, c) {
			c++
		}
		if !h.less(c, p) {
			break
		}
		h.items[c], h.items[p] = h.items[p], h.items[c]
		p = c
	}
	return top
}
