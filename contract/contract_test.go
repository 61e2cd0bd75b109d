package contract_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/internal/scopetest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
)

// unmetIDs returns the criteria a *accord.BlockedError in err lists.
func unmetIDs(t *testing.T, err error) []string {
	t.Helper()
	var b *accord.BlockedError
	if !errors.As(err, &b) {
		return nil
	}
	var ids []string
	for _, u := range b.Unmet {
		ids = append(ids, u.Criterion)
	}
	return ids
}

func TestNew(t *testing.T) {
	c := newContract()
	want := contract.Contract{
		ID: "ctr-1", DealID: "deal-42", Owner: rep.ID,
		Vendor: contract.Party{ID: "accord", Name: "Accord Inc."}, Client: contract.Party{ID: "acc-17", Name: "Northwind Logistics"},
		Billing: contract.BillingAnnual, Commitment: contract.CommitTerm,
		Since: accord.MakeDate(2026, 3, 2),
		Term: contract.Term{
			Start: accord.MakeDate(2026, 3, 2), End: accord.MakeDate(2027, 3, 1), Months: 12,
			Renewal: accord.MakeDate(2027, 3, 2), Value: usd("48000.00"),
		},
		NoticeDays: 30, WindowDays: 90,
		Scope: contract.Scope{
			SOW: "sow-1", Revision: 1, Digest: approvedSOW().Digest(),
			Categories:   []scope.Activity{scope.ActivityConfiguration, scope.ActivityIntegration, scope.ActivityTraining},
			Deliverables: []string{"pipeline", "erp-sync"},
			Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(4), Unit: "hours", Per: "week"}},
			Finish:       accord.MakeDate(2026, 3, 9), // six working days from Monday 2 March
		},
		WonAt:   time.Date(2026, 2, 27, 10, 0, 0, 0, time.UTC),
		Refund:  contract.RefundTerms{Basis: contract.RefundAllPaid},
		Status:  contract.StatusOnboarding,
		History: []contract.Event{{Kind: contract.EventCreated, To: contract.StatusOnboarding, By: rep, At: created}},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Fatalf("New (-want +got):\n%s", diff)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("a new contract does not validate: %v", err)
	}
}

