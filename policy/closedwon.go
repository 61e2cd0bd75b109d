package policy

import "github.com/accordhq/accord/scope"

// ClosedWonOnStructure returns the policy that a deal is closed won only on
// structure: the current revision of its own Scope of Work approved by the
// implementation lead and then by the client, and the contract data, that
// is, a term (commercials.term_months), an implementation start that with
// the term fixes the renewal date (commercials.implementation_start), and
// the categories of the scoped work (the scope reference's Categories).
//
// It checks a deal that is closing (Subject.Closing, as the criteria of
// [Gate] are) or won (Subject.Won); it has nothing to say of an open deal.
func ClosedWonOnStructure() Policy {
	return fixed{IDClosedWonOnStructure, "Closed Won only on structure: an approved Scope of Work, a term, a renewal date and the scoped categories."}
}

func closedWonOnStructure(s Subject) []Violation {
	d := s.Deal
	if d == nil || !s.Closing && !s.Won {
		return nil
	}
	var out []Violation
	v := func(field, format string, args ...any) {
		out = append(out, s.Violation(IDClosedWonOnStructure, field, format, args...))
	}
	switch ref := d.Scope; {
	case ref.ID == "":
		v("deal.scope", "the deal has no Scope of Work; close on a scope the implementation lead and the client approved")
	case ref.DealID != d.ID:
		v("deal.scope.deal_id", "the deal's scope reference is to deal %q's scope; close on the deal's own scope", ref.DealID)
	default:
		if !ref.Approved() && ref.Approvals != scope.ApprovalsLead {
			v("deal.scope.approvals", "the implementation lead has not approved revision %d of the Scope of Work", ref.Revision)
		}
		if !ref.Approved() {
			v("deal.scope.approvals", "the client has not approved revision %d of the Scope of Work after the implementation lead", ref.Revision)
		}
		if len(ref.Categories) == 0 {
			v("deal.scope.categories", "the Scope of Work names no categories of work; give its steps their activities")
		}
	}
	if d.Commercials.TermMonths <= 0 {
		v("deal.commercials.term_months", "the term is not set; a contract needs its term in months")
	}
	if d.Commercials.ImplementationStart.IsZero() {
		v("deal.commercials.implementation_start", "the implementation start is not set; with the term it fixes the renewal date")
	}
	return out
}
