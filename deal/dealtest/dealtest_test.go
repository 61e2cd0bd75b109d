package dealtest_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
	"pgregory.net/rapid"
)

// TestRunDefault: the default process keeps every promise.
func TestRunDefault(t *testing.T) { dealtest.Run(t, deal.Default()) }

// TestRunUnified: so does the unified process.
func TestRunUnified(t *testing.T) {
	dealtest.Run(t, deal.Unified(), dealtest.Keeps(deal.GuaranteeScopeApproved, deal.GuaranteeDiscrepanciesResolved))
}

// TestRunCustom: a process with host fields, a host artifact and Closed
// Won on entering live keeps every promise too; a Populate option reaches
// the generated deals.
func TestRunCustom(t *testing.T) {
	dealtest.Run(t, custom(), dealtest.Populate(func(t *rapid.T, d *deal.Deal) {
		if d.Fields == nil {
			d.Fields = map[string]string{}
		}
		d.Fields["tier"] = rapid.SampledFrom([]string{"gold", "silver"}).Draw(t, "tier")
	}))
}

// broken returns the default process with one planted bug: an extra
// criterion on stage that misbehaves.
func broken(stage deal.StageID, exit bool, c deal.Criterion) *deal.Process {
	cfg := deal.Default().Config()
	for i := range cfg.Stages {
		s := &cfg.Stages[i]
		if s.ID != stage {
			continue
		}
		if exit {
			s.Exit = append(s.Exit, c)
		} else {
			s.Entry = append(s.Entry, c)
		}
	}
	p, err := deal.NewProcess(cfg)
	if err != nil {
		panic(err)
	}
	return p
}

// The planted bugs, each a criterion a host could plausibly write.
var (
	// panicky assumes there is a first stakeholder.
	panicky = deal.Criterion{
		ID:          "champion_engaged",
		Description: "Engage the champion.",
		Rule:        deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool { return d.Stakeholders[0].Engaged }),
	}
	// mutating "normalises" the field it checks.
	mutating = deal.Criterion{
		ID:          "blockers_recorded",
		Description: "Record the blockers.",
		Rule: deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool {
			d.Discovery.Blockers = strings.TrimSpace(d.Discovery.Blockers)
			return d.Discovery.Blockers != ""
		}),
	}
	// stageSetter moves the deal itself.
	stageSetter = deal.Criterion{
		ID:          "ready_for_review",
		Description: "Get the deal ready for review.",
		Rule: deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool {
			if d.Alignment.AgreedBy != "" {
				d.Stage = deal.StageBusinessCase
			}
			return d.Alignment.AgreedBy != ""
		}),
	}
)

// unreachable asks for a host field the generators draw only as "set",
// blank or absent: no generated deal meets it, so the stage after the one
// it gates is dead.
var unreachable = deal.Criterion{
	ID:          "legal_signed_off",
	Description: "Record legal's sign-off.",
	Field:       "fields.legal",
	Rule:        deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool { return d.Fields["legal"] == "signed off" }),
}

// exclusive asks for the host field "legal" to be absent, which the
// criterion Present("fields.legal") beside it asks to be set: each is met
// by some generated deals, never both by one.
var exclusive = []deal.Criterion{
	{ID: "legal_recorded", Description: "Record legal's position.", Rule: deal.Present("fields.legal")},
	{ID: "legal_untouched", Description: "Leave legal out of it.", Field: "fields.legal",
		Rule: deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool { return d.Fields["legal"] == "" })},
}

// flaky answers yes every other time it is asked, whatever the deal.
func flaky() deal.Criterion {
	var n atomic.Int64
	return deal.Criterion{
		ID:          "quota_capacity",
		Description: "Check that the team has capacity this quarter.",
		Rule:        deal.RuleFunc(func(*deal.Deal, time.Time) bool { return n.Add(1)%2 == 0 }),
	}
}

var brokenProcesses = map[string]func() *deal.Process{
	"panics":      func() *deal.Process { return broken(deal.StageQualification, true, panicky) },
	"modifies":    func() *deal.Process { return broken(deal.StageDiscovery, true, mutating) },
	"moves_stage": func() *deal.Process { return broken(deal.StageSolutionAlignment, true, stageSetter) },
	"flaky":       func() *deal.Process { return broken(deal.StageTargeting, true, flaky()) },
	"dead":        func() *deal.Process { return broken(deal.StageProposal, false, unreachable) },
	// drops_scope_gate is a team's variant of the unified process without
	// the scope approval gate: allowed, but it no longer keeps the
	// guarantee the host asserts with Keeps.
	"drops_scope_gate": func() *deal.Process {
		p, err := deal.Unified().Derive(deal.Variant{ID: "lenient", Stages: []deal.StageChange{{Stage: deal.StageProposal, RemoveExit: []string{"scope_approved"}}}})
		if err != nil {
			panic(err)
		}
		return p
	},
}

