package deal_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
)

// closeFixture is a unified deal in proposal with its approved, reconciled
// scope and a fresh reference to it.
func closeFixture(t *testing.T) (*deal.Process, deal.Deal, deal.Closing, time.Time) {
	t.Helper()
	p := deal.Unified()
	d, at := openAt(p, deal.StageProposal, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	sow, prop, f := approvedScope(t, &d, at)
	d.Scope = sow.Ref(prop, f)
	return p, d, deal.Closing{Scope: sow, Proposal: prop, Feasibility: f}, at.Add(time.Hour)
}

// TestClose: the close records Closed Won only on the presented scope that
// agrees with the deal's reference; every disagreement is a conflict that
// says what disagrees, and a refused close changes nothing.
func TestClose(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, d *deal.Deal, c *deal.Closing)
		// conflict is part of the ErrConflict message; unmet the criteria
		// of a refusal; neither for a close that succeeds.
		conflict string
		unmet    []string
	}{
		{"approved, reconciled, fresh reference", func(*testing.T, *deal.Deal, *deal.Closing) {}, "", nil},
		{"no scope presented", func(_ *testing.T, _ *deal.Deal, c *deal.Closing) { c.Scope = nil }, "", []string{"entry scope_presented"}},
		{"stale reference: the scope was revised and approvals voided", func(t *testing.T, _ *deal.Deal, c *deal.Closing) {
			c.Scope = jsontest.Copy(t, c.Scope)
			c.Scope.Assumptions = []string{"weekend cut-over"}
			if err := c.Scope.Revise(rep, c.Scope.Review.History[0].At.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}, `the reference is to revision 1, the scope is at revision 2; the reference records approvals "lead_and_client", the scope has "none"`, nil},
		{"hand-written reference", func(_ *testing.T, d *deal.Deal, _ *deal.Closing) {
			d.Scope.Digest = "c0ffee"
		}, "the reference records digest c0ffee, revision 1 has digest", nil},
		{"reference claims approvals the scope lacks", func(t *testing.T, d *deal.Deal, c *deal.Closing) {
			c.Scope = jsontest.Copy(t, c.Scope)
			c.Scope.Review.Client, c.Scope.Review.Status = nil, scope.StatusLeadApproved
			c.Scope.Review.History = c.Scope.Review.History[:len(c.Scope.Review.History)-1]
		}, `the reference records approvals "lead_and_client", the scope has "lead"`, nil},
		{"another deal's scope", func(_ *testing.T, d *deal.Deal, c *deal.Closing) {
			c.Scope.DealID = "deal-other"
		}, `scope "sow-1" belongs to deal "deal-other"`, nil},
		{"another scope than the reference", func(_ *testing.T, d *deal.Deal, _ *deal.Closing) {
			d.Scope.ID = "sow-2"
		}, `the deal refers to scope "sow-2", not "sow-1"`, nil},
		{"no reference at all", func(_ *testing.T, d *deal.Deal, _ *deal.Closing) { d.Scope = scope.Ref{} }, "the deal refers to no Scope of Work", nil},
		{"unrecorded edit", func(t *testing.T, _ *deal.Deal, c *deal.Closing) {
			c.Scope = jsontest.Copy(t, c.Scope)
			c.Scope.Price = usd("1")
		}, "the scope has edits not recorded as a revision", nil},
		{"approval without a review event", func(t *testing.T, _ *deal.Deal, c *deal.Closing) {
			c.Scope = jsontest.Copy(t, c.Scope)
			c.Scope.Review.Client.By.ID = "c-9"
		}, `the client approval of revision 1 by "c-9" has no matching review event`, nil},
		{"another deal's proposal", func(_ *testing.T, _ *deal.Deal, c *deal.Closing) {
			c.Proposal.DealID = "deal-other"
		}, `the proposal is for deal "deal-other"`, nil},
		{"a proposal that differs from the one reconciled", func(_ *testing.T, _ *deal.Deal, c *deal.Closing) {
			c.Proposal.Price = usd("1")
		}, "the reference records 0 undecided discrepancies (reconciled: true), the proposal presented leaves 1 (reconciled: true)", nil},
		{"fresh reference to an edited, unapproved scope", func(t *testing.T, d *deal.Deal, c *deal.Closing) {
			c.Scope = jsontest.Copy(t, c.Scope)
			c.Scope.Assumptions = []string{"weekend cut-over"}
			if err := c.Scope.Revise(rep, c.Scope.Review.History[0].At.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			d.Scope = c.Scope.Ref(c.Proposal, c.Feasibility)
		}, "", []string{"exit scope_approved"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, d, c, at := closeFixture(t)
			tt.edit(t, &d, &c)
			before := jsontest.Copy(t, d)
			err := p.Close(&d, c, rep, at)
			switch {
			case tt.conflict != "":
				if !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), tt.conflict) {
					t.Fatalf("Close = %v; want ErrConflict saying %q", err, tt.conflict)
				}
			case tt.unmet != nil:
				if diff := cmp.Diff(tt.unmet, unmetIDs(t, err)); diff != "" {
					t.Fatalf("unmet (-want +got):\n%s", diff)
				}
			default:
				if err != nil {
					t.Fatalf("Close = %v", err)
				}
				on, ok := d.ClosedOn()
				if want := (deal.ScopeRevision{ID: c.Scope.ID, Revision: c.Scope.Review.Revision, Digest: c.Scope.Review.Digest}); !ok || on != want {
					t.Fatalf("closed on %+v, %v; want %+v", on, ok, want)
				}
				return
			}
			if diff := cmp.Diff(before, d); diff != "" {
				t.Errorf("a refused close changed the deal (-before +after):\n%s", diff)
			}
		})
	}
}

