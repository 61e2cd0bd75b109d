package scope_test

import (
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestScheduleRefusals: Schedule refuses what Feasibility refuses, with
// the same errors.
func TestScheduleRefusals(t *testing.T) {
	cyclic := exampleSOW()
	cyclic.Steps[0].DependsOn = []string{"go-live"}
	noStart := exampleSOW()
	noStart.Start = time.Time{}
	team := scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(8), "engineer": hours(8)}}
	badTeam := scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": decimal.New(-1, 0)}}
	for _, tt := range []struct {
		name string
		s    *scope.SOW
		c    scope.Capacity
		want string
	}{
		{"nil", nil, team, "sow: is nil"},
		{"cycle", &cyclic, team, "dependency cycle"},
		{"no start", &noStart, team, "start: is required"},
		{"bad capacity", func() *scope.SOW { s := exampleSOW(); return &s }(), badTeam, `capacity.per_role["consultant"]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.s.Schedule(accord.Calendar{}, tt.c)
			_, ferr := tt.s.Feasibility(accord.Calendar{}, tt.c)
			if err == nil || ferr == nil || err.Error() != ferr.Error() || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Schedule: %v; Feasibility: %v; want the same error containing %q", err, ferr, tt.want)
			}
		})
	}
}

// TestScheduleUnstaffed: a role with no hours leaves its steps, and those
// waiting on them, without feasible days; the plan is still resolved.
func TestScheduleUnstaffed(t *testing.T) {
	s := exampleSOW()
	plan, err := s.Schedule(accord.Calendar{}, scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(40)}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range plan.Steps {
		got = append(got, st.ID+":"+st.Planned.First.String()+":"+st.Feasible.Last.String())
	}
	want := []string{"audit:2026-03-02:2026-03-03", "configure:2026-03-04:2026-03-06", "migrate:2026-03-04:",
		"integrate:2026-03-06:", "train:2026-03-10:2026-03-10", "go-live:2026-03-11:"}
	if !cmp.Equal(want, got) || !plan.FeasibleFinish.IsZero() {
		t.Errorf("steps %v, feasible finish %s; want %v and none", got, plan.FeasibleFinish, want)
	}
}

// TestPropSchedule: on generated plans and capacities, every planned and
// feasible span runs between working days and counts the working days
// between them; the plan agrees with Feasibility (the scoped and feasible
// finishes are the last days of the spans); no step is worked before its
// planned first day nor before the steps it depends on end; the slips are
// the working days between the ends; the gantt chart has one bar per step
// and one more per slipping step; and the schedule survives JSON.
func TestPropSchedule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cal, s, c := planDrawWork(t)
		plan, err := s.Schedule(cal, c)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := s.Feasibility(cal, c)
		if plan.ScopedFinish != cal.Day(f.ScopedFinish) || plan.Slip != f.Slip || plan.Start != cal.Day(s.Start) {
			t.Fatalf("schedule %s..%s slip %d; feasibility %s slip %d", plan.Start, plan.ScopedFinish, plan.Slip, f.ScopedFinish, f.Slip)
		}
		working := func(a, b accord.Date) int { // working days in [a, b]
			n := 0
			for d := range cal.WorkingDays(a) {
				if d.After(b) {
					break
				}
				n++
			}
			return n
		}
		var lastPlanned, lastFeasible accord.Date
		byID := map[string]scope.ScheduledStep{}
		slipping := 0
		for _, st := range plan.Steps {
			byID[st.ID] = st
		}
		for i, st := range plan.Steps {
			p := st.Planned
			if !cal.Working(p.First) || !cal.Working(p.Last) || p.Days != working(p.First, p.Last) || p.Days != max(s.Steps[i].Days, 1) {
				t.Fatalf("step %s: planned %+v under %+v", st.ID, p, cal)
			}
			if p.Last.After(lastPlanned) {
				lastPlanned = p.Last
			}
			if st.Feasible == (scope.Span{}) {
				if !plan.FeasibleFinish.IsZero() {
					t.Fatalf("step %s has no feasible days, but the scope finishes on %s", st.ID, plan.FeasibleFinish)
				}
				continue
			}
			fs := st.Feasible
			if !cal.Working(fs.First) || !cal.Working(fs.Last) || fs.Days != working(fs.First, fs.Last) || fs.Days < p.Days {
				t.Fatalf("step %s: feasible %+v, planned %+v", st.ID, fs, p)
			}
			if fs.First.Before(p.First) {
				t.Fatalf("step %s worked from %s, before its planned %s", st.ID, fs.First, p.First)
			}
			for _, dep := range st.DependsOn {
				if d := byID[dep]; !fs.First.After(d.Feasible.Last) {
					t.Fatalf("step %s worked from %s, but %s ends %s", st.ID, fs.First, dep, d.Feasible.Last)
				}
			}
			wantSlip := 0
			if fs.Last.After(p.Last) {
				wantSlip = working(p.Last, fs.Last) - 1
				slipping++
			}
			if st.Slip != wantSlip {
				t.Fatalf("step %s slips %d; want %d", st.ID, st.Slip, wantSlip)
			}
			if fs.Last.After(lastFeasible) {
				lastFeasible = fs.Last
			}
		}
		if lastPlanned != plan.ScopedFinish {
			t.Fatalf("last planned day %s; scoped finish %s", lastPlanned, plan.ScopedFinish)
		}
		if !plan.FeasibleFinish.IsZero() && lastFeasible != plan.FeasibleFinish {
			t.Fatalf("last feasible day %s; feasible finish %s", lastFeasible, plan.FeasibleFinish)
		}
		chart := plan.Mermaid()
		if !strings.HasPrefix(chart, "gantt\n") || strings.Count(chart, " :s") != len(plan.Steps) || strings.Count(chart, ":crit,") != slipping {
			t.Fatalf("chart with %d steps, %d slipping:\n%s", len(plan.Steps), slipping, chart)
		}
		if back := jsontest.Copy(t, plan); !cmp.Equal(plan, back) {
			t.Fatalf("JSON round trip:\n%s", cmp.Diff(plan, back))
		}
	})
}

// TestMermaidText: titles that hold Mermaid syntax are cleaned.
func TestMermaidText(t *testing.T) {
	s := exampleSOW()
	s.Title = "Rollout: phase #1; 100%"
	s.Steps[0].Title = "Audit:\nprocess; data"
	plan, err := s.Schedule(accord.Calendar{}, scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(40), "engineer": hours(40)}})
	if err != nil {
		t.Fatal(err)
	}
	chart := plan.Mermaid()
	for _, want := range []string{"    title Rollout phase 1 100\n", "    Audit process data :s1, 2026-03-02, 2026-03-04\n"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart lacks %q:\n%s", want, chart)
		}
	}
}
