package metrics

import (
	"testing"

	"github.com/accordhq/accord/deal"
)

// TestReasonIndex: the index the calculators count losses by finds every
// loss reason, in the order of the loss reasons the results list, and
// nothing else.
func TestReasonIndex(t *testing.T) {
	b, err := newBase(deal.Default())
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range b.reasons {
		if got := r.Index(); got != i {
			t.Errorf("%q.Index() = %d, want %d", r, got, i)
		}
	}
	for _, r := range []deal.LossReason{"", "pricey", "other ", "disqualified_"} {
		if got := r.Index(); got != -1 {
			t.Errorf("%q.Index() = %d, want -1", r, got)
		}
	}
}
