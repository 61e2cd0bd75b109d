package deal

import (
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord/scope"
)

// MandatoryKinds are the requirement kinds [Unified] asks discovery to
// gather before a deal leaves it: the current and the future state, the
// workflows, the integrations, the data structures and the edge cases.
// Constraints are gathered by the default discovery criteria already.
func MandatoryKinds() []scope.Kind {
	return []scope.Kind{scope.KindCurrentState, scope.KindFutureState, scope.KindWorkflow,
		scope.KindIntegration, scope.KindDataStructure, scope.KindEdgeCase}
}

// Unified returns the unified sales and implementation process: [Default]
// plus two gates.
//
//   - Discovery cannot be left until requirements of every kind of
//     [MandatoryKinds] are gathered (criterion "requirements_by_kind").
//   - Proposal cannot be left for handoff, which is Closed Won, until the
//     current revision of the deal's Scope of Work has the implementation
//     lead's approval and then the client's ("scope_approved"), and every
//     discrepancy between the proposal and the scope is settled by a
//     recorded decision ("discrepancies_resolved").
//
// Both gates read the deal: its Discovery.Requirements and its Scope
// reference. A team that marks other kinds mandatory starts from
// Unified().Config() and replaces the criterion with one built by
// [RequirementsGathered].
//
// Each call returns a new Process; it is immutable, so build it once and
// share it.
func Unified() *Process {
	p, err := NewProcess(unifiedConfig())
	if err != nil {
		// Unreachable: the unified configuration is checked by the tests.
		panic("deal: the unified process is invalid: " + err.Error())
	}
	return p
}

func unifiedConfig() Config {
	cfg := defaultConfig()
	cfg.ID, cfg.Name = "unified", "Unified sales and implementation"
	for i := range cfg.Stages {
		s := &cfg.Stages[i]
		switch s.ID {
		case StageDiscovery:
			s.Exit = append(s.Exit, Criterion{
				ID:          "requirements_by_kind",
				Description: "Gather requirements of every mandatory kind: current state, future state, workflows, integrations, data structures and edge cases.",
				Rule:        RequirementsGathered(MandatoryKinds()...),
			})
		case StageProposal:
			s.Exit = append(s.Exit,
				Criterion{
					ID:          "scope_approved",
					Description: "Get the Scope of Work approved by the implementation lead and then by the client, both on its current revision.",
					Rule:        ScopeApproved(),
				},
				Criterion{
					ID:          "discrepancies_resolved",
					Description: "Reconcile the proposal with the Scope of Work and record a decision on every discrepancy.",
					Rule:        DiscrepanciesResolved(),
				},
			)
		}
	}
	return cfg
}

// RequirementsGathered returns a rule met when the deal's discovery
// requirements include at least one requirement, with a title, of every
// kind listed. [NewProcess] rejects an empty or unknown kind.
func RequirementsGathered(kinds ...scope.Kind) Rule { return gathered(slices.Clone(kinds)) }

type gathered []scope.Kind

func (r gathered) Met(d *Deal, _ time.Time) bool {
	for _, k := range r {
		found := false
		for i := range d.Discovery.Requirements {
			req := &d.Discovery.Requirements[i]
			if req.Kind == k && text(req.Title) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
func (r gathered) field() string { return "discovery.requirements" }
func (r gathered) validate() error {
	if len(r) == 0 {
		return fmt.Errorf("RequirementsGathered needs at least one kind")
	}
	for _, k := range r {
		if !k.Valid() {
			return fmt.Errorf("unknown requirement kind %q", k)
		}
	}
	return nil
}

// ScopeApproved returns a rule met when the deal's scope reference is to the
// deal's own scope and [scope.Ref.Approved] holds: the implementation lead
// and then the client approved the scope's current revision.
func ScopeApproved() Rule { return scopeApproved{} }

type scopeApproved struct{}

func (scopeApproved) Met(d *Deal, _ time.Time) bool {
	return d.Scope.DealID == d.ID && d.Scope.Approved()
}
func (scopeApproved) field() string { return "scope" }

// DiscrepanciesResolved returns a rule met when the deal's scope reference
// is to the deal's own scope and [scope.Ref.Settled] holds: it was
// reconciled with the deal's proposal and no discrepancy is left
// unresolved.
func DiscrepanciesResolved() Rule { return resolved{} }

type resolved struct{}

func (resolved) Met(d *Deal, _ time.Time) bool { return d.Scope.DealID == d.ID && d.Scope.Settled() }
func (resolved) field() string                 { return "scope" }

// Config returns the configuration p was built from, as a copy: a team can
// change it and build its own process with [NewProcess].
func (p *Process) Config() Config {
	if !p.built() {
		return Config{}
	}
	cfg := Config{ID: p.id, Name: p.name, Stages: cloneStages(p.stages), IdleAlertDays: p.idleAlert, LeadResponse: p.lead}
	if p.wonIndex < len(p.stages) {
		cfg.ClosedWon = p.stages[p.wonIndex].ID
	}
	return cfg
}
