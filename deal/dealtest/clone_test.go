package dealtest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"pgregory.net/rapid"
)

// TestClone: a clone is deeply equal to its original and shares no slice,
// map or pointer with it, so that editing one leaves the other alone.
func TestClone(t *testing.T) {
	m := newModel(deal.Unified(), nil)
	gen := m.anyDeal()
	rapid.Check(t, func(t *rapid.T) {
		d := gen.Draw(t, "deal")
		c := clone(d)
		if !reflect.DeepEqual(c, d) {
			t.Fatalf("clone differs: changed %v", changed(d, c))
		}
		keep := clone(d)
		// Edit everything the clone holds by reference.
		c.History[0].Reason = "edited"
		c.Fields = nil
		if d.Fields != nil {
			c = clone(d)
			c.Fields["edited"] = "yes"
		}
		for i := range c.Stakeholders {
			c.Stakeholders[i].Name = "edited"
		}
		for i := range c.Discovery.Requirements {
			c.Discovery.Requirements[i].Title = "edited"
		}
		for i := range c.Discovery.SuccessCriteria {
			c.Discovery.SuccessCriteria[i] = "edited"
		}
		for i := range c.Artifacts {
			c.Artifacts[i].Ref = "edited"
		}
		for i := range c.Activities {
			c.Activities[i].Summary = "edited"
		}
		if c.Loss != nil {
			c.Loss.Note = "edited"
		}
		c.History[0].Reason = "edited"
		if !reflect.DeepEqual(d, keep) {
			t.Fatalf("editing the clone changed the original: %v", changed(keep, d))
		}
	})
}

// TestChanged: changed names the top-level fields that differ, by their
// JSON names.
func TestChanged(t *testing.T) {
	a := &deal.Deal{ID: "d-1", Stage: deal.StageTargeting}
	b := clone(a)
	b.Stage, b.Version, b.Discovery.Blockers = deal.StageDiscovery, 3, "none"
	b.StageEnteredAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got, want := changed(a, b), []string{"stage", "stage_entered_at", "version", "discovery"}; !slices.Equal(got, want) {
		t.Errorf("changed = %v, want %v", got, want)
	}
	if got := changed(a, clone(a)); got != nil {
		t.Errorf("changed(a, clone(a)) = %v, want nil", got)
	}
}
