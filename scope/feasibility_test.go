package scope_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// planPerRole builds a per-role capacity from role, hours pairs.
func planPerRole(pairs ...any) map[string]decimal.Decimal {
	m := map[string]decimal.Decimal{}
	for i := 0; i < len(pairs); i += 2 {
		switch h := pairs[i+1].(type) {
		case int:
			m[pairs[i].(string)] = decimal.NewFromInt(int64(h))
		case string:
			m[pairs[i].(string)] = decimal.RequireFromString(h)
		}
	}
	return m
}

func planOverload(date time.Time, role, planned, capacity string) scope.Overload {
	return scope.Overload{Date: date, Role: role, Planned: decimal.RequireFromString(planned), Capacity: decimal.RequireFromString(capacity)}
}

// TestFeasibility checks the report exactly. The example's plan, by working
// day from Monday 2 March: the consultant audits 6 h a day on the 2nd and
// 3rd, configures 16 h a day from the 4th to the 6th, trains 6 h on the
// 10th and goes live with 4 h on the 11th; the engineer migrates 6 h a day
// on the 4th and 5th and integrates 8 h a day on the 6th and 9th.
func TestFeasibility(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	mar := func(day int) time.Time { return planDate(time.March, day) }
	tests := []struct {
		name string
		edit func(s *scope.SOW)
		cal  accord.Calendar
		cap  scope.Capacity
		want scope.Feasibility
	}{
		{
			name: "ample capacity",
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 16, "engineer", 8)},
			want: scope.Feasibility{ScopedFinish: mar(11), FeasibleFinish: mar(11)},
		},
		{
			name: "one overloaded role delays the steps that depend on it",
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 8, "engineer", 8)},
			// Configuring at 8 h a day takes until the 11th; training
			// then finds the day's hours used and moves to the 12th, and
			// going live takes the 12th's last 2 hours and 2 on the 13th.
			want: scope.Feasibility{ScopedFinish: mar(11), FeasibleFinish: mar(13), Slip: 2, Overloads: []scope.Overload{
				planOverload(mar(4), "consultant", "16", "8"),
				planOverload(mar(5), "consultant", "16", "8"),
				planOverload(mar(6), "consultant", "16", "8"),
			}},
		},
		{
			name: "people with days off",
			cap: scope.Capacity{PerRole: planPerRole("consultant", 8), People: []scope.Person{
				// A date listed twice is one day off; a weekend off counts
				// for nothing; off dates are read in the calendar's zone.
				{ID: "ana", Role: "consultant", HoursPerDay: hours(8), Off: []time.Time{mar(5), mar(7), mar(5).Add(20 * time.Hour)}},
				{ID: "eli", Role: "engineer", HoursPerDay: hours(8), Off: []time.Time{mar(9)}},
				{ID: "tom", Role: "trainer", HoursPerDay: hours(8)},
			}},
			// Configuring loses 8 hours on the 5th and ends on the 9th;
			// integrating loses the 9th and ends on the 10th. Both were
			// followed by slack: the finish holds despite the overloads.
			want: scope.Feasibility{ScopedFinish: mar(11), FeasibleFinish: mar(11), Overloads: []scope.Overload{
				planOverload(mar(5), "consultant", "16", "8"),
				planOverload(mar(9), "engineer", "8", "0"),
			}},
		},
		{
			name: "a role with no capacity",
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 16)},
			// Going live waits on the engineer's integration, but the
			// consultant is not unstaffed for it.
			want: scope.Feasibility{ScopedFinish: mar(11), Unstaffed: []string{"engineer"}, Overloads: []scope.Overload{
				planOverload(mar(4), "engineer", "6", "0"),
				planOverload(mar(5), "engineer", "6", "0"),
				planOverload(mar(6), "engineer", "8", "0"),
				planOverload(mar(9), "engineer", "8", "0"),
			}},
		},
		{
			name: "roles with no capacity, listed sorted",
			cap: scope.Capacity{PerRole: planPerRole("engineer", 0), People: []scope.Person{
				{ID: "ana", Role: "consultant", HoursPerDay: decimal.Zero},
			}},
			want: scope.Feasibility{ScopedFinish: mar(11), Unstaffed: []string{"consultant", "engineer"}, Overloads: []scope.Overload{
				planOverload(mar(2), "consultant", "6", "0"),
				planOverload(mar(3), "consultant", "6", "0"),
				planOverload(mar(4), "consultant", "16", "0"),
				planOverload(mar(4), "engineer", "6", "0"),
				planOverload(mar(5), "consultant", "16", "0"),
				planOverload(mar(5), "engineer", "6", "0"),
				planOverload(mar(6), "consultant", "16", "0"),
				planOverload(mar(6), "engineer", "8", "0"),
				planOverload(mar(9), "engineer", "8", "0"),
				planOverload(mar(10), "consultant", "6", "0"),
				planOverload(mar(11), "consultant", "4", "0"),
			}},
		},
		{
			name: "a step without effort needs no capacity",
			edit: func(s *scope.SOW) {
				s.Steps = append(s.Steps, scope.Step{ID: "sign-off", Offset: 7, Activity: scope.ActivityOther, Phase: scope.PhaseGoLive, Owner: "client", Effort: decimal.Zero})
			},
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 16, "engineer", 8)},
			want: scope.Feasibility{ScopedFinish: mar(11), FeasibleFinish: mar(11)},
		},
		{
			name: "a pool plus people",
			cap: scope.Capacity{PerRole: planPerRole("consultant", "4.5", "engineer", 8, "trainer", 8), People: []scope.Person{
				{ID: "ana", Role: "consultant", HoursPerDay: decimal.RequireFromString("5.75")},
				{ID: "bo", Role: "consultant", HoursPerDay: decimal.RequireFromString("5.75"), Off: []time.Time{mar(6)}},
			}},
			// Configuring does 10.25 h on the 6th and the rest on the 9th,
			// within the slack before training.
			want: scope.Feasibility{ScopedFinish: mar(11), FeasibleFinish: mar(11), Overloads: []scope.Overload{
				planOverload(mar(6), "consultant", "16", "10.25"),
			}},
		},
		{
			name: "holidays inside the span",
			cal:  accord.Calendar{Holidays: []accord.Date{planDay(time.March, 4)}},
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 8, "engineer", 8)},
			want: scope.Feasibility{ScopedFinish: mar(12), FeasibleFinish: mar(16), Slip: 2, Overloads: []scope.Overload{
				planOverload(mar(5), "consultant", "16", "8"),
				planOverload(mar(6), "consultant", "16", "8"),
				planOverload(mar(9), "consultant", "16", "8"),
			}},
		},
		{
			name: "dates at midnight in the calendar's zone",
			cal:  accord.Calendar{Location: berlin},
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 8, "engineer", 8)},
			want: scope.Feasibility{ScopedFinish: time.Date(2026, 3, 11, 0, 0, 0, 0, berlin), FeasibleFinish: time.Date(2026, 3, 13, 0, 0, 0, 0, berlin), Slip: 2,
				Overloads: []scope.Overload{
					planOverload(time.Date(2026, 3, 4, 0, 0, 0, 0, berlin), "consultant", "16", "8"),
					planOverload(time.Date(2026, 3, 5, 0, 0, 0, 0, berlin), "consultant", "16", "8"),
					planOverload(time.Date(2026, 3, 6, 0, 0, 0, 0, berlin), "consultant", "16", "8"),
				}},
		},
		{
			name: "days off read in the calendar's zone",
			cal:  accord.Calendar{Location: berlin},
			cap: scope.Capacity{PerRole: planPerRole("consultant", 8, "engineer", 8), People: []scope.Person{
				// 23:30 UTC on the 4th is the 5th in Berlin.
				{ID: "ana", Role: "consultant", HoursPerDay: hours(8), Off: []time.Time{time.Date(2026, 3, 4, 23, 30, 0, 0, time.UTC)}},
			}},
			want: scope.Feasibility{ScopedFinish: time.Date(2026, 3, 11, 0, 0, 0, 0, berlin), FeasibleFinish: time.Date(2026, 3, 11, 0, 0, 0, 0, berlin),
				Overloads: []scope.Overload{planOverload(time.Date(2026, 3, 5, 0, 0, 0, 0, berlin), "consultant", "16", "8")}},
		},
		{
			name: "a step worked at its planned rate after its planned days",
			edit: func(s *scope.SOW) {
				s.Steps = []scope.Step{{ID: "train", Days: 3, Activity: scope.ActivityTraining, Phase: scope.PhaseTrain, Effort: hours(10), Owner: "trainer"}}
				s.Requirements, s.Deliverables, s.Milestones = nil, nil, nil
			},
			cap: scope.Capacity{PerRole: planPerRole("trainer", "3.33")},
			// 3.33 h on each of the three days leaves 0.01 h for the
			// fourth.
			want: scope.Feasibility{ScopedFinish: mar(4), FeasibleFinish: mar(5), Slip: 1, Overloads: []scope.Overload{
				planOverload(mar(2), "trainer", "3.34", "3.33"),
			}},
		},
		{
			name: "a step planned before its dependency ends is delayed within the slack",
			edit: func(s *scope.SOW) { s.Steps[4].Offset = 3 }, // train during configuration
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 22, "engineer", 8)},
			want: scope.Feasibility{ScopedFinish: mar(11), FeasibleFinish: mar(11)},
		},
		{
			name: "a step planned before its dependency ends pushes the finish",
			// Going live on the 9th and 10th, while training is on the
			// 10th: it starts the day after, on the 11th, and ends on the
			// 12th. No day is overloaded; Validate reports the order.
			edit: func(s *scope.SOW) { s.Steps[5].Offset, s.Steps[5].Days = 5, 2 },
			cap:  scope.Capacity{PerRole: planPerRole("consultant", 22, "engineer", 8)},
			want: scope.Feasibility{ScopedFinish: mar(10), FeasibleFinish: mar(12), Slip: 2},
		},
		{
			name: "work that cannot be done within the bound",
			edit: func(s *scope.SOW) {
				// 25.99 h at 0.01 h a day ends on working day 2598; the
				// next step depends on it and lasts 100 days from there,
				// past the last working day.
				s.Requirements, s.Deliverables, s.Milestones = nil, nil, nil
				a := planStep("a", 0, 1)
				a.Effort = decimal.RequireFromString("25.99")
				b := planStep("b", 2500, 100, "a")
				b.Effort, b.Owner = decimal.Zero, "client"
				s.Steps = []scope.Step{a, b}
			},
			cal: accord.Calendar{Weekend: []time.Weekday{}},
			cap: scope.Capacity{PerRole: planPerRole("consultant", "0.01")},
			want: scope.Feasibility{ScopedFinish: time.Date(2033, 4, 13, 0, 0, 0, 0, time.UTC), Unstaffed: []string{"client"},
				Overloads: []scope.Overload{planOverload(mar(2), "consultant", "25.99", "0.01")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := exampleSOW()
			if tt.edit != nil {
				tt.edit(&s)
			}
			got, err := s.Feasibility(tt.cal, tt.cap)
			if err != nil {
				t.Fatal(err)
			}
			// Start is the scope's start day at midnight in the calendar.
			loc := tt.cal.Location
			if loc == nil {
				loc = time.UTC
			}
			y, m, d := s.Start.In(loc).Date()
			if want := time.Date(y, m, d, 0, 0, 0, 0, loc); !got.Start.Equal(want) || got.Start.Location() != loc {
				t.Errorf("start %v; want %v", got.Start, want)
			}
			got.Start = time.Time{}
			if diff := cmp.Diff(tt.want, got, planExact, cmp.Comparer(func(a, b scope.Overload) bool {
				return a.Date == b.Date && a.Role == b.Role && a.Planned.Equal(b.Planned) && a.Capacity.Equal(b.Capacity)
			})); diff != "" {
				t.Errorf("feasibility (-want +got):\n%s", diff)
			}
			if got.Feasible() != (len(tt.want.Overloads) == 0 && len(tt.want.Unstaffed) == 0) {
				t.Errorf("Feasible() = %v", got.Feasible())
			}
		})
	}
}

