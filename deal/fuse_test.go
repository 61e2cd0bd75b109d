package deal

import (
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord/internal/engine"
	"github.com/accordhq/accord/scope"
	"pgregory.net/rapid"
)

// TestFuseIsAllOf checks the fused check (fuse) of the criteria of every
// advance of the built-in processes against the criteria one by one, on drawn deals whose text
// fields are blank or not: it holds exactly when every criterion does.
func TestFuseIsAllOf(t *testing.T) {
	var texts []string
	for p, f := range fieldReaders {
		if f.text {
			texts = append(texts, p)
		}
	}
	slices.Sort(texts)
	for _, p := range []*Process{Default(), Unified()} {
		rapid.Check(t, func(t *rapid.T) {
			d := &Deal{}
			for _, path := range texts {
				*(*string)(at(d, fieldReaders[path].off)) = rapid.SampledFrom([]string{"", " ", "x", "\u00a0"}).Draw(t, path)
			}
			if rapid.Bool().Draw(t, "success_criteria") {
				d.Discovery.SuccessCriteria = []string{"within 5%"}
			}
			if rapid.Bool().Draw(t, "requirements") {
				d.Discovery.Requirements = []scope.Requirement{{Title: "import nightly", Kind: scope.KindIntegration}}
			}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			for _, s := range p.stages {
				var checks []engine.Check[*Deal]
				want := true
				for _, c := range slices.Concat(s.Exit, p.entryAfter(s.ID)) {
					checks = append(checks, c.Rule)
					want = want && c.Rule.Met(d, now)
				}
				if got := fuse(checks).Met(d, now); got != want {
					t.Fatalf("%s: fused check %v, criteria one by one %v", s.ID, got, want)
				}
			}
		})
	}
}

// entryAfter returns the entry criteria of the stage an advance from id
// leads to; none for live.
func (p *Process) entryAfter(id StageID) []Criterion {
	next, _ := p.StageAfter(id)
	if s, ok := p.Stage(next); ok {
		return s.Entry
	}
	return nil
}
