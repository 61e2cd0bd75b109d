package main

import (
	"fmt"
	"io"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// implementationStart is the first day of the implementation: the second
// Monday after the close.
var implementationStart = time.Date(2026, time.July, 13, 0, 0, 0, 0, time.UTC)

// calendar is the implementation team's, in Paris: Monday to Friday, with
// Bastille Day (July 14) off.
var calendar = accord.Calendar{Holidays: []accord.Date{accord.MakeDate(2026, time.July, 14)}}

// team is the implementation team's capacity in hours per working day.
var team = scope.Capacity{
	People: []scope.Person{
		{ID: "omar", Role: "consultant", HoursPerDay: hours(8)},
		{ID: "yuki", Role: "integration_engineer", HoursPerDay: hours(6)},
	},
	PerRole: map[string]decimal.Decimal{"client_admin": hours(4)},
}

// requirements are what Asha gathers in discovery, one or more of every
// kind the unified process asks for.
func requirements(at time.Time) []scope.Requirement {
	lee := scope.Source{Name: "Lee Park, VP Sales", At: at}
	ops := scope.Source{Name: "Sam Ito, sales operations", At: at}
	return []scope.Requirement{
		{ID: "R1", Title: "Forecasts are rebuilt by hand in spreadsheets every Monday", Kind: scope.KindCurrentState, Priority: scope.Should, Source: ops},
		{ID: "R2", Title: "One weekly forecast for both sales teams", Kind: scope.KindFutureState, Priority: scope.Must,
			Acceptance: []string{"both teams review one board on Monday"}, Source: lee},
		{ID: "R3", Title: "Deal desk approves discounts over 10%", Kind: scope.KindWorkflow, Priority: scope.Must,
			Acceptance: []string{"a discount over 10% cannot be sent without approval"}, Source: lee},
		{ID: "R4", Title: "Nightly opportunity sync with Salesforce", Kind: scope.KindIntegration, Priority: scope.Must,
			Acceptance: []string{"yesterday's changes visible by 7:00"}, Source: ops},
		{ID: "R5", Title: "Two years of opportunity history, accounts owning many deals", Kind: scope.KindDataStructure, Priority: scope.Must, Source: ops},
		{ID: "R6", Title: "Deals priced in EUR and USD in one forecast", Kind: scope.KindEdgeCase, Priority: scope.Should, Source: ops},
		{ID: "R7", Title: "Customer data stays in the EU", Kind: scope.KindConstraint, Priority: scope.Must, Source: lee},
	}
}

// sow is the first Scope of Work Asha writes.
func (s *story) sow() *scope.SOW {
	return &scope.SOW{
		ID: "sow-0042", DealID: s.d.ID, Title: "Northwind forecasting rollout", Start: implementationStart,
		Requirements: s.d.Discovery.Requirements,
		Deliverables: []scope.Deliverable{
			{ID: "pipeline", Name: "Pipeline and forecast for both teams", Requirements: []string{"R2", "R3"}},
			{ID: "history", Name: "Two years of history migrated", Requirements: []string{"R5"}},
			{ID: "salesforce-sync", Name: "Nightly Salesforce sync", Requirements: []string{"R4"}},
			{ID: "training", Name: "Training for both teams"},
		},
		InScope:      []string{"two sales teams", "one Salesforce org", "EUR and USD"},
		OutOfScope:   []string{"marketing automation", "commission calculation"},
		Assumptions:  []string{"Northwind grants Salesforce API access in week one"},
		Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(4), Unit: "hours", Per: "week"}},
		Price:        money("46000.00"),
		Steps: []scope.Step{
			{ID: "audit", Offset: 0, Days: 3, Activity: scope.ActivityAudit, Phase: scope.PhaseAudit, Requirements: []string{"R1"}, Effort: hours(18), Owner: "consultant"},
			{ID: "configure", Offset: 3, Days: 5, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure, Requirements: []string{"R2", "R3"}, Effort: hours(88), Owner: "consultant", DependsOn: []string{"audit"}},
			{ID: "data-model", Offset: 3, Days: 2, Activity: scope.ActivityDataMigration, Phase: scope.PhaseMigrate, Requirements: []string{"R5", "R7"}, Effort: hours(10), Owner: "integration_engineer", DependsOn: []string{"audit"}},
			{ID: "migrate", Offset: 5, Days: 3, Activity: scope.ActivityDataMigration, Phase: scope.PhaseMigrate, Requirements: []string{"R5"}, Effort: hours(18), Owner: "integration_engineer", DependsOn: []string{"data-model"}},
			{ID: "sync", Offset: 8, Days: 3, Activity: scope.ActivityIntegration, Phase: scope.PhaseIntegrate, Requirements: []string{"R4", "R7"}, Effort: hours(18), Owner: "integration_engineer", DependsOn: []string{"data-model"}},
			{ID: "test", Offset: 11, Days: 2, Activity: scope.ActivityTesting, Phase: scope.PhasePilot, Requirements: []string{"R6"}, Effort: hours(16), Owner: "consultant", DependsOn: []string{"configure", "migrate", "sync"}},
			{ID: "pilot", Offset: 13, Days: 3, Activity: scope.ActivityTesting, Phase: scope.PhasePilot, Effort: hours(12), Owner: "client_admin", DependsOn: []string{"test"}},
			{ID: "train", Offset: 16, Days: 2, Activity: scope.ActivityTraining, Phase: scope.PhaseTrain, Effort: hours(12), Owner: "consultant", DependsOn: []string{"pilot"}},
			{ID: "go-live", Offset: 18, Days: 1, Activity: scope.ActivityGoLive, Phase: scope.PhaseGoLive, Effort: hours(6), Owner: "consultant", DependsOn: []string{"train"}},
			{ID: "hypercare", Offset: 19, Days: 5, Activity: scope.ActivityOther, Phase: scope.PhaseIterate, Effort: hours(10), Owner: "consultant", DependsOn: []string{"go-live"}},
		},
		Milestones: []scope.Milestone{
			{ID: "data-ready", Name: "History and sync in place", Offset: 10, Steps: []string{"migrate", "sync"}, Deliverables: []string{"history", "salesforce-sync"}},
			{ID: "live", Name: "Both teams live", Offset: 18, Steps: []string{"go-live"}, Deliverables: []string{"pipeline", "training"}},
		},
	}
}

