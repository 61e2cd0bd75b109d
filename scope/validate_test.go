package scope_test

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/datetest"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// planProblem is one reported problem: the field path and the rule of a
// *accord.FieldError.
type planProblem struct{ Field, Rule string }

func (p planProblem) String() string { return p.Field + ": " + p.Rule }

// planTB is what the helpers need of a *testing.T or a *rapid.T.
type planTB = errtest.TB

// planProblems flattens a (possibly joined, possibly nested) validation
// error into its field errors, in order. Any leaf that is not a
// *accord.FieldError fails the test.
func planProblems(t planTB, err error) []planProblem {
	t.Helper()
	if err != nil && !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("error does not wrap accord.ErrInvalid: %v", err)
	}
	var out []planProblem
	for _, fe := range errtest.FieldErrors(t, err) {
		out = append(out, planProblem{fe.Field, fe.Rule})
	}
	return out
}

// planDate is midnight UTC of a date in 2026.
func planDate(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 0, 0, 0, 0, time.UTC)
}

// planDay is the date planDate names.
func planDay(month time.Month, day int) accord.Date { return accord.MakeDate(2026, month, day) }

// planStart is Monday 2 March 2026, the start of every scope in these tests.
var planStart = planDate(time.March, 2)

// planMini returns a valid scope with no requirements and the given steps.
func planMini(steps ...scope.Step) scope.SOW {
	return scope.SOW{
		ID: "sow-t", DealID: "deal-t", Start: planStart,
		Price: accord.Money{Amount: decimal.NewFromInt(1000), Currency: "USD"},
		Steps: steps,
	}
}

// planStep returns a valid configuration step at a working-day offset.
func planStep(id string, offset, days int, deps ...string) scope.Step {
	return scope.Step{ID: id, Offset: offset, Days: days, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure,
		Effort: hours(8), Owner: "consultant", DependsOn: deps}
}

func TestValidateExample(t *testing.T) {
	s := exampleSOW()
	if err := s.Validate(accord.Calendar{}); err != nil {
		t.Fatalf("the example is valid: %v", err)
	}
	var nilSOW *scope.SOW
	if diff := cmp.Diff([]planProblem{{"sow", "is nil"}}, planProblems(t, nilSOW.Validate(accord.Calendar{}))); diff != "" {
		t.Fatal(diff)
	}
}

