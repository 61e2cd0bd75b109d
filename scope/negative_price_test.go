package scope_test

import (
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// TestNegativePriceRefused: a Scope of Work and a proposal with a negative
// price are invalid, naming the field "price".
func TestNegativePriceRefused(t *testing.T) {
	s := planMini(planStep("configure", 0, 1))
	s.Price = accord.Money{Amount: decimal.NewFromInt(-1000), Currency: "USD"}
	want := []planProblem{{"price", "must not be negative"}}
	if diff := cmp.Diff(want, planProblems(t, s.Validate(accord.Calendar{}))); diff != "" {
		t.Errorf("SOW.Validate (-want +got):\n%s", diff)
	}
	p := scope.Proposal{ID: "prop-1", DealID: "deal-t", Price: accord.Money{Amount: decimal.NewFromInt(-1), Currency: "USD"}}
	if diff := cmp.Diff(want, planProblems(t, p.Validate())); diff != "" {
		t.Errorf("Proposal.Validate (-want +got):\n%s", diff)
	}
	p.Price.Amount = decimal.Zero
	if err := p.Validate(); err != nil {
		t.Errorf("a zero price is allowed: %v", err)
	}
}

// TestValidateBlankIDs: an ID or deal ID made of spaces is missing.
func TestValidateBlankIDs(t *testing.T) {
	s := planMini(planStep("configure", 0, 1))
	s.ID, s.DealID = "  ", "\t"
	want := []planProblem{{"id", "is required"}, {"deal_id", "is required"}}
	if diff := cmp.Diff(want, planProblems(t, s.Validate(accord.Calendar{}))); diff != "" {
		t.Errorf("SOW.Validate (-want +got):\n%s", diff)
	}
}