// proposal is what the order form offered: it also promised executive
// dashboards, which nobody put in the scope.
func proposal(dealID string) scope.Proposal {
	return scope.Proposal{
		ID: "prop-0042", DealID: dealID, Weeks: 6, Price: money("46000.00"),
		Deliverables: []scope.Deliverable{
			{ID: "pipeline", Name: "Pipeline and forecast for both teams"}, {ID: "history", Name: "Two years of history migrated"},
			{ID: "salesforce-sync", Name: "Nightly Salesforce sync"}, {ID: "training", Name: "Training for both teams"},
			{ID: "dashboards", Name: "Executive dashboards"},
		},
		Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(4), Unit: "hours", Per: "week"}},
	}
}

// scopeOfWork runs the four steps of the unified process on the deal's
// Scope of Work, advancing the story's clock, and leaves the deal with a
// reference to the approved, reconciled scope.
func (s *story) scopeOfWork(w io.Writer) error {
	at := func(days int) time.Time { s.now = s.now.AddDate(0, 0, days); return s.now }
	sow := s.sow()
	if err := sow.Validate(calendar); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n  Scope of Work, step 1: %s writes %s from discovery: %d requirements, %d deliverables, %d steps from %s.\n",
		rep.Name, sow.ID, len(sow.Requirements), len(sow.Deliverables), len(sow.Steps), sow.Start.Format(time.DateOnly))
	if err := sow.Open(rep, at(0)); err != nil {
		return err
	}
	if err := sow.Submit(calendar, rep, at(0)); err != nil {
		return err
	}

	f, err := sow.Feasibility(calendar, team)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  Step 2: %s checks revision %d against the team's capacity: %s.\n", lead.Name, sow.Review.Revision, verdict(f))
	for _, o := range f.Overloads {
		fmt.Fprintf(w, "    - %s %s: %s h planned, %s h available\n", o.Date.Format("Mon Jan 2"), o.Role, o.Planned, o.Capacity)
	}
	comment := scope.Comment{Step: "configure", Text: "88 hours in 5 days is 17.6 a day; Omar has 8. Give configuration 11 days."}
	if err := sow.RequestChanges([]scope.Comment{comment}, lead, at(1)); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s sends it back (%s): %q\n", lead.Name, sow.Review.Status, comment.Text)

	// Sales spreads configuration over 11 days and moves what depends on it.
	sow.Steps[1].Days = 11
	for i := range sow.Steps {
		if sow.Steps[i].Offset >= 11 {
			sow.Steps[i].Offset += 3
		}
	}
	sow.Milestones[1].Offset += 3
	if err := sow.Submit(calendar, rep, at(1)); err != nil {
		return err
	}
	if f, err = sow.Feasibility(calendar, team); err != nil {
		return err
	}
	fmt.Fprintf(w, "  Step 3: %s gives configuration 11 days and resubmits: revision %d, %s.\n", rep.Name, sow.Review.Revision, sow.Review.Status)
	fmt.Fprintf(w, "  %s checks revision %d: %s.\n", lead.Name, sow.Review.Revision, verdict(f))
	// The lead approves what they checked: the revision, under the team's
	// calendar and against its capacity. A revision that did not validate,
	// or did not fit without an override reason, would be refused.
	review := scope.LeadReview{Revision: sow.Review.Revision, Calendar: calendar, Capacity: team}
	if err := sow.ApproveAsLead(review, lead, at(1)); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s approves revision %d. Payment allowed: %v.\n", lead.Name, sow.Review.Revision, sow.Approved())
	// Finance would like a deposit while the client reviews the scope; the
	// payment policy says no until the client approves.
	if err := s.askForDeposit(w, sow, s.now); err != nil {
		return err
	}
	if err := sow.ApproveAsClient(sow.Review.Revision, buyer, at(2)); err != nil {
		return err
	}
	fmt.Fprintf(w, "  Step 4: %s approves revision %d. Payment allowed: %v.\n", buyer.Name, sow.Review.Revision, sow.Approved())
	if err := s.askForDeposit(w, sow, s.now); err != nil {
		return err
	}

	prop := proposal(s.d.ID)
	ds := scope.Reconcile(prop, sow, f)
	fmt.Fprintf(w, "  Reconciling the proposal (%d weeks, %d deliverables) with the scope: %d discrepancy.\n", prop.Weeks, len(prop.Deliverables), len(ds))
	for _, d := range ds {
		fmt.Fprintf(w, "    - %s: %s\n", d.Kind, d.Message)
	}
	note := "dashboards move to a second phase; Lee agreed in writing"
	if err := sow.Resolve(prop, f, ds[0], scope.ChangeProposal, note, manager, at(0)); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s decides: the proposal changes (%s).\n", manager.Name, note)
	s.d.Scope = sow.Ref(prop, f)
	s.scope, s.prop, s.feas = sow, prop, f
	fmt.Fprintf(w, "  The deal's scope reference: revision %d, approvals %s, approved %v, settled %v (%d unresolved).\n\n",
		s.d.Scope.Revision, s.d.Scope.Approvals, s.d.Scope.Approved(), s.d.Scope.Settled(), s.d.Scope.Unresolved)
	return nil
}

func verdict(f scope.Feasibility) string {
	if f.Feasible() {
		return "feasible, finish " + f.FeasibleFinish.Format(time.DateOnly)
	}
	return fmt.Sprintf("not feasible: %d overloaded days, finish %s instead of %s (%d working days late)",
		len(f.Overloads), f.FeasibleFinish.Format(time.DateOnly), f.ScopedFinish.Format(time.DateOnly), f.Slip)
}
