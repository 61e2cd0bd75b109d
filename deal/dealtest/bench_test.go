package dealtest_test

import (
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
)

// BenchmarkCheck measures the start-up check of the unified process.
func BenchmarkCheck(b *testing.B) {
	p := deal.Unified()
	b.ReportAllocs()
	for b.Loop() {
		if err := dealtest.Check(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDealAt measures drawing one deal in proposal, with a history of
// five moves or more.
func BenchmarkDealAt(b *testing.B) {
	gen := dealtest.DealAt(deal.Unified(), deal.StageProposal)
	b.ReportAllocs()
	seed := 0
	for b.Loop() {
		seed++
		if d := gen.Example(seed); d.Stage != deal.StageProposal {
			b.Fatalf("drew a deal in %s", d.Stage)
		}
	}
}
