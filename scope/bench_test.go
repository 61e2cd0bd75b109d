package scope_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// The benchmark scope: 300 steps and 120 requirements over 90 working days
// from Monday 2 March 2026, Monday to Friday with five holidays. Each phase
// of the framework has a window of working days; its steps run in parallel
// chains across the window, each step depending on the one before it in
// its chain, and each chain's first step on the last steps of the previous
// phase. Every tenth step is placed by date, the others by offset. The
// team's capacity per role is its 70th-percentile planned day, so that a
// few days are overloaded and the finish slips.

const (
	benchSteps        = 300
	benchRequirements = 120
	benchDays         = 90
)

var benchCalendar = accord.Calendar{Holidays: []accord.Date{
	planDay(time.April, 3), planDay(time.April, 6), planDay(time.May, 1), planDay(time.May, 14), planDay(time.May, 25),
}}

// benchPhase is a phase's window of working days, its number of steps and
// the owner role of each chain.
type benchPhase struct {
	phase    scope.Phase
	activity scope.Activity
	from, to int
	steps    int
	owners   []string
}

var benchPhases = []benchPhase{
	{scope.PhaseAudit, scope.ActivityAudit, 0, 10, 30, []string{"consultant", "solution_architect", "consultant"}},
	{scope.PhaseConfigure, scope.ActivityConfiguration, 10, 60, 70, []string{"consultant", "solution_architect"}},
	{scope.PhaseMigrate, scope.ActivityDataMigration, 10, 60, 50, []string{"data_engineer"}},
	{scope.PhaseIntegrate, scope.ActivityIntegration, 10, 60, 60, []string{"integration_engineer", "integration_engineer"}},
	{scope.PhasePilot, scope.ActivityTesting, 60, 70, 30, []string{"consultant", "client", "project_manager"}},
	{scope.PhaseTrain, scope.ActivityTraining, 70, 80, 30, []string{"trainer", "trainer", "consultant"}},
	{scope.PhaseGoLive, scope.ActivityGoLive, 80, 85, 10, []string{"project_manager", "consultant"}},
	{scope.PhaseIterate, scope.ActivityOther, 85, 90, 20, []string{"consultant", "client", "solution_architect", "project_manager"}},
}

