package dealcsv

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestLookupFoldProperty checks lookupFold against a lookup of the
// lower-cased string, for ASCII, non-ASCII and long strings.
func TestLookupFoldProperty(t *testing.T) {
	m := map[string]int{"won": 1, "closed won": 2, "étape": 3, "straße": 4, strings.Repeat("x", 70): 5, "": 6}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.SampledFrom([]string{"Won", "WON", "won", "Closed Won", "ÉTAPE", "Étape", "STRASSE", "Straße", strings.Repeat("X", 70), "", "lost", "İ"}),
			rapid.StringMatching(`[A-Za-zÉé ]{0,8}`),
		).Draw(t, "s")
		got, gotOK := lookupFold(m, s)
		want, wantOK := m[strings.ToLower(s)]
		if got != want || gotOK != wantOK {
			t.Fatalf("lookupFold(%q): %d %v, want %d %v", s, got, gotOK, want, wantOK)
		}
	})
	if n := testing.AllocsPerRun(100, func() { lookupFold(m, "Closed Won") }); n != 0 {
		t.Errorf("lookupFold of a short ASCII string: %v allocations, want 0", n)
	}
}

// TestStageOfRemembers checks that a fixed plan's stageOf, which
// remembers the labels it read, answers as the lookup itself does, the
// first time and every time after.
func TestStageOfRemembers(t *testing.T) {
	m := &Mapping{
		Stages:    []Stage{{ID: "lead"}, {ID: "demo", Name: "Demo", Values: []string{"Vorführung"}}, {ID: "won", Name: "Closed Won"}},
		ClosedWon: "won", WonValues: []string{"Signed"}, LostValues: []string{"Lost", "Dead"},
		Columns: map[Field]string{FieldID: "id", FieldStage: "stage"}, Currency: "USD",
	}
	p, _, err := compile(m, []string{"id", "stage"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		for _, v := range rapid.SliceOfN(rapid.SampledFrom([]string{"lead", "LEAD", "Demo", "demo", "VORFÜHRUNG", "Vorführung", "Closed Won", "closed won", "won", "Signed", "SIGNED", "lost", "Dead", "bogus", ""}), 1, 30).Draw(t, "labels") {
			gi, gok := p.stageOf(v)
			wi, wok := p.lookupStage(v)
			if gi != wi || gok != wok {
				t.Fatalf("stageOf(%q): %d %v, want %d %v", v, gi, gok, wi, wok)
			}
		}
	})
	if i, ok := p.stageOf("SIGNED"); !ok || i != p.won {
		t.Errorf("stageOf(SIGNED): %d %v, want Closed Won (%d)", i, ok, p.won)
	}
	if i, ok := p.stageOf("dead"); !ok || i != lost {
		t.Errorf("stageOf(dead): %d %v, want lost", i, ok)
	}
}
