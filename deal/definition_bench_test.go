package deal_test

import (
	"encoding/json"
	"testing"

	"github.com/accordhq/accord/deal"
)

// loop runs op in b's loop, reporting allocations; an error fails b.
func loop[T any](b *testing.B, op func() (T, error)) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad measures reading and validating the Unified process from
// its JSON definition, as a host does at start-up or when RevOps changes it.
func BenchmarkLoad(b *testing.B) {
	data, err := json.Marshal(deal.Unified())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	loop(b, func() (*deal.Process, error) { return deal.Load(data, deal.LoadOptions{}) })
}

// BenchmarkNewProcess is the baseline for BenchmarkLoad: building the same
// process from its Go configuration, with no JSON.
func BenchmarkNewProcess(b *testing.B) {
	cfg := deal.Unified().Config()
	loop(b, func() (*deal.Process, error) { return deal.NewProcess(cfg) })
}

// BenchmarkMarshal measures writing the Unified process as JSON.
func BenchmarkMarshal(b *testing.B) {
	p := deal.Unified()
	loop(b, func() ([]byte, error) { return json.Marshal(p) })
}

// BenchmarkDerive measures deriving a variant of Unified that removes,
// inserts and changes stages.
func BenchmarkDerive(b *testing.B) {
	base := deal.Unified()
	days := 7
	v := deal.Variant{
		Remove: []deal.StageID{deal.StageTargeting},
		Insert: []deal.Insertion{{After: deal.StageBusinessCase, Before: deal.StageProposal, Stage: securityReview()}},
		Stages: []deal.StageChange{{Stage: deal.StageDiscovery, HealthyDays: &days, RemoveExit: []string{"constraint_legal"}}},
	}
	loop(b, func() (*deal.Process, error) { return base.Derive(v) })
}

// BenchmarkLoadDeepAnyOf measures refusing a definition whose one criterion
// nests any_of 3,000 deep (about 84 kB): the loader stops at the depth cap,
// so the cost grows with the size of the input, not with its square.
func BenchmarkLoadDeepAnyOf(b *testing.B) {
	rule := nestAnyOf(3000)
	data := []byte(`{"stages":[{"id":"a","name":"A","probability":0,"exit":[{"id":"x","description":"x",` + rule[1:] + `]}]}`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := deal.Load(data, deal.LoadOptions{}); err == nil {
			b.Fatal("a definition nested 3,000 deep loaded")
		}
	}
}
