package engine_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord/internal/engine"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// allFacts is the fused check of a list of facts: it holds when every one
// does.
type allFacts []engine.Check[subject]

func (a allFacts) Met(s subject, now time.Time) bool {
	for _, c := range a {
		if !c.Met(s, now) {
			return false
		}
	}
	return true
}

// TestFuse checks that a machine given a Fuse reports exactly what the
// same machine without one reports, on every transition and any subject,
// and that the fuse is given the checks of each gated transition, exit
// criteria first.
func TestFuse(t *testing.T) {
	plain := machine(t)
	var fused [][]engine.Check[subject]
	m, err := engine.New(machineStates(), machineMoves(), func(cs []engine.Check[subject]) engine.Check[subject] {
		fused = append(fused, cs)
		return allFacts(cs)
	})
	if err != nil {
		t.Fatal(err)
	}
	var ab []engine.Check[subject]
	for _, cs := range fused {
		if len(cs) == 4 && cs[0] == fact("a1") {
			ab = cs
		}
	}
	if want := []engine.Check[subject]{fact("a1"), fact("a2"), fact("b1"), fact("b2")}; !cmp.Equal(ab, want) {
		t.Errorf("the fuse of a -> b was given %v, want %v", ab, want)
	}
	moves := []struct{ from, event string }{{"a", "next"}, {"b", "next"}, {"c", "back"}, {"a", "jump"}}
	rapid.Check(t, func(t *rapid.T) {
		s := subject{}
		for _, f := range []string{"a1", "a2", "b1", "b2", "b3", "c1"} {
			s[f] = rapid.Bool().Draw(t, f)
		}
		for _, mv := range moves {
			want, _ := plain.Find(mv.from, mv.event)
			got, _ := m.Find(mv.from, mv.event)
			if diff := cmp.Diff(want.Unmet(s, time.Time{}), got.Unmet(s, time.Time{})); diff != "" {
				t.Fatalf("%s from %s: unmet with a fuse differs (-without +with):\n%s", mv.event, mv.from, diff)
			}
		}
	})
}
