package contract_test

import (
	"errors"
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/internal/errtest"
)

// TestNewBlankIDAndOwner: an agreement whose ID or owner is made of spaces
// is missing them.
func TestNewBlankIDAndOwner(t *testing.T) {
	a := terms()
	a.ID, a.Owner = "  ", "\t "
	_, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, a, rep, created)
	if !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("New: %v; want ErrInvalid", err)
	}
	got := errtest.Lines(t, errors.Unwrap(err))
	want := []string{"id: is required", "owner: is required: name the owner or the deal's owner"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("New: %q; want %q", got, want)
	}
}