func TestNewRefused(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *deal.Deal, s **scope.SOW, tm *contract.Agreement)
		unmet  []string
		fields []string
		// conflict is part of the ErrConflict message, when the deal and
		// the scope disagree with their histories or each other.
		conflict string
	}{
		{"deal not won", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.History = d.History[:len(d.History)-1]
			recorded(d)
		}, []string{"deal_won"}, nil, ""},
		{"won then reverted", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.History = append(d.History, deal.Event{Kind: deal.EventRevert, From: deal.StageHandoff, To: deal.StageProposal, At: created, By: lead, Reason: "scope changed"})
			recorded(d)
		}, []string{"deal_won"}, nil, ""},
		{"won then reverted, scope revised since", func(d *deal.Deal, s **scope.SOW, _ *contract.Agreement) {
			d.History = append(d.History, deal.Event{Kind: deal.EventRevert, From: deal.StageHandoff, To: deal.StageProposal, At: created, By: rep, Reason: "scope changed"})
			recorded(d)
			(*s).Assumptions = []string{"weekend work"}
			if err := (*s).Revise(rep, created); err != nil {
				t.Fatal(err)
			}
		}, []string{"deal_won", "scope_client_approved"}, nil, ""},
		{"won, reverted to proposal, won again", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.History = append(d.History,
				deal.Event{Kind: deal.EventRevert, From: deal.StageHandoff, To: deal.StageProposal, At: created, By: lead, Reason: "scope changed"},
				deal.Event{Kind: deal.EventWon, From: deal.StageProposal, To: deal.StageHandoff, At: created, By: rep, Scope: &closedOn},
				deal.Event{Kind: deal.EventLive, From: deal.StageHandoff, To: deal.StageLive, At: created, By: lead},
			)
			recorded(d)
			// Refused only for the missing term: the deal is won.
			d.Commercials.TermMonths = 0
		}, nil, []string{"months"}, ""},
		{"won again without presenting the scope", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.History = append(d.History,
				deal.Event{Kind: deal.EventRevert, From: deal.StageHandoff, To: deal.StageProposal, At: created, By: rep, Reason: "scope changed"},
				deal.Event{Kind: deal.EventWon, From: deal.StageProposal, To: deal.StageHandoff, At: created, By: rep},
			)
			recorded(d)
		}, nil, nil, "the deal closed without presenting a Scope of Work"},
		{"history out of step with the deal", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.Version = 3
			d.History[2].From = deal.StageTargeting
		}, nil, nil, `deal "deal-42" disagrees with its history: history[2].from`},
		{"stage the history does not support", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.Stage = deal.StageLive
		}, nil, nil, "stage: must be handoff, where the last event went; got live"},
		{"no scope", func(_ *deal.Deal, s **scope.SOW, _ *contract.Agreement) { *s = nil }, nil, []string{"signing.scope"}, ""},
		{"another deal's scope", func(_ *deal.Deal, s **scope.SOW, _ *contract.Agreement) { (*s).DealID = "deal-7" },
			nil, nil, `scope "sow-1" belongs to deal "deal-7"`},
		{"scope edited after approval, not recorded", func(_ *deal.Deal, s **scope.SOW, _ *contract.Agreement) {
			(*s).Assumptions = []string{"weekend work"}
		}, nil, nil, "the scope has edits not recorded as a revision"},
		{"scope revised after the close", func(_ *deal.Deal, s **scope.SOW, _ *contract.Agreement) {
			(*s).Assumptions = []string{"weekend work"}
			if err := (*s).Revise(rep, created); err != nil {
				t.Fatal(err)
			}
		}, nil, nil, `the deal closed on revision 1 of scope "sow-1", which is at revision 2 now`},
		{"approval without its review event", func(_ *deal.Deal, s **scope.SOW, _ *contract.Agreement) {
			(*s).Review.Client.By = accord.Actor{ID: "c-9", Role: accord.RoleClient}
		}, nil, nil, `the client approval of revision 1 by "c-9" has no matching review event`},
		{"scope only lead-approved", func(_ *deal.Deal, s **scope.SOW, _ *contract.Agreement) {
			*s = leadApprovedSOW()
		}, []string{"scope_client_approved"}, nil, ""},
		{"lost deal, unapproved scope, bad terms", func(d *deal.Deal, s **scope.SOW, tm *contract.Agreement) {
			d.History = append(d.History, deal.Event{Kind: deal.EventLost, From: deal.StageHandoff, To: deal.StageLost, At: created, By: rep, LossReason: deal.LossPrice})
			recorded(d)
			(*s).Review.Lead = nil
			tm.ID, tm.Billing, tm.NoticeDays = "", "weekly", -1
			d.Commercials.TermMonths = 0
			(*s).Entitlements[0].Per = "fortnight"
		}, nil, []string{"id", "months", "billing", "notice_days", "scope.entitlements[0].per"}, ""},
		{"lost deal, unapproved scope", func(d *deal.Deal, s **scope.SOW, tm *contract.Agreement) {
			d.History = append(d.History, deal.Event{Kind: deal.EventLost, From: deal.StageHandoff, To: deal.StageLost, At: created, By: rep, LossReason: deal.LossPrice})
			recorded(d)
			*s = leadApprovedSOW()
		}, []string{"deal_won", "scope_client_approved"}, nil, ""},
		{"notice as long as the window", func(_ *deal.Deal, _ **scope.SOW, tm *contract.Agreement) {
			tm.NoticeDays, tm.WindowDays = 60, 60
		}, nil, []string{"notice_days"}, ""},
		{"every term missing", func(d *deal.Deal, s **scope.SOW, tm *contract.Agreement) {
			// The value still comes from the scope's price.
			*tm = contract.Agreement{WindowDays: -1}
			*d = deal.Deal{ID: "deal-42", History: d.History, Stage: d.Stage, StageEnteredAt: d.StageEnteredAt, Version: d.Version}
		}, nil, []string{"id", "vendor.name", "client.name", "owner", "start", "months", "billing", "commitment", "window_days"}, ""},
		{"a second contract for the deal", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.ContractID = "ctr-0"
		}, nil, nil, `deal "deal-42" disagrees with its history: contract_id: must be "", the contract the history records; got "ctr-0"`},
		{"the deal's history records a contract already", func(d *deal.Deal, _ **scope.SOW, _ *contract.Agreement) {
			d.History = append(d.History, deal.Event{Kind: deal.EventContract, From: d.Stage, To: d.Stage, At: created, By: rep, Contract: "ctr-0"})
			d.Version, d.ContractID = len(d.History)-1, "ctr-0"
		}, nil, nil, `contract "ctr-1": create: the deal's history records contract "ctr-0" already`},
		{"the proposal's price stands, no proposal presented", func(d *deal.Deal, s **scope.SOW, _ *contract.Agreement) {
			*s = decidedSOW(t, scope.ChangeScope)
		}, nil, nil, "says the proposal's price, 45000.00 USD, stands: present that proposal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, s, tm := wonDeal(), approvedSOW(), terms()
			tt.edit(d, &s, &tm)
			before := *d
			c, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: s}, tm, rep, created)
			if err == nil {
				t.Fatalf("New succeeded; want a refusal")
			}
			if diff := cmp.Diff(contract.Contract{}, c); diff != "" {
				t.Errorf("a refused New returned a contract:\n%s", diff)
			}
			if diff := cmp.Diff(before, *d); diff != "" {
				t.Errorf("a refused New changed the deal:\n%s", diff)
			}
			if tt.unmet != nil {
				if diff := cmp.Diff(tt.unmet, unmetIDs(t, err)); diff != "" {
					t.Errorf("unmet (-want +got):\n%s", diff)
				}
			}
			// One class per error: invalid input first, then conflicts,
			// then the refusal.
			if got := errors.Is(err, accord.ErrBlocked); got != (tt.unmet != nil) {
				t.Errorf("errors.Is(err, ErrBlocked) = %v; want %v", got, tt.unmet != nil)
			}
			if got := errors.Is(err, accord.ErrInvalid); got != (tt.fields != nil) {
				t.Errorf("errors.Is(err, ErrInvalid) = %v; want %v (%v)", got, tt.fields != nil, err)
			}
			if got := errors.Is(err, accord.ErrConflict); got != (tt.conflict != "") || !strings.Contains(err.Error(), tt.conflict) {
				t.Errorf("got %v; want ErrConflict %v, saying %q", err, tt.conflict != "", tt.conflict)
			}
			var b *accord.BlockedError
			if errors.As(err, &b) && (b.Op != accord.OpCreateContract || b.Subject != "deal-42" || b.From != "" || b.To != "") {
				t.Errorf("refusal op %q subject %q from %q to %q; want create_contract of deal-42, no states", b.Op, b.Subject, b.From, b.To)
			}
			if diff := cmp.Diff(tt.fields, errtest.Fields(err)); diff != "" {
				t.Errorf("invalid fields (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

// TestNewValue: the contract's value is the price the client approved,
// the scope's, unless a recorded decision says the proposal's price stands;
// the deal records the contract.
func TestNewValue(t *testing.T) {
	for _, tt := range []struct {
		name   string
		sow    func() *scope.SOW
		final  accord.Money
		want   accord.Money
		change scope.Change
	}{
		{"the scope's price, not the deal's", approvedSOW, usd("50000.00"), usd("48000.00"), ""},
		{"the proposal changes: the scope's price stands", func() *scope.SOW { return decidedSOW(t, scope.ChangeProposal) }, usd("48000.00"), usd("48000.00"), scope.ChangeProposal},
		{"the scope changes: the proposal's price stands", func() *scope.SOW { return decidedSOW(t, scope.ChangeScope) }, usd("48000.00"), usd("45000.00"), scope.ChangeScope},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, s := wonDeal(), tt.sow()
			d.Commercials.FinalPrice = tt.final
			prop := scope.Proposal{ID: "prop-1", DealID: "deal-42", Price: usd("45000.00")}
			c, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: s, Proposal: prop}, terms(), rep, created)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Term.Value.Equal(tt.want) || c.Term.Value.Currency != s.Price.Currency {
				t.Errorf("value %s; want %s", c.Term.Value, tt.want)
			}
			if d.ContractID != c.ID {
				t.Errorf("deal records contract %q; want %q", d.ContractID, c.ID)
			}
		})
	}
}

