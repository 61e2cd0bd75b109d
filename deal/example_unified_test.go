package deal_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/scope"
)

// recordSales records, at at, what the sales stages ask for, from
// targeting through the signed proposal: everything but the Scope of Work.
// fill (helpers_test.go) builds on it the fixture of most deal tests and of
// BenchmarkAdvance: a change here changes what they measure.
func recordSales(d *deal.Deal, at time.Time) {
	usd := func(s string) accord.Money { m, _ := accord.ParseMoney(s, "USD"); return m }
	said := scope.Source{Name: "Lee, RevOps", At: at}
	d.Segment = "mid-market"
	d.Value = usd("48000")
	d.Targeting = deal.Targeting{Trigger: "new VP of Sales", Hypothesis: "forecasts live in spreadsheets"}
	d.Qualification = deal.Qualification{WhyNow: "the board wants a forecast by Q3", Fit: deal.FitStrong}
	d.Stakeholders = []deal.Stakeholder{
		{Name: "Lee", Role: deal.RoleChampion, Engaged: true, EngagedAt: at},
		{Name: "Kim", Role: deal.RoleEconomicBuyer, Engaged: true, EngagedAt: at},
		{Name: "Ana", Role: deal.RoleExecutiveSponsor, Engaged: true, EngagedAt: at},
	}
	d.Discovery = deal.Discovery{
		Problem:         "the forecast misses by 30%",
		DesiredOutcome:  "a forecast within 5%",
		SuccessCriteria: []string{"weekly forecast within 5% for a quarter"},
		Constraints:     deal.Constraints{Security: "SSO", Timeline: "live by June", Integrations: "Salesforce", Legal: "DPA"},
		CurrentStack:    "Salesforce, spreadsheets",
		Blockers:        "none",
		Requirements: []scope.Requirement{ // one of each kind deal.MandatoryKinds lists
			{ID: "R1", Title: "forecasts live in spreadsheets", Kind: scope.KindCurrentState, Priority: scope.Should, Source: said},
			{ID: "R2", Title: "one weekly forecast for both teams", Kind: scope.KindFutureState, Priority: scope.Must, Source: said},
			{ID: "R3", Title: "deal desk approves discounts over 10%", Kind: scope.KindWorkflow, Priority: scope.Must, Source: said},
			{ID: "R4", Title: "import opportunities nightly", Kind: scope.KindIntegration, Priority: scope.Must, Source: said},
			{ID: "R5", Title: "accounts own many opportunities", Kind: scope.KindDataStructure, Priority: scope.Must, Source: said},
			{ID: "R6", Title: "deals in two currencies", Kind: scope.KindEdgeCase, Priority: scope.Should, Source: said},
		},
	}
	d.Alignment = deal.Alignment{AgreedBy: "Lee", AgreedAt: at}
	d.NextStep = deal.NextStep{At: at.AddDate(0, 0, 7), Purpose: "review the business case"}
	d.BusinessCase = deal.BusinessCase{Impact: usd("150000"), AgreedBy: "Kim", AgreedAt: at, ChampionStrength: deal.StrengthStrong, DecisionPlan: "the CFO signs by May 30"}
	d.Commercials = deal.Commercials{
		DecisionPath: "VP, CFO, legal", Procurement: "vendor form", Legal: "MSA and DPA",
		ImplementationStart: at.AddDate(0, 1, 0), FinalPrice: usd("46000"), TermMonths: 12, Concessions: "none",
	}
	d.Artifacts = []deal.Artifact{
		{Kind: deal.ArtifactSignedAgreement, Ref: "doc-1"},
		{Kind: deal.ArtifactExecutedContract, Ref: "doc-2"},
	}
}

// Sales takes a deal through every stage of the unified process up to the
// proposal, but the Scope of Work is not approved yet: Closed Won is
// refused by the scope gates, and the refusal lists what is unmet.
func ExampleUnified() {
	p := deal.Unified()
	rep := accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

	d := deal.Deal{ID: "d-42", Owner: rep.ID, Account: "Northwind"}
	recordSales(&d, at)
	if err := p.Open(&d, rep, at); err != nil {
		fmt.Println(err)
		return
	}
	for d.Stage != deal.StageProposal {
		at = at.Add(24 * time.Hour)
		if err := p.Advance(&d, rep, at); err != nil {
			fmt.Println(err)
			return
		}
	}

	err := p.Advance(&d, rep, at.Add(time.Hour)) // Closed Won
	var blocked *accord.BlockedError
	if errors.As(err, &blocked) {
		fmt.Printf("%s cannot move from %s to %s:\n", blocked.Subject, blocked.From, blocked.To)
		for _, u := range blocked.Unmet {
			fmt.Printf("- %s (%s %s): %s\n", u.Criterion, u.State, u.Side, u.Message)
		}
	}
	fmt.Println("still in", d.Stage)
	// Output:
	// d-42 cannot move from proposal to handoff:
	// - scope_approved (proposal exit): Get the Scope of Work approved by the implementation lead and then by the client, both on its current revision.
	// - discrepancies_resolved (proposal exit): Reconcile the proposal with the Scope of Work and record a decision on every discrepancy.
	// - scope_presented (handoff entry): Close the deal with Process.Close, presenting its Scope of Work and the proposal: a scope reference alone never closes a deal.
	// still in proposal
}
