package deal

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
	"github.com/accordhq/accord/scope"
)

// Guarantee is a promise a process keeps at the close, that a team can see
// and a test can assert ([Process.Guarantees]). Its codes are stable.
type Guarantee string

// The guarantees a process can keep. Each is kept when the process checks
// it on the move into its Closed Won stage (the exit of the stage before
// it, or the entry of the Closed Won stage itself); a variant that drops
// the criterion, or moves it off the close, no longer keeps it.
const (
	// GuaranteeScopeApproved: Closed Won is recorded only when the Scope of
	// Work presented at the close ([Process.Close]) is the deal's own, at
	// the revision and digest its reference records, approved by the
	// implementation lead and then by the client on that revision
	// ([scope.SOW.Approved]). Kept by a [ScopeApproved] criterion.
	GuaranteeScopeApproved Guarantee = "scope_approved"
	// GuaranteeDiscrepanciesResolved: Closed Won is recorded only when
	// every discrepancy between the proposal presented at the close and
	// the scope is decided ([scope.SOW.Settled]). Kept by a
	// [DiscrepanciesResolved] criterion.
	GuaranteeDiscrepanciesResolved Guarantee = "discrepancies_resolved"
)

// Guarantees lists the guarantees p keeps, in the order of the constants:
// both for [Unified], none for [Default]. A process that keeps any of them
// closes only through [Process.Close], which checks the Scope of Work
// itself; [Process.Advance] into its Closed Won stage is refused with the
// unmet criterion "scope_presented".
func (p *Process) Guarantees() []Guarantee {
	if !p.built() {
		return nil
	}
	var out []Guarantee
	if p.scopeApproved {
		out = append(out, GuaranteeScopeApproved)
	}
	if p.scopeSettled {
		out = append(out, GuaranteeDiscrepanciesResolved)
	}
	return out
}

// Keeps reports whether p keeps guarantee g.
func (p *Process) Keeps(g Guarantee) bool {
	switch {
	case !p.built():
		return false
	case g == GuaranteeScopeApproved:
		return p.scopeApproved
	case g == GuaranteeDiscrepanciesResolved:
		return p.scopeSettled
	}
	return false
}

// findGuarantees sets which guarantees p keeps, from the criteria of the
// move into its Closed Won stage.
func (p *Process) findGuarantees() {
	var cs []Criterion
	if p.wonIndex > 0 {
		cs = append(cs, p.stages[p.wonIndex-1].Exit...)
	}
	if p.wonIndex < len(p.stages) {
		cs = append(cs, p.stages[p.wonIndex].Entry...)
	}
	for _, c := range cs {
		r := c.Rule
		for {
			n, ok := r.(named)
			if !ok {
				break
			}
			r = n.rule
		}
		switch r.(type) {
		case scopeApproved:
			p.scopeApproved = true
		case resolved:
			p.scopeSettled = true
		}
	}
}

// closes reports whether t is the move into the Closed Won stage of a
// process that keeps a scope guarantee: a move only [Process.Close] makes.
func (p *Process) closes(t *engine.Transition[*Deal]) bool {
	return (p.scopeApproved || p.scopeSettled) && t.ToIndex == p.wonIndex && t.Event == eventAdvance
}

// presented is the unmet criterion of an advance into the Closed Won stage
// of a process that keeps a scope guarantee.
func (p *Process) presented(t *engine.Transition[*Deal]) accord.Unmet {
	return accord.Unmet{
		Criterion: "scope_presented", State: t.To, Side: accord.SideEntry, Field: "scope",
		Message: "Close the deal with Process.Close, presenting its Scope of Work and the proposal: a scope reference alone never closes a deal.",
	}
}

// unmet is t.Unmet, plus "scope_presented" for the close of a process that
// keeps a scope guarantee when the close presents no scope.
func (p *Process) unmet(t *engine.Transition[*Deal], d *Deal, now time.Time) []accord.Unmet {
	u := t.Unmet(d, now)
	if p.closes(t) {
		u = append(u, p.presented(t))
	}
	return u
}

