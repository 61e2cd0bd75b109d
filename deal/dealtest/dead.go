package dealtest

import (
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"pgregory.net/rapid"
)

// deadDraws is how many generated deals dead tries in a stage whose
// complete canonical deal cannot advance, before it calls the next stage
// dead: half drawn complete, half as [DealAt] draws them.
const deadDraws = 64

// dead reports every advance that no generated deal can make: an exit
// criterion of a stage, or an entry criterion of the stage after it, that
// none of the deals dealtest generates meets, so that the stage after (and
// every one after it) is reached by no deal the harness can make. A stage
// passed as reachable because the move exists would hide it.
//
// It first asks the complete canonical deal in the stage (every part
// filled, see [Check]) at the time of its last move; only when that deal
// cannot advance does it draw generated deals, from fixed seeds, so the
// answer is deterministic. Each criterion no deal met is reported at its
// path, naming it; when each was met by some deal but never all by one,
// the criteria still unmet on the deal that came closest are reported.
func (m *model) dead() []error {
	var errs []error
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	paths := map[string]crit{}
	for _, c := range m.criteria() {
		paths[key(c.stage, c.side, c.ID)] = c
	}
	for i, s := range m.stages {
		d := &deal.Deal{ID: "d-1", Owner: rep.ID}
		m.canonicalHistory(d, s.ID, start)
		at := d.History[len(d.History)-1].At
		for _, p := range parts {
			p.fill(m, nil, d, at, full)
		}
		link(d)
		gaps, ok := m.gaps(d, at)
		if ok && len(gaps) == 0 {
			continue
		}
		met := map[string]bool{}
		var closest []accord.Unmet
		found := false
		stage := s.ID
		gens := []*rapid.Generator[*deal.Deal]{m.completeDeal(stage), rapid.Custom(func(t *rapid.T) *deal.Deal { return m.draw(t, stage) })}
		for n := 0; n < deadDraws && !found; n++ {
			d, ok := example(gens[n%2], n)
			if !ok {
				continue
			}
			now := d.History[len(d.History)-1].At
			gaps, ok := m.gaps(d, now)
			if !ok {
				continue
			}
			if len(gaps) == 0 {
				found = true
				break
			}
			unmet := map[string]bool{}
			for _, u := range gaps {
				unmet[key(deal.StageID(u.State), u.Side, u.Criterion)] = true
			}
			for _, c := range m.advanceCriteria(i) {
				if k := key(c.stage, c.side, c.ID); !unmet[k] {
					met[k] = true
				}
			}
			if closest == nil || len(gaps) < len(closest) {
				closest = gaps
			}
		}
		if found {
			continue
		}
		next := m.id(i + 1)
		never := 0
		for _, c := range m.advanceCriteria(i) {
			if met[key(c.stage, c.side, c.ID)] {
				continue
			}
			never++
			errs = append(errs, accord.Invalid(c.path, "%s is met by no deal dealtest generates, so no deal advances from %s to %s: %s is dead. Make the criterion one a deal can meet, or draw what it reads with the Populate option", c, s.ID, next, next))
		}
		if never == 0 {
			for _, u := range closest {
				c := paths[key(deal.StageID(u.State), u.Side, u.Criterion)]
				errs = append(errs, accord.Invalid(c.path, "%s is met by some deals dealtest generates, but never together with the other criteria of the advance from %s to %s: %s is dead", c, s.ID, next, next))
			}
		}
	}
	return errs
}

func key(stage deal.StageID, side accord.Side, id string) string {
	return string(stage) + "/" + string(side) + "/" + id
}

// advanceCriteria lists the criteria an advance out of the stage at
// position i checks: its exit criteria, then the entry criteria of the
// stage after it.
func (m *model) advanceCriteria(i int) []crit {
	var out []crit
	next := m.id(i + 1)
	for _, c := range m.criteria() {
		if c.stage == m.stages[i].ID && c.side == accord.SideExit || c.stage == next && c.side == accord.SideEntry {
			out = append(out, c)
		}
	}
	return out
}

// gaps returns the gaps of d's advance at now, but for "scope_presented":
// the close of a process that keeps a scope guarantee lists it on every
// deal, and it is met by presenting the Scope of Work to Process.Close,
// which the close's other criteria already read through the deal's
// reference. False when a criterion panicked (which
// criteria_do_not_panic reports).
func (m *model) gaps(d *deal.Deal, now time.Time) (gaps []accord.Unmet, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return slices.DeleteFunc(m.p.Unmet(d, now), func(u accord.Unmet) bool { return u.Criterion == "scope_presented" }), true
}

// completeDeal generates deals in stage with every part complete, drawn
// histories and the Populate options applied: the deals most likely to
// advance.
func (m *model) completeDeal(stage deal.StageID) *rapid.Generator[*deal.Deal] {
	return rapid.Custom(func(t *rapid.T) *deal.Deal {
		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		start := epoch.Add(time.Duration(rapid.IntRange(0, 10*365*24*60).Draw(t, "start_minutes")) * time.Minute).In(loc)
		d := &deal.Deal{ID: fmt.Sprintf("d-%d", rapid.IntRange(1, 9999).Draw(t, "id")), Owner: rep.ID}
		m.history(t, d, stage, start)
		at := d.History[len(d.History)-1].At
		levels := make([]level, len(parts))
		for _, p := range parts {
			p.fill(m, t, d, at, full)
		}
		m.fillRead(d, at, levels)
		link(d)
		for _, f := range m.populate {
			f(t, d)
		}
		return d
	})
}

// example draws one example of g from seed; false when drawing failed.
func example(g *rapid.Generator[*deal.Deal], seed int) (d *deal.Deal, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return g.Example(seed), true
}