// TestCloseOnlyPath: in a process that keeps a scope guarantee, no path
// but Close enters the Closed Won stage: Advance is refused, Reopen stops
// before it, and Close is refused anywhere but one advance from it.
func TestCloseOnlyPath(t *testing.T) {
	p, d, c, at := closeFixture(t)
	err := p.Advance(&d, rep, at)
	if diff := cmp.Diff([]string{"entry scope_presented"}, unmetIDs(t, err)); diff != "" {
		t.Fatalf("advance on a fresh reference: unmet (-want +got):\n%s", diff)
	}
	if err := p.Close(&d, c, rep, at); err != nil {
		t.Fatal(err)
	}
	// Closing again, from handoff, is not a close.
	if err := p.Close(&d, c, rep, at); !errors.Is(err, accord.ErrConflict) {
		t.Fatalf("Close from handoff = %v; want ErrConflict", err)
	}
	// Lost after the win, then the scope loses its approvals: reopening
	// into handoff would skip the close, so it is refused.
	if err := p.Lose(&d, deal.LossNoDecision, "", rep, at); err != nil {
		t.Fatal(err)
	}
	err = p.Reopen(&d, deal.StageHandoff, "they came back", rep, at)
	if !errors.Is(err, accord.ErrInvalid) || !strings.Contains(err.Error(), "a deal is won again only through the close") {
		t.Fatalf("Reopen into handoff = %v; want ErrInvalid, won again only through the close", err)
	}
	for _, m := range p.Moves(&d, at) {
		if m.To == deal.StageHandoff || m.To == deal.StageLive {
			t.Fatalf("Moves lists %s to %s", m.Kind, m.To)
		}
	}
	if err := p.Reopen(&d, deal.StageProposal, "they came back", rep, at); err != nil {
		t.Fatalf("Reopen into proposal = %v", err)
	}
	if err := p.Close(&d, c, rep, at); err != nil {
		t.Fatalf("close again: %v", err)
	}
}

// fakeContract is what a deal sees of its contract.
type fakeContract struct {
	id, dealID string
	ended      bool
	verify     error
}

func (c fakeContract) Identify() (string, string) { return c.id, c.dealID }
func (c fakeContract) Ended() bool                { return c.ended }
func (c fakeContract) Verify() error              { return c.verify }