// TestValidateRules has one case per check of Validate, each asserting the
// exact list of problems, in order.
func TestValidateRules(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	// sundayUTC starts the scope on Monday 23 February in Berlin with its
	// first step dated 23:30 UTC on Sunday 1 March (Monday in Berlin), the
	// other steps and the milestone a week later.
	sundayUTC := func(s *scope.SOW) {
		s.Start = time.Date(2026, 2, 23, 0, 0, 0, 0, berlin)
		s.Steps[0].Date, s.Steps[0].Offset = time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), 0
		for i := 1; i < len(s.Steps); i++ {
			s.Steps[i].Offset += 5
		}
		s.Milestones[0].Offset += 5
	}
	eastern := time.FixedZone("EST", -5*3600)
	tests := []struct {
		name string
		edit func(s *scope.SOW)
		cal  accord.Calendar
		want []planProblem
	}{
		{
			name: "missing id, deal, start and price",
			edit: func(s *scope.SOW) { s.ID, s.DealID, s.Start, s.Price = "", "", time.Time{}, accord.Money{} },
			// Without a start nothing is placed, and nothing more is said.
			want: []planProblem{{"id", "is required"}, {"deal_id", "is required"}, {"start", "is required"}, {"price", "is required"}},
		},
		{
			name: "malformed price",
			edit: func(s *scope.SOW) {
				s.Price = accord.Money{Amount: decimal.New(1, -19), Currency: "XYZ"}
			},
			want: []planProblem{
				{"price.currency", `must be an active ISO 4217 code, got "XYZ"`},
				{"price.amount", "must have at most 18 decimal places"},
			},
		},
		{
			name: "price amount without a currency",
			edit: func(s *scope.SOW) { s.Price = accord.Money{Amount: decimal.NewFromInt(5)} },
			want: []planProblem{{"price", "is required"}},
		},
		{
			name: "malformed requirements",
			edit: func(s *scope.SOW) {
				s.Requirements = append(s.Requirements,
					scope.Requirement{ID: "R2", Title: "again", Kind: scope.KindWorkflow, Priority: scope.Could, Source: s.Requirements[0].Source},
					scope.Requirement{ID: " ", Title: " ", Kind: "wish", Priority: "nice", Source: scope.Source{Name: "\t"}},
				)
			},
			want: []planProblem{
				{"requirements[4].id", `duplicates requirement "R2"`},
				{"requirements[5].id", "is required"},
				{"requirements[5].title", "is required"},
				{"requirements[5].kind", `must be one of current_state, future_state, workflow, integration, data_structure, edge_case, constraint; got "wish"`},
				{"requirements[5].priority", `must be must, should or could; got "nice"`},
				{"requirements[5].source.name", "is required: who stated the requirement"},
				{"requirements[5].source.at", "is required: when the requirement was stated"},
			},
		},
		{
			name: "must-haves no step addresses",
			edit: func(s *scope.SOW) {
				s.Steps[3].Requirements = nil // R3, a must
				s.Steps[0].Requirements = nil // R1, a should: not a problem
				s.Requirements = append(s.Requirements,
					scope.Requirement{ID: "R5", Title: "could", Kind: scope.KindEdgeCase, Priority: scope.Could, Source: s.Requirements[0].Source},
					scope.Requirement{ID: "R6", Title: "must", Kind: scope.KindEdgeCase, Priority: scope.Must, Source: s.Requirements[0].Source},
				)
				// A deliverable meeting a must-have does not address it:
				// only steps do.
				s.Deliverables[0].Requirements = append(s.Deliverables[0].Requirements, "R6")
			},
			want: []planProblem{
				{"requirements[2]", `must-have requirement "R3" is addressed by no step`},
				{"requirements[5]", `must-have requirement "R6" is addressed by no step`},
			},
		},
		{
			name: "unknown references",
			edit: func(s *scope.SOW) {
				s.Deliverables[1].Requirements = []string{"R3", "R9"}
				s.Steps[2].Requirements = []string{"", "R4", "r4"}
				s.Steps[4].DependsOn = []string{"configure", "nope"}
				s.Milestones[0].Steps = []string{"go-live", "gone"}
				s.Milestones[0].Deliverables = []string{"pipeline", "docs"}
			},
			want: []planProblem{
				{"deliverables[1].requirements[1]", `names unknown requirement "R9"`},
				{"steps[2].requirements[0]", `names unknown requirement ""`},
				{"steps[2].requirements[2]", `names unknown requirement "r4"`},
				{"steps[4].depends_on[1]", `names unknown step "nope"`},
				// R4 is still addressed: the known reference counts.
				{"milestones[0].steps[1]", `names unknown step "gone"`},
				{"milestones[0].deliverables[1]", `names unknown deliverable "docs"`},
			},
		},
		{
			name: "duplicate and missing IDs",
			edit: func(s *scope.SOW) {
				s.Deliverables = append(s.Deliverables, scope.Deliverable{ID: "pipeline", Name: "again"}, scope.Deliverable{})
				extra := s.Steps[5]
				extra.DependsOn = nil
				s.Steps = append(s.Steps, extra, scope.Step{Offset: 7, Activity: scope.ActivityOther, Phase: scope.PhaseGoLive, Owner: "pm"})
				s.Milestones = append(s.Milestones, scope.Milestone{ID: "live", Name: "again", Offset: 7}, scope.Milestone{Offset: 7})
			},
			want: []planProblem{
				{"deliverables[2].id", `duplicates deliverable "pipeline"`},
				{"deliverables[3].id", "is required"},
				{"deliverables[3].name", "is required"},
				{"steps[6].id", `duplicates step "go-live"`},
				{"steps[7].id", "is required"},
				{"milestones[1].id", `duplicates milestone "live"`},
				{"milestones[2].id", "is required"},
				{"milestones[2].name", "is required"},
			},
		},
		{
			name: "malformed entitlements",
			edit: func(s *scope.SOW) {
				s.Entitlements = append(s.Entitlements,
					scope.Entitlement{Name: " support", Quantity: hours(1), Unit: "hours ", Per: "week"},
					scope.Entitlement{Name: " ", Quantity: hours(-1), Unit: ""},
					scope.Entitlement{Name: "seats", Quantity: decimal.Zero, Unit: "users"},
					// The same name in another measure is another entitlement.
					scope.Entitlement{Name: "support", Quantity: hours(1), Unit: "hours"},
					scope.Entitlement{Name: "support", Quantity: hours(1), Unit: "visits", Per: "month"},
				)
			},
			want: []planProblem{
				{"entitlements[1].name", `duplicates entitlement " support" in hours/week`},
				{"entitlements[2].name", "is required"},
				{"entitlements[2].quantity", "must not be negative; got -1"},
				{"entitlements[2].unit", `is required, such as "hours"`},
			},
		},
		{
			name: "malformed step",
			edit: func(s *scope.SOW) {
				s.Steps[4].Activity, s.Steps[4].Phase, s.Steps[4].Owner = "dance", "party", " "
			},
			want: []planProblem{
				{"steps[4].activity", `must be one of audit, configuration, data_migration, integration, testing, training, go_live, project_management, documentation, other; got "dance"`},
				{"steps[4].phase", `must be one of audit, configure, migrate, integrate, pilot, train, go_live, iterate, pick; got "party"`},
				{"steps[4].owner", "is required: the team role that does the work"},
			},
		},
		{
			name: "effort with two decimals, trailing zeros and the maximum",
			edit: func(s *scope.SOW) {
				s.Steps[0].Effort = decimal.RequireFromString("12.25")
				s.Steps[1].Effort = decimal.RequireFromString("12.500")
				s.Steps[2].Effort = decimal.NewFromInt(1_000_000)
				s.Steps[3].Effort = decimal.Zero
				s.Steps[4].Effort = decimal.New(0, -60) // zero, however precise
			},
		},
		{
			name: "effort negative, too precise or too large",
			edit: func(s *scope.SOW) {
				s.Steps[0].Effort = decimal.RequireFromString("12.345")
				s.Steps[1].Effort = decimal.NewFromInt(-1)
				s.Steps[2].Effort = decimal.RequireFromString("1000000.01")
				s.Steps[3].Effort = decimal.New(1, 400)
				s.Steps[4].Effort = decimal.New(1, -400)
			},
			want: []planProblem{
				{"steps[0].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got 12.345"},
				{"steps[1].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got -1"},
				{"steps[2].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got 1000000.01"},
				{"steps[3].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got 1" + strings.Repeat("0", 400)},
				{"steps[4].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got 0." + strings.Repeat("0", 399) + "1"},
			},
		},
		{
			name: "extreme exponents are reported without expanding them",
			edit: func(s *scope.SOW) {
				s.Steps[0].Effort = decimal.New(1, math.MinInt32)
				s.Steps[1].Effort = decimal.New(7, math.MaxInt32)
				s.Entitlements[0].Quantity = decimal.New(-3, 5000)
			},
			want: []planProblem{
				{"entitlements[0].quantity", "must not be negative; got -3e5000"},
				{"steps[0].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got 1e-2147483648"},
				{"steps[1].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got 7e2147483647"},
			},
		},
		{
			name: "negative and too large offsets and durations",
			edit: func(s *scope.SOW) {
				s.Steps[4].Offset = -1
				s.Steps[5].Offset = scope.MaxWorkingDays
				s.Steps[2].Days = -1
				s.Steps[3].Days = scope.MaxWorkingDays + 1
				s.Milestones[0].Offset = -3
			},
			want: []planProblem{
				{"steps[2].days", "must be between 0 and 2600 working days; got -1"},
				{"steps[3].days", "must be between 0 and 2600 working days; got 2601"},
				{"steps[4].offset", "must be between 0 and 2599 working days; got -1"},
				{"steps[5].offset", "must be between 0 and 2599 working days; got 2600"},
				{"milestones[0].offset", "must be between 0 and 2599 working days; got -3"},
			},
		},
		{
			name: "a step that ends beyond the bound",
			edit: func(s *scope.SOW) {
				// The last offset fits; two days from it do not.
				s.Steps[5].Offset, s.Steps[5].Days = scope.MaxWorkingDays-1, 2
				s.Milestones[0].Offset = scope.MaxWorkingDays - 1
			},
			want: []planProblem{{"steps[5].days", "ends more than 2600 working days after the start"}},
		},
		{
			name: "the longest sequence fits the bound",
			edit: func(s *scope.SOW) {
				s.Steps[5].Offset, s.Steps[5].Days = 7, scope.MaxWorkingDays-7
				s.Milestones[0].Offset = scope.MaxWorkingDays - 1
			},
		},
		{
			name: "date and offset both set",
			edit: func(s *scope.SOW) {
				s.Steps[5].Date = planDate(time.March, 11) // working day 7, as the offset says
				s.Milestones[0].Date = planDate(time.March, 11)
			},
			want: []planProblem{
				{"steps[5].offset", "must be 0 when date is set; got 7"},
				{"milestones[0].offset", "must be 0 when date is set; got 7"},
			},
		},
		{
			name: "dates instead of offsets",
			edit: func(s *scope.SOW) {
				for i, d := range []int{2, 4, 4, 6, 10, 11} {
					s.Steps[i].Date, s.Steps[i].Offset = planDate(time.March, d), 0
				}
				s.Milestones[0].Date, s.Milestones[0].Offset = planDate(time.March, 11).Add(23*time.Hour), 0
			},
		},
		{
			name: "a step on a weekend",
			edit: func(s *scope.SOW) {
				s.Steps[5].Date, s.Steps[5].Offset = planDate(time.March, 7), 0
				s.Milestones[0].Date, s.Milestones[0].Offset = planDate(time.March, 8), 0
			},
			want: []planProblem{
				{"steps[5].date", "2026-03-07 falls on a non-working day (Saturday)"},
				{"milestones[0].date", "2026-03-08 falls on a non-working day (Sunday)"},
			},
		},
		{
			name: "a seven-day week has no weekend",
			edit: func(s *scope.SOW) {
				// Offsets now count Saturdays and Sundays: working day 7
				// is Monday 9 March.
				s.Steps[5].Date, s.Steps[5].Offset = planDate(time.March, 9), 0
				s.Milestones[0].Date, s.Milestones[0].Offset = planDate(time.March, 9), 0
			},
			cal: accord.Calendar{Weekend: []time.Weekday{}},
		},
		{
			name: "a Friday and Saturday weekend",
			edit: func(s *scope.SOW) {
				s.Steps[5].Date, s.Steps[5].Offset = planDate(time.March, 13), 0 // Friday
			},
			cal: accord.Calendar{Weekend: []time.Weekday{time.Friday, time.Saturday}},
			want: []planProblem{
				{"steps[5].date", "2026-03-13 falls on a non-working day (Friday)"},
			},
		},
		{
			name: "a calendar with no working day",
			edit: func(s *scope.SOW) {
				s.Steps = s.Steps[:2]
				s.Steps[0].Date, s.Steps[0].Offset = planDate(time.March, 2), 0
				s.Milestones[0].Steps = nil
			},
			cal: accord.Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}},
			want: []planProblem{
				{"steps[0].date", "2026-03-02 falls on a non-working day (Monday)"},
				{"steps[1].offset", "has no working day in the calendar"},
				// Coverage is checked after the sequence.
				{"requirements[2]", `must-have requirement "R3" is addressed by no step`},
				{"requirements[3]", `must-have requirement "R4" is addressed by no step`},
				{"milestones[0].offset", "has no working day in the calendar"},
			},
		},
		{
			name: "holidays shift offsets and refuse dates",
			edit: func(s *scope.SOW) {
				// With 4 March off, working day 7 is 12 March.
				// A step's date is read in the calendar's location (UTC):
				// 21:00 on the 3rd in New York is the 4th in UTC.
				s.Steps[4].Date, s.Steps[4].Offset = time.Date(2026, 3, 3, 21, 0, 0, 0, eastern), 0
				s.Steps[5].Date, s.Steps[5].Offset = planDate(time.March, 12), 0
				s.Milestones[0].Date, s.Milestones[0].Offset = planDate(time.March, 12), 0
			},
			cal: accord.Calendar{Holidays: []accord.Date{planDay(time.March, 4)}},
			want: []planProblem{
				{"steps[4].date", "2026-03-04 falls on a holiday"},
			},
		},
		{
			name: "a date before the start",
			edit: func(s *scope.SOW) {
				s.Steps[0].Date, s.Steps[0].Offset = planDate(time.February, 27), 0
			},
			want: []planProblem{{"steps[0].date", "2026-02-27 is before the start"}},
		},
		{
			name: "a date too far after the start",
			edit: func(s *scope.SOW) {
				s.Steps[5].Date, s.Steps[5].Offset = time.Date(2040, 3, 5, 0, 0, 0, 0, time.UTC), 0
			},
			want: []planProblem{{"steps[5].date", "2040-03-05 is more than 2600 working days after the start"}},
		},
		{
			name: "a date read in the calendar's time zone",
			edit: func(s *scope.SOW) {
				// 23:30 UTC on Tuesday 10 March is Wednesday 11 March in
				// Berlin, working day 7, the day after train.
				s.Steps[5].Date, s.Steps[5].Offset = time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC), 0
			},
			cal: accord.Calendar{Location: berlin},
		},
		{
			name: "the same instant in UTC is a day early",
			edit: func(s *scope.SOW) {
				s.Steps[5].Date, s.Steps[5].Offset = time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC), 0
			},
			want: []planProblem{
				{"steps[5].depends_on[0]", `step starts on 2026-03-10, but step "train" it depends on ends on 2026-03-10; start it on a later working day`},
			},
		},
		{
			name: "Monday in Berlin is Sunday in UTC",
			edit: sundayUTC,
			cal:  accord.Calendar{Location: berlin},
		},
		{
			name: "Sunday in UTC",
			edit: sundayUTC,
			want: []planProblem{{"steps[0].date", "2026-03-01 falls on a non-working day (Sunday)"}},
		},
		{
			name: "a step before a step it depends on ends",
			edit: func(s *scope.SOW) {
				s.Steps[1].Offset = 0 // configure during the audit
				s.Steps[5].DependsOn = []string{"train", "audit", "integrate"}
				s.Steps[5].Offset = 5 // go-live before train, on the last day of integrate
				s.Milestones[0].Offset = 5
			},
			want: []planProblem{
				{"steps[1].depends_on[0]", `step starts on 2026-03-02, but step "audit" it depends on ends on 2026-03-03; start it on a later working day`},
				{"steps[5].depends_on[0]", `step starts on 2026-03-09, but step "train" it depends on ends on 2026-03-10; start it on a later working day`},
				{"steps[5].depends_on[2]", `step starts on 2026-03-09, but step "integrate" it depends on ends on 2026-03-09; start it on a later working day`},
				{"steps[5].phase", "phase go_live starts on 2026-03-09, before phase train starts on 2026-03-10"},
			},
		},
		{
			name: "a step may not start on the last day of its dependency",
			edit: func(s *scope.SOW) {
				s.Steps[1].Offset = 1 // the audit's last day
				s.Steps[3].Offset = 3 // migrate's last day
			},
			want: []planProblem{
				{"steps[1].depends_on[0]", `step starts on 2026-03-03, but step "audit" it depends on ends on 2026-03-03; start it on a later working day`},
				{"steps[3].depends_on[0]", `step starts on 2026-03-05, but step "migrate" it depends on ends on 2026-03-05; start it on a later working day`},
			},
		},
		{
			name: "self and repeated dependencies",
			edit: func(s *scope.SOW) {
				s.Steps[4].DependsOn = []string{"configure", "train", "configure", "configure"}
			},
			want: []planProblem{
				{"steps[4].depends_on[1]", "names the step itself"},
				{"steps[4].depends_on[2]", `repeats step "configure"`},
				{"steps[4].depends_on[3]", `repeats step "configure"`},
			},
		},
		{
			name: "a milestone before the steps it needs",
			edit: func(s *scope.SOW) {
				s.Milestones[0].Offset = 4
				s.Milestones[0].Steps = []string{"audit", "configure", "integrate", "go-live"}
			},
			want: []planProblem{
				{"milestones[0].steps[2]", `step "integrate" ends on 2026-03-09, after the milestone on 2026-03-06`},
				{"milestones[0].steps[3]", `step "go-live" ends on 2026-03-11, after the milestone on 2026-03-06`},
			},
		},
		{
			name: "a milestone before the start and on a holiday",
			edit: func(s *scope.SOW) {
				s.Milestones = append(s.Milestones,
					scope.Milestone{ID: "kickoff", Name: "Kickoff", Date: planDate(time.February, 27)},
					scope.Milestone{ID: "mid", Name: "Mid", Date: planDate(time.March, 6), Steps: []string{"configure"}},
				)
			},
			cal: accord.Calendar{Holidays: []accord.Date{planDay(time.March, 6)}},
			want: []planProblem{
				{"milestones[1].date", "2026-02-27 is before the start"},
				{"milestones[2].date", "2026-03-06 falls on a holiday"},
			},
		},
		{
			name: "a phase before an earlier phase of the framework",
			edit: func(s *scope.SOW) {
				s.Steps[4].Offset = 1 // train on day 1, while configuring starts on day 2
				s.Steps[4].DependsOn = nil
			},
			want: []planProblem{
				{"steps[4].phase", "phase train starts on 2026-03-03, before phase configure starts on 2026-03-04"},
			},
		},
		{
			name: "the parts of implement may run side by side",
			edit: func(s *scope.SOW) {
				s.Steps[3].Offset, s.Steps[3].DependsOn = 2, nil // integrate with configure and migrate
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := exampleSOW()
			tt.edit(&s)
			got := planProblems(t, s.Validate(tt.cal))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// stepCase is a sequence of steps and the problems Validate reports for
// the small scope planMini makes of them.
type stepCase struct {
	name  string
	steps []scope.Step
	want  []planProblem
}

// runStepCases runs each case as a subtest of t.
func runStepCases(t *testing.T, tests []stepCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := planMini(tt.steps...)
			if diff := cmp.Diff(tt.want, planProblems(t, s.Validate(accord.Calendar{}))); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateCycles checks that each dependency cycle is reported once, at
// its lowest-indexed step, with the path around it, whatever order the
// search meets the cycles in.
func TestValidateCycles(t *testing.T) {
	step := func(id string, deps ...string) scope.Step { return planStep(id, 0, 1, deps...) }
	tests := []stepCase{
		{
			name: "two separate cycles",
			// The search from x meets the cycle of d and e first.
			steps: []scope.Step{planStep("x", 5, 1, "d"), step("a", "b"), step("b", "a"), step("c"), step("d", "e"), step("e", "d")},
			want: []planProblem{
				{"steps[1].depends_on", `forms a dependency cycle: "a" depends on "b" depends on "a"`},
				{"steps[4].depends_on", `forms a dependency cycle: "d" depends on "e" depends on "d"`},
			},
		},
		{
			name:  "a longer cycle, entered from its last step",
			steps: []scope.Step{step("u", "w"), step("v", "u"), step("w", "v"), planStep("z", 5, 1, "v")},
			want:  []planProblem{{"steps[0].depends_on", `forms a dependency cycle: "u" depends on "w" depends on "v" depends on "u"`}},
		},
		{
			name:  "two cycles through one step are one knot, named by its shortest cycle",
			steps: []scope.Step{step("p", "r", "q"), step("q", "p"), step("r", "s"), step("s", "p")},
			want:  []planProblem{{"steps[0].depends_on", `forms a dependency cycle: "p" depends on "q" depends on "p"`}},
		},
		{
			name:  "a self-dependency is not a cycle but its own problem",
			steps: []scope.Step{step("a", "a"), planStep("b", 1, 1, "a")},
			want:  []planProblem{{"steps[0].depends_on[0]", "names the step itself"}},
		},
		{
			name:  "steps on a cycle have no order to check: the cycle is the one problem",
			steps: []scope.Step{planStep("a", 0, 1, "b"), planStep("b", 3, 1, "a")},
			want: []planProblem{
				{"steps[0].depends_on", `forms a dependency cycle: "a" depends on "b" depends on "a"`},
			},
		},
	}
	runStepCases(t, tests)
}

// TestValidatePhases checks the order of the rollout framework: a phase
// may not start before any earlier phase, and a phase's start is its
// earliest step.
func TestValidatePhases(t *testing.T) {
	phased := func(id string, offset int, p scope.Phase) scope.Step {
		s := planStep(id, offset, 1)
		s.Phase = p
		return s
	}
	tests := []stepCase{
		{
			name: "in framework order, with phases skipped and overlapping",
			steps: []scope.Step{phased("a", 0, scope.PhaseAudit), phased("m", 2, scope.PhaseMigrate), phased("c", 1, scope.PhaseConfigure),
				phased("a2", 5, scope.PhaseAudit), phased("g", 2, scope.PhaseGoLive), phased("i", 9, scope.PhaseIterate)},
		},
		{
			name: "a phase before two earlier phases",
			// Pilot starts before configure; train starts after pilot but
			// still before configure.
			steps: []scope.Step{phased("audit", 2, scope.PhaseAudit), phased("cfg", 3, scope.PhaseConfigure),
				phased("pilot", 0, scope.PhasePilot), phased("train", 1, scope.PhaseTrain), phased("live", 4, scope.PhaseGoLive)},
			want: []planProblem{
				{"steps[2].phase", "phase pilot starts on 2026-03-02, before phase configure starts on 2026-03-05"},
				{"steps[3].phase", "phase train starts on 2026-03-03, before phase configure starts on 2026-03-05"},
			},
		},
		{
			name: "reported at the step that starts the phase",
			steps: []scope.Step{phased("audit", 3, scope.PhaseAudit), phased("m", 2, scope.PhaseMigrate),
				phased("c", 1, scope.PhaseConfigure), phased("c2", 1, scope.PhaseIntegrate)},
			want: []planProblem{{"steps[2].phase", "phase configure starts on 2026-03-03, before phase audit starts on 2026-03-05"}},
		},
	}
	runStepCases(t, tests)
}

// TestValidateListsEveryProblem checks that problems of every kind are
// reported together, in a fixed order.
func TestValidateListsEveryProblem(t *testing.T) {
	s := exampleSOW()
	s.DealID = ""
	s.Requirements[1].Title = ""
	s.Steps[1].Requirements = []string{"R7"} // R2 is no longer addressed
	s.Steps[1].Offset = 0                    // during the audit it depends on
	s.Steps[2].Effort = decimal.RequireFromString("0.001")
	s.Steps[3].Date = planDate(time.March, 7) // a Saturday, with the offset still set
	s.Steps[4].DependsOn = []string{"go-live"}
	s.Steps[5].DependsOn = []string{"train", "integrate", "train"}
	s.Milestones[0].Offset = 6
	s.Entitlements[0].Unit = ""
	want := []planProblem{
		{"deal_id", "is required"},
		{"requirements[1].title", "is required"},
		{"entitlements[0].unit", `is required, such as "hours"`},
		{"steps[1].requirements[0]", `names unknown requirement "R7"`},
		{"steps[2].effort_hours", "must be between 0 and 1000000 hours with at most two decimal places; got 0.001"},
		{"steps[3].offset", "must be 0 when date is set; got 4"},
		{"steps[3].date", "2026-03-07 falls on a non-working day (Saturday)"},
		{"steps[5].depends_on[2]", `repeats step "train"`},
		{"steps[4].depends_on", `forms a dependency cycle: "train" depends on "go-live" depends on "train"`},
		{"steps[1].depends_on[0]", `step starts on 2026-03-02, but step "audit" it depends on ends on 2026-03-03; start it on a later working day`},
		{"requirements[1]", `must-have requirement "R2" is addressed by no step`},
		{"milestones[0].steps[0]", `step "go-live" ends on 2026-03-11, after the milestone on 2026-03-10`},
	}
	err := s.Validate(accord.Calendar{})
	if diff := cmp.Diff(want, planProblems(t, err)); diff != "" {
		t.Fatalf("problems (-want +got):\n%s", diff)
	}
	if err.Error() != errors.Join(planErrs(want)...).Error() {
		t.Fatalf("message:\n%s", err)
	}
}

func planErrs(ps []planProblem) []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = accord.Invalid(p.Field, "%s", p.Rule)
	}
	return out
}

// Generators of arbitrary scopes and calendars for the properties: IDs from
// small pools, so that duplicates, unknown references and cycles are
// common; dates near the start and at the ends of time; offsets, durations
// and efforts in range, at the bounds and beyond; decimals with extreme
// exponents.

func planPick[T any](xs ...T) *rapid.Generator[T] { return rapid.SampledFrom(xs) }

func planZone() *rapid.Generator[*time.Location] {
	return rapid.Custom(func(t *rapid.T) *time.Location {
		switch rapid.IntRange(0, 3).Draw(t, "zone_kind") {
		case 0:
			return nil
		case 1:
			return time.UTC
		}
		return time.FixedZone("", rapid.IntRange(-12*4, 14*4).Draw(t, "quarter_hours")*15*60)
	})
}

func planAnyTime() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		loc := planZone().Draw(t, "time_zone")
		if loc == nil {
			loc = time.UTC
		}
		switch rapid.IntRange(0, 9).Draw(t, "time_kind") {
		case 0:
			return time.Time{}
		case 1:
			return time.Unix(rapid.Int64Range(-62135596800, 253402300799).Draw(t, "unix"), 0).In(loc) // years 1 to 9999
		case 2:
			return time.Date(rapid.IntRange(-300000, 300000).Draw(t, "year"), 1, 1, 0, 0, 0, 0, loc)
		}
		return planStart.Add(time.Duration(rapid.IntRange(-10*24, 60*24).Draw(t, "hours")) * time.Hour).In(loc)
	})
}