func TestFeasibilityErrors(t *testing.T) {
	ok := scope.Capacity{PerRole: planPerRole("consultant", 16, "engineer", 8)}
	tests := []struct {
		name string
		edit func(s *scope.SOW)
		cap  scope.Capacity
		want []planProblem
	}{
		{
			name: "malformed capacity",
			cap: scope.Capacity{
				PerRole: planPerRole("", 8, "consultant", -1, "engineer", "12.345", "pm", "10000.01", "qa", 10000),
				People: []scope.Person{
					{HoursPerDay: hours(25)},
					{ID: "a", Role: "consultant", HoursPerDay: hours(8)},
					{ID: "a", Role: "x", HoursPerDay: hours(-1)},
					{ID: "b", Role: "c", HoursPerDay: decimal.RequireFromString("7.555")},
					{ID: "c", Role: "c", HoursPerDay: hours(24)},
					{ID: "d", Role: "c", HoursPerDay: decimal.New(1, -5000)},
				},
			},
			want: []planProblem{
				{`capacity.per_role[""]`, "names no role"},
				{`capacity.per_role["consultant"]`, "must be between 0 and 10000 hours per day with at most two decimal places; got -1"},
				{`capacity.per_role["engineer"]`, "must be between 0 and 10000 hours per day with at most two decimal places; got 12.345"},
				{`capacity.per_role["pm"]`, "must be between 0 and 10000 hours per day with at most two decimal places; got 10000.01"},
				{"capacity.people[0].id", "is required"},
				{"capacity.people[0].role", "is required"},
				{"capacity.people[0].hours_per_day", "must be between 0 and 24 with at most two decimal places; got 25"},
				{"capacity.people[2].id", `duplicates person "a"`},
				{"capacity.people[2].hours_per_day", "must be between 0 and 24 with at most two decimal places; got -1"},
				{"capacity.people[3].hours_per_day", "must be between 0 and 24 with at most two decimal places; got 7.555"},
				{"capacity.people[5].hours_per_day", "must be between 0 and 24 with at most two decimal places; got 1e-5000"},
			},
		},
		{
			name: "a scope that cannot be scheduled, with the capacity's problems",
			edit: func(s *scope.SOW) {
				s.Title = "" // not a problem
				s.Steps[0].DependsOn = []string{"go-live"}
				s.Steps[2].Offset = -1
				s.Steps[3].Effort = hours(-2)
				s.DealID = ""
			},
			cap: scope.Capacity{PerRole: planPerRole("consultant", "0.001")},
			want: []planProblem{
				{"deal_id", "is required"},
				{"steps[2].offset", "must be between 0 and 2599 working days; got -1"},
				{"steps[3].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got -2"},
				{"steps[0].depends_on", `forms a dependency cycle: "audit" depends on "go-live" depends on "train" depends on "configure" depends on "audit"`},
				{`capacity.per_role["consultant"]`, "must be between 0 and 10000 hours per day with at most two decimal places; got 0.001"},
			},
		},
		{
			name: "no start",
			edit: func(s *scope.SOW) { s.Start = time.Time{} },
			cap:  ok,
			want: []planProblem{{"start", "is required"}},
		},
		{
			name: "a step on a weekend",
			edit: func(s *scope.SOW) { s.Steps[5].Date = planDate(time.March, 14) },
			cap:  ok,
			want: []planProblem{
				{"steps[5].offset", "must be 0 when date is set; got 7"},
				{"steps[5].date", "2026-03-14 falls on a non-working day (Saturday)"},
			},
		},
		{
			name: "no steps",
			edit: func(s *scope.SOW) {
				s.Steps, s.Milestones = nil, nil
				s.Requirements = s.Requirements[:1]
			},
			cap:  ok,
			want: []planProblem{{"steps", "at least one step is required to judge feasibility"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := exampleSOW()
			if tt.edit != nil {
				tt.edit(&s)
			}
			f, err := s.Feasibility(accord.Calendar{}, tt.cap)
			if err == nil {
				t.Fatalf("want an error, got %+v", f)
			}
			if diff := cmp.Diff(scope.Feasibility{}, f, planExact); diff != "" {
				t.Errorf("want the zero Feasibility with the error:\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, planProblems(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	var nilSOW *scope.SOW
	if _, err := nilSOW.Feasibility(accord.Calendar{}, ok); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("nil scope: %v", err)
	}
}

// planLoc is the calendar's location, UTC when unset.
func planLoc(cal accord.Calendar) *time.Location {
	if cal.Location == nil {
		return time.UTC
	}
	return cal.Location
}

// planReference recomputes, directly from the steps and the calendar, the
// scoped finish and every overloaded day, by date and then role. Dates are
// found by walking the calendar day by day; effort is spread in hundredths
// with the odd ones on the first days.
func planReference(s scope.SOW, cal accord.Calendar, c scope.Capacity) (finish time.Time, overloads []scope.Overload) {
	loc := planLoc(cal)
	days := planWorkdays(cal, s.Start, 200)
	key := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
	index := map[string]int{}
	for i, d := range days {
		index[key(d)] = i
	}
	load := map[string][]int64{} // by role, per working day
	last := 0
	for _, st := range s.Steps {
		first := st.Offset
		if !st.Date.IsZero() {
			first = index[key(st.Date)]
		}
		n := int64(max(st.Days, 1))
		e := st.Effort.Shift(2).IntPart()
		if load[st.Owner] == nil {
			load[st.Owner] = make([]int64, len(days))
		}
		for k := range n {
			h := e / n
			if k < e%n {
				h++
			}
			load[st.Owner][first+int(k)] += h
		}
		last = max(last, first+int(n)-1)
	}
	roles := make([]string, 0, len(load))
	for r := range load {
		roles = append(roles, r)
	}
	slices.Sort(roles)
	capacity := func(role string, day time.Time) int64 {
		h := c.PerRole[role].Shift(2).IntPart()
		for _, p := range c.People {
			if p.Role != role || slices.ContainsFunc(p.Off, func(o time.Time) bool { return key(o) == key(day) }) {
				continue
			}
			h += p.HoursPerDay.Shift(2).IntPart()
		}
		return h
	}
	midnight := func(d time.Time) time.Time {
		y, m, dd := d.In(loc).Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, loc)
	}
	for i := 0; i <= last; i++ {
		for _, r := range roles {
			if h := capacity(r, days[i]); load[r][i] > h {
				overloads = append(overloads, scope.Overload{Date: midnight(days[i]), Role: r, Planned: decimal.New(load[r][i], -2), Capacity: decimal.New(h, -2)})
			}
		}
	}
	return midnight(days[last]), overloads
}

// planCapacity draws a well-formed capacity for the roles of the generated
// scopes: pools, people with days off around the start (some listed twice),
// roles left without capacity.
func planCapacity(s scope.SOW) *rapid.Generator[scope.Capacity] {
	return rapid.Custom(func(t *rapid.T) scope.Capacity {
		c := scope.Capacity{PerRole: map[string]decimal.Decimal{}}
		roles := []string{"consultant", "engineer", "client", "trainer"}
		for _, r := range roles {
			if rapid.IntRange(0, 4).Draw(t, "has_pool") > 0 {
				c.PerRole[r] = decimal.New(rapid.Int64Range(0, 1600).Draw(t, "pool"), -2)
			}
		}
		for i := range rapid.IntRange(0, 3).Draw(t, "people") {
			p := scope.Person{ID: fmt.Sprintf("p%d", i), Role: planPick(roles...).Draw(t, "role"), HoursPerDay: decimal.New(rapid.Int64Range(0, 1000).Draw(t, "hours"), -2)}
			for range rapid.IntRange(0, 4).Draw(t, "off") {
				off := s.Start.AddDate(0, 0, rapid.IntRange(0, 60).Draw(t, "off_day"))
				p.Off = append(p.Off, off)
				if rapid.Bool().Draw(t, "twice") {
					p.Off = append(p.Off, off.Add(time.Hour))
				}
			}
			c.People = append(c.People, p)
		}
		return c
	})
}

// planDisorder moves some steps earlier, so that they may start before the
// steps they depend on end (a plan Validate refuses, which Feasibility still
// schedules).
func planDisorder(t *rapid.T, s *scope.SOW) {
	for i := range s.Steps {
		if rapid.IntRange(0, 3).Draw(t, "disorder") == 0 && s.Steps[i].Date.IsZero() {
			s.Steps[i].Offset = max(0, s.Steps[i].Offset-rapid.IntRange(1, 6).Draw(t, "earlier"))
		}
	}
}

// TestPropFeasibilityReference compares Feasibility with the reference on
// generated plans and capacities, in order or not, and checks the finish:
// never before the scoped one, slipping by the working days between them,
// zero exactly when a role is unstaffed.
func TestPropFeasibilityReference(t *testing.T) {
	overloadEq := cmp.Comparer(func(a, b scope.Overload) bool {
		return a.Date == b.Date && a.Role == b.Role && a.Planned.Equal(b.Planned) && a.Capacity.Equal(b.Capacity)
	})
	rapid.Check(t, func(t *rapid.T) {
		cal, s, c := planDrawWork(t)
		before, capBefore := planClone(s), c
		f, err := s.Feasibility(cal, c)
		if err != nil {
			t.Fatal(err)
		}
		finish, overloads := planReference(s, cal, c)
		if f.ScopedFinish != finish {
			t.Fatalf("scoped finish %s, reference %s", f.ScopedFinish, finish)
		}
		if diff := cmp.Diff(overloads, f.Overloads, overloadEq); diff != "" {
			t.Fatalf("overloads (-reference +got):\n%s", diff)
		}
		if f.Slip < 0 {
			t.Fatalf("negative slip %d", f.Slip)
		}
		if (len(f.Unstaffed) > 0) != f.FeasibleFinish.IsZero() {
			t.Fatalf("unstaffed %v with feasible finish %s", f.Unstaffed, f.FeasibleFinish)
		}
		if !slices.IsSorted(f.Unstaffed) || len(slices.Compact(slices.Clone(f.Unstaffed))) != len(f.Unstaffed) {
			t.Fatalf("unstaffed not sorted and unique: %v", f.Unstaffed)
		}
		if f.FeasibleFinish.IsZero() {
			if f.Slip != 0 {
				t.Fatalf("slip %d without a feasible finish", f.Slip)
			}
		} else {
			if f.FeasibleFinish.Before(f.ScopedFinish) {
				t.Fatalf("feasible finish %s before the scoped finish %s", f.FeasibleFinish, f.ScopedFinish)
			}
			if f.FeasibleFinish.Location() != planLoc(cal) || f.FeasibleFinish.Hour() != 0 || !cal.Working(cal.Day(f.FeasibleFinish)) {
				t.Fatalf("feasible finish %s is not a working day at midnight in the calendar's zone", f.FeasibleFinish)
			}
			between := slices.IndexFunc(planWorkdays(cal, f.ScopedFinish, 3000), func(d time.Time) bool {
				return d.Format(time.DateOnly) == f.FeasibleFinish.Format(time.DateOnly)
			})
			if between != f.Slip {
				t.Fatalf("slip %d, but %d working days from %s to %s", f.Slip, between, f.ScopedFinish, f.FeasibleFinish)
			}
		}
		again, _ := s.Feasibility(cal, c)
		planSame(t, "two reports differ", f, again)
		planSame(t, "Feasibility changed the scope", before, s)
		planSame(t, "Feasibility changed the capacity", capBefore, c)
	})
}

// TestPropFeasibilityAmple checks that a plan in order, worked by a team
// whose capacity covers every role's largest planned day, is feasible as
// planned.
func TestPropFeasibilityAmple(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cal := planValidCalendar().Draw(t, "calendar")
		s := planValidSOW(cal).Draw(t, "sow")
		// The reference with no capacity lists every role's planned
		// load on every day with work.
		_, loads := planReference(s, cal, scope.Capacity{})
		c := scope.Capacity{PerRole: map[string]decimal.Decimal{}}
		for _, o := range loads {
			if h, ok := c.PerRole[o.Role]; !ok || o.Planned.GreaterThan(h) {
				c.PerRole[o.Role] = o.Planned
			}
		}
		for r, h := range c.PerRole {
			c.PerRole[r] = h.Add(decimal.New(rapid.Int64Range(0, 200).Draw(t, "spare"), -2))
		}
		f, err := s.Feasibility(cal, c)
		if err != nil {
			t.Fatal(err)
		}
		if !f.Feasible() || !f.FeasibleFinish.Equal(f.ScopedFinish) || f.Slip != 0 {
			t.Fatalf("capacity %v: want feasible as planned, got %+v", c.PerRole, f)
		}
	})
}
