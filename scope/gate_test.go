package scope_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// held is evidence as a set of the criteria that hold.
type held map[string]bool

func (h held) Holds(id string) (bool, string) { return h[id], "" }

func rollout() scope.SOW {
	return scope.CRMRollout(scope.RolloutOptions{
		ID: "sow-crm", DealID: "deal-7", Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Price: accord.Money{Amount: decimal.NewFromInt(30000), Currency: "USD"},
	})
}

// TestCRMRollout: the template validates, is feasible for one consultant
// and one engineer at eight hours a day, keeps its digest through JSON,
// and lists the phases in framework order.
func TestCRMRollout(t *testing.T) {
	s := rollout()
	cal := accord.Calendar{}
	if err := s.Validate(cal); err != nil {
		t.Fatalf("the template does not validate: %v", err)
	}
	f, err := s.Feasibility(cal, scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(8), "engineer": hours(8)}})
	if err != nil || !f.Feasible() || f.ScopedFinish.Format(time.DateOnly) != "2026-03-20" {
		t.Fatalf("feasibility %+v, %v; want feasible, finishing 2026-03-20", f, err)
	}
	var phases []scope.Phase
	for _, st := range s.Steps {
		if len(phases) == 0 || phases[len(phases)-1] != st.Phase {
			phases = append(phases, st.Phase)
		}
	}
	want := []scope.Phase{scope.PhaseAudit, scope.PhasePick, scope.PhaseConfigure, scope.PhaseMigrate, scope.PhaseTrain, scope.PhaseIterate}
	if !slices.Equal(phases, want) {
		t.Errorf("phases %v; want %v", phases, want)
	}
	back := jsontest.Copy(t, s)
	if back.Digest() != s.Digest() {
		t.Errorf("digest changed through JSON")
	}
	plain := exampleSOW()
	if raw, err := json.Marshal(plain); err != nil || strings.Contains(string(raw), "gates") {
		t.Errorf("a scope without gates names them in its JSON form")
	}
}

// TestStartUnmet: what stands before each step of the rollout, exactly.
func TestStartUnmet(t *testing.T) {
	s := rollout()
	ev := held{scope.ExitProcessMapped: true, scope.ExitVendorsScored: true, scope.ExitDataMigrated: true}
	tests := []struct {
		step string
		want []string
	}{
		{"map-process", nil},
		{"score-vendors", []string{"data_mapped@gates[0].exit[1]"}},
		{"configure", []string{"data_mapped@gates[0].exit[1]"}},
		{"migrate", []string{"data_mapped@gates[0].exit[1]"}},
		{"train", []string{"data_mapped@gates[0].exit[1]", "required_fields_enforced@gates[2].exit[0]", "data_deduplicated@gates[3].exit[1]"}},
		{"review-adoption", []string{"data_mapped@gates[0].exit[1]", "required_fields_enforced@gates[2].exit[0]", "data_deduplicated@gates[3].exit[1]", "users_trained@gates[4].exit[0]"}},
	}
	for _, tt := range tests {
		unmet, err := s.StartUnmet(tt.step, ev)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range unmet {
			got = append(got, u.Criterion+"@"+u.Field)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: unmet %v; want %v", tt.step, got, tt.want)
		}
	}
	err := s.CanStart("score-vendors", ev)
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) || blocked.Op != accord.OpStart || err.Error() !=
		"accord: sow-crm/score-vendors cannot start a step: 1 unmet: data_mapped: Map the current data: objects, fields and where they come from. (gates[0].exit[1])" {
		t.Errorf("CanStart: %v", err)
	}
	if err := s.CanStart("map-data", nil); err != nil {
		t.Errorf("the first phase waits on nothing: %v", err)
	}
	if err := s.CanStart("nope", ev); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("unknown step: %v", err)
	}
	if got := s.PhaseUnmet(scope.PhaseIterate, ev); len(got) != 1 || got[0].Criterion != scope.ExitAdoptionReviewed {
		t.Errorf("iterate unmet %v", got)
	}
}