// TestBrokenProcess runs the harness on the broken process named by
// $DEALTEST_BROKEN. It is run, and expected to fail, by
// TestRunFindsPlantedBugs.
func TestBrokenProcess(t *testing.T) {
	name := os.Getenv("DEALTEST_BROKEN")
	if name == "" {
		t.Skip("run by TestRunFindsPlantedBugs")
	}
	dealtest.Run(t, brokenProcesses[name](), dealtest.Keeps(keeps[name]...))
}

// keeps are the guarantees TestBrokenProcess asserts, by planted bug.
var keeps = map[string][]deal.Guarantee{"drops_scope_gate": {deal.GuaranteeScopeApproved, deal.GuaranteeDiscrepanciesResolved}}

// TestRunFindsPlantedBugs runs the harness, in a child test process, on
// processes with a planted bug, and checks that it fails the invariants
// the bug must break, names the criterion at fault, passes the invariants
// the bug cannot touch, and does not crash. The child runs with a fixed
// seed, so the outcome does not depend on luck.
func TestRunFindsPlantedBugs(t *testing.T) {
	tests := []struct {
		name string
		// fail lists invariants that must fail, pass those that must pass;
		// the others may go either way.
		fail, pass []string
		// blame lists what the output must say about the criterion at
		// fault.
		blame []string
	}{
		{
			name:  "panics",
			fail:  []string{"criteria_do_not_panic"},
			pass:  []string{"reachable", "criteria_well_formed", "criteria_do_not_modify", "criteria_deterministic"},
			blame: []string{`stages[1].exit[4]: qualification exit criterion "champion_engaged" panicked: runtime error: index out of range [0] with length 0 on the empty deal in targeting at 2026-03-02T09:00:00Z`},
		},
		{
			name:  "modifies",
			fail:  []string{"criteria_do_not_modify"},
			pass:  []string{"reachable", "criteria_well_formed", "criteria_do_not_panic", "criteria_deterministic"},
			blame: []string{`stages[2].exit[10]: discovery exit criterion "blockers_recorded" modified the deal (changed: discovery) on the blank deal in targeting at 2026-03-02T09:00:00Z`},
		},
		{
			name:  "moves_stage",
			fail:  []string{"criteria_do_not_modify", "history_consistent"},
			pass:  []string{"reachable", "criteria_well_formed", "criteria_do_not_panic", "criteria_deterministic"},
			blame: []string{`stages[3].exit[2]: solution_alignment exit criterion "ready_for_review" modified the deal (changed: stage) on the complete deal in targeting at 2026-03-02T09:00:00Z`},
		},
		{
			name:  "dead",
			fail:  []string{"reachable"},
			pass:  []string{"criteria_well_formed", "criteria_do_not_panic", "criteria_do_not_modify", "criteria_deterministic", "move_iff_nothing_unmet"},
			blame: []string{`stages[5].entry[3]: proposal entry criterion "legal_signed_off" is met by no deal dealtest generates, so no deal advances from business_case to proposal: proposal is dead.`},
		},
		{
			name:  "drops_scope_gate",
			fail:  []string{"keeps_guarantees"},
			pass:  []string{"reachable", "criteria_well_formed", "move_iff_nothing_unmet", "history_consistent"},
			blame: []string{"the process does not keep the guarantee scope_approved: it keeps [discrepancies_resolved]"},
		},
		{
			name: "flaky",
			fail: []string{"criteria_deterministic", "move_iff_nothing_unmet"},
			pass: []string{"reachable", "criteria_well_formed", "criteria_do_not_panic", "criteria_do_not_modify"},
			blame: []string{
				`stages[0].exit[3]: targeting exit criterion "quota_capacity" answered differently when asked twice: `,
				` on the empty deal in targeting at 2026-03-02T09:00:00Z`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenProcess$", "-test.v",
				"-rapid.checks=20", "-rapid.seed=1", "-rapid.nofailfile", "-rapid.shrinktime=1s")
			cmd.Env = append(os.Environ(), "DEALTEST_BROKEN="+tt.name)
			raw, err := cmd.CombinedOutput()
			out := string(raw)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("want the child to fail its tests (exit status 1), got %v:\n%s", err, out)
			}
			if strings.Contains(out, "\npanic: ") {
				t.Fatalf("the run crashed:\n%s", out)
			}
			for _, b := range tt.blame {
				if !strings.Contains(out, b) {
					t.Errorf("the output does not say %q", b)
				}
			}
			for _, inv := range tt.fail {
				if want := "--- FAIL: TestBrokenProcess/" + inv + " "; !strings.Contains(out, want) {
					t.Errorf("the output lacks %q", want)
				}
			}
			for _, inv := range tt.pass {
				if want := "--- PASS: TestBrokenProcess/" + inv + " "; !strings.Contains(out, want) {
					t.Errorf("the output lacks %q", want)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}
