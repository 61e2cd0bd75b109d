package dealtest_test

import (
	"errors"
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
)

// TestCheck: Check accepts the built-in processes and reports every
// misbehaving criterion, each once, by path, stage, side and ID.
func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		p    func() *deal.Process
		want string // the error's text; empty for nil
	}{
		{"default", deal.Default, ""},
		{"unified", deal.Unified, ""},
		{"nil", func() *deal.Process { return nil }, "process: is nil or not built: use deal.Default, deal.NewProcess or a loader"},
		{"zero", func() *deal.Process { return &deal.Process{} }, "process: is nil or not built: use deal.Default, deal.NewProcess or a loader"},
		{"panics", brokenProcesses["panics"],
			`stages[1].exit[4]: qualification exit criterion "champion_engaged" panicked: runtime error: index out of range [0] with length 0 on the empty deal in targeting at 2026-03-02T09:00:00Z`},
		{"modifies", brokenProcesses["modifies"],
			`stages[2].exit[10]: discovery exit criterion "blockers_recorded" modified the deal (changed: discovery) on the blank deal in targeting at 2026-03-02T09:00:00Z`},
		{"moves_stage", brokenProcesses["moves_stage"],
			`stages[3].exit[2]: solution_alignment exit criterion "ready_for_review" modified the deal (changed: stage) on the complete deal in targeting at 2026-03-02T09:00:00Z`},
		{"flaky", brokenProcesses["flaky"],
			`stages[0].exit[3]: targeting exit criterion "quota_capacity" answered differently when asked twice: true, then false on the empty deal in targeting at 2026-03-02T09:00:00Z`},
		{"dead", brokenProcesses["dead"],
			`stages[5].entry[3]: proposal entry criterion "legal_signed_off" is met by no deal dealtest generates, so no deal advances from business_case to proposal: proposal is dead. Make the criterion one a deal can meet, or draw what it reads with the Populate option`},
		{"never_together", func() *deal.Process {
			cfg := deal.Default().Config()
			cfg.Stages[6].Exit = append(cfg.Stages[6].Exit, exclusive...)
			p, err := deal.NewProcess(cfg)
			if err != nil {
				panic(err)
			}
			return p
		}, `stages[6].exit[3]: handoff exit criterion "legal_untouched" is met by some deals dealtest generates, but never together with the other criteria of the advance from handoff to live: live is dead`},
		{"all_at_once", func() *deal.Process {
			cfg := brokenProcesses["panics"]().Config()
			cfg.Stages[0].Exit = append(cfg.Stages[0].Exit, flaky())
			cfg.Stages[6].Entry = append(cfg.Stages[6].Entry, mutating)
			p, err := deal.NewProcess(cfg)
			if err != nil {
				panic(err)
			}
			return p
		}, `stages[0].exit[3]: targeting exit criterion "quota_capacity" answered differently when asked twice: true, then false on the empty deal in targeting at 2026-03-02T09:00:00Z
stages[1].exit[4]: qualification exit criterion "champion_engaged" panicked: runtime error: index out of range [0] with length 0 on the empty deal in targeting at 2026-03-02T09:00:00Z
stages[6].entry[1]: handoff entry criterion "blockers_recorded" modified the deal (changed: discovery) on the blank deal in targeting at 2026-03-02T09:00:00Z`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := dealtest.Check(tt.p())
			got := ""
			if err != nil {
				got = err.Error()
				if !errors.Is(err, accord.ErrInvalid) {
					t.Errorf("Check: %v does not wrap accord.ErrInvalid", err)
				}
			}
			if got != tt.want {
				t.Errorf("Check:\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestCheckFieldErrors: each problem is a *accord.FieldError naming the
// criterion's path.
func TestCheckFieldErrors(t *testing.T) {
	err := dealtest.Check(brokenProcesses["panics"]())
	var fe *accord.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("Check: want a *accord.FieldError, got %T %v", err, err)
	}
	if fe.Field != "stages[1].exit[4]" {
		t.Errorf("Field = %q, want %q", fe.Field, "stages[1].exit[4]")
	}
}
