package hosttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/internal/moneytest"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var (
	rep     = accord.Actor{ID: "u-rep", Role: accord.RoleSalesRep}
	rep2    = accord.Actor{ID: "u-rep2", Role: accord.RoleSalesRep}
	manager = accord.Actor{ID: "u-mgr", Role: accord.RoleSalesManager}
	lead1   = accord.Actor{ID: "u-lead1", Role: accord.RoleImplementationLead}
	lead2   = accord.Actor{ID: "u-lead2", Role: accord.RoleImplementationLead}
	client1 = accord.Actor{ID: "c-1", Role: accord.RoleClient}
	client2 = accord.Actor{ID: "c-2", Role: accord.RoleClient}
	admin   = accord.Actor{ID: "u-admin", Role: accord.RoleAdmin}
	finance = accord.Actor{ID: "u-fin", Role: accord.RoleFinance}
	// impostors are people acting in a role they also hold elsewhere: the
	// author as a client, a lead as a client, a client as a lead.
	impostors = []accord.Actor{
		{ID: "u-rep", Role: accord.RoleClient}, {ID: "u-lead1", Role: accord.RoleClient},
		{ID: "c-1", Role: accord.RoleImplementationLead}, {ID: " u-rep ", Role: accord.RoleImplementationLead},
	}
	everyone = append([]accord.Actor{rep, rep2, manager, lead1, lead2, client1, client2, admin, finance}, impostors...)
)

