package policy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var (
	gateRep    = accord.Actor{ID: "rep-1", Role: accord.RoleSalesRep}
	gateLead   = accord.Actor{ID: "lead-1", Role: accord.RoleImplementationLead}
	gateClient = accord.Actor{ID: "client-1", Role: accord.RoleClient}
)

// closeProcess is the smallest process with a close: proposal, then
// handoff (Closed Won), and nothing else to meet.
func closeProcess(t testing.TB) *deal.Process {
	t.Helper()
	p, err := deal.NewProcess(deal.Config{ID: "close", Name: "Close", ClosedWon: deal.StageHandoff, Stages: []deal.Stage{
		{ID: deal.StageProposal, Name: "Proposal", Exit: []deal.Criterion{{ID: "signed", Description: "Attach the signed agreement.", Rule: deal.HasArtifact(deal.ArtifactSignedAgreement)}}},
		{ID: deal.StageHandoff, Name: "Handoff"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGatedRefusesTheClose: a close is refused with the process's own unmet
// criteria first and then one unmet criterion per violation, and goes
// through once the violations are fixed.
func TestGatedRefusesTheClose(t *testing.T) {
	p, err := policy.Gated(closeProcess(t), defaultSet())
	if err != nil {
		t.Fatal(err)
	}
	d := cleanDeal()
	d.History = nil
	if err := p.Open(d, gateRep, fixNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.Quote.Discounts[0].OfferedAt = time.Date(2027, time.May, 12, 8, 0, 0, 0, time.UTC)
	d.Quote.Discounts = append(d.Quote.Discounts, deal.Discount{ID: "disc-9", Amount: usd("2000"), OfferedAt: time.Date(2027, time.March, 31, 9, 0, 0, 0, time.UTC)})
	d.Scope.Categories = nil
	before, _ := json.Marshal(d)

	err = p.Advance(d, gateRep, fixNow)
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) || !errors.Is(err, accord.ErrBlocked) {
		t.Fatalf("Advance: %v, want a *accord.BlockedError", err)
	}
	entry := func(id, field, msg string) accord.Unmet {
		return accord.Unmet{Criterion: "policy." + id, State: "handoff", Side: accord.SideEntry, Field: field, Message: msg}
	}
	want := &accord.BlockedError{Op: accord.OpMove, Subject: "d-1", From: "proposal", To: "handoff", Unmet: []accord.Unmet{
		{Criterion: "signed", State: "proposal", Side: accord.SideExit, Field: "artifacts", Message: "Attach the signed agreement."},
		entry(policy.IDClosedWonOnStructure, "scope.categories", "the Scope of Work names no categories of work; give its steps their activities"),
		entry(policy.IDNoPanicDiscounts, "quote.discounts[1].offered_at", "the discount was offered on 2027-03-31, in the last 10 days of the quarter ending 2027-03-31; no discounts in the last days of a period"),
		entry(policy.IDNoPanicDiscounts, "quote.discounts[1].concession", "the discount buys nothing; name the concession it buys: multi_year_term, reference, faster_signature or expanded_scope"),
	}}
	if diff := cmp.Diff(want, blocked); diff != "" {
		t.Fatalf("refusal (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Unmet, p.Unmet(d, fixNow)); diff != "" {
		t.Errorf("Unmet (-want +got):\n%s", diff)
	}
	if after, _ := json.Marshal(d); string(after) != string(before) {
		t.Fatalf("a refused close changed the deal:\n%s\n%s", before, after)
	}

	d.Artifacts = []deal.Artifact{{Kind: deal.ArtifactSignedAgreement, Ref: "docs/msa.pdf"}}
	d.Scope.Categories = []scope.Activity{scope.ActivityConfiguration}
	d.Quote.Discounts = d.Quote.Discounts[:1]
	if err := p.Advance(d, gateRep, fixNow); err != nil {
		t.Fatalf("Advance once the policies hold: %v", err)
	}
	if d.Stage != deal.StageHandoff {
		t.Fatalf("stage %s, want handoff", d.Stage)
	}
}

// TestGatedUnified: the gate lands on the entry of Unified's Closed Won
// stage, the process keeps its ID and name, writes itself as data that
// needs Rules to be read back, and passes the dealtest harness.
func TestGatedUnified(t *testing.T) {
	set := defaultSet()
	base := deal.Unified()
	p, err := policy.Gated(base, set)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Config().ID, base.Config().ID; got != want {
		t.Errorf("ID %q, want %q", got, want)
	}
	handoff, _ := p.Stage(deal.StageHandoff)
	var ids []string
	for _, c := range handoff.Entry {
		ids = append(ids, c.ID)
	}
	wantIDs := []string{"executed_contract",
		"policy.closed_won_on_structure", "policy.lead_response_sla", "policy.no_panic_discounts", "policy.no_quotas",
		"policy.payment_after_client_approval", "policy.refund_guarantee", "policy.single_edition"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("handoff entry criteria (-want +got):\n%s", diff)
	}

	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := deal.Load(data, deal.LoadOptions{}); err == nil {
		t.Error("Load without the policy rules succeeded")
	}
	back, err := deal.Load(data, deal.LoadOptions{Rules: policy.Rules(set)})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(data) {
		t.Error("a gated process read back writes different JSON")
	}
	dealtest.Run(t, p)
}

// TestGateOfNoSet: no set, no criteria.
func TestGateOfNoSet(t *testing.T) {
	if got := policy.Gate(nil); got != nil {
		t.Errorf("Gate(nil) = %v", got)
	}
	if got := len(policy.Rules(nil)); got != 0 {
		t.Errorf("Rules(nil) has %d rules", got)
	}
	if _, err := policy.Gated(nil, defaultSet()); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("Gated(nil): %v", err)
	}
	once, err := policy.Gated(deal.Default(), mustSet(policy.NoQuotas()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = policy.Gated(once, defaultSet())
	const want = `process.stages[6].entry[1]: the process is gated already (criterion "policy.no_quotas"); gate the process it was derived from`
	if err == nil || err.Error() != want {
		t.Errorf("gating twice: %v, want %s", err, want)
	}
}

// gateSOW is a small scope for deal d-1 that can be submitted.
func gateSOW() scope.SOW {
	h := decimal.NewFromInt
	return scope.SOW{
		ID: "sow-1", DealID: "d-1", Title: "Rollout", Start: time.Date(2027, time.June, 7, 0, 0, 0, 0, time.UTC),
		Requirements: []scope.Requirement{{ID: "R1", Title: "One pipeline", Kind: scope.KindFutureState, Priority: scope.Must, Source: scope.Source{Name: "Dana", At: fixNow.Add(-7 * 24 * time.Hour)}}},
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Pipeline", Requirements: []string{"R1"}}},
		Price:        usd("48000"),
		Steps: []scope.Step{
			{ID: "configure", Offset: 0, Days: 2, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure, Requirements: []string{"R1"}, Effort: h(8), Owner: "consultant"},
		},
	}
}

// TestPaymentAgainstTheScope follows a scope through its review: payment is
// refused until the client approves the current revision, allowed then,
// and refused again once an edit makes a new revision.
func TestPaymentAgainstTheScope(t *testing.T) {
	set := mustSet(policy.PaymentAfterClientApproval())
	sow := gateSOW()
	pay := &policy.PaymentRequest{ID: "pay-1", DealID: "d-1", Amount: usd("24000"), RequestedAt: fixNow}
	check := func(want string) {
		t.Helper()
		got := ""
		if vs := set.Check(policy.Subject{Payment: pay, Scope: &sow}, fixNow); len(vs) > 0 {
			got = vs[0].Message
		}
		if got != want {
			t.Fatalf("violation %q, want %q", got, want)
		}
	}
	if err := sow.Open(gateRep, fixNow.Add(-6*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check(`the client has not approved revision 1 of Scope of Work "sow-1" (it is a draft); take payment only after the client approves`)
	if err := sow.Submit(accord.Calendar{}, gateRep, fixNow.Add(-5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check(`the client has not approved revision 1 of Scope of Work "sow-1" (it is submitted); take payment only after the client approves`)
	if err := sow.ApproveAsLead(leadReview(&sow), gateLead, fixNow.Add(-4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check(`the client has not approved revision 1 of Scope of Work "sow-1" (it is lead approved); take payment only after the client approves`)
	err := set.Allow(policy.Subject{Payment: pay, Scope: &sow}, fixNow)
	wantErr := &accord.BlockedError{Op: accord.OpPay, Subject: "pay-1", Unmet: []accord.Unmet{{Criterion: "policy.payment_after_client_approval", Field: "payment",
		Message: `the client has not approved revision 1 of Scope of Work "sow-1" (it is lead approved); take payment only after the client approves`}}}
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("Allow: %v", err)
	}
	if diff := cmp.Diff(wantErr, blocked); diff != "" {
		t.Fatalf("Allow (-want +got):\n%s", diff)
	}
	if err := sow.ApproveAsClient(sow.Review.Revision, gateClient, fixNow.Add(-3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("")
	if err := set.Allow(policy.Subject{Payment: pay, Scope: &sow}, fixNow); err != nil {
		t.Fatalf("Allow after the client's approval: %v", err)
	}
	sow.Steps[0].Days = 3 // an edit: the next revision is not approved
	check(`Scope of Work "sow-1" changed since revision 1 was recorded; record the change and take payment only after the client approves it`)
}

// TestGatedProcessRoundTrip: "A gated process marshals like any
// other; Rules gives deal.Load the named rules to read it back." The
// process read back must refuse the close with the same gaps.
func TestGatedProcessRoundTrip(t *testing.T) {
	set := defaultSet()
	p, err := policy.Gated(closeProcess(t), set)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := deal.Load(data, deal.LoadOptions{Rules: policy.Rules(set)})
	if err != nil {
		t.Fatalf("deal.Load: %v", err)
	}
	d := cleanDeal()
	d.History = nil
	if err := p.Open(d, gateRep, fixNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.Quote.Discounts[0].Concession = ""
	d.Scope.Approvals = scope.ApprovalsNone
	want := p.Unmet(d, fixNow)
	if len(want) < 3 {
		t.Fatalf("too few gaps to compare: %v", want)
	}
	if diff := cmp.Diff(want, back.Unmet(d, fixNow)); diff != "" {
		t.Errorf("gaps of the process read back (-original +loaded):\n%s", diff)
	}
}

// TestAllowMatchesGate: for a closing deal, Allow and the gate report
// the same criteria and messages, the gate's fields being Allow's with
// "deal." stripped.
func TestAllowMatchesGate(t *testing.T) {
	set := defaultSet()
	p, err := policy.Gated(closeProcess(t), set)
	if err != nil {
		t.Fatal(err)
	}
	d := cleanDeal()
	d.History = nil
	d.Artifacts = []deal.Artifact{{Kind: deal.ArtifactSignedAgreement, Ref: "x"}}
	if err := p.Open(d, gateRep, fixNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.Quote.Discounts[0].Concession = ""
	d.Quote.Lines[1].Edition = "pro"
	d.Quote.Lines[1].Price = usd("10")
	d.Scope.Categories = nil
	d.Commercials.TermMonths = 0
	d.Lead.FirstTouchAt = d.Lead.ReceivedAt.Add(time.Hour)
	err = set.Allow(policy.Subject{Deal: d, Closing: true}, fixNow)
	var allowed *accord.BlockedError
	if !errors.As(err, &allowed) {
		t.Fatalf("Allow: %v", err)
	}
	var fromAllow []accord.Unmet
	for _, u := range allowed.Unmet {
		u.Field = strings.TrimPrefix(u.Field, "deal.")
		u.State, u.Side = "handoff", accord.SideEntry
		fromAllow = append(fromAllow, u)
	}
	if diff := cmp.Diff(fromAllow, p.Unmet(d, fixNow)); diff != "" {
		t.Errorf("Allow vs gate (-allow +gate):\n%s", diff)
	}
}

// TestDealtestWithQuotes runs the dealtest harness on a gated
// Unified process with deals whose quotes, leads and scope references are
// drawn too, so that the gate reports several violations per policy (one
// unmet criterion each) and the harness's invariants see them.
func TestDealtestWithQuotes(t *testing.T) {
	p, err := policy.Gated(deal.Unified(), defaultSet())
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2027, time.March, 20, 0, 0, 0, 0, time.UTC)
	dealtest.Run(t, p, dealtest.Populate(func(rt *rapid.T, d *deal.Deal) {
		n := rapid.IntRange(0, 3).Draw(rt, "discounts")
		for i := range n {
			d.Quote.Discounts = append(d.Quote.Discounts, deal.Discount{
				ID:         fmt.Sprint("disc-", i),
				Amount:     usd("100"),
				OfferedAt:  base.Add(time.Duration(rapid.IntRange(0, 40*24).Draw(rt, "hours")) * time.Hour),
				Concession: rapid.SampledFrom([]deal.Concession{"", deal.ConcessionMultiYear, deal.ConcessionReference, "bogus"}).Draw(rt, "concession"),
			})
		}
		for i := range rapid.IntRange(0, 3).Draw(rt, "lines") {
			d.Quote.Lines = append(d.Quote.Lines, deal.QuoteLine{Product: fmt.Sprint("p", i),
				Edition: rapid.SampledFrom([]string{"", "complete", "pro"}).Draw(rt, "edition"),
				AddOn:   rapid.Bool().Draw(rt, "add_on"), Price: usd("10")})
		}
		if rapid.Bool().Draw(rt, "inbound") {
			d.Lead = deal.Lead{Inbound: true, ReceivedAt: base, FirstTouchAt: base.Add(time.Duration(rapid.IntRange(0, 20).Draw(rt, "touch")) * time.Minute)}
		}
		if rapid.Bool().Draw(rt, "scoped") {
			approvals := scope.ApprovalsNone
			if rapid.Bool().Draw(rt, "approved") {
				approvals = scope.ApprovalsLeadAndClient
			}
			d.Scope = scope.Ref{ID: "sow", DealID: d.ID, Revision: 1, Approvals: approvals,
				Reconciled: approvals == scope.ApprovalsLeadAndClient,
				Categories: []scope.Activity{scope.ActivityConfiguration}}
		}
	}))
}

// TestGatedEmptySet: a process gated with no policy would look gated and
// check nothing, so Gated refuses it.
func TestGatedEmptySet(t *testing.T) {
	for name, set := range map[string]*policy.Set{"nil": nil, "empty": mustSet()} {
		if _, err := policy.Gated(deal.Default(), set); !errors.Is(err, accord.ErrInvalid) || !strings.Contains(err.Error(), "set: is empty") {
			t.Errorf("%s set: Gated = %v; want ErrInvalid, the set is empty", name, err)
		}
	}
}
