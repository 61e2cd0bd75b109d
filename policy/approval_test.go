package policy_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
)

// TestPropEveryReaderAgreesOnApproved drives a scope through a random
// review (with unrecorded edits and forged stored approvals) and checks
// that every reader of "approved" gives scope.SOW.Approved's answer: the
// deal reference, the unified close gate, the payment policy against the
// reference and against the scope, closed_won_on_structure, and
// contract.New.
func TestPropEveryReaderAgreesOnApproved(t *testing.T) {
	payment := mustSet(policy.PaymentAfterClientApproval())
	structure := mustSet(policy.ClosedWonOnStructure())
	lead2 := accord.Actor{ID: "lead-2", Role: accord.RoleImplementationLead}
	byRole := map[string][]accord.Actor{
		"edit":   {gateRep, gateRep, gateLead},
		"lead":   {gateLead, lead2, gateRep},
		"client": {gateClient, gateClient, gateLead},
	}
	rapid.Check(t, func(t *rapid.T) {
		sow := gateSOW()
		at := fixNow.Add(-72 * time.Hour)
		for range rapid.IntRange(0, 14).Draw(t, "steps") {
			at = at.Add(time.Hour)
			action := rapid.SampledFrom([]string{"next", "next", "next", "next", "open", "submit", "request", "lead", "client", "edit", "revise", "forge"}).Draw(t, "action")
			if action == "next" { // the review's happy path, so that approvals are common
				action = map[scope.Status]string{"": "open", scope.StatusDraft: "submit", scope.StatusChangesRequested: "submit",
					scope.StatusSubmitted: "lead", scope.StatusResubmitted: "lead", scope.StatusLeadApproved: "client"}[sow.Review.Status]
			}
			switch action {
			case "open":
				_ = sow.Open(rapid.SampledFrom(byRole["edit"]).Draw(t, "by"), at)
			case "submit":
				_ = sow.Submit(accord.Calendar{}, rapid.SampledFrom(byRole["edit"]).Draw(t, "by"), at)
			case "request":
				_ = sow.RequestChanges([]scope.Comment{{Text: "give it more days"}}, rapid.SampledFrom(byRole["lead"]).Draw(t, "by"), at)
			case "lead":
				_ = sow.ApproveAsLead(leadReview(&sow), rapid.SampledFrom(byRole["lead"]).Draw(t, "by"), at)
			case "client":
				_ = sow.ApproveAsClient(sow.Review.Revision, rapid.SampledFrom(byRole["client"]).Draw(t, "by"), at)
			case "edit": // not recorded
				sow.Steps[0].Days = rapid.IntRange(1, 3).Draw(t, "days")
			case "revise":
				_ = sow.Revise(rapid.SampledFrom(byRole["edit"]).Draw(t, "by"), at)
			case "forge": // a stored review claiming what did not happen
				r := &sow.Review
				switch rapid.IntRange(0, 3).Draw(t, "forgery") {
				case 0:
					r.Status = scope.StatusClientApproved
				case 1:
					if r.Lead != nil {
						r.Lead.By = gateRep
					}
				case 2:
					if r.Client != nil {
						r.Client.At = r.Client.At.Add(-240 * time.Hour)
					}
				case 3:
					r.Status = scope.StatusLeadApproved
				}
			}
		}
		approved := sow.Approved()
		if approved != (sow.Approvals() == scope.ApprovalsLeadAndClient) {
			t.Fatalf("Approved %v, Approvals %s", approved, sow.Approvals())
		}

		ref := sow.Ref(scope.Proposal{DealID: "d-1"}, scope.Feasibility{})
		if ref.Approved() != approved || ref.Approvals != sow.Approvals() {
			t.Fatalf("ref approved %v (%s), scope approved %v (%s)", ref.Approved(), ref.Approvals, approved, sow.Approvals())
		}
		d := cleanDeal()
		d.Scope = ref
		if got := deal.ScopeApproved().Met(d, fixNow); got != approved {
			t.Fatalf("deal gate scope_approved met %v, scope approved %v", got, approved)
		}

		pay := &policy.PaymentRequest{ID: "pay-1", DealID: "d-1", Amount: usd("100"), RequestedAt: fixNow, By: "fin-1"}
		// The reference alone never allows a payment: the scope must be presented.
		if vs := payment.Check(policy.Subject{Deal: d, Payment: pay}, fixNow); len(vs) != 1 || vs[0].Field != "scope" {
			t.Fatalf("payment against the reference alone: %v; want one violation on scope", vs)
		}
		if got := payment.Check(policy.Subject{Deal: d, Payment: pay, Scope: &sow}, fixNow) == nil; got != approved {
			t.Fatalf("payment against the scope allowed %v, scope approved %v", got, approved)
		}
		onApprovals := slices.ContainsFunc(structure.Check(policy.Subject{Deal: d, Closing: true}, fixNow),
			func(v policy.Violation) bool { return v.Field == "deal.scope.approvals" })
		if onApprovals == approved {
			t.Fatalf("closed_won_on_structure objects to the approvals: %v, scope approved %v", onApprovals, approved)
		}

		won := cleanDeal()
		won.Scope = ref
		won.History = []deal.Event{{Kind: deal.EventOpen, To: deal.StageTargeting, At: fixNow.Add(-100 * time.Hour), By: gateRep}}
		stages := deal.Default().Stages()
		for i := 1; i < len(stages); i++ {
			kind := deal.EventAdvance
			if stages[i].ID == deal.StageHandoff {
				kind = deal.EventWon
			}
			won.History = append(won.History, deal.Event{Kind: kind, From: stages[i-1].ID, To: stages[i].ID, At: fixNow.Add(time.Duration(i-len(stages)) * time.Hour), By: gateRep})
		}
		// The deal closed on the scope's current recorded revision.
		for i := range won.History {
			if won.History[i].Kind == deal.EventWon {
				won.History[i].Scope = &deal.ScopeRevision{ID: sow.ID, Revision: sow.Review.Revision, Digest: sow.Review.Digest}
			}
		}
		last := won.History[len(won.History)-1]
		won.Stage, won.StageEnteredAt, won.Version = last.To, last.At, len(won.History)-1
		terms := contract.Agreement{ID: "c-1", Vendor: contract.Party{Name: "Accord Inc."}, Client: contract.Party{Name: "Northwind"},
			Billing: contract.BillingAnnual, Commitment: contract.CommitTerm, NoticeDays: 30}
		_, err := contract.New(contract.Signing{Process: deal.Default(), Deal: won, Scope: &sow}, terms, gateRep, fixNow)
		var blocked *accord.BlockedError
		switch {
		case approved && err != nil:
			t.Fatalf("contract.New refused an approved scope: %v", err)
		case !approved && (sow.Verify() != nil || sow.Digest() != sow.Review.Digest):
			// A scope that disagrees with its history, or has edits not
			// recorded, is a conflict before it is a refusal.
			if !errors.Is(err, accord.ErrConflict) {
				t.Fatalf("contract.New on a scope that disagrees with its history: %v, want ErrConflict", err)
			}
		case !approved && (!errors.As(err, &blocked) || !slices.ContainsFunc(blocked.Unmet, func(u accord.Unmet) bool { return u.Criterion == "scope_client_approved" })):
			t.Fatalf("contract.New on a scope that is not approved: %v, want a refusal naming scope_client_approved", err)
		}
	})
}