// process is a short process that keeps both scope guarantees: the
// proposal's exit asks for the approved, settled scope, and handoff is
// Closed Won.
func process(t *rapid.T) *deal.Process {
	p, err := deal.NewProcess(deal.Config{ID: "host", Stages: []deal.Stage{
		{ID: "qualify", Name: "Qualify"},
		{ID: "proposal", Name: "Proposal", Exit: []deal.Criterion{
			{ID: "scope_approved", Description: "Scope approved.", Rule: deal.ScopeApproved()},
			{ID: "discrepancies_resolved", Description: "Discrepancies decided.", Rule: deal.DiscrepanciesResolved()},
		}},
		{ID: "handoff", Name: "Handoff"},
	}, ClosedWon: "handoff"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var usd = moneytest.USD

// host is the state a careless host keeps: one deal, its scope and
// proposal, a stale copy of the scope it may present, and the contract.
type host struct {
	p     *deal.Process
	d     deal.Deal
	sow   *scope.SOW
	stale *scope.SOW
	prop  scope.Proposal
	cal   accord.Calendar
	team  scope.Capacity
	ctr   *contract.Contract
	now   time.Time
	n     int // contracts made
	pay   *policy.Set
}

func (h *host) feas() scope.Feasibility {
	f, _ := h.sow.Feasibility(h.cal, h.team)
	return f
}

// snapshot is the JSON of everything the host stores.
func (h *host) snapshot() string {
	raw, err := json.Marshal([]any{h.d, h.sow, h.ctr})
	if err != nil {
		panic(err)
	}
	return string(raw)
}

// call runs a public call and, when it is refused, checks that it changed
// nothing.
func (h *host) call(t *rapid.T, name string, f func() error) error {
	before := h.snapshot()
	err := f()
	if err != nil {
		if diff := cmp.Diff(before, h.snapshot()); diff != "" {
			t.Fatalf("%s refused (%v) but changed the stored state (-before +after):\n%s", name, err, diff)
		}
		if !errors.Is(err, accord.ErrInvalid) && !errors.Is(err, accord.ErrForbidden) && !errors.Is(err, accord.ErrConflict) && !errors.Is(err, accord.ErrBlocked) {
			t.Fatalf("%s: %v wraps none of the sentinels", name, err)
		}
	}
	return err
}

func actor(t *rapid.T) accord.Actor { return rapid.SampledFrom(everyone).Draw(t, "by") }

// TestCarelessHost: random sequences of every public call a host makes
// across deal, scope, contract and policy, by any actor. After every step:
//
//   - a won deal closed on a recorded revision of its scope, which was
//     then the current one, approved by the lead and then the client, with
//     every discrepancy decided; its contract (if any) is made from that
//     very revision, in the scope's currency;
//   - a deal records a contract only while it is won;
//   - payment (payment_after_client_approval) is allowed exactly when the
//     scope's current revision is approved by the lead and then the client;
//   - no person approved the scope in two roles, and its author never
//     approved it;
//   - a refused call changed nothing.
func TestCarelessHost(t *testing.T) {
	var seen struct{ closes, contracts, undone, refunds int }
	defer func() {
		// The sequences must reach the promises they check.
		t.Logf("closes %d, contracts %d, wins undone with the contract ended %d, refunds %d", seen.closes, seen.contracts, seen.undone, seen.refunds)
		if seen.closes == 0 || seen.contracts == 0 {
			t.Errorf("the random hosts never closed (%d) or never made a contract (%d)", seen.closes, seen.contracts)
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		pay, err := policy.NewSet(policy.PaymentAfterClientApproval())
		if err != nil {
			t.Fatal(err)
		}
		h := &host{p: process(t), pay: pay, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
			cal: accord.Calendar{}, team: scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": decimal.NewFromInt(8)}}}
		h.d = deal.Deal{ID: "d-1", Owner: rep.ID, Account: "Northwind"}
		if err := h.p.Open(&h.d, rep, h.now); err != nil {
			t.Fatal(err)
		}
		h.sow = &scope.SOW{
			ID: "sow-1", DealID: "d-1", Start: time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC),
			Requirements: []scope.Requirement{{ID: "R1", Title: "one pipeline", Kind: scope.KindFutureState, Priority: scope.Must, Source: scope.Source{Name: "Lee", At: h.now}}},
			Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Pipeline"}},
			Price:        usd("48000.00"),
			Steps:        []scope.Step{{ID: "s1", Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure, Requirements: []string{"R1"}, Effort: decimal.NewFromInt(8), Owner: "consultant"}},
		}
		if err := h.sow.Open(rep, h.now); err != nil {
			t.Fatal(err)
		}
		h.stale = jsontest.Copy(t, h.sow)
		h.prop = scope.Proposal{ID: "prop-1", DealID: "d-1", Deliverables: h.sow.Deliverables, Price: h.sow.Price}
		h.d.Commercials.TermMonths = 12
		h.d.Commercials.ImplementationStart = h.sow.Start

		actions := map[string]func(*rapid.T){
			"wait": func(t *rapid.T) {
				h.now = h.now.Add(time.Duration(rapid.IntRange(0, 3*24*60).Draw(t, "minutes")) * time.Minute)
			},
			"advance": func(t *rapid.T) {
				_ = h.call(t, "advance", func() error { return h.p.Advance(&h.d, actor(t), h.now) })
			},
			"close": func(t *rapid.T) {
				presented := h.sow
				if rapid.Bool().Draw(t, "present_stale") {
					presented = h.stale
				}
				// The close judges the scope it is shown against the
				// deal's reference. A stale copy stands for the scope in
				// two cases: it records the same review as the current
				// document (which the host edited without recording a
				// revision: the recorded revision is still the copy's), or
				// it is an earlier revision shown with a reference that was
				// not refreshed since (the documented gap: nothing the
				// library is shown tells of the later revision; a host's
				// lock on the stored scope refuses it). Every other close
				// is held to the current document.
				judged := h.sow
				if presented == h.stale && (cmp.Equal(h.stale.Review, h.sow.Review) ||
					h.stale.Review.Revision < h.sow.Review.Revision && h.d.Scope.Revision == h.stale.Review.Revision) {
					judged = h.stale
				}
				approved, settled, rev := judged.Approved(), judged.Settled(h.prop, h.feas()), judged.Review.Revision
				err := h.call(t, "close", func() error {
					return h.p.Close(&h.d, deal.Closing{Scope: presented, Proposal: h.prop, Feasibility: h.feas()}, actor(t), h.now)
				})
				if err == nil {
					seen.closes++
					on, _ := h.d.ClosedOn()
					if !approved || !settled || on.Revision != rev || on.ID != h.sow.ID || on.Digest != judged.Review.Digest {
						t.Fatalf("closed on %+v while the scope is at revision %d, approved %v, settled %v", on, rev, approved, settled)
					}
				}
			},
			"revert": func(t *rapid.T) {
				to := rapid.SampledFrom([]deal.StageID{"qualify", "proposal", "handoff"}).Draw(t, "to")
				var opts []deal.MoveOption
				if h.ctr != nil && rapid.Bool().Draw(t, "present_contract") {
					opts = append(opts, deal.WithContract(h.ctr))
				}
				had := h.d.ContractID
				if h.call(t, "revert", func() error { return h.p.Revert(&h.d, to, "new information", actor(t), h.now, opts...) }) == nil && had != "" && h.d.ContractID == "" {
					seen.undone++
				}
			},
			"lose": func(t *rapid.T) {
				var opts []deal.MoveOption
				if h.ctr != nil && rapid.Bool().Draw(t, "present_contract") {
					opts = append(opts, deal.WithContract(h.ctr))
				}
				had := h.d.ContractID
				if h.call(t, "lose", func() error { return h.p.Lose(&h.d, deal.LossPrice, "", actor(t), h.now, opts...) }) == nil && had != "" {
					seen.undone++
				}
			},
			"reopen": func(t *rapid.T) {
				to := rapid.SampledFrom([]deal.StageID{"qualify", "proposal", "handoff"}).Draw(t, "to")
				_ = h.call(t, "reopen", func() error { return h.p.Reopen(&h.d, to, "back", actor(t), h.now) })
			},
			"edit_deal": func(t *rapid.T) {
				// A careless edit: sometimes one that makes the deal invalid.
				h.d.Commercials.TermMonths = rapid.IntRange(-1, 24).Draw(t, "term_months")
			},
			"edit_scope": func(t *rapid.T) {
				h.sow.Assumptions = append(h.sow.Assumptions, fmt.Sprintf("assumption %d", len(h.sow.Assumptions)))
			},
			"edit_price": func(t *rapid.T) {
				h.sow.Price = rapid.SampledFrom([]accord.Money{usd("48000.00"), usd("45000.00")}).Draw(t, "price")
			},
			"revise": func(t *rapid.T) { _ = h.call(t, "revise", func() error { return h.sow.Revise(actor(t), h.now) }) },
			"submit": func(t *rapid.T) {
				_ = h.call(t, "submit", func() error { return h.sow.Submit(h.cal, actor(t), h.now) })
			},
			"send_back": func(t *rapid.T) {
				_ = h.call(t, "send back", func() error {
					return h.sow.RequestChanges([]scope.Comment{{Text: "split the step"}}, actor(t), h.now)
				})
			},
			"approve_lead": func(t *rapid.T) {
				rev := h.sow.Review.Revision - rapid.IntRange(0, 1).Draw(t, "older")
				_ = h.call(t, "approve as lead", func() error {
					return h.sow.ApproveAsLead(scope.LeadReview{Revision: rev, Calendar: h.cal, Capacity: h.team}, actor(t), h.now)
				})
			},
			"approve_client": func(t *rapid.T) {
				rev := h.sow.Review.Revision - rapid.IntRange(0, 1).Draw(t, "older")
				_ = h.call(t, "approve as client", func() error { return h.sow.ApproveAsClient(rev, actor(t), h.now) })
			},
			"refresh": func(t *rapid.T) { h.d.Scope = h.sow.Ref(h.prop, h.feas()) },
			"keep_stale": func(t *rapid.T) {
				h.stale = jsontest.Copy(t, h.sow)
			},
			"proposal_price": func(t *rapid.T) {
				h.prop.Price = rapid.SampledFrom([]accord.Money{usd("48000.00"), usd("45000.00")}).Draw(t, "proposal_price")
			},
			"decide": func(t *rapid.T) {
				ds := scope.Unresolved(scope.Reconcile(h.prop, h.sow, h.feas()))
				if len(ds) == 0 {
					t.Skip("nothing to decide")
				}
				d := rapid.SampledFrom(ds).Draw(t, "discrepancy")
				change := rapid.SampledFrom([]scope.Change{scope.ChangeProposal, scope.ChangeScope}).Draw(t, "change")
				_ = h.call(t, "decide", func() error { return h.sow.Resolve(h.prop, h.feas(), d, change, "decided", actor(t), h.now) })
			},
			"contract": func(t *rapid.T) {
				id := fmt.Sprintf("ctr-%d", h.n+1)
				var c contract.Contract
				err := h.call(t, "create contract", func() error {
					var err error
					c, err = contract.New(contract.Signing{Process: h.p, Deal: &h.d, Scope: h.sow, Proposal: h.prop},
						contract.Agreement{ID: id, Vendor: contract.Party{Name: "Accord"}, Billing: contract.BillingAnnual, Commitment: contract.CommitTerm}, actor(t), h.now)
					return err
				})
				if err == nil {
					seen.contracts++
					h.n++
					h.ctr = &c
				}
			},
			"refund": func(t *rapid.T) {
				if h.ctr == nil {
					t.Skip("no contract")
				}
				if h.call(t, "refund", func() error { _, err := h.ctr.RequestRefund("", actor(t), h.now); return err }) == nil {
					seen.refunds++
				}
			},
			"churn": func(t *rapid.T) {
				if h.ctr == nil {
					t.Skip("no contract")
				}
				_ = h.call(t, "churn", func() error { return h.ctr.Churn(contract.ChurnReasons()[0], "left", actor(t), h.now) })
			},
			"renew": func(t *rapid.T) {
				if h.ctr == nil {
					t.Skip("no contract")
				}
				_ = h.call(t, "renew", func() error { return h.ctr.Renew(12, h.ctr.Term.Value, actor(t), h.now) })
			},
			"": func(t *rapid.T) { h.check(t) },
		}
		// A diligent host does the right next thing with the right actor,
		// often enough that sequences reach the close, the contract and
		// the undoing of a win.
		for i := range 10 {
			actions[fmt.Sprintf("diligent_%d", i)] = func(t *rapid.T) {
				if h.diligent(t) {
					seen.closes++
				}
				if h.ctr != nil && h.ctr.Version == 0 && h.d.ContractID == h.ctr.ID && h.ctr.History[0].At.Equal(h.now) {
					seen.contracts++
				}
			}
		}
		t.Repeat(actions)
	})
}

// diligent makes the next move of the happy path, and reports whether it
// closed the deal.
func (h *host) diligent(t *rapid.T) bool {
	h.now = h.now.Add(time.Hour)
	r := &h.sow.Review
	f := h.feas()
	switch {
	case h.sow.Digest() != r.Digest:
		_ = h.call(t, "revise", func() error { return h.sow.Revise(rep, h.now) })
	case r.Status == scope.StatusDraft || r.Status == scope.StatusChangesRequested:
		_ = h.call(t, "submit", func() error { return h.sow.Submit(h.cal, rep, h.now) })
	case r.Status == scope.StatusSubmitted || r.Status == scope.StatusResubmitted:
		_ = h.call(t, "approve as lead", func() error {
			return h.sow.ApproveAsLead(scope.LeadReview{Revision: r.Revision, Calendar: h.cal, Capacity: h.team}, lead2, h.now)
		})
	case r.Status == scope.StatusLeadApproved:
		_ = h.call(t, "approve as client", func() error { return h.sow.ApproveAsClient(r.Revision, client2, h.now) })
	case len(scope.Unresolved(scope.Reconcile(h.prop, h.sow, f))) > 0:
		d := scope.Unresolved(scope.Reconcile(h.prop, h.sow, f))[0]
		_ = h.call(t, "decide", func() error { return h.sow.Resolve(h.prop, f, d, scope.ChangeScope, "proposal stands", manager, h.now) })
	case h.d.Commercials.TermMonths < 1:
		h.d.Commercials.TermMonths = 12
	case h.d.Stage == deal.StageLost:
		_ = h.call(t, "reopen", func() error { return h.p.Reopen(&h.d, "proposal", "back", rep, h.now) })
	case h.d.Stage == "qualify":
		_ = h.call(t, "advance", func() error { return h.p.Advance(&h.d, rep, h.now) })
	case h.d.Stage == "proposal":
		h.d.Scope = h.sow.Ref(h.prop, f)
		return h.call(t, "close", func() error {
			return h.p.Close(&h.d, deal.Closing{Scope: h.sow, Proposal: h.prop, Feasibility: f}, rep, h.now)
		}) == nil
	case h.p.Won(&h.d) && h.d.ContractID == "":
		id := fmt.Sprintf("ctr-%d", h.n+1)
		var c contract.Contract
		if h.call(t, "create contract", func() error {
			var err error
			c, err = contract.New(contract.Signing{Process: h.p, Deal: &h.d, Scope: h.sow, Proposal: h.prop},
				contract.Agreement{ID: id, Vendor: contract.Party{Name: "Accord"}, Billing: contract.BillingAnnual, Commitment: contract.CommitTerm}, rep, h.now)
			return err
		}) == nil {
			h.n++
			h.ctr = &c
		}
	}
	return false
}

// check asserts the promises that hold across the packages.
func (h *host) check(t *rapid.T) {
	won := h.p.Won(&h.d)
	on, closed := h.d.ClosedOn()
	for _, ev := range h.d.History {
		if ev.Kind == deal.EventWon && ev.Scope == nil {
			t.Fatalf("a won event without the scope it closed on: %+v", ev)
		}
	}
	if won && !closed {
		t.Fatalf("won without closing on a scope")
	}
	if h.d.ContractID != "" && !won {
		t.Fatalf("deal in %s records contract %q", h.d.Stage, h.d.ContractID)
	}
	if won && h.ctr != nil && h.d.ContractID == h.ctr.ID {
		s := h.ctr.Scope
		if s.SOW != on.ID || s.Revision != on.Revision || s.Digest != on.Digest {
			t.Fatalf("contract made from %s revision %d, the deal closed on %+v", s.SOW, s.Revision, on)
		}
		if h.ctr.Term.Value.Currency != h.sow.Price.Currency {
			t.Fatalf("contract in %s, scope in %s", h.ctr.Term.Value.Currency, h.sow.Price.Currency)
		}
	}
	if err := h.p.Verify(&h.d); err != nil {
		t.Fatalf("the deal the library recorded does not verify: %v", err)
	}
	if err := h.sow.Verify(); err != nil {
		t.Fatalf("the scope the library recorded does not verify: %v", err)
	}
	if h.ctr != nil {
		if err := h.ctr.Verify(); err != nil {
			t.Fatalf("the contract the library recorded does not verify: %v", err)
		}
	}

	// Payment only on a current, client-approved revision.
	approved := h.sow.Approved()
	r := &h.sow.Review
	if approved && (r.Lead == nil || r.Client == nil || r.Lead.Revision != r.Revision || r.Client.Revision != r.Revision ||
		r.Lead.Digest != h.sow.Digest() || r.Client.Digest != h.sow.Digest()) {
		t.Fatalf("approved without both approvals of the current content: %+v", r)
	}
	req := &policy.PaymentRequest{ID: "pay-1", DealID: h.d.ID, Amount: usd("1000.00"), RequestedAt: h.now, By: finance.ID}
	allowed := len(h.pay.Check(policy.Subject{Deal: &h.d, Payment: req, Scope: h.sow}, h.now)) == 0
	if allowed != approved {
		t.Fatalf("payment allowed %v, scope approved %v", allowed, approved)
	}

	// No person approved in two roles, and the author never approved.
	leads, clients := map[string]bool{}, map[string]bool{}
	for _, ev := range r.History {
		switch ev.Kind {
		case scope.EventLeadApproved:
			leads[ev.By.ID] = true
		case scope.EventClientApproved:
			clients[ev.By.ID] = true
		}
	}
	for id := range leads {
		if clients[id] || accord.Actor.Is(accord.Actor{ID: id}, r.Author) {
			t.Fatalf("%q approved as lead and as client, or wrote the scope (author %q)", id, r.Author)
		}
	}
	for id := range clients {
		if (accord.Actor{ID: id}).Is(r.Author) {
			t.Fatalf("the author %q approved for the client", id)
		}
	}
}
