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
// criterion holds at any time between at and 14 days later: what the sales
// stages ask for, as ExampleUnified records it ([recordSales]), a
// requirement of the one kind it leaves out, and what the stages after
// the close ask for.
func fill(d *deal.Deal, at time.Time) {
	recordSales(d, at)
	d.Discovery.Requirements = append(d.Discovery.Requirements, scope.Requirement{
		ID: "R7", Title: "data stays in the EU", Kind: scope.KindConstraint, Priority: scope.Must, Source: scope.Source{Name: "Lee, RevOps", At: at},
	})
	d.BusinessCase.Summary = "saves 2 FTE"
	d.Onboarding = deal.Onboarding{FirstMilestoneAt: at}
	d.Scope = scope.Ref{
		ID: "sow-1", DealID: d.ID, Revision: 2, Digest: "c0ffee", Approvals: scope.ApprovalsLeadAndClient, Reconciled: true,
	}
	d.Artifacts = append(d.Artifacts, deal.Artifact{Kind: deal.ArtifactSuccessPlan, Ref: "doc-3"})
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