// TestGateValidation: malformed gates and a later phase planned before a
// gated phase ends, each reported at its field.
func TestGateValidation(t *testing.T) {
	s := exampleSOW()
	s.Gates = []scope.Gate{
		{Phase: scope.PhaseAudit, Exit: []scope.ExitCriterion{{ID: "mapped", Description: "Mapped."}, {ID: "mapped", Description: " "}}},
		{Phase: scope.PhaseAudit, Exit: []scope.ExitCriterion{{ID: "again", Description: "Again."}}},
		{Phase: "party"},
		{Phase: scope.PhaseConfigure, Exit: []scope.ExitCriterion{{ID: "", Description: "Configured."}}},
	}
	err := s.Validate(accord.Calendar{})
	want := []string{
		`gates[0].exit[1].id: repeats criterion "mapped"`,
		"gates[0].exit[1].description: is required",
		"gates[1].phase: repeats the gate of phase audit, gates[0]",
		`gates[2].phase: must be one of audit, configure, migrate, integrate, pilot, train, go_live, iterate, pick; got "party"`,
		"gates[2].exit: must list at least one exit criterion",
		"gates[3].exit[0].id: is required",
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("validate: %v\nwant %q", err, w)
		}
	}
	s.Gates = []scope.Gate{{Phase: scope.PhaseConfigure, Exit: []scope.ExitCriterion{{ID: "configured", Description: "Configured."}}}}
	if err := s.Validate(accord.Calendar{}); err != nil {
		t.Fatalf("an ordered plan with a gate: %v", err)
	}
	s.Steps[4].Offset, s.Steps[4].DependsOn = 4, nil // train on 2026-03-06, configure's last day
	err = s.Validate(accord.Calendar{})
	if w := `steps[4]: phase train starts on 2026-03-06, before the exit of phase configure, whose step "configure" ends on 2026-03-06`; err == nil || !strings.Contains(err.Error(), w) {
		t.Errorf("validate: %v\nwant %q", err, w)
	}
}

// TestPropStartUnmet: on any evidence, a step may start exactly when every
// exit criterion of every gated phase before its own holds; holding more
// never blocks more; and the first phase never waits.
func TestPropStartUnmet(t *testing.T) {
	s := rollout()
	var ids []string
	for _, g := range s.Gates {
		for _, c := range g.Exit {
			ids = append(ids, c.ID)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		ev := held{}
		for _, id := range ids {
			ev[id] = rapid.Bool().Draw(t, id)
		}
		more := held{}
		for id, ok := range ev {
			more[id] = ok || rapid.Bool().Draw(t, "more_"+id)
		}
		for _, st := range s.Steps {
			want := true
			for _, g := range s.Gates {
				for _, c := range g.Exit {
					if g.Phase.Before(st.Phase) && !ev[c.ID] {
						want = false
					}
				}
			}
			err := s.CanStart(st.ID, ev)
			if (err == nil) != want {
				t.Fatalf("step %s (%s) with %v: %v; want may start %v", st.ID, st.Phase, ev, err, want)
			}
			a, _ := s.StartUnmet(st.ID, ev)
			b, _ := s.StartUnmet(st.ID, more)
			for _, u := range b {
				if !slices.ContainsFunc(a, func(x accord.Unmet) bool { return x == u }) {
					t.Fatalf("step %s: more evidence blocks %v", st.ID, u)
				}
			}
			if st.Phase == scope.PhaseAudit && len(a) > 0 {
				t.Fatalf("the audit waits on %v", a)
			}
		}
	})
}

func ExampleSOW_CanStart() {
	sow := scope.CRMRollout(scope.RolloutOptions{
		ID: "sow-crm", DealID: "deal-7", Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Price: accord.Money{Amount: decimal.NewFromInt(30000), Currency: "USD"},
	})
	// The audit is done; the vendors are not scored yet.
	ev := held{scope.ExitProcessMapped: true, scope.ExitDataMapped: true}
	fmt.Println("score the vendors:", sow.CanStart("score-vendors", ev))
	fmt.Println("configure:", sow.CanStart("configure", ev))
	// Output:
	// score the vendors: <nil>
	// configure: accord: sow-crm/configure cannot start a step: 1 unmet: vendors_scored: Score the vendors on the weighted scorecard and pick one whose workflow fit is at least 4. (gates[1].exit[0])
}
