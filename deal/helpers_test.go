package deal_test

import (
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/moneytest"
	"github.com/accordhq/accord/scope"
)

var (
	manager = accord.Actor{ID: "u-1", Name: "Mo", Role: accord.RoleSalesManager}
	lead    = accord.Actor{ID: "u-9", Name: "Ines", Role: accord.RoleImplementationLead}
	client  = accord.Actor{ID: "c-1", Name: "Buyer", Role: accord.RoleClient}
)

var usd = moneytest.USD

// fill sets every field the default process asks for, so that every
// criterion holds at any time between at and 14 days later.
func fill(d *deal.Deal, at time.Time) {
	d.Segment = "mid-market"
	d.Value = usd("48000.00")
	d.Targeting = deal.Targeting{Trigger: "new VP of Sales", Hypothesis: "forecasts built in spreadsheets"}
	d.Qualification = deal.Qualification{WhyNow: "board wants a forecast by Q3", Fit: deal.FitStrong}
	d.Stakeholders = []deal.Stakeholder{
		{Name: "Lee", Role: deal.RoleChampion, Engaged: true, EngagedAt: at},
		{Name: "Kim", Role: deal.RoleEconomicBuyer, Engaged: true, EngagedAt: at},
		{Name: "Ana", Role: deal.RoleExecutiveSponsor, Engaged: true, EngagedAt: at},
	}
	d.Discovery = deal.Discovery{
		Problem:         "forecast misses by 30%",
		DesiredOutcome:  "forecast within 5%",
		SuccessCriteria: []string{"weekly forecast within 5% for a quarter"},
		Constraints:     deal.Constraints{Security: "SSO", Timeline: "live by June", Integrations: "Salesforce", Legal: "DPA"},
		CurrentStack:    "Salesforce, Sheets",
		Blockers:        "none",
		Requirements:    requirements(at),
	}
	d.Alignment = deal.Alignment{AgreedBy: "Lee", AgreedAt: at}
	d.NextStep = deal.NextStep{At: at.Add(7 * 24 * time.Hour), Purpose: "review the business case"}
	d.BusinessCase = deal.BusinessCase{Summary: "saves 2 FTE", Impact: usd("150000"), AgreedBy: "Kim", AgreedAt: at, ChampionStrength: deal.StrengthStrong, DecisionPlan: "CFO signs by May 30"}
	d.Commercials = deal.Commercials{
		DecisionPath: "VP, CFO, legal", Procurement: "vendor form", Legal: "MSA + DPA",
		ImplementationStart: at, FinalPrice: usd("46000"), TermMonths: 12, Concessions: "none",
	}
	d.Onboarding = deal.Onboarding{FirstMilestoneAt: at}
	d.Scope = scope.Ref{
		ID: "sow-1", DealID: d.ID, Revision: 2, Digest: "c0ffee", Approvals: scope.ApprovalsLeadAndClient, Reconciled: true,
	}
	d.Artifacts = []deal.Artifact{
		{Kind: deal.ArtifactSignedAgreement, Ref: "doc-1"},
		{Kind: deal.ArtifactExecutedContract, Ref: "doc-2"},
		{Kind: deal.ArtifactSuccessPlan, Ref: "doc-3"},
	}
}

// openAt returns a complete deal opened at start and advanced, one hour
// apart, into stage.
func openAt(p *deal.Process, stage deal.StageID, start time.Time) (deal.Deal, time.Time) {
	d := deal.Deal{ID: "d-1", Owner: rep.ID}
	fill(&d, start)
	if err := p.Open(&d, rep, start); err != nil {
		panic(err)
	}
	at := start
	for d.Stage != stage {
		at = at.Add(time.Hour)
		if next, _ := p.StageAfter(d.Stage); next == p.ClosedWon() && len(p.Guarantees()) > 0 {
			// The close presents a real, approved scope.
			sow, prop, f, err := buildScope(&d, at)
			if err != nil {
				panic(err)
			}
			d.Scope = sow.Ref(prop, f)
			if err := p.Close(&d, deal.Closing{Scope: sow, Proposal: prop, Feasibility: f}, rep, at); err != nil {
				panic(err)
			}
			continue
		}
		if err := p.Advance(&d, rep, at); err != nil {
			panic(err)
		}
	}
	return d, at
}

// requirements returns one requirement of every kind, stated at at.
func requirements(at time.Time) []scope.Requirement {
	src := scope.Source{Name: "Lee, RevOps", At: at}
	return []scope.Requirement{
		{ID: "R1", Title: "forecasts live in spreadsheets", Kind: scope.KindCurrentState, Priority: scope.Should, Source: src},
		{ID: "R2", Title: "one weekly forecast for both teams", Kind: scope.KindFutureState, Priority: scope.Must, Source: src},
		{ID: "R3", Title: "deal desk approves discounts over 10%", Kind: scope.KindWorkflow, Priority: scope.Must, Source: src},
		{ID: "R4", Title: "import opportunities nightly", Kind: scope.KindIntegration, Priority: scope.Must, Source: src},
		{ID: "R5", Title: "accounts own many opportunities", Kind: scope.KindDataStructure, Priority: scope.Must, Source: src},
		{ID: "R6", Title: "deals in two currencies", Kind: scope.KindEdgeCase, Priority: scope.Should, Source: src},
		{ID: "R7", Title: "data stays in the EU", Kind: scope.KindConstraint, Priority: scope.Must, Source: src},
	}
}
