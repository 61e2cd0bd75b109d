package contract_test

import (
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/datetest"
	"github.com/accordhq/accord/internal/moneytest"
	"github.com/accordhq/accord/internal/scopetest"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// proc is the process of the deals contracts are created from.
var proc = deal.Default()

var (
	rep     = accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	lead    = accord.Actor{ID: "u-9", Name: "Ravi", Role: accord.RoleImplementationLead}
	client  = accord.Actor{ID: "c-1", Name: "Dana", Role: accord.RoleClient}
	finance = accord.Actor{ID: "u-4", Name: "Femi", Role: accord.RoleFinance}
)

var usd = moneytest.USD

func hours(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// wonDeal returns deal-42 as a host stores it after it closed won on
// 27 February 2026.
func wonDeal() *deal.Deal {
	at := func(day int) time.Time { return time.Date(2026, 2, day, 10, 0, 0, 0, time.UTC) }
	return &deal.Deal{
		ID: "deal-42", AccountID: "acc-17", Account: "Northwind Logistics", Owner: rep.ID,
		Value: usd("48000.00"), Stage: deal.StageHandoff, StageEnteredAt: at(27), Version: 6,
		Commercials: deal.Commercials{
			ImplementationStart: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			FinalPrice:          usd("48000.00"), TermMonths: 12, Concessions: "none",
		},
		History: []deal.Event{
			{Kind: deal.EventOpen, To: deal.StageTargeting, At: at(2), By: rep},
			{Kind: deal.EventAdvance, From: deal.StageTargeting, To: deal.StageQualification, At: at(3), By: rep},
			{Kind: deal.EventAdvance, From: deal.StageQualification, To: deal.StageDiscovery, At: at(5), By: rep},
			{Kind: deal.EventAdvance, From: deal.StageDiscovery, To: deal.StageSolutionAlignment, At: at(12), By: rep},
			{Kind: deal.EventAdvance, From: deal.StageSolutionAlignment, To: deal.StageBusinessCase, At: at(16), By: rep},
			{Kind: deal.EventAdvance, From: deal.StageBusinessCase, To: deal.StageProposal, At: at(20), By: rep},
			{Kind: deal.EventWon, From: deal.StageProposal, To: deal.StageHandoff, At: at(27), By: rep, Scope: &closedOn},
		},
	}
}

// closedOn is the revision of deal-42's scope it closed on: revision 1 of
// approvedSOW, as deal.Process.Close records it.
var closedOn = deal.ScopeRevision{ID: "sow-1", Revision: 1, Digest: approvedSOW().Review.Digest}

// withLoc returns a with the location the deal's implementation start is
// read in.
func withLoc(a contract.Agreement, loc *time.Location) contract.Agreement {
	a.Location = loc
	return a
}

// recorded sets d's stage, its entry time, version and loss from its
// history, as the process does when it records a move.
func recorded(d *deal.Deal) {
	last := d.History[len(d.History)-1]
	d.Stage, d.StageEnteredAt, d.Version, d.Loss = last.To, last.At, len(d.History)-1, nil
	if last.Kind == deal.EventLost {
		d.Loss = &deal.Loss{Reason: last.LossReason, Stage: last.From, Note: last.Reason}
	}
}

// approvedSOW returns deal-42's Scope of Work, approved by the
// implementation lead and then the client.
func approvedSOW() *scope.SOW {
	said := scope.Source{Name: "Dana Ruiz", At: time.Date(2026, 2, 10, 15, 0, 0, 0, time.UTC)}
	s := &scope.SOW{
		ID: "sow-1", DealID: "deal-42", Title: "Northwind pipeline rollout",
		Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Requirements: []scope.Requirement{
			{ID: "R1", Title: "One pipeline for both teams", Kind: scope.KindFutureState, Priority: scope.Must, Source: said},
			{ID: "R2", Title: "Nightly ERP import", Kind: scope.KindIntegration, Priority: scope.Must, Source: said},
		},
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline"}, {ID: "erp-sync", Name: "ERP sync"}},
		Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(4), Unit: "hours", Per: "week"}},
		Price:        usd("48000.00"),
		Steps: []scope.Step{
			{ID: "configure", Offset: 0, Days: 3, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure, Requirements: []string{"R1"}, Effort: hours(24), Owner: "consultant"},
			{ID: "integrate", Offset: 3, Days: 2, Activity: scope.ActivityIntegration, Phase: scope.PhaseIntegrate, Requirements: []string{"R2"}, Effort: hours(16), Owner: "engineer", DependsOn: []string{"configure"}},
			{ID: "train", Offset: 5, Days: 1, Activity: scope.ActivityTraining, Phase: scope.PhaseTrain, Effort: hours(6), Owner: "consultant", DependsOn: []string{"integrate"}},
		},
	}
	now := time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)
	for _, err := range []error{
		s.Open(rep, now), s.Submit(accord.Calendar{}, rep, now.Add(time.Hour)),
		s.ApproveAsLead(scopetest.LeadReview(s), lead, now.Add(2*time.Hour)), s.ApproveAsClient(1, client, now.Add(3*time.Hour)),
	} {
		if err != nil {
			panic(err)
		}
	}
	return s
}

var created = time.Date(2026, 2, 27, 12, 0, 0, 0, time.UTC)

func terms() contract.Agreement {
	return contract.Agreement{
		ID: "ctr-1", Vendor: contract.Party{ID: "accord", Name: "Accord Inc."},
		Billing: contract.BillingAnnual, Commitment: contract.CommitTerm, AutoRenew: false, NoticeDays: 30,
	}
}

// drawTerms draws terms that start in a year from fromYear to toYear and
// run 1 to maxMonths months, with a renewal window of 1 to maxWindow days
// and a notice period of 0 to maxNotice days, shorter than the window.
func drawTerms(t *rapid.T, fromYear, toYear, maxMonths, maxWindow, maxNotice int) contract.Agreement {
	t.Helper()
	tm := terms()
	tm.Start = datetest.Gen(fromYear, toYear).Draw(t, "start")
	tm.Months = rapid.IntRange(1, maxMonths).Draw(t, "months")
	tm.WindowDays = rapid.IntRange(1, maxWindow).Draw(t, "window")
	tm.NoticeDays = rapid.IntRange(0, min(maxNotice, tm.WindowDays-1)).Draw(t, "notice")
	return tm
}

// tb is what the fixtures need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

// signed creates a contract on the agreement a from deal-42 and its
// approved scope, signed by rep at created, and fails the test when it
// cannot.
func signed(t tb, a contract.Agreement) contract.Contract {
	t.Helper()
	c, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, a, rep, created)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newContract creates ctr-1 from deal-42: a 12-month term from 2 March 2026.
func newContract() contract.Contract {
	c, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, terms(), rep, created)
	if err != nil {
		panic(err)
	}
	return c
}