// TestUndoWin: a win with a contract is undone only with the contract,
// ended; the implementation lead reverts only within the post-sale stages.
func TestUndoWin(t *testing.T) {
	tests := []struct {
		name  string
		by    accord.Actor
		lose  bool
		to    deal.StageID
		opts  []deal.MoveOption
		class error
		says  string
	}{
		{"revert with a live contract", rep, false, deal.StageProposal, nil, accord.ErrConflict, `deal "d-1" has contract "ctr-1": a win with a contract is undone only once the contract has ended`},
		{"lose with a live contract", rep, true, "", nil, accord.ErrConflict, `deal "d-1" has contract "ctr-1"`},
		{"contract presented, not ended", rep, false, deal.StageProposal, []deal.MoveOption{deal.WithContract(fakeContract{"ctr-1", "d-1", false, nil})}, accord.ErrConflict, `contract "ctr-1", which has not ended: refund, churn or lapse it`},
		{"another contract presented", rep, true, "", []deal.MoveOption{deal.WithContract(fakeContract{"ctr-2", "d-1", true, nil})}, accord.ErrConflict, `deal "d-1" has contract "ctr-1"; contract "ctr-2" of deal "d-1" was presented`},
		{"contract says ended, its history does not", rep, true, "", []deal.MoveOption{deal.WithContract(fakeContract{"ctr-1", "d-1", true, errors.New("its status is churned, but its last status event went to onboarding")})}, accord.ErrConflict, `accord: conflict: deal "d-1": undo the win: the contract presented disagrees with its history: its status is churned, but its last status event went to onboarding`},
		{"revert with the contract ended", rep, false, deal.StageProposal, []deal.MoveOption{deal.WithContract(fakeContract{"ctr-1", "d-1", true, nil})}, nil, ""},
		{"lose with the contract ended", rep, true, "", []deal.MoveOption{deal.WithContract(fakeContract{"ctr-1", "d-1", true, nil})}, nil, ""},
		{"lead reverts before the close", lead, false, deal.StageTargeting, []deal.MoveOption{deal.WithContract(fakeContract{"ctr-1", "d-1", true, nil})}, accord.ErrForbidden, "an implementation lead reverts a won deal only within the post-sale stages, from handoff on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, d, c, at := closeFixture(t)
			if err := p.Close(&d, c, rep, at); err != nil {
				t.Fatal(err)
			}
			if err := p.SetContract(&d, "ctr-1", rep, at); err != nil {
				t.Fatal(err)
			}
			before := jsontest.Copy(t, d)
			var err error
			if tt.lose {
				err = p.Lose(&d, deal.LossPrice, "", tt.by, at, tt.opts...)
			} else {
				err = p.Revert(&d, tt.to, "scope changed", tt.by, at, tt.opts...)
			}
			if tt.class == nil {
				if err != nil {
					t.Fatal(err)
				}
				if d.ContractID != "" || p.Won(&d) {
					t.Fatalf("after undoing the win: contract %q, won %v", d.ContractID, p.Won(&d))
				}
				return
			}
			if !errors.Is(err, tt.class) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("got %v; want %v saying %q", err, tt.class, tt.says)
			}
			if diff := cmp.Diff(before, d); diff != "" {
				t.Errorf("a refused move changed the deal:\n%s", diff)
			}
		})
	}
	// The role is refused before the move's date is looked at, as for
	// any role the move does not permit.
	t.Run("lead reverts before the close, dated before the last event", func(t *testing.T) {
		p, d, c, at := closeFixture(t)
		if err := p.Close(&d, c, rep, at); err != nil {
			t.Fatal(err)
		}
		err := p.Revert(&d, deal.StageTargeting, "scope changed", lead, at.Add(-time.Second))
		if !errors.Is(err, accord.ErrForbidden) || errors.Is(err, accord.ErrInvalid) {
			t.Fatalf("got %v; want only ErrForbidden", err)
		}
	})
}