func planAnyDecimal() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		if rapid.IntRange(0, 9).Draw(t, "extreme") == 0 {
			return decimal.New(rapid.Int64().Draw(t, "coef"), rapid.Int32().Draw(t, "exp"))
		}
		return decimal.New(rapid.Int64Range(-1000, 200000).Draw(t, "coef"), int32(rapid.IntRange(-4, 2).Draw(t, "exp")))
	})
}

func planAnyInt(lo, hi int) *rapid.Generator[int] {
	return rapid.Custom(func(t *rapid.T) int {
		if rapid.IntRange(0, 9).Draw(t, "edge") == 0 {
			return planPick(-1, math.MinInt, math.MaxInt, scope.MaxWorkingDays-1, scope.MaxWorkingDays, scope.MaxWorkingDays+1).Draw(t, "edge_int")
		}
		return rapid.IntRange(lo, hi).Draw(t, "int")
	})
}

func planRefs(pool ...string) *rapid.Generator[[]string] {
	return rapid.Custom(func(t *rapid.T) []string {
		if rapid.Bool().Draw(t, "nil_refs") {
			return nil
		}
		return rapid.SliceOfN(planPick(pool...), 0, 3).Draw(t, "refs")
	})
}

var (
	planReqIDs   = []string{"", " ", "R1", "R2", "R3", "R4"}
	planStepIDs  = []string{"", "s1", "s2", "s3", "s4", "s5", "s6"}
	planDelivIDs = []string{"", "d1", "d2", "d3"}
)

