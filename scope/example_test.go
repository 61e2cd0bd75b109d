package scope_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

func hours(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// exampleSOW is a small scope: four requirements, two deliverables and a
// six-step sequence starting on Monday 2 March 2026.
func exampleSOW() scope.SOW {
	said := scope.Source{Name: "Dana Ruiz, Head of Sales Ops", At: time.Date(2026, 2, 10, 15, 0, 0, 0, time.UTC)}
	return scope.SOW{
		ID:     "sow-1",
		DealID: "deal-42",
		Title:  "Northwind pipeline rollout",
		Start:  time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Requirements: []scope.Requirement{
			{ID: "R1", Title: "Forecasts live in spreadsheets today", Kind: scope.KindCurrentState, Priority: scope.Should, Source: said},
			{ID: "R2", Title: "One pipeline for both sales teams", Kind: scope.KindFutureState, Priority: scope.Must, Acceptance: []string{"both teams report from one board"}, Source: said},
			{ID: "R3", Title: "Nightly opportunity import from the ERP", Kind: scope.KindIntegration, Priority: scope.Must, Acceptance: []string{"yesterday's orders visible by 7:00"}, Source: said},
			{ID: "R4", Title: "Two years of opportunity history", Kind: scope.KindDataStructure, Priority: scope.Must, Source: said},
		},
		Deliverables: []scope.Deliverable{
			{ID: "pipeline", Name: "Configured pipeline", Requirements: []string{"R2"}},
			{ID: "erp-sync", Name: "ERP sync", Requirements: []string{"R3"}},
		},
		InScope:      []string{"two sales teams", "one ERP"},
		OutOfScope:   []string{"marketing automation"},
		Assumptions:  []string{"the client provides ERP API access by day 3"},
		Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(4), Unit: "hours", Per: "week"}},
		Price:        accord.Money{Amount: decimal.NewFromInt(48000), Currency: "USD"},
		Steps: []scope.Step{
			{ID: "audit", Offset: 0, Days: 2, Activity: scope.ActivityAudit, Phase: scope.PhaseAudit, Requirements: []string{"R1"}, Effort: hours(12), Owner: "consultant"},
			{ID: "configure", Offset: 2, Days: 3, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure, Requirements: []string{"R2"}, Effort: hours(48), Owner: "consultant", DependsOn: []string{"audit"}},
			{ID: "migrate", Offset: 2, Days: 2, Activity: scope.ActivityDataMigration, Phase: scope.PhaseMigrate, Requirements: []string{"R4"}, Effort: hours(12), Owner: "engineer", DependsOn: []string{"audit"}},
			{ID: "integrate", Offset: 4, Days: 2, Activity: scope.ActivityIntegration, Phase: scope.PhaseIntegrate, Requirements: []string{"R3"}, Effort: hours(16), Owner: "engineer", DependsOn: []string{"migrate"}},
			{ID: "train", Offset: 6, Days: 1, Activity: scope.ActivityTraining, Phase: scope.PhaseTrain, Effort: hours(6), Owner: "consultant", DependsOn: []string{"configure"}},
			{ID: "go-live", Offset: 7, Days: 1, Activity: scope.ActivityGoLive, Phase: scope.PhaseGoLive, Effort: hours(4), Owner: "consultant", DependsOn: []string{"train", "integrate"}},
		},
		Milestones: []scope.Milestone{{ID: "live", Name: "Live", Offset: 7, Steps: []string{"go-live"}, Deliverables: []string{"pipeline", "erp-sync"}}},
	}
}