// TestStoredDealAgainstItsHistory: every move and Verify refuse a deal whose
// summary fields its history does not support, with ErrConflict.
func TestStoredDealAgainstItsHistory(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *deal.Deal)
		says string
	}{
		{"stage", func(d *deal.Deal) { d.Stage = deal.StageHandoff }, "its stage is handoff, but its last event went to proposal"},
		{"stage entered", func(d *deal.Deal) { d.StageEnteredAt = d.StageEnteredAt.Add(-time.Hour) }, "it entered its stage at"},
		{"version", func(d *deal.Deal) { d.Version = 2 }, "its version is 2, but its history has 5 moves"},
		{"loss without being lost", func(d *deal.Deal) { d.Loss = &deal.Loss{Reason: deal.LossPrice, Stage: deal.StageProposal} }, "it is proposal, but records a loss"},
		{"lost without a loss", func(d *deal.Deal) {
			d.History = append(d.History, deal.Event{Kind: deal.EventLost, From: d.Stage, To: deal.StageLost, At: d.StageEnteredAt, By: rep, LossReason: deal.LossPrice})
			d.Stage, d.Version = deal.StageLost, d.Version+1
		}, "it is lost, but records no loss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, d, c, at := closeFixture(t)
			tt.edit(&d)
			before := jsontest.Copy(t, d)
			for name, move := range map[string]func() error{
				"advance": func() error { return p.Advance(&d, rep, at) },
				"close":   func() error { return p.Close(&d, c, rep, at) },
				"revert":  func() error { return p.Revert(&d, deal.StageTargeting, "r", rep, at) },
				"lose":    func() error { return p.Lose(&d, deal.LossPrice, "", rep, at) },
				"reopen":  func() error { return p.Reopen(&d, deal.StageTargeting, "r", rep, at) },
			} {
				if err := move(); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), tt.says) {
					t.Errorf("%s = %v; want ErrConflict saying %q", name, err, tt.says)
				}
			}
			if diff := cmp.Diff(before, d); diff != "" {
				t.Errorf("refused moves changed the deal:\n%s", diff)
			}
			err := p.Verify(&d)
			if !errors.Is(err, accord.ErrConflict) || errors.Is(err, accord.ErrInvalid) {
				t.Errorf("Verify = %v; want ErrConflict only", err)
			}
		})
	}
	p, d, _, _ := closeFixture(t)
	if err := p.Verify(&d); err != nil {
		t.Errorf("Verify of a deal the process recorded: %v", err)
	}
	d.ContractID = "ctr-1"
	if err := p.Verify(&d); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), `deal "d-1" disagrees with its history: contract_id: must be "", the contract the history records; got "ctr-1"`) {
		t.Errorf("Verify of a deal in proposal with a contract = %v", err)
	}
}

// TestGuarantees: the unified process keeps both scope guarantees; a
// variant that drops a gate or moves it off the close keeps fewer, and says
// so in its diagrams.
func TestGuarantees(t *testing.T) {
	both := []deal.Guarantee{deal.GuaranteeScopeApproved, deal.GuaranteeDiscrepanciesResolved}
	for _, tt := range []struct {
		name string
		v    *deal.Variant
		want []deal.Guarantee
	}{
		{"unified", nil, both},
		{"drops scope_approved", &deal.Variant{ID: "v", Stages: []deal.StageChange{{Stage: deal.StageProposal, RemoveExit: []string{"scope_approved"}}}},
			[]deal.Guarantee{deal.GuaranteeDiscrepanciesResolved}},
		{"a stage between the gate and the close", &deal.Variant{ID: "v", Insert: []deal.Insertion{{After: deal.StageProposal, Before: deal.StageHandoff,
			Stage: deal.Stage{ID: "legal_review", Name: "Legal review"}}}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := deal.Unified()
			if tt.v != nil {
				var err error
				if p, err = p.Derive(*tt.v); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, p.Guarantees()); diff != "" {
				t.Errorf("guarantees (-want +got):\n%s", diff)
			}
			line := "guarantees: none"
			if len(tt.want) > 0 {
				line = "guarantees: " + string(tt.want[0])
			}
			if !strings.Contains(p.Mermaid(), line) || !strings.Contains(p.DOT(), line) {
				t.Errorf("the diagrams do not say %q", line)
			}
		})
	}
	if g := deal.Default().Guarantees(); g != nil {
		t.Errorf("default keeps %v", g)
	}
}