func planAnySOW() *rapid.Generator[scope.SOW] {
	return rapid.Custom(func(t *rapid.T) scope.SOW {
		text := planPick("", " ", "x", "Dana")
		s := scope.SOW{
			ID: text.Draw(t, "id"), DealID: text.Draw(t, "deal_id"),
			Start: planPick(planStart, planStart.AddDate(0, 0, 5), time.Time{}).Draw(t, "start"),
		}
		if rapid.IntRange(0, 5).Draw(t, "odd_start") == 0 {
			s.Start = planAnyTime().Draw(t, "start_time")
		}
		switch rapid.IntRange(0, 3).Draw(t, "price_kind") {
		case 0:
		case 1:
			s.Price = accord.Money{Amount: planAnyDecimal().Draw(t, "price"), Currency: planPick[accord.Currency]("USD", "EUR", "XYZ", "").Draw(t, "currency")}
		default:
			s.Price = accord.Money{Amount: decimal.NewFromInt(48000), Currency: "USD"}
		}
		s.Requirements = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) scope.Requirement {
			return scope.Requirement{
				ID: planPick(planReqIDs...).Draw(t, "id"), Title: text.Draw(t, "title"),
				Kind:     planPick(append(scope.Kinds(), "", "wish")...).Draw(t, "kind"),
				Priority: planPick(scope.Must, scope.Must, scope.Should, scope.Could, "", "nice").Draw(t, "priority"),
				Source:   scope.Source{Name: text.Draw(t, "source"), At: planAnyTime().Draw(t, "said_at")},
			}
		}), 0, 5).Draw(t, "requirements")
		s.Deliverables = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) scope.Deliverable {
			return scope.Deliverable{ID: planPick(planDelivIDs...).Draw(t, "id"), Name: text.Draw(t, "name"), Requirements: planRefs(planReqIDs...).Draw(t, "requirements")}
		}), 0, 3).Draw(t, "deliverables")
		s.Entitlements = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) scope.Entitlement {
			return scope.Entitlement{Name: planPick("", "support", "seats").Draw(t, "name"), Quantity: planAnyDecimal().Draw(t, "quantity"),
				Unit: planPick("", "hours").Draw(t, "unit"), Per: planPick("", "week").Draw(t, "per")}
		}), 0, 3).Draw(t, "entitlements")
		s.Steps = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) scope.Step {
			st := scope.Step{
				ID:       planPick(planStepIDs...).Draw(t, "id"),
				Offset:   planAnyInt(0, 15).Draw(t, "offset"),
				Days:     planAnyInt(-1, 4).Draw(t, "days"),
				Activity: planPick(append(scope.Activities(), "", "dance")...).Draw(t, "activity"),
				Phase:    planPick(append(scope.Phases(), "", "party")...).Draw(t, "phase"),
				Effort:   planAnyDecimal().Draw(t, "effort"),
				Owner:    planPick("", "consultant", "engineer").Draw(t, "owner"),
			}
			if rapid.IntRange(0, 3).Draw(t, "dated") == 0 {
				st.Date = planAnyTime().Draw(t, "date")
				if rapid.Bool().Draw(t, "keep_offset") {
					st.Offset = 0
				}
			}
			st.Requirements = planRefs(planReqIDs...).Draw(t, "requirements")
			st.DependsOn = planRefs(planStepIDs...).Draw(t, "depends_on")
			return st
		}), 0, 8).Draw(t, "steps")
		s.Milestones = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) scope.Milestone {
			m := scope.Milestone{ID: planPick("", "m1", "m2").Draw(t, "id"), Name: text.Draw(t, "name"), Offset: planAnyInt(0, 15).Draw(t, "offset"),
				Steps: planRefs(planStepIDs...).Draw(t, "steps"), Deliverables: planRefs(planDelivIDs...).Draw(t, "deliverables")}
			if rapid.IntRange(0, 3).Draw(t, "dated") == 0 {
				m.Date = planAnyTime().Draw(t, "date")
			}
			return m
		}), 0, 2).Draw(t, "milestones")
		return s
	})
}