// benchScope builds the benchmark scope.
func benchScope() scope.SOW {
	s := planMini()
	s.ID, s.DealID, s.Title = "sow-bench", "deal-bench", "Contoso global rollout"
	s.Price = accord.Money{Amount: decimal.RequireFromString("486000.00"), Currency: "USD"}
	s.Entitlements = []scope.Entitlement{
		{Name: "support", Quantity: hours(8), Unit: "hours", Per: "week"},
		{Name: "admin_training", Quantity: hours(3), Unit: "sessions"},
	}
	said := scope.Source{Name: "Dana Ruiz, Head of Sales Ops", At: planDate(time.February, 3)}
	for i := range benchRequirements {
		p := scope.Must
		switch {
		case i%5 == 0:
			p = scope.Should
		case i%7 == 0:
			p = scope.Could
		}
		s.Requirements = append(s.Requirements, scope.Requirement{
			ID: fmt.Sprintf("R%03d", i+1), Title: fmt.Sprintf("Requirement %d", i+1),
			Kind: scope.Kinds()[i%len(scope.Kinds())], Priority: p,
			Acceptance: []string{"demonstrated in the pilot", "signed off by the process owner"}, Source: said,
		})
	}
	for i := range 12 {
		d := scope.Deliverable{ID: fmt.Sprintf("D%02d", i+1), Name: fmt.Sprintf("Deliverable %d", i+1)}
		for k := range 10 {
			d.Requirements = append(d.Requirements, s.Requirements[i*10+k].ID)
		}
		s.Deliverables = append(s.Deliverables, d)
	}

	workdays := planWorkdays(benchCalendar, s.Start, benchDays)
	implement := func(p scope.Phase) bool {
		return p == scope.PhaseConfigure || p == scope.PhaseMigrate || p == scope.PhaseIntegrate
	}
	// previous holds the last steps of the previous phase's chains (of all
	// three parts of implement after it); parts collects implement's.
	var previous, parts []string
	for k, ph := range benchPhases {
		chains := len(ph.owners)
		width := ph.to - ph.from
		var lasts []string
		n := 0
		for c := range chains {
			m := ph.steps / chains
			if c < ph.steps%chains {
				m++
			}
			var prev string
			for j := range m {
				i := len(s.Steps)
				first := ph.from + j*width/m
				days := ph.from + (j+1)*width/m - first
				rate := int64(400 + (i*7%5)*100) // 4 to 8 hours a day
				st := scope.Step{
					ID: fmt.Sprintf("%s-%d-%02d", ph.phase, c, j), Title: fmt.Sprintf("%s step %d", ph.phase, n),
					Offset: first, Days: days, Activity: ph.activity, Phase: ph.phase,
					Requirements: []string{s.Requirements[i%benchRequirements].ID},
					Effort:       decimal.New(int64(days)*rate+int64(i%4)*25, -2),
					Owner:        ph.owners[c],
				}
				if i%2 == 0 {
					st.Requirements = append(st.Requirements, s.Requirements[(i*7+3)%benchRequirements].ID)
				}
				if i%10 == 0 {
					st.Date, st.Offset = workdays[first], 0
				}
				if prev != "" {
					st.DependsOn = []string{prev}
				} else {
					st.DependsOn = slices.Clone(previous)
				}
				s.Steps = append(s.Steps, st)
				prev = st.ID
				n++
			}
			lasts = append(lasts, prev)
		}
		s.Milestones = append(s.Milestones, scope.Milestone{
			ID: "end-" + string(ph.phase), Name: fmt.Sprintf("End of %s", ph.phase), Offset: ph.to - 1,
			Steps: lasts, Deliverables: []string{s.Deliverables[len(s.Milestones)].ID},
		})
		switch {
		case !implement(ph.phase):
			previous = lasts
		case k+1 < len(benchPhases) && implement(benchPhases[k+1].phase):
			parts = append(parts, lasts...)
		default:
			previous, parts = append(parts, lasts...), nil
		}
	}
	return s
}

// benchCapacity gives each role its 70th-percentile planned day, the
// consultants as a pool and two people with days off.
func benchCapacity(s scope.SOW) scope.Capacity {
	_, loads := planReference(s, benchCalendar, scope.Capacity{})
	byRole := map[string][]int64{}
	for _, o := range loads {
		byRole[o.Role] = append(byRole[o.Role], o.Planned.Shift(2).IntPart())
	}
	c := scope.Capacity{PerRole: map[string]decimal.Decimal{}}
	for role, hs := range byRole {
		slices.Sort(hs)
		h := hs[len(hs)*7/10]
		if role == "consultant" {
			h -= 600
			c.People = []scope.Person{
				{ID: "ana", Role: role, HoursPerDay: hours(3), Off: []time.Time{planDate(time.March, 20), planDate(time.April, 10)}},
				{ID: "ben", Role: role, HoursPerDay: hours(3), Off: []time.Time{planDate(time.May, 4)}},
			}
		}
		c.PerRole[role] = decimal.New(h, -2)
	}
	return c
}

// benchProposal offers the scope's deliverables but one, and one more, in
// 18 weeks, with more support hours, at a discount.
func benchProposal(s scope.SOW) scope.Proposal {
	p := scope.Proposal{ID: "prop-bench", DealID: s.DealID, Weeks: 18, Price: accord.Money{Amount: decimal.RequireFromString("480000.00"), Currency: "USD"}}
	for _, d := range s.Deliverables[1:] {
		p.Deliverables = append(p.Deliverables, scope.Deliverable{ID: d.ID, Name: d.Name})
	}
	p.Deliverables = append(p.Deliverables, scope.Deliverable{ID: "D99", Name: "Executive dashboards"})
	p.Entitlements = []scope.Entitlement{{Name: "support", Quantity: hours(12), Unit: "hours", Per: "week"}, s.Entitlements[1]}
	return p
}

