package scope

import (
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord"
)

// requestedOn returns the digest of the revision changes were last
// requested on, or "" if they never were.
func (r *Review) requestedOn() string {
	for i := len(r.History) - 1; i >= 0; i-- {
		if r.History[i].Kind == EventChangesRequested {
			return r.History[i].Digest
		}
	}
	return ""
}

// cycle returns the index in the history of the event that began the
// current review cycle: the last request for changes (the scope was sent
// back), or the opening when there was none. An edit after submission
// takes the scope back to changes_requested too, but it is not a sending
// back: only the lead's request for changes begins a cycle.
func (r *Review) cycle() int {
	for i := len(r.History) - 1; i >= 0; i-- {
		if r.History[i].Kind == EventChangesRequested {
			return i
		}
	}
	return 0
}

// recorded returns the last revision by recorded (opened or revised) in
// the history from index from on, or 0 when they recorded none.
func (r *Review) recorded(by accord.Actor, from int) int {
	for i := len(r.History) - 1; i >= max(from, 0); i-- {
		if ev := &r.History[i]; (ev.Kind == EventOpened || ev.Kind == EventRevised) && by.Is(ev.By.ID) {
			return ev.Revision
		}
	}
	return 0
}

// approvedAs returns the last revision by approved in the history with an
// event of kind, or 0 when they never did.
func (r *Review) approvedAs(by accord.Actor, kind EventKind) int {
	for i := len(r.History) - 1; i >= 0; i-- {
		if ev := &r.History[i]; ev.Kind == kind && by.Is(ev.By.ID) {
			return ev.Revision
		}
	}
	return 0
}

// signatory reports whether by is one of the scope's named signatories.
func (s *SOW) signatory(by accord.Actor) bool {
	return slices.ContainsFunc(s.Signatories, by.Is)
}

// leadDuty returns why by may not give the lead approval of the current
// revision, or "" when they may: the lead approver wrote the scope, wrote
// or revised no revision in the current review cycle, is not one of the
// client's signatories, and never approved the scope for the client.
func (s *SOW) leadDuty(by accord.Actor) string {
	r, who := &s.Review, strings.TrimSpace(by.ID)
	switch {
	case by.Is(r.Author):
		return fmt.Sprintf("%s wrote this scope", who)
	case by.Is(r.RevisedBy):
		return fmt.Sprintf("%s recorded revision %d", who, r.Revision)
	}
	if rev := r.recorded(by, r.cycle()); rev > 0 {
		return fmt.Sprintf("%s recorded revision %d in this review cycle", who, rev)
	}
	if s.signatory(by) {
		return fmt.Sprintf("%s is a client signatory of this scope", who)
	}
	if rev := r.approvedAs(by, EventClientApproved); rev > 0 {
		return fmt.Sprintf("%s approved revision %d for the client", who, rev)
	}
	return ""
}

// clientDuty returns why by may not give the client approval of the current
// revision, or "" when they may: the client approver is not the author,
// recorded no revision ever, never approved the scope as implementation
// lead, and is one of the signatories when the scope names any.
func (s *SOW) clientDuty(by accord.Actor) string {
	r, who := &s.Review, strings.TrimSpace(by.ID)
	if by.Is(r.Author) {
		return fmt.Sprintf("%s wrote this scope", who)
	}
	switch {
	case by.Is(r.RevisedBy):
		return fmt.Sprintf("%s recorded revision %d", who, r.Revision)
	case r.Lead != nil && by.Is(r.Lead.By.ID):
		return fmt.Sprintf("%s approved revision %d as implementation lead", who, r.Lead.Revision)
	}
	if rev := r.recorded(by, 0); rev > 0 {
		return fmt.Sprintf("%s recorded revision %d", who, rev)
	}
	if rev := r.approvedAs(by, EventLeadApproved); rev > 0 {
		return fmt.Sprintf("%s approved revision %d as implementation lead", who, rev)
	}
	if len(s.Signatories) > 0 && !s.signatory(by) {
		return fmt.Sprintf("%s is not one of the scope's signatories (%s)", who, strings.Join(quoteAll(s.Signatories), ", "))
	}
	return ""
}

// leadApproved reports whether the current revision has a valid lead
// approval: by an implementation lead whom separation of duties allows
// (see [SOW.leadDuty]).
func (s *SOW) leadApproved() bool {
	r := &s.Review
	a := r.Lead
	return a != nil && a.Revision == r.Revision && a.Digest == r.Digest &&
		a.By.Role == accord.RoleImplementationLead && !blank(a.By.ID) && s.leadDuty(a.By) == ""
}

// clientApproved reports whether the current revision has a client
// approval given no earlier than its lead approval, by a client whom
// separation of duties allows (see [SOW.clientDuty]).
func (s *SOW) clientApproved() bool {
	r := &s.Review
	a := r.Client
	return a != nil && s.leadApproved() && a.Revision == r.Revision && a.Digest == r.Digest &&
		a.By.Role == accord.RoleClient && !blank(a.By.ID) && !a.At.Before(r.Lead.At) && s.clientDuty(a.By) == ""
}

// Approvals returns the approvals the current revision of s has:
// [ApprovalsLeadAndClient] when an implementation lead and then a client
// approved it and the review says client_approved, [ApprovalsLead] when only
// the lead did and the review says lead_approved (or client_approved), and
// [ApprovalsNone] otherwise. An approval counts only when it is of the
// current revision and digest, by an implementation lead who wrote neither
// the scope nor the revision, then by a client no earlier than the lead.
// Content edited since the revision was recorded has no approvals, until it
// is recorded and approved again, and a review that disagrees with its
// history ([SOW.Verify]: an approval with no matching review event) has
// none: every gate that asks (the close, the contract, the payment policy)
// reads the history, not the summary.
func (s *SOW) Approvals() Approvals {
	if s == nil || s.Review.Digest == "" || s.Digest() != s.Review.Digest || s.Verify() != nil {
		// A review that disagrees with its history (an approval with no
		// matching review event, a status set by hand) approves nothing.
		return ApprovalsNone
	}
	r := &s.Review
	switch {
	case r.Status == StatusClientApproved && s.clientApproved():
		return ApprovalsLeadAndClient
	case (r.Status == StatusLeadApproved || r.Status == StatusClientApproved) && s.leadApproved():
		return ApprovalsLead
	}
	return ApprovalsNone
}

// Approved reports whether the current revision of s is approved: by the
// implementation lead and then by the client ([ApprovalsLeadAndClient]).
// It is the condition for taking money and for closing a deal on the
// scope; any edit makes it false until both approve again.
func (s *SOW) Approved() bool { return s.Approvals() == ApprovalsLeadAndClient }