func planAnyCalendar() *rapid.Generator[accord.Calendar] {
	return rapid.Custom(func(t *rapid.T) accord.Calendar {
		c := accord.Calendar{Location: planZone().Draw(t, "location")}
		c.Weekend = datetest.Weekend().Draw(t, "weekend")
		for _, h := range rapid.SliceOfN(planAnyTime(), 0, 4).Draw(t, "holidays") {
			c.Holidays = append(c.Holidays, c.Day(h)) // at the ends of time, not a real day
		}
		return c
	})
}

// planExact compares values exactly as stored: decimals by coefficient and
// exponent, times by instant, wall clock and location.
var planExact = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool {
		return a.Exponent() == b.Exponent() && a.Coefficient().Cmp(b.Coefficient()) == 0
	}),
	cmp.Comparer(func(a, b time.Time) bool { return a == b }),
}

// planClone deep-copies the content of a scope (everything Validate,
// Feasibility and Reconcile read).
func planClone(s scope.SOW) scope.SOW {
	c := s
	c.Requirements = slices.Clone(s.Requirements)
	for i := range c.Requirements {
		c.Requirements[i].Acceptance = slices.Clone(c.Requirements[i].Acceptance)
	}
	c.Deliverables = slices.Clone(s.Deliverables)
	for i := range c.Deliverables {
		c.Deliverables[i].Requirements = slices.Clone(c.Deliverables[i].Requirements)
	}
	c.InScope, c.OutOfScope, c.Assumptions = slices.Clone(s.InScope), slices.Clone(s.OutOfScope), slices.Clone(s.Assumptions)
	c.Entitlements = slices.Clone(s.Entitlements)
	c.Steps = slices.Clone(s.Steps)
	for i := range c.Steps {
		c.Steps[i].Requirements = slices.Clone(c.Steps[i].Requirements)
		c.Steps[i].DependsOn = slices.Clone(c.Steps[i].DependsOn)
	}
	c.Milestones = slices.Clone(s.Milestones)
	for i := range c.Milestones {
		c.Milestones[i].Steps = slices.Clone(c.Milestones[i].Steps)
		c.Milestones[i].Deliverables = slices.Clone(c.Milestones[i].Deliverables)
	}
	c.Review.Resolutions = slices.Clone(s.Review.Resolutions)
	c.Review.Comments = slices.Clone(s.Review.Comments)
	c.Review.History = slices.Clone(s.Review.History)
	return c
}