// Closing is what a deal presents at its close ([Process.Close]): its
// Scope of Work, the proposal it was sold on, and the feasibility the
// scope was reconciled with (see [scope.Reconcile]).
type Closing struct {
	// Scope is the deal's Scope of Work, the document itself. It is
	// required when the process keeps a scope guarantee.
	Scope *scope.SOW
	// Proposal is the deal's proposal, for the reconciliation.
	Proposal scope.Proposal
	// Feasibility is what the proposal's timeline is reconciled against.
	Feasibility scope.Feasibility
}

// ScopeRevision identifies one revision of a Scope of Work: what a deal
// closed on, recorded in its won event.
type ScopeRevision struct {
	ID       string `json:"id"`
	Revision int    `json:"revision"`
	Digest   string `json:"digest"`
}

// Close records Closed Won: it moves d, at time at, from the stage before
// the Closed Won stage into it, like [Process.Advance], checking the
// document rather than the deal's copy of its facts.
//
// The Scope of Work presented must be the one the deal's reference
// (Deal.Scope) names and agree with it in every fact the reference records:
// the scope's ID and deal (the deal's own), its revision and digest, its
// approvals ([scope.SOW.Approvals]), and its reconciliation with the
// proposal presented (for the deal's own proposal, with as many
// discrepancies left undecided). The scope must also agree with its own
// review history ([scope.SOW.Verify]) and have no edit that is not
// recorded as a revision. When anything disagrees the close is refused
// with [accord.ErrConflict] saying what: refresh the reference with
// [scope.SOW.Ref] and try again, so that a stale reference never closes a
// deal and a fresh one closes only on what it says. Close sees only what
// it is shown: a stale copy of an earlier revision, shown with a reference
// that was not refreshed since that revision, agrees with it, and the deal
// closes on that earlier revision, approved as it was. Present the scope
// as stored, under the store's optimistic lock (as examples/server does),
// and refresh the reference whenever the scope is revised.
//
// Then every criterion of the move is evaluated: in [Unified], "scope_approved"
// (the lead and then the client approved the current revision) and
// "discrepancies_resolved" (every discrepancy decided), on the reference
// that was just found to agree with the document. Unmet criteria give a
// [*accord.BlockedError], as for Advance.
//
// The won event records the revision the deal closed on (Event.Scope, see
// [Deal.ClosedOn]); package contract creates the contract from exactly that
// revision. A process that keeps no scope guarantee ([Process.Guarantees])
// may close without a scope; one that keeps any refuses a close with none
// (criterion "scope_presented"), and refuses [Process.Advance] into the
// Closed Won stage the same way.
//
// A refused close changes nothing. Errors come one class at a time: bad
// arguments or an invalid deal ([accord.ErrInvalid]), a role that may not
// move deals ([accord.ErrForbidden]), a deal that disagrees with its history
// or is not one advance from the Closed Won stage, or a scope that
// disagrees with the reference ([accord.ErrConflict]), then unmet criteria.
func (p *Process) Close(d *Deal, c Closing, by accord.Actor, at time.Time) error {
	from, err := p.precheck(d, by, at, EventWon)
	if err != nil {
		return err
	}
	t, ok := p.advanceAt(from)
	if !ok || t.ToIndex != p.wonIndex {
		return fmt.Errorf("%w: deal %q is %s: Close moves a deal from %s into %s, the Closed Won stage; use Advance for the other moves",
			accord.ErrConflict, d.ID, d.Stage, p.before(), p.ClosedWon())
	}
	ev := Event{Kind: EventWon, By: by, At: at}
	if c.Scope == nil {
		if p.closes(t) {
			unmet := t.Unmet(d, at)
			unmet = append(unmet, accord.Unmet{
				Criterion: "scope_presented", State: t.To, Side: accord.SideEntry, Field: "scope",
				Message: "Present the deal's Scope of Work at the close: the process keeps the scope guarantees.",
			})
			return &accord.BlockedError{Op: t.Op, Subject: d.ID, From: t.From, To: t.To, Unmet: unmet}
		}
		return p.apply(d, t, ev)
	}
	if err := c.agrees(d); err != nil {
		return err
	}
	ev.Scope = &ScopeRevision{ID: c.Scope.ID, Revision: c.Scope.Review.Revision, Digest: c.Scope.Review.Digest}
	return p.apply(d, t, ev)
}