// leadApprovedSOW is approvedSOW with the lead's approval only: the same
// revision and digest, not yet approved by the client.
func leadApprovedSOW() *scope.SOW {
	s := approvedSOW()
	s.Review = scope.Review{}
	now := time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)
	for _, err := range []error{s.Open(rep, now), s.Submit(accord.Calendar{}, rep, now.Add(time.Hour)), s.ApproveAsLead(scopetest.LeadReview(s), lead, now.Add(2*time.Hour))} {
		if err != nil {
			panic(err)
		}
	}
	return s
}

// decidedSOW is approvedSOW with a decision on the price discrepancy with
// a proposal at USD 45000.00: change says which side was to change.
func decidedSOW(t *testing.T, change scope.Change) *scope.SOW {
	s := approvedSOW()
	prop := scope.Proposal{ID: "prop-1", DealID: "deal-42", Price: usd("45000.00"),
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline"}, {ID: "erp-sync", Name: "ERP sync"}},
		Entitlements: s.Entitlements}
	for _, d := range scope.Reconcile(prop, s, scope.Feasibility{}) {
		if d.Kind == scope.PriceMismatch {
			if err := s.Resolve(prop, scope.Feasibility{}, d, change, "decided", accord.Actor{ID: "u-1", Role: accord.RoleSalesManager}, created); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(s.Review.Resolutions) != 1 {
		t.Fatalf("no price decision recorded: %+v", s.Review.Resolutions)
	}
	return s
}

func TestNewRoles(t *testing.T) {
	for _, r := range accord.Roles() {
		_, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, terms(), accord.Actor{ID: "x", Role: r}, created)
		allowed := r == accord.RoleSalesRep || r == accord.RoleSalesManager || r == accord.RoleAdmin
		if (err == nil) != allowed || (!allowed && !errors.Is(err, accord.ErrForbidden)) {
			t.Errorf("role %s: err = %v; allowed %v", r, err, allowed)
		}
	}
	if _, err := contract.New(contract.Signing{Process: proc, Deal: nil, Scope: nil}, terms(), rep, created); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("a nil deal: err = %v; want ErrInvalid", err)
	}
	if _, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, terms(), accord.Actor{}, time.Time{}); !cmp.Equal(errtest.Fields(err), []string{"by.id", "by.role", "at"}) {
		t.Errorf("no actor, no time: fields %v; want by.id, by.role, at", errtest.Fields(err))
	}
}

// TestNewLocation: the deal's implementation start is read as a day in the
// location given.
func TestNewLocation(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	for _, tt := range []struct {
		loc  *time.Location
		want accord.Date
	}{{time.UTC, accord.MakeDate(2026, 3, 1)}, {tokyo, accord.MakeDate(2026, 3, 2)}} {
		// Each contract is made from a fresh copy of the deal: the deal's
		// history records the contract made from it.
		d := wonDeal()
		d.Commercials.ImplementationStart = time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
		c, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: approvedSOW()}, withLoc(terms(), tt.loc), rep, created)
		if err != nil {
			t.Fatal(err)
		}
		if c.Since != tt.want {
			t.Errorf("in %v: since %s; want %s", tt.loc, c.Since, tt.want)
		}
	}
}