// TestReopenReadsTheLoss: a reopen reads where the deal was lost from its
// history; a hand-edited Loss is a conflict, refused by every move and by
// Verify, and a stored reopen straight into the won stages is refused.
func TestReopenReadsTheLoss(t *testing.T) {
	lostAt := func(t *testing.T, stage deal.StageID) (*deal.Process, deal.Deal, time.Time) {
		p := deal.Unified()
		d, at := openAt(p, stage, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		if err := p.Lose(&d, deal.LossPrice, "", rep, at); err != nil {
			t.Fatal(err)
		}
		return p, d, at
	}
	for _, tt := range []struct {
		name string
		edit func(l *deal.Loss)
		says string
	}{
		{"stage moved later", func(l *deal.Loss) { l.Stage = deal.StageProposal },
			`accord: conflict: deal "d-1": reopen: the deal disagrees with its history: it records a loss, price at proposal, but its last event is a loss, price at qualification`},
		{"reason changed", func(l *deal.Loss) { l.Reason = deal.LossTiming },
			`accord: conflict: deal "d-1": reopen: the deal disagrees with its history: it records a loss, timing at qualification, but its last event is a loss, price at qualification`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, d, at := lostAt(t, deal.StageQualification)
			tt.edit(d.Loss)
			before := jsontest.Copy(t, d)
			err := p.Reopen(&d, deal.StageProposal, "they came back", rep, at)
			if !errors.Is(err, accord.ErrConflict) || err.Error() != tt.says {
				t.Fatalf("Reopen = %v; want ErrConflict %q", err, tt.says)
			}
			if diff := cmp.Diff(before, d); diff != "" {
				t.Errorf("a refused reopen changed the deal:\n%s", diff)
			}
			if err := p.Verify(&d); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), "loss: must record the last loss") {
				t.Errorf("Verify = %v; want ErrConflict on the loss", err)
			}
		})
	}
	t.Run("stored reopen into the won stage", func(t *testing.T) {
		p, d, at := lostAt(t, deal.StageHandoff)
		d.History = append(d.History, deal.Event{Kind: deal.EventReopen, From: deal.StageLost, To: deal.StageHandoff, At: at, By: rep, Reason: "r"})
		d.Stage, d.StageEnteredAt, d.Version, d.Loss = deal.StageHandoff, at, len(d.History)-1, nil
		err := p.Verify(&d)
		want := `accord: conflict: deal "d-1" disagrees with its history: history[` + fmt.Sprint(len(d.History)-1) + `].to: a reopen must go to a stage before handoff, the Closed Won stage: a deal is won again only through the close; went to handoff`
		if !errors.Is(err, accord.ErrConflict) || errors.Is(err, accord.ErrInvalid) || err.Error() != want {
			t.Errorf("Verify = %v; want ErrConflict only: %q", err, want)
		}
	})
}

