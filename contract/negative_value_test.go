package contract_test

import (
	"errors"
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/scope"
)

// TestNewNegativeValue: New checks the computed value as Validate does: a
// negative price never makes a contract, and the refusal is ErrInvalid on
// term.value.
func TestNewNegativeValue(t *testing.T) {
	// A price decision stored before proposals refused negative prices:
	// the proposal's price, negative, was to stand.
	s := decidedSOW(t, scope.ChangeScope)
	s.Review.Resolutions[0].Proposed = usd("-45000.00").String()
	prop := scope.Proposal{ID: "prop-1", DealID: "deal-42", Price: usd("-45000.00")}
	_, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: s, Proposal: prop}, terms(), rep, created)
	var fe *accord.FieldError
	if !errors.Is(err, accord.ErrInvalid) || !errors.As(err, &fe) || fe.Field != "term.value" || fe.Rule != "must not be negative" {
		t.Fatalf("New with a negative price: %v; want ErrInvalid on term.value, must not be negative", err)
	}
}