func TestMoves(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }
	live := func(c *contract.Contract) { c.GoLiveAt = day(3, 10) }
	tests := []struct {
		name   string
		from   contract.Status
		setup  func(c *contract.Contract)
		to     contract.Status
		at     time.Time
		by     accord.Actor
		reason string
		err    error
		unmet  []string
	}{
		{"go live without go-live", contract.StatusOnboarding, nil, contract.StatusActive, day(3, 9), lead, "live", accord.ErrBlocked, []string{"go_live_recorded"}},
		{"go-live in the future", contract.StatusOnboarding, func(c *contract.Contract) { c.GoLiveAt = day(3, 12) }, contract.StatusActive, day(3, 11), lead, "live", accord.ErrBlocked, []string{"go_live_recorded"}},
		{"go live", contract.StatusOnboarding, live, contract.StatusActive, day(3, 11), lead, "live", nil, nil},
		{"pause", contract.StatusActive, live, contract.StatusPaused, day(4, 1), rep, "seasonal shutdown", nil, nil},
		{"resume", contract.StatusPaused, live, contract.StatusActive, day(4, 1), rep, "back", nil, nil},
		{"flag risk", contract.StatusActive, live, contract.StatusAtRisk, day(4, 1), rep, "champion left", nil, nil},
		{"recover", contract.StatusAtRisk, live, contract.StatusActive, day(4, 1), rep, "new champion", nil, nil},
		{"pause from at risk", contract.StatusAtRisk, live, contract.StatusPaused, day(4, 1), rep, "x", accord.ErrConflict, nil},
		{"lapse before the end", contract.StatusActive, live, contract.StatusLapsed, time.Date(2027, 3, 1, 23, 0, 0, 0, time.UTC), rep, "no renewal", accord.ErrBlocked, []string{"term_ended"}},
		{"lapse after the end", contract.StatusAtRisk, live, contract.StatusLapsed, time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), rep, "no renewal", nil, nil},
		{"lapse an auto-renewing contract", contract.StatusActive, func(c *contract.Contract) { c.AutoRenew = true }, contract.StatusLapsed, day(3, 9), rep, "no renewal", accord.ErrBlocked, []string{"term_ended", "not_auto_renewing"}},
		{"lapse from onboarding", contract.StatusOnboarding, nil, contract.StatusLapsed, time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), rep, "x", accord.ErrConflict, nil},
		{"churn by Move", contract.StatusActive, live, contract.StatusChurned, day(4, 1), rep, "x", accord.ErrConflict, nil},
		{"refund by Move", contract.StatusActive, live, contract.StatusRefunded, day(4, 1), rep, "x", accord.ErrConflict, nil},
		{"out of lapsed", contract.StatusLapsed, live, contract.StatusActive, day(4, 1), rep, "x", accord.ErrConflict, nil},
		{"unknown status", contract.StatusActive, live, "gone", day(4, 1), rep, "x", accord.ErrConflict, nil},
		{"client moves", contract.StatusActive, live, contract.StatusPaused, day(4, 1), client, "x", accord.ErrForbidden, nil},
		{"no reason", contract.StatusActive, live, contract.StatusPaused, day(4, 1), rep, " ", accord.ErrInvalid, nil},
		{"before the last event", contract.StatusActive, live, contract.StatusPaused, day(2, 1), rep, "x", accord.ErrInvalid, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newContract()
			c.Status = tt.from
			if tt.setup != nil {
				tt.setup(&c)
			}
			before := jsontest.Copy(t, c)
			err := c.Move(tt.to, tt.reason, tt.by, tt.at)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("Move(%s → %s) = %v; want %v", tt.from, tt.to, err, tt.err)
			}
			if diff := cmp.Diff(tt.unmet, unmetIDs(t, err)); diff != "" {
				t.Errorf("unmet (-want +got):\n%s", diff)
			}
			if err != nil {
				if diff := cmp.Diff(before, c); diff != "" {
					t.Errorf("a refused move changed the contract:\n%s", diff)
				}
				return
			}
			last := c.History[len(c.History)-1]
			want := contract.Event{Kind: contract.EventStatus, From: tt.from, To: tt.to, Reason: tt.reason, By: tt.by, At: tt.at}
			if c.Status != tt.to || c.Version != 1 || !cmp.Equal(last, want) {
				t.Errorf("after the move: status %s, version %d, last event %+v; want %s, 1, %+v", c.Status, c.Version, last, tt.to, want)
			}
		})
	}
}