// before returns the stage a close moves from.
func (p *Process) before() StageID {
	if p.wonIndex == 0 {
		return ""
	}
	return p.stages[p.wonIndex-1].ID
}

// agrees reports, as one [accord.ErrConflict], every way the scope c
// presents disagrees with d's reference to it or with its own history.
func (c Closing) agrees(d *Deal) error {
	s, ref := c.Scope, d.Scope
	var why []string
	add := func(format string, args ...any) { why = append(why, fmt.Sprintf(format, args...)) }
	if err := s.Verify(); err != nil {
		add("the scope disagrees with its review history (%v)", err)
	}
	if s.DealID != d.ID {
		add("scope %q belongs to deal %q", s.ID, s.DealID)
	}
	if c.Proposal.DealID != d.ID {
		add("the proposal is for deal %q", c.Proposal.DealID)
	}
	if ref.ID == "" {
		add("the deal refers to no Scope of Work")
	} else if ref.ID != s.ID {
		add("the deal refers to scope %q, not %q", ref.ID, s.ID)
	}
	now := s.Ref(c.Proposal, c.Feasibility)
	if ref.ID != "" {
		if ref.DealID != d.ID {
			add("the deal's reference is to a scope of deal %q", ref.DealID)
		}
		if ref.Revision != now.Revision {
			add("the reference is to revision %d, the scope is at revision %d", ref.Revision, now.Revision)
		} else if ref.Digest != now.Digest {
			add("the reference records digest %.12s, revision %d has digest %.12s", ref.Digest, now.Revision, now.Digest)
		}
		if ref.Approvals != now.Approvals {
			add("the reference records approvals %q, the scope has %q", ref.Approvals, now.Approvals)
		}
		if ref.Reconciled != now.Reconciled || ref.Unresolved != now.Unresolved {
			add("the reference records %d undecided discrepancies (reconciled: %t), the proposal presented leaves %d (reconciled: %t)",
				ref.Unresolved, ref.Reconciled, now.Unresolved, now.Reconciled)
		}
	}
	if s.Digest() != s.Review.Digest {
		add("the scope has edits not recorded as a revision (record them with SOW.Revise)")
	}
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%w: deal %q: close: the Scope of Work presented disagrees with the deal: %s; refresh Deal.Scope with SOW.Ref",
		accord.ErrConflict, d.ID, strings.Join(why, "; "))
}

// ClosedOn returns the Scope of Work revision d closed on: the one its last
// won event records ([Process.Close]). It returns false when d was never
// won, or was won without presenting a scope.
func (d *Deal) ClosedOn() (ScopeRevision, bool) {
	if d == nil {
		return ScopeRevision{}, false
	}
	for i := len(d.History) - 1; i >= 0; i-- {
		if ev := &d.History[i]; ev.Kind == EventWon {
			if ev.Scope == nil {
				return ScopeRevision{}, false
			}
			return *ev.Scope, true
		}
	}
	return ScopeRevision{}, false
}

// Contract is what a deal asks of the contract made from it before a move
// undoes its win ([WithContract]). *contract.Contract implements it.
type Contract interface {
	// Identify returns the contract's ID and the ID of the deal it was
	// made from.
	Identify() (id, dealID string)
	// Ended reports whether the contract has ended: refunded, churned or
	// lapsed.
	Ended() bool
	// Verify checks the contract against its own history: a contract
	// whose stored status its history does not support is refused
	// ([accord.ErrConflict]), so that a hand-edited status never releases
	// a deal's win.
	Verify() error
}

