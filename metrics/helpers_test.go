package metrics_test

import (
	"testing"

	"github.com/accordhq/accord/deal"
)

// variantOf returns the variant "v" of p whose stage gains an exit
// criterion (the account present): a process with the same stage IDs as p
// but other criteria.
func variantOf(t *testing.T, p *deal.Process, stage deal.StageID) *deal.Process {
	t.Helper()
	v, err := p.Derive(deal.Variant{ID: "v", Stages: []deal.StageChange{{Stage: stage, AddExit: []deal.Criterion{
		{ID: "x", Description: "x", Rule: deal.Present("account")},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// benchSize returns how many inputs a benchmark runs over: full, or short
// with -short.
func benchSize(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}
