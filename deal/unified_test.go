package deal_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/internal/gen"
	"github.com/accordhq/accord/internal/scopetest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// unmetIDs lists the criteria a blocked error reports, or fails.
func unmetIDs(t *testing.T, err error) []string {
	t.Helper()
	var ids []string
	for _, u := range errtest.Blocked(t, err).Unmet {
		ids = append(ids, string(u.Side)+" "+u.Criterion)
	}
	return ids
}

// approvedScope builds a small scope for d, reviewed by a lead and approved
// by the client, and the proposal that matches it.
func approvedScope(t *testing.T, d *deal.Deal, at time.Time) (*scope.SOW, scope.Proposal, scope.Feasibility) {
	t.Helper()
	sow, p, f, err := buildScope(d, at)
	if err != nil {
		t.Fatal(err)
	}
	return sow, p, f
}

// buildScope is approvedScope without a test: openAt closes deals with it.
func buildScope(d *deal.Deal, at time.Time) (*scope.SOW, scope.Proposal, scope.Feasibility, error) {
	price := usd("46000")
	sow := &scope.SOW{
		ID: "sow-1", DealID: d.ID, Start: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Requirements: d.Discovery.Requirements,
		Deliverables: []scope.Deliverable{{ID: "forecast", Name: "Weekly forecast", Requirements: []string{"R2"}}},
		Price:        price,
		Steps: []scope.Step{
			{ID: "s1", Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure, Requirements: []string{"R2", "R3", "R5"}, Effort: decimal.NewFromInt(8), Owner: "consultant"},
			{ID: "s2", Offset: 1, Activity: scope.ActivityIntegration, Phase: scope.PhaseIntegrate, Requirements: []string{"R4", "R7"}, Effort: decimal.NewFromInt(8), Owner: "consultant", DependsOn: []string{"s1"}},
		},
	}
	if err := sow.Validate(accord.Calendar{}); err != nil {
		return nil, scope.Proposal{}, scope.Feasibility{}, err
	}
	f, err := sow.Feasibility(accord.Calendar{}, scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": decimal.NewFromInt(8)}})
	if err != nil {
		return nil, scope.Proposal{}, scope.Feasibility{}, err
	}
	steps := []error{
		sow.Open(rep, at),
		sow.Submit(accord.Calendar{}, rep, at),
		sow.ApproveAsLead(scopetest.LeadReview(sow), lead, at),
		sow.ApproveAsClient(1, client, at),
	}
	if err := errors.Join(steps...); err != nil {
		return nil, scope.Proposal{}, scope.Feasibility{}, err
	}
	p := scope.Proposal{ID: "prop-1", DealID: d.ID, Deliverables: []scope.Deliverable{{ID: "forecast", Name: "Weekly forecast"}}, Weeks: 2, Price: price}
	return sow, p, f, nil
}

func TestUnifiedDiscoveryGate(t *testing.T) {
	p := deal.Unified()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, at := openAt(p, deal.StageDiscovery, start)

	d.Discovery.Requirements = slices.DeleteFunc(d.Discovery.Requirements, func(r scope.Requirement) bool {
		return r.Kind == scope.KindWorkflow || r.Kind == scope.KindEdgeCase
	})
	err := p.Advance(&d, rep, at.Add(time.Hour))
	if diff := cmp.Diff([]string{"exit requirements_by_kind"}, unmetIDs(t, err)); diff != "" {
		t.Errorf("unmet (-want +got):\n%s", diff)
	}
	// A requirement without a title does not count.
	d.Discovery.Requirements = append(d.Discovery.Requirements,
		scope.Requirement{ID: "R8", Title: " ", Kind: scope.KindWorkflow},
		scope.Requirement{ID: "R9", Title: "refunds reverse commissions", Kind: scope.KindEdgeCase})
	// A requirement without a title is invalid: every move refuses the deal.
	if err := p.Advance(&d, rep, at.Add(time.Hour)); !errors.Is(err, accord.ErrInvalid) || !strings.Contains(err.Error(), "discovery.requirements[5].title: is required") {
		t.Fatalf("a blank workflow requirement passed the gate: %v", err)
	}
	d.Discovery.Requirements[len(d.Discovery.Requirements)-2].Title = "deal desk approves discounts"
	if err := p.Advance(&d, rep, at.Add(time.Hour)); err != nil {
		t.Fatalf("all kinds gathered, still refused: %v", err)
	}
	// The default process never asked for kinds.
	dd, at := openAt(deal.Default(), deal.StageDiscovery, start)
	dd.Discovery.Requirements = dd.Discovery.Requirements[:1]
	if err := deal.Default().Advance(&dd, rep, at.Add(time.Hour)); err != nil {
		t.Fatalf("default process refused: %v", err)
	}
}

func TestUnifiedCloseGate(t *testing.T) {
	p := deal.Unified()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, at := openAt(p, deal.StageProposal, start)
	closing := func(sow *scope.SOW, prop scope.Proposal, f scope.Feasibility) deal.Closing {
		return deal.Closing{Scope: sow, Proposal: prop, Feasibility: f}
	}

	// No scope at all: Advance and a close that presents none are refused.
	d.Scope = scope.Ref{}
	err := p.Advance(&d, rep, at.Add(time.Hour))
	if diff := cmp.Diff([]string{"exit scope_approved", "exit discrepancies_resolved", "entry scope_presented"}, unmetIDs(t, err)); diff != "" {
		t.Errorf("unmet (-want +got):\n%s", diff)
	}
	err = p.Close(&d, deal.Closing{}, rep, at.Add(time.Hour))
	if diff := cmp.Diff([]string{"exit scope_approved", "exit discrepancies_resolved", "entry scope_presented"}, unmetIDs(t, err)); diff != "" {
		t.Errorf("close presenting nothing: unmet (-want +got):\n%s", diff)
	}

	sow, prop, f := approvedScope(t, &d, at)
	// Another deal's approved scope does not close this deal, nor does a
	// reconciliation with another deal's proposal.
	other := d
	other.ID = "deal-other"
	d.Scope = sow.Ref(prop, f)
	other.Scope = d.Scope
	if err := p.Close(&other, closing(sow, prop, f), rep, at.Add(time.Hour)); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), `scope "sow-1" belongs to deal "d-1"`) {
		t.Errorf("another deal's scope: %v; want ErrConflict naming the scope's deal", err)
	}
	elsewhere := prop
	elsewhere.DealID = "deal-other"
	if ref := sow.Ref(elsewhere, f); ref.Reconciled {
		t.Errorf("reconciled with another deal's proposal: %+v", ref)
	}
	// A reference alone, even a fresh one, never closes the deal.
	err = p.Advance(&d, rep, at.Add(time.Hour))
	if diff := cmp.Diff([]string{"entry scope_presented"}, unmetIDs(t, err)); diff != "" {
		t.Errorf("advance on a fresh reference: unmet (-want +got):\n%s", diff)
	}
	if err := p.Close(&d, closing(sow, prop, f), rep, at.Add(time.Hour)); err != nil {
		t.Fatalf("approved and reconciled, still refused: %v", err)
	}
	if on, ok := d.ClosedOn(); !ok || on != (deal.ScopeRevision{ID: "sow-1", Revision: 1, Digest: sow.Review.Digest}) {
		t.Errorf("closed on %+v, %v; want sow-1 revision 1", on, ok)
	}

	// An edit after approval voids it, and a proposal that differs needs a
	// decision.
	d, at = openAt(p, deal.StageProposal, start)
	sow, prop, f = approvedScope(t, &d, at)
	sow.Assumptions = []string{"the client names a data owner"}
	if err := sow.Revise(rep, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	prop.Price = usd("45000")
	d.Scope = sow.Ref(prop, f)
	err = p.Close(&d, closing(sow, prop, f), rep, at.Add(time.Hour))
	if diff := cmp.Diff([]string{"exit scope_approved", "exit discrepancies_resolved"}, unmetIDs(t, err)); diff != "" {
		t.Errorf("unmet (-want +got):\n%s", diff)
	}

	if err := errors.Join(
		sow.Submit(accord.Calendar{}, rep, at.Add(2*time.Minute)),
		sow.ApproveAsLead(scopetest.LeadReview(sow), lead, at.Add(3*time.Minute)),
		sow.ApproveAsClient(2, client, at.Add(4*time.Minute)),
	); err != nil {
		t.Fatal(err)
	}
	d.Scope = sow.Ref(prop, f)
	err = p.Close(&d, closing(sow, prop, f), rep, at.Add(time.Hour))
	if diff := cmp.Diff([]string{"exit discrepancies_resolved"}, unmetIDs(t, err)); diff != "" {
		t.Errorf("unmet (-want +got):\n%s", diff)
	}

	ds := scope.Reconcile(prop, sow, f)
	if len(ds) != 1 || ds[0].Kind != scope.PriceMismatch {
		t.Fatalf("discrepancies: %+v", ds)
	}
	if err := sow.Resolve(prop, f, ds[0], scope.ChangeProposal, "list price stands", manager, at.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	d.Scope = sow.Ref(prop, f)
	if err := p.Close(&d, closing(sow, prop, f), rep, at.Add(time.Hour)); err != nil {
		t.Fatalf("resolved, still refused: %v", err)
	}
	if d.Stage != deal.StageHandoff || !p.Won(&d) {
		t.Errorf("stage %s, won %v; want handoff, won", d.Stage, p.Won(&d))
	}
}

// TestUnifiedStricter: the unified process refuses every advance the
// default process refuses, and reports the same gaps plus its own.
func TestUnifiedStricter(t *testing.T) {
	def, uni := deal.Default(), deal.Unified()
	rapid.Check(t, func(t *rapid.T) {
		d := genDeal().Draw(t, "deal")
		now := gen.Time().Draw(t, "now")
		dg, ug := def.Unmet(&d, now), uni.Unmet(&d, now)
		for _, g := range dg {
			if !slices.Contains(ug, g) {
				t.Fatalf("default gap %v missing from unified gaps %v", g, ug)
			}
		}
		for _, g := range ug {
			if !slices.Contains(dg, g) && !slices.Contains([]string{"requirements_by_kind", "scope_approved", "discrepancies_resolved", "scope_presented"}, g.Criterion) {
				t.Fatalf("unified gap %v is neither a default gap nor a unified gate", g)
			}
		}
	})
}

func TestUnifiedConfig(t *testing.T) {
	u := deal.Unified()
	cfg := u.Config()
	if cfg.ClosedWon != deal.StageHandoff || cfg.IdleAlertDays != 14 || len(cfg.Stages) != 7 {
		t.Fatalf("config: closed won %s, idle %d, %d stages", cfg.ClosedWon, cfg.IdleAlertDays, len(cfg.Stages))
	}
	var ids []string
	for _, s := range cfg.Stages {
		for _, c := range s.Exit {
			if c.ID == "requirements_by_kind" || c.ID == "scope_approved" || c.ID == "discrepancies_resolved" {
				ids = append(ids, string(s.ID)+"."+c.ID)
			}
		}
	}
	want := []string{"discovery.requirements_by_kind", "proposal.scope_approved", "proposal.discrepancies_resolved"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("unified gates (-want +got):\n%s", diff)
	}

	// A team that needs only integrations and data structures.
	for i := range cfg.Stages {
		for j, c := range cfg.Stages[i].Exit {
			if c.ID == "requirements_by_kind" {
				cfg.Stages[i].Exit[j].Rule = deal.RequirementsGathered(scope.KindIntegration, scope.KindDataStructure)
			}
		}
	}
	team, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, at := openAt(team, deal.StageDiscovery, start)
	d.Discovery.Requirements = slices.DeleteFunc(d.Discovery.Requirements, func(r scope.Requirement) bool {
		return r.Kind != scope.KindIntegration && r.Kind != scope.KindDataStructure
	})
	// Changing the copy did not change the original.
	if gaps := u.Unmet(&d, at); len(gaps) != 1 || gaps[0].Criterion != "requirements_by_kind" {
		t.Errorf("unified gaps = %v, want requirements_by_kind only", gaps)
	}
	if err := team.Advance(&d, rep, at.Add(time.Hour)); err != nil {
		t.Errorf("team process refused: %v", err)
	}

	if got := (*deal.Process)(nil).Config(); !cmp.Equal(got, deal.Config{}) {
		t.Errorf("nil process config = %+v", got)
	}
}

func TestRequirementsGatheredInvalid(t *testing.T) {
	cfg := deal.Default().Config()
	cfg.Stages[2].Exit = append(cfg.Stages[2].Exit,
		deal.Criterion{ID: "none", Description: "x", Rule: deal.RequirementsGathered()},
		deal.Criterion{ID: "odd", Description: "x", Rule: deal.RequirementsGathered(scope.KindWorkflow, "wishes")},
	)
	_, err := deal.NewProcess(cfg)
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *accord.FieldError
		if errors.As(e, &fe) {
			got = append(got, fe.Error())
		}
	}
	want := []string{
		"stages[2].exit[10].rule: RequirementsGathered needs at least one kind",
		`stages[2].exit[11].rule: unknown requirement kind "wishes"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestValidateRequirements(t *testing.T) {
	d := deal.Deal{ID: "d-1", Owner: rep.ID}
	d.Discovery.Requirements = []scope.Requirement{
		{ID: "R1", Title: "nightly import", Kind: scope.KindIntegration},
		{ID: "R2", Title: " ", Kind: "wish", Priority: "maybe"},
		{ID: "R3", Title: "EU only", Kind: scope.KindConstraint, Priority: scope.Must},
	}
	err := d.Validate()
	want := []string{"discovery.requirements[1].title", "discovery.requirements[1].kind", "discovery.requirements[1].priority"}
	if diff := cmp.Diff(want, errtest.Fields(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	wantMsg := "discovery.requirements[1].title: is required\n" +
		`discovery.requirements[1].kind: must be a requirement kind; got "wish"` + "\n" +
		`discovery.requirements[1].priority: must be must, should or could; got "maybe"`
	if diff := cmp.Diff(wantMsg, err.Error()); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