// MoveOption adds what a move needs beyond its arguments. The only one is
// [WithContract].
type MoveOption struct{ contract Contract }

// WithContract presents c, the contract of a won deal, to a revert or a
// loss that undoes the win: allowed once c has ended, as its own history
// says ([Contract.Verify]).
func WithContract(c Contract) MoveOption { return MoveOption{contract: c} }

// SetContract records on d the contract made from it, which package
// contract does when it creates one ([contract.New]): an [EventContract]
// event in the history, by by at at (Version counts it), and its ID in
// ContractID, a cache of that event. A deal keeps one contract at a time:
// recording one while the history records another (or the same) is a
// conflict. The deal must be won and agree with its history.
func (p *Process) SetContract(d *Deal, id string, by accord.Actor, at time.Time) error {
	if err := p.usable(d); err != nil {
		return err
	}
	if strings.TrimSpace(id) == "" {
		return fmt.Errorf("deal %q: set contract: %w", d.ID, accord.Invalid("contract_id", "is required"))
	}
	if err := by.Validate("by"); err != nil {
		return fmt.Errorf("deal %q: set contract: %w", d.ID, err)
	}
	if len(d.History) == 0 {
		return fmt.Errorf("deal %q: set contract: %w", d.ID, accord.Invalid("history", "is empty: open the deal with Process.Open first"))
	}
	if at.IsZero() {
		return fmt.Errorf("deal %q: set contract: %w", d.ID, accord.Invalid("at", "is required"))
	}
	if err := p.agrees(d, p.order(d.Stage), EventContract); err != nil {
		return err
	}
	switch has := p.contractOf(d.History); {
	case has != "":
		return fmt.Errorf("%w: deal %q already has contract %q", accord.ErrConflict, d.ID, has)
	case !p.Won(d):
		return fmt.Errorf("%w: deal %q is %s: only a won deal has a contract", accord.ErrConflict, d.ID, d.Stage)
	}
	d.History = append(d.History, Event{Kind: EventContract, From: d.Stage, To: d.Stage, At: at, By: by, Contract: id})
	d.Version++
	d.ContractID = id
	return nil
}

// contractOf returns the contract h records now: the one its last
// EventContract event names, unless a move since left the won stages (a
// revert or a loss that undid the win); "" for none.
func (p *Process) contractOf(h []Event) string {
	for i := len(h) - 1; i >= 0; i-- {
		ev := &h[i]
		if ev.Kind == EventContract {
			return ev.Contract
		}
		if !p.won(p.order(ev.To)) || (ev.From != "" && !p.won(p.order(ev.From))) {
			return ""
		}
	}
	return ""
}

// lastMove returns the last event of h that is a move (not an
// EventContract event).
func lastMove(h []Event) *Event {
	for i := len(h) - 1; i > 0; i-- {
		if h[i].Kind != EventContract {
			return &h[i]
		}
	}
	return &h[0]
}

// undoesWin checks a move of d to the stage at position to that would undo
// its win: refused while d has a contract that has not ended, unless
// opts present it ended. It reports whether the move releases the contract.
func (p *Process) undoesWin(d *Deal, to int, opts []MoveOption) (release bool, err error) {
	has := p.contractOf(d.History)
	if has == "" || !p.Won(d) || p.won(to) {
		return false, nil
	}
	var c Contract
	for _, o := range opts {
		if o.contract != nil {
			c = o.contract
		}
	}
	if c == nil {
		return false, fmt.Errorf("%w: deal %q has contract %q: a win with a contract is undone only once the contract has ended (refunded, churned or lapsed); present it with deal.WithContract",
			accord.ErrConflict, d.ID, has)
	}
	id, dealID := c.Identify()
	switch {
	case id != has || dealID != d.ID:
		return false, fmt.Errorf("%w: deal %q has contract %q; contract %q of deal %q was presented", accord.ErrConflict, d.ID, has, id, dealID)
	}
	if err := c.Verify(); err != nil {
		if errors.Is(err, accord.ErrConflict) {
			return false, fmt.Errorf("deal %q: undo the win: the contract presented: %w", d.ID, err)
		}
		return false, fmt.Errorf("%w: deal %q: undo the win: the contract presented disagrees with its history: %v", accord.ErrConflict, d.ID, err)
	}
	switch {
	case !c.Ended():
		return false, fmt.Errorf("%w: deal %q has contract %q, which has not ended: refund, churn or lapse it before undoing the win", accord.ErrConflict, d.ID, has)
	}
	return true, nil
}