// TestReadingNil: a nil Reading and stays out of range answer with nothing.
func TestReadingNil(t *testing.T) {
	var r *deal.Reading
	if r.Len() != 0 || r.Stay(0) != (deal.Stay{}) || r.Current() != (deal.Stay{}) || r.Won() || r.TimeIn(0) != 0 {
		t.Error("a nil Reading answered with something")
	}
	if f, l := r.Entries(0); f != -1 || l != -1 {
		t.Errorf("nil Entries = %d, %d", f, l)
	}
	for range r.Stays() {
		t.Error("a nil Reading has a stay")
	}
	p := deal.Unified()
	d, _ := openAt(p, deal.StageDiscovery, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	var read deal.Reading
	if err := p.Read(&d, &read); err != nil {
		t.Fatal(err)
	}
	if read.Stay(-1) != (deal.Stay{}) || read.Stay(read.Len()) != (deal.Stay{}) {
		t.Errorf("stays out of range: %+v, %+v", read.Stay(-1), read.Stay(read.Len()))
	}
	if read.Stay(read.Len()-1) != read.Current() || read.Current().Stage != deal.StageDiscovery {
		t.Errorf("current stay %+v", read.Current())
	}
}

// TestContractInHistory: the contract a deal records is an event of its
// history; a ContractID that disagrees with it is a conflict for Verify,
// every move and SetContract, and the event begins no stay.
func TestContractInHistory(t *testing.T) {
	p, d, c, at := closeFixture(t)
	if err := p.Close(&d, c, rep, at); err != nil {
		t.Fatal(err)
	}
	var before deal.Reading
	if err := p.Read(&d, &before); err != nil {
		t.Fatal(err)
	}
	stays := slices.Collect(maps.Values(maps.Collect(before.Stays())))
	version := d.Version
	if err := p.SetContract(&d, "ctr-1", rep, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	last := d.History[len(d.History)-1]
	if d.Version != version+1 || last.Kind != deal.EventContract || last.Contract != "ctr-1" || last.From != deal.StageHandoff || last.To != deal.StageHandoff || d.ContractID != "ctr-1" {
		t.Fatalf("after SetContract: version %d (was %d), last event %+v, contract %q", d.Version, version, last, d.ContractID)
	}
	var r deal.Reading
	if err := p.Read(&d, &r); err != nil {
		t.Fatal(err)
	}
	if got := slices.Collect(maps.Values(maps.Collect(r.Stays()))); r.Len() != before.Len() || r.Contract != "ctr-1" || r.Outcome != deal.OutcomeWon || len(got) != len(stays) {
		t.Errorf("the contract event changed the stays: %d stays (was %d), contract %q, outcome %s", r.Len(), before.Len(), r.Contract, r.Outcome)
	}
	for i := range r.Len() {
		if r.Stay(i) != before.Stay(i) {
			t.Errorf("stay %d: %+v; was %+v", i, r.Stay(i), before.Stay(i))
		}
	}
	if err := p.Verify(&d); err != nil {
		t.Fatalf("Verify after SetContract: %v", err)
	}
	want := `accord: conflict: deal "d-1" already has contract "ctr-1"`
	if err := p.SetContract(&d, "ctr-2", rep, at.Add(time.Hour)); !errors.Is(err, accord.ErrConflict) || err.Error() != want {
		t.Errorf("second SetContract = %v; want %q", err, want)
	}

	// The repro: the contract ID cleared by hand.
	d.ContractID = ""
	wantVerify := `accord: conflict: deal "d-1" disagrees with its history: contract_id: must be "ctr-1", the contract the history records; got ""`
	if err := p.Verify(&d); !errors.Is(err, accord.ErrConflict) || err.Error() != wantVerify {
		t.Errorf("Verify = %v; want %q", err, wantVerify)
	}
	wantLose := `accord: conflict: deal "d-1": lose: the deal disagrees with its history: it records contract "", but its history "ctr-1"`
	snapshot := jsontest.Copy(t, d)
	if err := p.Lose(&d, deal.LossPrice, "", rep, at.Add(2*time.Hour)); !errors.Is(err, accord.ErrConflict) || err.Error() != wantLose {
		t.Errorf("Lose = %v; want %q", err, wantLose)
	}
	if err := p.SetContract(&d, "ctr-2", rep, at.Add(2*time.Hour)); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), `it records contract "", but its history "ctr-1"`) {
		t.Errorf("SetContract on the hand-cleared deal = %v", err)
	}
	if diff := cmp.Diff(snapshot, d); diff != "" {
		t.Errorf("refused calls changed the deal:\n%s", diff)
	}

	// Undone with the contract ended, the win releases the contract.
	d.ContractID = "ctr-1"
	if err := p.Lose(&d, deal.LossPrice, "", rep, at.Add(2*time.Hour), deal.WithContract(fakeContract{"ctr-1", "d-1", true, nil})); err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(&d); err != nil || d.ContractID != "" {
		t.Errorf("after the loss: Verify %v, contract %q", err, d.ContractID)
	}
}