// The four steps of the unified process: sales writes the scope, the
// implementation lead sends back a timeline the team cannot meet, sales
// revises it, the lead and then the client approve, and payment is allowed.
func Example() {
	rep := accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	lead := accord.Actor{ID: "u-9", Name: "Ravi", Role: accord.RoleImplementationLead}
	client := accord.Actor{ID: "c-1", Name: "Dana", Role: accord.RoleClient}
	cal := accord.Calendar{} // Monday to Friday, UTC, no holidays
	team := scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(8), "engineer": hours(8)}}
	now := time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC)

	sow := exampleSOW()
	if err := sow.Validate(cal); err != nil {
		fmt.Println(err)
		return
	}
	_ = sow.Open(rep, now)
	_ = sow.Submit(cal, rep, now.Add(time.Hour))

	// The lead checks the timeline against the team's capacity.
	f, _ := sow.Feasibility(cal, team)
	fmt.Printf("feasible: %v, slip %d working days, finish %s instead of %s\n",
		f.Feasible(), f.Slip, f.FeasibleFinish.Format(time.DateOnly), f.ScopedFinish.Format(time.DateOnly))
	for _, o := range f.Overloads {
		fmt.Printf("  %s %s: %s h planned, %s h available\n", o.Date.Format(time.DateOnly), o.Role, o.Planned, o.Capacity)
	}
	_ = sow.RequestChanges([]scope.Comment{{Step: "configure", Text: "48 hours in 3 days is 16 a day; we have one consultant."}}, lead, now.Add(2*time.Hour))

	// Sales gives configuration six days and moves what follows.
	sow.Steps[1].Days = 6
	sow.Steps[4].Offset, sow.Steps[5].Offset = 8, 9
	sow.Milestones[0].Offset = 9
	_ = sow.Submit(cal, rep, now.Add(3*time.Hour))
	f, _ = sow.Feasibility(cal, team)
	fmt.Printf("revision %d, %s: feasible %v, finish %s\n", sow.Review.Revision, sow.Review.Status, f.Feasible(), f.FeasibleFinish.Format(time.DateOnly))

	// The client cannot approve first, and the author cannot approve as lead.
	err := sow.ApproveAsClient(sow.Review.Revision, client, now.Add(4*time.Hour))
	fmt.Println(errors.Is(err, accord.ErrBlocked), sow.Approved())

	// The lead approves the revision checked against the calendar and the
	// team: a revision that does not validate or fit is refused.
	_ = sow.ApproveAsLead(scope.LeadReview{Revision: sow.Review.Revision, Calendar: cal, Capacity: team}, lead, now.Add(5*time.Hour))
	_ = sow.ApproveAsClient(sow.Review.Revision, client, now.Add(6*time.Hour))
	fmt.Println(sow.Review.Status, sow.Approved())

	// Any edit voids both approvals.
	sow.Assumptions = append(sow.Assumptions, "the client names a data owner")
	_ = sow.Revise(rep, now.Add(7*time.Hour))
	fmt.Println(sow.Review.Status, sow.Review.Revision, sow.Approved())
	// Output:
	// feasible: false, slip 2 working days, finish 2026-03-13 instead of 2026-03-11
	//   2026-03-04 consultant: 16 h planned, 8 h available
	//   2026-03-05 consultant: 16 h planned, 8 h available
	//   2026-03-06 consultant: 16 h planned, 8 h available
	// revision 2, resubmitted: feasible true, finish 2026-03-13
	// true false
	// client_approved true
	// changes_requested 3 false
}

// Reconcile lists what the proposal promised and the scope does not
// deliver, and a recorded decision settles each one.
func ExampleReconcile() {
	sow := exampleSOW()
	manager := accord.Actor{ID: "u-2", Name: "Mei", Role: accord.RoleSalesManager}
	now := time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC)
	_ = sow.Open(accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}, now)

	proposal := scope.Proposal{
		ID: "prop-1", DealID: "deal-42",
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline"}, {ID: "dashboards", Name: "Executive dashboards"}},
		Weeks:        1,
		Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(8), Unit: "hours", Per: "week"}},
		Price:        accord.Money{Amount: decimal.NewFromInt(45000), Currency: "USD"},
	}
	f, _ := sow.Feasibility(accord.Calendar{}, scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(16), "engineer": hours(8)}})
	for _, d := range scope.Reconcile(proposal, &sow, f) {
		fmt.Printf("%s: %s\n", d.Kind, d.Message)
	}

	ds := scope.Reconcile(proposal, &sow, f)
	_ = sow.Resolve(proposal, f, ds[0], scope.ChangeProposal, "dashboards were never part of the offer; proposal corrected", manager, now.Add(time.Hour))
	fmt.Println(len(scope.Unresolved(scope.Reconcile(proposal, &sow, f))), "unresolved")
	// Output:
	// deliverable_not_scoped: deliverable "dashboards" (Executive dashboards) was proposed but is not in the scope
	// deliverable_not_proposed: deliverable "erp-sync" (ERP sync) is in the scope but was not proposed
	// timeline: the proposal promises a finish by 2026-03-08, but the sequence finishes on 2026-03-11
	// entitlement: entitlement "support" differs: 8 hours/week proposed, 4 hours/week scoped
	// price: the price differs: 45000 USD proposed, 48000 USD scoped
	// 4 unresolved
}
