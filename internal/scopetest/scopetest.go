// Package scopetest builds the Scope of Work reviews of the module's test
// fixtures, for tests outside package scope that need a scope approved
// but are not about how it is approved. It is imported by tests only.
package scopetest

import (
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// LeadReview is an implementation lead's review of the current revision of
// s under the default calendar, against a team with ample hours (1000) for
// every owner role of its sequence: for tests about what the approvals
// unlock, not about feasibility.
func LeadReview(s *scope.SOW) scope.LeadReview {
	team := scope.Capacity{PerRole: map[string]decimal.Decimal{}}
	for _, st := range s.Steps {
		team.PerRole[st.Owner] = decimal.NewFromInt(1000)
	}
	return scope.LeadReview{Revision: s.Review.Revision, Capacity: team}
}
