package dealtest

import (
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// fullLevels returns every part at level full.
func fullLevels() []level { return make([]level, len(parts)) }

// TestFillReadLeavesKnownFieldsAlone: on the default process, the parts
// fill every field its criteria read, so the fill by type changes nothing
// on a deal drawn complete.
func TestFillReadLeavesKnownFieldsAlone(t *testing.T) {
	m := newModel(deal.Default(), nil)
	rapid.Check(t, func(t *rapid.T) {
		d := &deal.Deal{ID: "d-1", Owner: rep.ID}
		at := epoch.Add(time.Duration(rapid.IntRange(0, 1e6).Draw(t, "minutes")) * time.Minute)
		for _, p := range parts {
			p.fill(m, t, d, at, full)
		}
		before := clone(d)
		m.fillRead(d, at, fullLevels())
		if diff := cmp.Diff(before, d, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
			t.Fatalf("fillRead changed a deal the parts filled (-before +after):\n%s", diff)
		}
	})
}

// TestFillReadFillsUnknownFields: a field a criterion reads and the parts
// left empty, as a field added to deal.Deal would be, is filled by its
// type when its part is drawn full, and only then.
func TestFillReadFillsUnknownFields(t *testing.T) {
	cfg := deal.Default().Config()
	cfg.Stages[0].Exit = append(cfg.Stages[0].Exit,
		deal.Criterion{ID: "fill_trigger", Description: "a trigger", Rule: deal.Present("targeting.trigger")},
		deal.Criterion{ID: "fill_years", Description: "a term", Rule: deal.Present("commercials.term_months")},
		deal.Criterion{ID: "fill_start", Description: "a start", Rule: deal.Reached("commercials.implementation_start")})
	p, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(p, nil)
	at := epoch.AddDate(1, 0, 0)
	d := &deal.Deal{ID: "d-1", Owner: rep.ID}
	for _, pt := range parts {
		pt.fill(m, nil, d, at, full)
	}
	d.Targeting.Trigger, d.Commercials.TermMonths, d.Commercials.ImplementationStart = "", 0, time.Time{}
	levels := fullLevels()
	levels[partOf("commercials.term_months")] = empty
	m.fillRead(d, at, levels)
	if d.Targeting.Trigger == "" {
		t.Error("targeting.trigger, read and left empty in a full part, was not filled")
	}
	if d.Commercials.TermMonths != 0 || !d.Commercials.ImplementationStart.IsZero() {
		t.Errorf("commercials, drawn empty, was filled: %+v", d.Commercials)
	}
	levels[partOf("commercials.term_months")] = full
	m.fillRead(d, at, levels)
	if d.Commercials.TermMonths != 1 || !d.Commercials.ImplementationStart.Equal(at) {
		t.Errorf("commercials, drawn full: term %d, start %v; want 1 and %v", d.Commercials.TermMonths, d.Commercials.ImplementationStart, at)
	}
}