// TestBenchScope checks the shape of the benchmark scope: 300 steps and
// 120 requirements spread over 90 working days, valid, with overloaded
// days and a slip at the team's capacity.
func TestBenchScope(t *testing.T) {
	s := benchScope()
	if len(s.Steps) != benchSteps || len(s.Requirements) != benchRequirements {
		t.Fatalf("%d steps and %d requirements", len(s.Steps), len(s.Requirements))
	}
	if err := s.Validate(benchCalendar); err != nil {
		t.Fatal(err)
	}
	deps := 0
	for _, st := range s.Steps {
		deps += len(st.DependsOn)
	}
	if deps < benchSteps-20 {
		t.Fatalf("only %d dependencies", deps)
	}
	f, err := s.Feasibility(benchCalendar, benchCapacity(s))
	if err != nil {
		t.Fatal(err)
	}
	days := planWorkdays(benchCalendar, s.Start, benchDays)
	if first := s.Start; !first.Equal(planDate(time.March, 2)) || !f.ScopedFinish.Equal(days[benchDays-1].Truncate(24*time.Hour)) {
		t.Fatalf("the scope spans %s to %s, want %d working days to %s", s.Start, f.ScopedFinish, benchDays, days[benchDays-1])
	}
	worked := map[string]bool{}
	for _, st := range s.Steps {
		worked[st.Owner] = true
	}
	if len(worked) != 7 || len(f.Overloads) < 20 || len(f.Unstaffed) != 0 || f.Slip < 1 {
		t.Fatalf("want 7 roles, overloads, no unstaffed role and a slip; got %d roles, %d overloads, unstaffed %v, slip %d",
			len(worked), len(f.Overloads), f.Unstaffed, f.Slip)
	}
	t.Logf("%d overloaded role-days, finish %s instead of %s (%d working days late)", len(f.Overloads),
		f.FeasibleFinish.Format(time.DateOnly), f.ScopedFinish.Format(time.DateOnly), f.Slip)
	if ds := scope.Reconcile(benchProposal(s), &s, f); len(ds) != 5 {
		t.Fatalf("want 5 discrepancies, got %+v", ds)
	}
}

func BenchmarkValidate(b *testing.B) {
	s := benchScope()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(benchCalendar); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFeasibility(b *testing.B) {
	s := benchScope()
	c := benchCapacity(s)
	b.ReportAllocs()
	for b.Loop() {
		f, err := s.Feasibility(benchCalendar, c)
		if err != nil || f.Feasible() {
			b.Fatal(err, f)
		}
	}
}

func BenchmarkDigest(b *testing.B) {
	s := benchScope()
	b.ReportAllocs()
	for b.Loop() {
		if len(s.Digest()) != 64 {
			b.Fatal("digest")
		}
	}
}

func BenchmarkReconcile(b *testing.B) {
	s := benchScope()
	f, err := s.Feasibility(benchCalendar, benchCapacity(s))
	if err != nil {
		b.Fatal(err)
	}
	p := benchProposal(s)
	b.ReportAllocs()
	for b.Loop() {
		if len(scope.Reconcile(p, &s, f)) != 5 {
			b.Fatal("discrepancies")
		}
	}
}

// BenchmarkFeasibilityManyRoles: a scope of 5,000 one-hour steps, each
// with its own owner role, half on the first day and half ten years later.
// Memory must follow the work, not roles times days (it was 210 MB).
func BenchmarkFeasibilityManyRoles(b *testing.B) {
	n := 5000
	if testing.Short() {
		n = 500
	}
	s := &scope.SOW{ID: "s", DealID: "d", Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Price: accord.Money{Amount: decimal.NewFromInt(1), Currency: "USD"}}
	for i := range n {
		s.Steps = append(s.Steps, scope.Step{ID: fmt.Sprint("s", i), Offset: (scope.MaxWorkingDays - 1) * (i % 2), Activity: scope.ActivityAudit, Phase: scope.PhaseAudit, Effort: decimal.NewFromInt(1), Owner: fmt.Sprint("role", i)})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Feasibility(accord.Calendar{}, scope.Capacity{}); err != nil {
			b.Fatal(err)
		}
	}
}
