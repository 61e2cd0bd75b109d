package policy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/internal/moneytest"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// fixNow is the time of the checks in the fixtures: mid-May, far from any
// period end.
var fixNow = time.Date(2027, time.May, 12, 10, 0, 0, 0, time.UTC)

var usd = moneytest.USD

// cleanDeal returns a realistic deal about to close that breaks no built-in
// policy: one edition quoted, a discount bought with a multi-year term and
// offered mid-month, an approved scope with its categories, a term and an
// implementation start, and an inbound lead answered in three minutes.
func cleanDeal() *deal.Deal {
	return &deal.Deal{
		ID: "d-1", Owner: "rep-1", Value: usd("48000"),
		Commercials: deal.Commercials{TermMonths: 24, ImplementationStart: time.Date(2027, time.June, 1, 0, 0, 0, 0, time.UTC), FinalPrice: usd("43000")},
		Lead:        deal.Lead{Inbound: true, ReceivedAt: time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC), FirstTouchAt: time.Date(2027, time.March, 1, 9, 3, 0, 0, time.UTC)},
		Quote: deal.Quote{ID: "q-1",
			Lines: []deal.QuoteLine{
				{Product: "accord", Edition: "complete", Price: usd("48000")},
				{Product: "onboarding", Edition: "complete", AddOn: true, Price: usd("0")},
			},
			Discounts: []deal.Discount{{ID: "disc-1", Amount: usd("5000"), OfferedAt: time.Date(2027, time.May, 10, 15, 0, 0, 0, time.UTC), By: "rep-1", Concession: deal.ConcessionMultiYear}},
		},
		Scope: scope.Ref{ID: "sow-1", DealID: "d-1", Revision: 3, Approvals: scope.ApprovalsLeadAndClient, Reconciled: true,
			Categories: []scope.Activity{scope.ActivityConfiguration, scope.ActivityTraining}},
	}
}

// cleanSubject returns a subject with every part set that breaks no
// built-in policy at fixNow.
func cleanSubject() policy.Subject {
	return policy.Subject{
		Deal:     cleanDeal(),
		Closing:  true,
		Discount: &deal.Discount{ID: "disc-2", Amount: usd("1000"), OfferedAt: time.Date(2027, time.May, 11, 11, 0, 0, 0, time.UTC), By: "rep-1", Concession: deal.ConcessionReference},
		Payment:  &policy.PaymentRequest{ID: "pay-1", DealID: "d-1", Amount: usd("21500"), RequestedAt: fixNow, By: "fin-1"},
		Scope:    cleanScope(),
		Refund:   &policy.RefundRequest{ID: "ref-1", ContractID: "c-1", Amount: usd("21500"), RequestedAt: fixNow.Add(-2 * time.Hour), GrantedAt: fixNow.Add(-2 * time.Hour)},
		Terms:    &policy.ProposedTerms{ID: "terms-1"},
		Plan:     &policy.Plan{ID: "plan-1", Owner: "vp-1", Targets: []policy.Target{{Assignee: "mid-market team", Team: true, Period: accord.PeriodQuarter, Amount: usd("900000")}}},
		Catalog: &policy.Catalog{ID: "cat-1", Features: []string{"pipeline", "scope", "contracts"},
			Editions: []policy.Edition{{Name: "complete", Features: []string{"pipeline", "scope", "contracts"}}},
			AddOns:   []policy.AddOn{{Name: "onboarding"}}},
	}
}

// cleanScope returns the deal's Scope of Work, sow-1 for d-1, approved by
// the implementation lead and then the client at revision 3, the revision
// cleanDeal's reference records: the document a payment is checked against.
func cleanScope() *scope.SOW { return reviewedScope(true) }

// draftScope returns sow-1 for d-1 as sales drafts it, gathered at at and
// starting that day, before any review: one requirement, one deliverable,
// one step.
func draftScope(at time.Time) *scope.SOW {
	return &scope.SOW{
		ID: "sow-1", DealID: "d-1", Title: "rollout",
		Start:        time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC),
		Requirements: []scope.Requirement{{ID: "R1", Title: "one pipeline", Kind: scope.KindFutureState, Priority: scope.Must, Source: scope.Source{Name: "Dana", At: at}}},
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline", Requirements: []string{"R1"}}},
		Price:        usd("48000"),
		Steps: []scope.Step{{ID: "configure", Days: 2, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure,
			Requirements: []string{"R1"}, Effort: decimal.NewFromInt(16), Owner: "consultant"}},
	}
}

// reviewedScope is cleanScope, with revision 3 approved by the client only
// when client is true (else by the implementation lead only).
func reviewedScope(client bool) *scope.SOW {
	at := fixNow.Add(-30 * 24 * time.Hour)
	sow := draftScope(at)
	rep := accord.Actor{ID: "rep-1", Role: accord.RoleSalesRep}
	lead := accord.Actor{ID: "lead-1", Role: accord.RoleImplementationLead}
	approver := accord.Actor{ID: "client-1", Role: accord.RoleClient}
	step := 0
	do := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	next := func() time.Time { step++; return at.Add(time.Duration(step) * time.Hour) }
	do(sow.Open(rep, next()))
	for rev := 1; rev <= 3; rev++ {
		if rev > 1 {
			sow.Steps[0].Days = rev + 1
			do(sow.Revise(rep, next()))
		}
		do(sow.Submit(accord.Calendar{}, rep, next()))
		do(sow.ApproveAsLead(leadReview(sow), lead, next()))
		if rev < 3 || client {
			do(sow.ApproveAsClient(rev, approver, next()))
		}
	}
	if sow.Approved() != client || sow.Review.Revision != 3 {
		panic(fmt.Sprintf("fixture: Approved %v at revision %d", sow.Approved(), sow.Review.Revision))
	}
	return sow
}

func defaultSet() *policy.Set {
	set, err := policy.Default(policy.DefaultOptions{Location: time.UTC, FiscalYearStart: time.January})
	if err != nil {
		panic(err)
	}
	return set
}

var pct = decimal.RequireFromString

// errorFields returns the sorted-as-reported "field: rule" lines of a Load or
// NewSet error, failing the test when err holds anything but field errors.
func errorFields(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, fe := range errtest.FieldErrors(t, err) {
		out = append(out, fe.Field)
	}
	return out
}