func TestNext(t *testing.T) {
	c := newContract()
	c.Status = contract.StatusActive
	got := c.Moves(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	var ids = map[contract.Status][]string{}
	for s, u := range got {
		ids[s] = nil
		for _, x := range u {
			ids[s] = append(ids[s], x.Criterion)
		}
	}
	want := map[contract.Status][]string{
		contract.StatusPaused: nil, contract.StatusAtRisk: nil, contract.StatusLapsed: {"term_ended"},
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("Next (-want +got):\n%s", diff)
	}
}

func TestFlag(t *testing.T) {
	c := newContract()
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	if err := c.Flag(contract.Expansion, true, "asked about a second region", rep, at); err != nil {
		t.Fatal(err)
	}
	if err := c.Flag(contract.Expansion, true, "again", rep, at); err != nil || c.Version != 1 {
		t.Fatalf("flagging again: err %v, version %d; want nil, 1", err, c.Version)
	}
	if err := c.Flag(contract.Dispute, true, "invoice 7 contested", finance, at); err != nil {
		t.Fatal(err)
	}
	if got := c.Conditions(at); !cmp.Equal(got, []contract.Condition{contract.Expansion, contract.Dispute}) {
		t.Errorf("conditions %v; want [expansion dispute]", got)
	}
	inWindow := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := c.Conditions(inWindow); !cmp.Equal(got, []contract.Condition{contract.InRenewalWindow, contract.Expansion, contract.Dispute}) {
		t.Errorf("conditions in the window %v", got)
	}
	err := c.Flag(contract.InRenewalWindow, true, "", client, time.Time{})
	if got := errtest.Fields(err); !cmp.Equal(got, []string{"at", "condition", "reason"}) {
		t.Errorf("bad flag: fields %v; want [at condition reason] (%v)", got, err)
	}
	if err := c.Flag(contract.Dispute, false, "settled", client, at); !errors.Is(err, accord.ErrForbidden) {
		t.Errorf("a client flag: %v; want ErrForbidden", err)
	}
}

func TestRefund(t *testing.T) {
	c := newContract()
	pay := func(id, amount string, at time.Time) {
		t.Helper()
		if err := c.RecordPayment(id, usd(amount), finance, at); err != nil {
			t.Fatal(err)
		}
	}
	pay("inv-1", "24000.00", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	pay("inv-2", "24000.00", time.Date(2026, 9, 2, 9, 0, 0, 0, time.UTC))
	if got := c.Paid(); !got.Equal(usd("48000.00")) {
		t.Errorf("paid %s; want 48000.00 USD", got)
	}
	at := time.Date(2026, 10, 5, 16, 0, 0, 0, time.UTC)
	r, err := c.RequestRefund("", client, at)
	if err != nil {
		t.Fatal(err)
	}
	want := contract.Refund{RequestedAt: at, GrantedAt: at, By: client, Basis: contract.RefundAllPaid, Amount: usd("48000.00")}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("refund (-want +got):\n%s", diff)
	}
	if c.Status != contract.StatusRefunded || !cmp.Equal(*c.Refunded, want) {
		t.Errorf("after the refund: status %s, refunded %+v", c.Status, c.Refunded)
	}
	before := jsontest.Copy(t, c)
	later := at.Add(time.Hour)
	for name, err := range map[string]error{
		"refund again": func() error { _, err := c.RequestRefund("again", client, later); return err }(),
		"renew":        c.Renew(12, usd("1.00"), rep, later),
		"auto-renew":   c.AutoRenewal(rep, later),
		"pay":          c.RecordPayment("inv-3", usd("1.00"), finance, later),
		"churn":        c.Churn(contract.ChurnPrice, "", rep, later),
	} {
		if !errors.Is(err, accord.ErrConflict) {
			t.Errorf("%s after a refund: %v; want ErrConflict", name, err)
		}
	}
	if diff := cmp.Diff(before, c); diff != "" {
		t.Errorf("refused actions changed the contract:\n%s", diff)
	}
	if err := c.RecordReference(contract.ReferenceReferral, "Dana Ruiz", "acc-9", "", rep, later); err != nil || c.Refunded.StillRefers == nil || !*c.Refunded.StillRefers {
		t.Errorf("RecordReference of a referral after the refund: %v, still refers %v", err, c.Refunded.StillRefers)
	}
}

func TestRefundCurrentTerm(t *testing.T) {
	tm := terms()
	tm.Refund.Basis = contract.RefundCurrentTerm
	tm.WindowDays, tm.NoticeDays = 30, 10
	c := signed(t, tm)
	// Paid at signing, before the first term starts: it is the first
	// term's payment.
	if err := c.RecordPayment("inv-1", usd("48000.00"), finance, created); err != nil {
		t.Fatal(err)
	}
	if got := c.RefundAmount(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)); !got.Equal(usd("48000.00")) {
		t.Errorf("refund in the first term %s; want 48000.00 USD", got)
	}
	steps := []error{
		c.Renew(12, usd("50000.00"), rep, time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)),
		c.RecordPayment("inv-2", usd("50000.00"), finance, time.Date(2027, 2, 20, 9, 0, 0, 0, time.UTC)),
		c.RecordPayment("inv-3", usd("100.00"), finance, time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)),
	}
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		at   time.Time
		want accord.Money
	}{
		// Renewed early: the first term is still in force, and the
		// prepayment of the next one is paid back with it.
		{time.Date(2027, 2, 25, 9, 0, 0, 0, time.UTC), usd("98100.00")},
		// The second term has started: what was paid since its renewal.
		{time.Date(2027, 3, 5, 9, 0, 0, 0, time.UTC), usd("50100.00")},
	} {
		if got := c.RefundAmount(tt.at); !got.Equal(tt.want) {
			t.Errorf("refund of the current term at %s: %s; want %s", tt.at.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestRecordPaymentRefused(t *testing.T) {
	c := newContract()
	err := c.RecordPayment("", accord.Money{Amount: hours(1), Currency: "EUR"}, rep, created)
	if !cmp.Equal(errtest.Fields(err), []string{"id", "amount.currency"}) {
		t.Errorf("fields %v; want [id amount.currency]", errtest.Fields(err))
	}
	if err := c.RecordPayment("inv-1", usd("10.00"), rep, created); !errors.Is(err, accord.ErrForbidden) {
		t.Errorf("a rep records a payment: %v; want ErrForbidden", err)
	}
	_ = c.RecordPayment("inv-1", usd("10.00"), finance, created)
	err = c.RecordPayment("inv-1", usd("0.00"), finance, created)
	if !cmp.Equal(errtest.Fields(err), []string{"id", "amount"}) {
		t.Errorf("fields %v; want [id amount]", errtest.Fields(err))
	}
}

func TestRenew(t *testing.T) {
	c := newContract()
	c.Status = contract.StatusActive
	early := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	if got := unmetIDs(t, c.Renew(12, usd("1.00"), rep, early)); !cmp.Equal(got, []string{"renewal_window"}) {
		t.Errorf("renewing early: unmet %v; want [renewal_window]", got)
	}
	err := c.Renew(0, usd("-1.00"), client, time.Time{})
	if got := errtest.Fields(err); !cmp.Equal(got, []string{"at", "months", "value"}) {
		t.Errorf("bad renewal: fields %v; want [at months value]", got)
	}
	if err := c.Renew(12, usd("1.00"), finance, early); !errors.Is(err, accord.ErrForbidden) {
		t.Errorf("finance renews: %v; want ErrForbidden", err)
	}
	// Signed a week after the last day: a late renewal, from the renewal
	// date, since nobody recorded a lapse.
	if err := c.Renew(6, usd("30000.00"), rep, time.Date(2027, 3, 8, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	wantTerm := contract.Term{Start: accord.MakeDate(2027, 3, 2), End: accord.MakeDate(2027, 9, 1), Months: 6, Renewal: accord.MakeDate(2027, 9, 2), Value: usd("30000.00")}
	if diff := cmp.Diff(wantTerm, c.Term); diff != "" {
		t.Errorf("new term (-want +got):\n%s", diff)
	}
	change, err := c.Renewals[0].Change()
	if err != nil || !change.Equal(usd("-18000.00")) {
		t.Errorf("change %s, %v; want a contraction of -18000.00 USD", change, err)
	}
	// A lapsed contract cannot renew.
	c.Status = contract.StatusLapsed
	if err := c.Renew(6, usd("1.00"), rep, time.Date(2027, 9, 5, 10, 0, 0, 0, time.UTC)); !errors.Is(err, accord.ErrConflict) {
		t.Errorf("renewing a lapsed contract: %v; want ErrConflict", err)
	}
}

// TestShortTermWindow: a term shorter than the window has its window open on
// its first day, so a term renewed early is not due again before it starts.
func TestShortTermWindow(t *testing.T) {
	tm := terms()
	tm.Months, tm.Start = 1, accord.MakeDate(2026, 3, 2)
	c := signed(t, tm)
	at := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	if c.WindowOpens() != accord.MakeDate(2026, 3, 2) || !c.InWindow(at) || c.InWindow(created) {
		t.Errorf("window opens %s, in it on 5 March %v, at creation %v", c.WindowOpens(), c.InWindow(at), c.InWindow(created))
	}
	if err := c.Renew(1, usd("100.00"), rep, at); err != nil {
		t.Fatal(err)
	}
	if got := unmetIDs(t, c.Renew(1, usd("100.00"), rep, at)); !cmp.Equal(got, []string{"renewal_window"}) {
		t.Errorf("renewing the renewed term before it starts: %v; want [renewal_window]", got)
	}
}

// TestDateErrorsNamePaths: a bad date in a stored contract is reported with
// its JSON path.
func TestDateErrorsNamePaths(t *testing.T) {
	var c contract.Contract
	err := json.Unmarshal([]byte(`{"term":{"end":"2027-02-30"}}`), &c)
	if err == nil || !strings.Contains(err.Error(), "term.end") {
		t.Errorf("error %v; want one naming term.end", err)
	}
}

// TestMonthEnd: a contract from 31 January renews monthly on the last day of
// shorter months and on the 31st again after them.
func TestMonthEnd(t *testing.T) {
	d := wonDeal()
	tm := terms()
	tm.Start, tm.Months, tm.AutoRenew, tm.WindowDays, tm.NoticeDays = accord.MakeDate(2028, 1, 31), 1, true, 10, 0
	c, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: approvedSOW()}, tm, rep, created)
	if err != nil {
		t.Fatal(err)
	}
	var renewals []string
	for range 4 {
		renewals = append(renewals, c.Term.Renewal.String())
		if err := c.AutoRenewal(rep, c.Term.Renewal.In(time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31"}
	if !cmp.Equal(renewals, want) {
		t.Errorf("renewal dates %v; want %v", renewals, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("after renewals: %v", err)
	}
	if got := unmetIDs(t, c.AutoRenewal(rep, c.Term.End.In(time.UTC))); !cmp.Equal(got, []string{"renewal_date_reached"}) {
		t.Errorf("auto-renewing early: %v", got)
	}
	c.AutoRenew = false
	if got := unmetIDs(t, c.AutoRenewal(rep, c.Term.End.In(time.UTC))); !cmp.Equal(got, []string{"auto_renew", "renewal_date_reached"}) {
		t.Errorf("auto-renewing a manual contract early: %v", got)
	}
}

func TestChurn(t *testing.T) {
	c := newContract()
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	if got := errtest.Fields(c.Churn(contract.ChurnOther, "", rep, at)); !cmp.Equal(got, []string{"note"}) {
		t.Errorf("churn other without a note: %v", got)
	}
	if got := errtest.Fields(c.Churn("bored", "", rep, at)); !cmp.Equal(got, []string{"reason"}) {
		t.Errorf("unknown reason: %v", got)
	}
	if err := c.Churn(contract.ChurnNoAdoption, "never went live", rep, at); err != nil {
		t.Fatal(err)
	}
	r := c.Renewals[0]
	if c.Status != contract.StatusChurned || r.Outcome != contract.OutcomeChurned || r.Reason != contract.ChurnNoAdoption || !r.Next.Value.IsZero() {
		t.Errorf("after churn: status %s, renewal %+v", c.Status, r)
	}
	if ch, _ := r.Change(); !ch.Equal(usd("-48000.00")) {
		t.Errorf("churn change %s; want -48000.00 USD", ch)
	}
	if err := c.Churn(contract.ChurnPrice, "", rep, at); !errors.Is(err, accord.ErrConflict) {
		t.Errorf("churning twice: %v", err)
	}
	// A churned customer may still ask for a refund.
	if _, err := c.RequestRefund("never used it", client, at); err != nil {
		t.Errorf("refund after churn: %v", err)
	}
}

func TestDrift(t *testing.T) {
	c := newContract()
	at := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	crs := []contract.ChangeRequest{
		{ID: "cr-1", Category: scope.ActivityIntegration, Summary: "add the billing system to the ERP sync", Hours: hours(8)},
		{ID: "cr-2", Category: scope.ActivityDataMigration, Summary: "migrate 2019 deals"},
		{ID: "cr-3", Category: scope.ActivityConfiguration, Deliverable: "dashboards", Summary: "executive dashboards"},
		{ID: "cr-4", Category: scope.ActivityTraining, Deliverable: "pipeline", Summary: "second training"},
	}
	for _, cr := range crs {
		if err := c.RecordChange(cr, rep, at); err != nil {
			t.Fatal(err)
		}
	}
	use := []contract.Usage{
		{ID: "u1", Entitlement: "support", Day: accord.MakeDate(2026, 3, 2), Quantity: hours(3)},
		{ID: "u2", Entitlement: "support", Day: accord.MakeDate(2026, 3, 8), Quantity: hours(2)},  // same week as u1: 5 > 4
		{ID: "u3", Entitlement: "support", Day: accord.MakeDate(2026, 3, 9), Quantity: hours(4)},  // next week: 4, not over
		{ID: "u4", Entitlement: "support", Day: accord.MakeDate(2026, 3, 30), Quantity: hours(1)}, // after now: not counted
	}
	for _, u := range use {
		if err := c.RecordUsage(u, lead, at); err != nil {
			t.Fatal(err)
		}
	}
	got := c.Drift(at)
	var creep []string
	for _, cr := range got.Creep {
		creep = append(creep, cr.ID)
	}
	if !cmp.Equal(creep, []string{"cr-2", "cr-3"}) {
		t.Errorf("creep %v; want [cr-2 cr-3]", creep)
	}
	want := []contract.EntitlementUse{{
		Name: "support", Unit: "hours", Per: "week", Included: hours(4), Periods: 3, IncludedToDate: hours(12), Used: hours(9),
		Over: []contract.PeriodUse{{From: accord.MakeDate(2026, 3, 2), To: accord.MakeDate(2026, 3, 8), Used: hours(5), Included: hours(4)}},
	}}
	if diff := cmp.Diff(want, got.Entitlements); diff != "" {
		t.Errorf("entitlements (-want +got):\n%s", diff)
	}
	err := c.RecordUsage(contract.Usage{ID: "u1", Entitlement: "training", Quantity: hours(-1)}, rep, at)
	if got := errtest.Fields(err); !cmp.Equal(got, []string{"usage.id", "usage.entitlement", "usage.day", "usage.quantity"}) {
		t.Errorf("bad usage: fields %v", got)
	}
	err = c.RecordChange(contract.ChangeRequest{ID: "cr-1"}, rep, at)
	if got := errtest.Fields(err); !cmp.Equal(got, []string{"change_request.id", "change_request.category", "change_request.summary"}) {
		t.Errorf("bad change request: fields %v", got)
	}
}

// TestDriftMonths: monthly periods follow the anniversaries of Since.
func TestDriftMonths(t *testing.T) {
	tm := terms()
	tm.Start = accord.MakeDate(2027, 1, 31)
	s := approvedSOW()
	// Reopen the scope with a monthly entitlement.
	s.Entitlements[0].Per = "month"
	s.Review = scope.Review{}
	now := time.Date(2026, 2, 21, 9, 0, 0, 0, time.UTC)
	for _, err := range []error{s.Open(rep, now), s.Submit(accord.Calendar{}, rep, now), s.ApproveAsLead(scopetest.LeadReview(s), lead, now), s.ApproveAsClient(1, client, now)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	d := wonDeal()
	d.History[len(d.History)-1].Scope = &deal.ScopeRevision{ID: s.ID, Revision: 1, Digest: s.Review.Digest} // it closed on this scope
	c, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: s}, tm, rep, created)
	if err != nil {
		t.Fatal(err)
	}
	for i, day := range []accord.Date{accord.MakeDate(2027, 2, 27), accord.MakeDate(2027, 2, 28), accord.MakeDate(2027, 3, 30), accord.MakeDate(2027, 3, 31)} {
		u := contract.Usage{ID: strings.Repeat("u", i+1), Entitlement: "support", Day: day, Quantity: hours(3)}
		if err := c.RecordUsage(u, lead, created); err != nil {
			t.Fatal(err)
		}
	}
	got := c.Drift(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)).Entitlements[0]
	want := []contract.PeriodUse{{From: accord.MakeDate(2027, 2, 28), To: accord.MakeDate(2027, 3, 30), Used: hours(6), Included: hours(4)}}
	if got.Periods != 3 || !cmp.Equal(got.Over, want) || !got.Used.Equal(hours(12)) {
		t.Errorf("periods %d, used %s, over %+v; want 3, 12, %+v", got.Periods, got.Used, got.Over, want)
	}
}

// TestValidate: a stored contract that does not hold together is reported
// field by field.
func TestValidate(t *testing.T) {
	renewed := func() contract.Contract {
		c := newContract()
		if err := c.Renew(12, usd("50000.00"), rep, time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name   string
		edit   func(c *contract.Contract)
		fields []string
	}{
		{"valid", func(*contract.Contract) {}, nil},
		{"unknown codes", func(c *contract.Contract) { c.Status, c.Billing = "gone", "weekly" }, []string{"billing", "status"}},
		{"term off its anniversary", func(c *contract.Contract) { c.Term.Start = c.Term.Start.AddDays(1) }, []string{"term.start"}},
		{"term end", func(c *contract.Contract) { c.Term.End = c.Term.Renewal }, []string{"term.end"}},
		{"notice as long as the window", func(c *contract.Contract) { c.NoticeDays = c.WindowDays }, []string{"notice_days"}},
		{"refund without the status", func(c *contract.Contract) { c.Refunded = &contract.Refund{} }, []string{"refunded"}},
		{"renewal of no months", func(c *contract.Contract) { c.Renewals[0].Previous.Months = 0 }, []string{"renewals[0].previous.months"}},
		{"renewal without a value", func(c *contract.Contract) {
			c.Renewals[0].Next.Value = accord.Money{}
			c.Renewals[0].Outcome = "extended"
		}, []string{"renewals[0].outcome", "renewals[0].next.value"}},
		{"payments", func(c *contract.Contract) {
			c.Payments = []contract.Payment{{ID: "a", Amount: usd("-1.00")}, {ID: "b", Amount: accord.Money{Amount: hours(1), Currency: "EUR"}}}
		}, []string{"payments[0].amount", "payments[1].amount.currency"}},
		{"usage", func(c *contract.Contract) {
			c.Usage = []contract.Usage{{ID: "u", Entitlement: "support", Day: accord.Date{Year: 2027, Month: 2, Day: 30}, Quantity: hours(0)}}
		}, []string{"usage[0].quantity", "usage[0].day"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := renewed()
			tt.edit(&c)
			if got := errtest.Fields(c.Validate()); !cmp.Equal(got, tt.fields) {
				t.Errorf("fields %v; want %v", got, tt.fields)
			}
		})
	}
}

// TestNewZeroProcess: a zero process is invalid input, reported before the
// role check, as the documented error order says.
func TestNewZeroProcess(t *testing.T) {
	d := wonDeal()
	before := *d
	_, err := contract.New(contract.Signing{Process: &deal.Process{}, Deal: d, Scope: approvedSOW()}, terms(), client, created)
	want := `contract "ctr-1": create: signing.process: is not built: use deal.Default or deal.NewProcess`
	if !errors.Is(err, accord.ErrInvalid) || errors.Is(err, accord.ErrForbidden) || err.Error() != want {
		t.Fatalf("New with a zero process by the client = %v; want ErrInvalid only: %q", err, want)
	}
	if diff := cmp.Diff(before, *d); diff != "" {
		t.Errorf("a refused New changed the deal:\n%s", diff)
	}
}
