package deal_test

import (
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
)

// TestValidateBlankIDAndOwner: an ID or owner made of spaces is missing.
func TestValidateBlankIDAndOwner(t *testing.T) {
	d := deal.Deal{ID: "   ", Owner: " \t"}
	got := errtest.Lines(t, d.Validate())
	want := []string{"id: is required", "owner: is required"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Validate: %q; want %q", got, want)
	}
}
