package scope

import (
	"slices"
)

// Ref is what a deal keeps of its Scope of Work: the facts its close gate
// needs, without the scope itself. See [SOW.Ref]. Its questions have one
// answer each, [Ref.Approved] and [Ref.Settled], which every reader (the
// unified process, the policies) asks.
type Ref struct {
	ID string `json:"id"`
	// DealID is the deal the scope belongs to; a deal's gates hold only
	// for a reference to its own scope.
	DealID   string `json:"deal_id"`
	Revision int    `json:"revision"`
	Digest   string `json:"digest"`
	// Approvals are [SOW.Approvals] when the reference was taken.
	Approvals Approvals `json:"approvals"`
	// Reconciled is true when the reference was taken against a proposal
	// for the scope's own deal; Unresolved counts the discrepancies no
	// decision settles.
	Reconciled bool `json:"reconciled"`
	Unresolved int  `json:"unresolved"`
	// Categories are the kinds of work the scope contracts, from
	// [SOW.Categories]: the contract data a structured close asks for.
	Categories []Activity `json:"categories"`
}

// Approved reports whether r refers to a scope whose current revision was
// approved by the implementation lead and then by the client when r was
// taken: [SOW.Approved] as r recorded it.
func (r Ref) Approved() bool { return r.ID != "" && r.Approvals == ApprovalsLeadAndClient }

// Settled reports whether r refers to a scope that was reconciled with its
// own deal's proposal and has no discrepancy left that a recorded decision
// does not settle: [SOW.Settled] as r recorded it.
func (r Ref) Settled() bool { return r.ID != "" && r.Reconciled && r.Unresolved == 0 }

// Settled reports whether every discrepancy between the proposal p, for
// the scope's own deal, and s, reconciled with f, is decided (see
// [SOW.Resolve]). A proposal for another deal settles nothing.
func (s *SOW) Settled(p Proposal, f Feasibility) bool {
	reconciled, unresolved := s.reconcile(p, f)
	return reconciled && unresolved == 0
}

// reconcile returns whether p is the proposal of s's own deal, and how many
// discrepancies between them no decision settles.
func (s *SOW) reconcile(p Proposal, f Feasibility) (reconciled bool, unresolved int) {
	if s == nil {
		return false, 0
	}
	return p.DealID == s.DealID, len(Unresolved(Reconcile(p, s, f)))
}

// Ref returns the facts about s that a deal keeps: its revision and
// approvals, and the count of discrepancies with p, reconciled with f, that
// no decision settles. A host takes a new reference whenever the scope, its
// review or the proposal changes.
func (s *SOW) Ref(p Proposal, f Feasibility) Ref {
	if s == nil {
		return Ref{}
	}
	r := &s.Review
	ref := Ref{
		ID: s.ID, DealID: s.DealID, Revision: r.Revision, Digest: r.Digest,
		Approvals:  s.Approvals(),
		Categories: s.Categories(),
	}
	ref.Reconciled, ref.Unresolved = s.reconcile(p, f)
	return ref
}

// Categories lists the kinds of work s contracts: the activities of its
// steps, each once, those of [Activities] in that order and any others after
// them in sorted order. It returns nil for a scope with no step activity.
func (s *SOW) Categories() []Activity {
	if s == nil {
		return nil
	}
	seen := map[Activity]bool{}
	for _, st := range s.Steps {
		if st.Activity != "" {
			seen[st.Activity] = true
		}
	}
	var out []Activity
	for _, a := range Activities() {
		if seen[a] {
			out = append(out, a)
			delete(seen, a)
		}
	}
	rest := make([]Activity, 0, len(seen))
	for a := range seen {
		rest = append(rest, a)
	}
	slices.Sort(rest)
	return append(out, rest...)
}