var planPathSegment = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?$`)

// planResolve reports whether a field path of a validation problem names
// an element that exists in s, with a field that element has.
func planResolve(s *scope.SOW, field string) error {
	segs := strings.Split(field, ".")
	type seg struct {
		name string
		i    int // -1 without an index
	}
	var parsed []seg
	for _, p := range segs {
		m := planPathSegment.FindStringSubmatch(p)
		if m == nil {
			return fmt.Errorf("segment %q is malformed", p)
		}
		i := -1
		if m[2] != "" {
			i, _ = strconv.Atoi(m[2])
		}
		parsed = append(parsed, seg{m[1], i})
	}
	leaf := func(rest []seg, allowed ...string) error {
		switch {
		case len(rest) == 0:
			return nil
		case len(rest) == 1 && rest[0].i < 0 && slices.Contains(allowed, rest[0].name):
			return nil
		case len(rest) == 2 && rest[0].name == "source" && rest[0].i < 0 && slices.Contains(allowed, "source."+rest[1].name):
			return nil
		}
		return fmt.Errorf("no such field")
	}
	ref := func(rest []seg, lens map[string]int, allowed ...string) error {
		if len(rest) == 1 && rest[0].i >= 0 {
			n, ok := lens[rest[0].name]
			if !ok || rest[0].i >= n {
				return fmt.Errorf("no element %s[%d]", rest[0].name, rest[0].i)
			}
			return nil
		}
		return leaf(rest, allowed...)
	}
	head := parsed[0]
	inRange := func(n int) error {
		if head.i < 0 || head.i >= n {
			return fmt.Errorf("no element %s[%d] of %d", head.name, head.i, n)
		}
		return nil
	}
	rest := parsed[1:]
	switch head.name {
	case "id", "deal_id", "start":
		if head.i < 0 && len(rest) == 0 {
			return nil
		}
	case "price":
		if head.i < 0 {
			return leaf(rest, "currency", "amount")
		}
	case "requirements":
		if err := inRange(len(s.Requirements)); err != nil {
			return err
		}
		return leaf(rest, "id", "title", "kind", "priority", "source.name", "source.at")
	case "deliverables":
		if err := inRange(len(s.Deliverables)); err != nil {
			return err
		}
		return ref(rest, map[string]int{"requirements": len(s.Deliverables[head.i].Requirements)}, "id", "name")
	case "entitlements":
		if err := inRange(len(s.Entitlements)); err != nil {
			return err
		}
		return leaf(rest, "name", "quantity", "unit")
	case "steps":
		if err := inRange(len(s.Steps)); err != nil {
			return err
		}
		st := s.Steps[head.i]
		return ref(rest, map[string]int{"requirements": len(st.Requirements), "depends_on": len(st.DependsOn)},
			"id", "activity", "phase", "owner", "effort_hours", "days", "date", "offset", "depends_on")
	case "milestones":
		if err := inRange(len(s.Milestones)); err != nil {
			return err
		}
		m := s.Milestones[head.i]
		return ref(rest, map[string]int{"steps": len(m.Steps), "deliverables": len(m.Deliverables)}, "id", "name", "date", "offset")
	}
	return fmt.Errorf("unknown field")
}

// TestPropValidateArbitrary checks, on arbitrary scopes and calendars, that
// Validate never panics, gives the same report twice, reports no (field,
// rule) twice, names only fields that exist, and changes nothing.
func TestPropValidateArbitrary(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := planAnySOW().Draw(t, "sow")
		cal := planAnyCalendar().Draw(t, "calendar")
		before := planClone(s)
		first := planProblems(t, s.Validate(cal))
		planSame(t, "Validate changed the scope (-before +after)", before, s)
		second := planProblems(t, s.Validate(cal))
		if !slices.Equal(first, second) {
			t.Fatalf("two reports differ:\n%v\n%v", first, second)
		}
		seen := map[planProblem]bool{}
		for _, p := range first {
			if seen[p] {
				t.Fatalf("reported twice: %s", p)
			}
			seen[p] = true
			if strings.HasPrefix(p.Field, "calendar.") {
				continue // the calendar is an argument, not a field of the scope
			}
			if err := planResolve(&s, p.Field); err != nil {
				t.Fatalf("%s: the field does not resolve: %v", p, err)
			}
		}
	})
}

// planWorkdays lists the first n working days of cal from start's date on,
// as noon in the calendar's location, walking the days one by one with
// Calendar.Working: a reference independent of the package's timeline.
func planWorkdays(cal accord.Calendar, start time.Time, n int) []time.Time {
	loc := cal.Location
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := start.In(loc).Date()
	var out []time.Time
	for k := 0; len(out) < n && k < 4000; k++ {
		day := time.Date(y, m, d+k, 12, 0, 0, 0, loc)
		if cal.Working(cal.Day(day)) {
			out = append(out, day)
		}
	}
	return out
}

// planValidCalendar draws a calendar with working days every week.
func planValidCalendar() *rapid.Generator[accord.Calendar] {
	return rapid.Custom(func(t *rapid.T) accord.Calendar {
		c := accord.Calendar{Location: planZone().Draw(t, "location")}
		c.Weekend = planPick[[]time.Weekday](nil, []time.Weekday{}, []time.Weekday{time.Sunday}, []time.Weekday{time.Friday, time.Saturday}).Draw(t, "weekend")
		for range rapid.IntRange(0, 4).Draw(t, "holidays") {
			c.Holidays = append(c.Holidays, c.Day(planStart.AddDate(0, 0, rapid.IntRange(-3, 40).Draw(t, "holiday")).Add(time.Duration(rapid.IntRange(0, 23).Draw(t, "hour"))*time.Hour)))
		}
		return c
	})
}

// planSpan is where a generated step falls, in working days from the start.
type planSpan struct{ first, last int }

// planValidSOW draws a scope that is valid under cal: steps in order of
// their offsets with phases in framework order, dependencies only on steps
// that end on or before the dependent's first day, every must-have
// addressed, milestones after their steps. Some steps are dated instead of
// offset.
func planValidSOW(cal accord.Calendar) *rapid.Generator[scope.SOW] {
	return rapid.Custom(func(t *rapid.T) scope.SOW {
		loc := cal.Location
		if loc == nil {
			loc = time.UTC
		}
		s := planMini()
		s.Start = time.Date(2026, 3, 2+rapid.IntRange(0, 6).Draw(t, "start_day"), rapid.IntRange(0, 23).Draw(t, "start_hour"), 0, 0, 0, loc)
		days := planWorkdays(cal, s.Start, 80)
		n := rapid.IntRange(1, 10).Draw(t, "steps")
		offsets := make([]int, n)
		ranks := make([]int, n)
		for i := range n {
			offsets[i] = rapid.IntRange(0, 40).Draw(t, "offset")
			ranks[i] = rapid.IntRange(0, 5).Draw(t, "rank")
		}
		slices.Sort(offsets)
		slices.Sort(ranks)
		phases := [][]scope.Phase{{scope.PhaseAudit}, {scope.PhaseConfigure, scope.PhaseMigrate, scope.PhaseIntegrate},
			{scope.PhasePilot}, {scope.PhaseTrain}, {scope.PhaseGoLive}, {scope.PhaseIterate}}
		spans := make([]planSpan, n)
		for i := range n {
			d := rapid.IntRange(0, 4).Draw(t, "days")
			st := scope.Step{
				ID: fmt.Sprintf("s%d", i), Offset: offsets[i], Days: d,
				Activity: planPick(scope.Activities()...).Draw(t, "activity"),
				Phase:    planPick(phases[ranks[i]]...).Draw(t, "phase"),
				Effort:   decimal.New(rapid.Int64Range(0, 4000).Draw(t, "effort_hundredths"), -2),
				Owner:    planPick("consultant", "engineer", "client").Draw(t, "owner"),
			}
			spans[i] = planSpan{offsets[i], offsets[i] + max(d, 1) - 1}
			if rapid.IntRange(0, 3).Draw(t, "dated") == 0 {
				st.Date, st.Offset = days[offsets[i]].Add(time.Duration(rapid.IntRange(-12, 11).Draw(t, "hour"))*time.Hour), 0
			}
			for j := range i {
				if spans[j].last < spans[i].first && rapid.IntRange(0, 2).Draw(t, "depend") == 0 {
					st.DependsOn = append(st.DependsOn, s.Steps[j].ID)
				}
			}
			s.Steps = append(s.Steps, st)
		}
		said := scope.Source{Name: "Dana", At: planStart.AddDate(0, 0, -20)}
		for i := range rapid.IntRange(0, 5).Draw(t, "requirements") {
			r := scope.Requirement{ID: fmt.Sprintf("R%d", i), Title: "req", Kind: planPick(scope.Kinds()...).Draw(t, "kind"),
				Priority: planPick(scope.Must, scope.Should, scope.Could).Draw(t, "priority"), Source: said}
			if r.Priority == scope.Must || rapid.Bool().Draw(t, "addressed") {
				k := rapid.IntRange(0, n-1).Draw(t, "by_step")
				s.Steps[k].Requirements = append(s.Steps[k].Requirements, r.ID)
			}
			s.Requirements = append(s.Requirements, r)
		}
		for i := range rapid.IntRange(0, 2).Draw(t, "deliverables") {
			d := scope.Deliverable{ID: fmt.Sprintf("D%d", i), Name: "deliverable"}
			if len(s.Requirements) > 0 {
				d.Requirements = []string{s.Requirements[rapid.IntRange(0, len(s.Requirements)-1).Draw(t, "meets")].ID}
			}
			s.Deliverables = append(s.Deliverables, d)
		}
		for i := range rapid.IntRange(0, 2).Draw(t, "entitlements") {
			s.Entitlements = append(s.Entitlements, scope.Entitlement{Name: fmt.Sprintf("e%d", i),
				Quantity: decimal.New(rapid.Int64Range(0, 100).Draw(t, "quantity"), -1), Unit: "hours", Per: planPick("", "week").Draw(t, "per")})
		}
		for i := range rapid.IntRange(0, 2).Draw(t, "milestones") {
			m := scope.Milestone{ID: fmt.Sprintf("m%d", i), Name: "milestone"}
			at := 0
			for k := range n {
				if rapid.Bool().Draw(t, "needs") {
					m.Steps = append(m.Steps, s.Steps[k].ID)
					at = max(at, spans[k].last)
				}
			}
			m.Offset = at + rapid.IntRange(0, 2).Draw(t, "milestone_slack")
			if len(s.Deliverables) > 0 && rapid.Bool().Draw(t, "hands_over") {
				m.Deliverables = []string{s.Deliverables[0].ID}
			}
			s.Milestones = append(s.Milestones, m)
		}
		return s
	})
}

// planInject adds one element to a valid scope that makes it invalid for
// exactly one reason, and returns the path of the element.
func planInject(t *rapid.T, s *scope.SOW, cal accord.Calendar) string {
	said := scope.Source{Name: "Dana", At: planStart}
	last := s.Steps[len(s.Steps)-1]
	last.Requirements = nil
	last.DependsOn = nil
	last.ID = "extra"
	step := func(edit func(st *scope.Step)) string {
		st := last
		edit(&st)
		s.Steps = append(s.Steps, st)
		return fmt.Sprintf("steps[%d]", len(s.Steps)-1)
	}
	kinds := []string{"must", "kind", "deliverable_ref", "deliverable_dup", "entitlement", "step_ref", "effort", "offset", "days",
		"dup_step", "date_and_offset", "self", "milestone_ref", "milestone_deliverable", "milestone_name"}
	// Order problems need a step that ends after the first day, and
	// weekend problems a non-working day: use them when the scope has one.
	loc := cal.Location
	if loc == nil {
		loc = time.UTC
	}
	maxLast, by := -1, ""
	for i, st := range s.Steps {
		first := st.Offset
		if !st.Date.IsZero() {
			first = slices.IndexFunc(planWorkdays(cal, s.Start, 80), func(d time.Time) bool { return d.YearDay() == st.Date.In(loc).YearDay() })
		}
		if l := first + max(st.Days, 1) - 1; l > maxLast {
			maxLast, by = l, s.Steps[i].ID
		}
	}
	if maxLast > 0 {
		kinds = append(kinds, "order", "milestone_early")
	}
	off := time.Time{}
	y, m, d := s.Start.In(loc).Date()
	for k := range 30 {
		if day := time.Date(y, m, d+k, 9, 0, 0, 0, loc); !cal.Working(cal.Day(day)) {
			off = day
			break
		}
	}
	if !off.IsZero() {
		kinds = append(kinds, "off_day")
	}
	switch planPick(kinds...).Draw(t, "problem") {
	case "must":
		s.Requirements = append(s.Requirements, scope.Requirement{ID: "new", Title: "t", Kind: scope.KindWorkflow, Priority: scope.Must, Source: said})
		return fmt.Sprintf("requirements[%d]", len(s.Requirements)-1)
	case "kind":
		s.Requirements = append(s.Requirements, scope.Requirement{ID: "new", Title: "t", Kind: "wish", Priority: scope.Could, Source: said})
		return fmt.Sprintf("requirements[%d]", len(s.Requirements)-1)
	case "deliverable_ref":
		s.Deliverables = append(s.Deliverables, scope.Deliverable{ID: "new", Name: "n", Requirements: []string{"nope"}})
		return fmt.Sprintf("deliverables[%d]", len(s.Deliverables)-1)
	case "deliverable_dup":
		s.Deliverables = append(s.Deliverables, scope.Deliverable{ID: "new", Name: "n"}, scope.Deliverable{ID: "new", Name: "again"})
		return fmt.Sprintf("deliverables[%d]", len(s.Deliverables)-1)
	case "entitlement":
		s.Entitlements = append(s.Entitlements, scope.Entitlement{Name: "new", Quantity: hours(1)})
		return fmt.Sprintf("entitlements[%d]", len(s.Entitlements)-1)
	case "step_ref":
		return step(func(st *scope.Step) { st.Requirements = []string{"nope"} })
	case "effort":
		return step(func(st *scope.Step) {
			st.Effort = decimal.RequireFromString(planPick("-0.01", "1.001", "1000000.01").Draw(t, "effort"))
		})
	case "offset":
		return step(func(st *scope.Step) {
			st.Date, st.Offset = time.Time{}, planPick(-1, scope.MaxWorkingDays).Draw(t, "offset")
		})
	case "days":
		return step(func(st *scope.Step) { st.Days = planPick(-1, scope.MaxWorkingDays+1).Draw(t, "days") })
	case "dup_step":
		return step(func(st *scope.Step) { st.ID = s.Steps[0].ID })
	case "date_and_offset":
		return step(func(st *scope.Step) {
			if st.Date.IsZero() {
				st.Date = planWorkdays(cal, s.Start, st.Offset+1)[st.Offset]
			}
			st.Offset = 1 + rapid.IntRange(0, 5).Draw(t, "stray_offset")
		})
	case "self":
		return step(func(st *scope.Step) { st.DependsOn = []string{"extra"} })
	case "order":
		// The first step of the framework's earliest phase, depending on
		// the step that ends last.
		st := s.Steps[0]
		st.ID, st.Date, st.Offset, st.Days, st.Requirements, st.DependsOn = "extra", time.Time{}, 0, 1, nil, []string{by}
		if st.Phase.Valid() && planRankOf(st.Phase) > 0 {
			st.Phase = scope.PhaseAudit
		}
		s.Steps = append(s.Steps, st)
		return fmt.Sprintf("steps[%d]", len(s.Steps)-1)
	case "off_day":
		return step(func(st *scope.Step) { st.Date, st.Offset = off, 0 })
	case "milestone_ref":
		s.Milestones = append(s.Milestones, scope.Milestone{ID: "new", Name: "n", Offset: 0, Steps: []string{"nope"}})
		return fmt.Sprintf("milestones[%d]", len(s.Milestones)-1)
	case "milestone_deliverable":
		s.Milestones = append(s.Milestones, scope.Milestone{ID: "new", Name: "n", Offset: 3, Deliverables: []string{"nope"}})
		return fmt.Sprintf("milestones[%d]", len(s.Milestones)-1)
	case "milestone_name":
		s.Milestones = append(s.Milestones, scope.Milestone{ID: "new", Offset: 3})
		return fmt.Sprintf("milestones[%d]", len(s.Milestones)-1)
	case "milestone_early":
		s.Milestones = append(s.Milestones, scope.Milestone{ID: "new", Name: "n", Offset: 0, Steps: []string{by}})
		return fmt.Sprintf("milestones[%d]", len(s.Milestones)-1)
	}
	panic("unreachable")
}

// planRankOf is the framework position of a valid phase, implement's three
// parts sharing one.
func planRankOf(p scope.Phase) int {
	switch p {
	case scope.PhaseAudit:
		return 0
	case scope.PhasePick:
		return 1
	case scope.PhaseConfigure, scope.PhaseMigrate, scope.PhaseIntegrate:
		return 2
	}
	return slices.Index(scope.Phases(), p) - 1
}

// planRemove removes the element a path such as "steps[3]" names.
func planRemove(s *scope.SOW, path string) {
	m := regexp.MustCompile(`^([a-z]+)\[(\d+)\]$`).FindStringSubmatch(path)
	i, _ := strconv.Atoi(m[2])
	switch m[1] {
	case "requirements":
		s.Requirements = slices.Delete(s.Requirements, i, i+1)
	case "deliverables":
		s.Deliverables = slices.Delete(s.Deliverables, i, i+1)
	case "entitlements":
		s.Entitlements = slices.Delete(s.Entitlements, i, i+1)
	case "steps":
		s.Steps = slices.Delete(s.Steps, i, i+1)
	case "milestones":
		s.Milestones = slices.Delete(s.Milestones, i, i+1)
	}
}

// TestPropValidateSingleProblem checks that generated valid scopes are
// valid, that adding one offending element makes Validate report exactly
// one problem, at that element, and that removing the element the report
// names makes the scope valid again.
func TestPropValidateSingleProblem(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cal := planValidCalendar().Draw(t, "calendar")
		s := planValidSOW(cal).Draw(t, "sow")
		if err := s.Validate(cal); err != nil {
			t.Fatalf("generated scope is invalid: %v", err)
		}
		path := planInject(t, &s, cal)
		got := planProblems(t, s.Validate(cal))
		if len(got) != 1 {
			t.Fatalf("want one problem at %s, got %d: %v", path, len(got), got)
		}
		if f := got[0].Field; f != path && !strings.HasPrefix(f, path+".") {
			t.Fatalf("want the problem at %s, got %s", path, got[0])
		}
		planRemove(&s, path)
		if err := s.Validate(cal); err != nil {
			t.Fatalf("removing %s leaves: %v", path, err)
		}
	})
}

// TestValidateLongDependencyList checks repeats in a list of dependencies
// longer than the ones Validate searches without a map.
func TestValidateLongDependencyList(t *testing.T) {
	var steps []scope.Step
	var deps []string
	for i := range 20 {
		id := fmt.Sprintf("s%02d", i)
		steps = append(steps, planStep(id, 0, 1))
		deps = append(deps, id)
	}
	deps = append(deps, "s03", "nope", "z", "s19", "s03")
	steps = append(steps, planStep("z", 1, 1, deps...))
	s := planMini(steps...)
	want := []planProblem{
		{"steps[20].depends_on[20]", `repeats step "s03"`},
		{"steps[20].depends_on[21]", `names unknown step "nope"`},
		{"steps[20].depends_on[22]", "names the step itself"},
		{"steps[20].depends_on[23]", `repeats step "s19"`},
		{"steps[20].depends_on[24]", `repeats step "s03"`},
	}
	if diff := cmp.Diff(want, planProblems(t, s.Validate(accord.Calendar{}))); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	// The same list, short.
	steps[20].DependsOn = []string{"s00", "z", "s00", "nope", "nope"}
	want = []planProblem{
		{"steps[20].depends_on[1]", "names the step itself"},
		{"steps[20].depends_on[2]", `repeats step "s00"`},
		{"steps[20].depends_on[3]", `names unknown step "nope"`},
		{"steps[20].depends_on[4]", `names unknown step "nope"`},
	}
	if diff := cmp.Diff(want, planProblems(t, s.Validate(accord.Calendar{}))); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestValidateWeekendRange: ISO weekday numbers (7 for Sunday) are not
// time.Weekdays, and are reported rather than silently ignored.
func TestValidateWeekendRange(t *testing.T) {
	s := exampleSOW()
	err := s.Validate(accord.Calendar{Weekend: []time.Weekday{6, 7}})
	var got []string
	for _, p := range planProblems(t, err) {
		got = append(got, p.Field)
	}
	if want := []string{"calendar.weekend[1]"}; !slices.Equal(got, want) {
		t.Errorf("fields %v; want %v", got, want)
	}
}

// TestValidateHolidays: a holiday that is not a real day is reported rather
// than silently never matching.
func TestValidateHolidays(t *testing.T) {
	s := exampleSOW()
	err := s.Validate(accord.Calendar{Holidays: []accord.Date{planDay(time.April, 3), {Year: 2026, Month: 2, Day: 30}, {}}})
	want := []planProblem{
		{"calendar.holidays[1]", "must be a real day; got 2026-2-30"},
		{"calendar.holidays[2]", "must be a real day; got 0-0-0"},
	}
	if diff := cmp.Diff(want, planProblems(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