// Verify checks a stored deal against its history, for a host's own load
// path: the history must be one the process records ([Process.Read]) and
// the deal's Stage, StageEnteredAt, Version and Loss those it supports. It
// also checks what the history records of the close: a deal with a
// contract must be won. Every disagreement is reported in one error
// wrapping [accord.ErrConflict] (and only it): the stored summary is a
// cache, and it disagrees with the record it came from. A zero process or a
// nil deal is bad input ([accord.ErrInvalid]).
//
// Every move checks the cheap part (stage, time entered, version and loss
// against the last event) and refuses the same way.
func (p *Process) Verify(d *Deal) error {
	if err := p.usable(d); err != nil {
		return err
	}
	var r Reading
	var why []string
	if err := p.Read(d, &r); err != nil {
		for _, fe := range accord.FieldErrors(err) {
			why = append(why, fe.Error())
		}
		if len(why) == 0 {
			why = append(why, err.Error())
		}
	} else if d.ContractID != "" && !r.Won() {
		why = append(why, fmt.Sprintf("contract_id: the deal has contract %q but its history does not end won", d.ContractID))
	} else if d.ContractID != r.Contract {
		why = append(why, fmt.Sprintf("contract_id: the deal records contract %q, its history %q", d.ContractID, r.Contract))
	}
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%w: deal %q disagrees with its history: %s", accord.ErrConflict, d.ID, strings.Join(why, "; "))
}

// agrees is the cheap part of [Process.Verify] that every move checks: the
// deal's stage, time entered, version and loss against its last event.
// stage is the position of d's stage ([Process.order]).
func (p *Process) agrees(d *Deal, stage int, kind EventKind) error {
	h := d.History
	last := lastMove(h)
	var what string
	switch {
	case d.Stage != last.To:
		what = fmt.Sprintf("its stage is %s, but its last event went to %s", d.Stage, last.To)
	case !d.StageEnteredAt.Equal(last.At):
		what = fmt.Sprintf("it entered its stage at %s, but its last event is at %s", d.StageEnteredAt.Format(time.RFC3339), last.At.Format(time.RFC3339))
	case d.Version != len(h)-1:
		what = fmt.Sprintf("its version is %d, but its history has %d moves", d.Version, len(h)-1)
	case d.Stage == StageLost && d.Loss == nil:
		what = "it is lost, but records no loss"
	case d.Stage != StageLost && d.Loss != nil:
		what = fmt.Sprintf("it is %s, but records a loss", d.Stage)
	case d.Loss != nil && last.Kind == EventLost && (d.Loss.Stage != last.From || d.Loss.Reason != last.LossReason):
		what = fmt.Sprintf("it records a loss, %s at %s, but its last event is a loss, %s at %s", d.Loss.Reason, d.Loss.Stage, last.LossReason, last.From)
	case (d.ContractID != "" || h[len(h)-1].Kind == EventContract || p.won(stage)) && d.ContractID != p.contractOf(h):
		// A history whose last event is a move into a stage that is not
		// won records no contract (see contractOf): an open deal before
		// the close is answered without reading its history again.
		what = fmt.Sprintf("it records contract %q, but its history %q", d.ContractID, p.contractOf(h))
	default:
		return nil
	}
	return fmt.Errorf("%w: deal %q: %s: the deal disagrees with its history: %s", accord.ErrConflict, d.ID, verb(kind), what)
}
