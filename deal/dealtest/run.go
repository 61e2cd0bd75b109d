package dealtest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"pgregory.net/rapid"
)

// An Option changes the deals [Run], [Deal] and [DealAt] generate. The set
// of options is closed: they are made by the functions of this package.
type Option interface{ apply(*model) }

type option func(*model)

func (o option) apply(m *model) { o(m) }

// Populate adds f to the drawing of every generated deal: f is called last,
// with the deal complete, and may set whatever the host's own criteria read
// and the generators cannot know of, such as a host field read by a
// [deal.RuleFunc] that declares no Field. f must draw from t, not from
// another source of randomness, so that failures shrink and reproduce. It
// must leave the history, stage, version and loss alone.
func Populate(f func(t *rapid.T, d *deal.Deal)) Option {
	return option(func(m *model) {
		if f != nil {
			m.populate = append(m.populate, f)
		}
	})
}

// Keeps asserts that the process keeps each of gs ([deal.Process.Guarantees]):
// the invariant keeps_guarantees fails, naming each one missing, when a
// variant of the unified process dropped or moved a scope gate. Without it
// that invariant checks only that the guarantees the process reports are
// those its close enforces.
func Keeps(gs ...deal.Guarantee) Option {
	return option(func(m *model) { m.keeps = append(m.keeps, gs...) })
}

// invariant is one promise Run checks, in its own subtest named name. What
// each promises is written once, in the package doc under "Invariants", in
// the order of [invariants]; TestInvariantsDocumented keeps the two lists
// in step.
type invariant struct {
	name string
	run  func(t *testing.T, m *model)
}

// invariants lists the invariants of the package doc, in the same order.
var invariants = []invariant{
	{"reachable", runReachable},
	{"criteria_well_formed", runWellFormed},
	{"criteria_do_not_panic", criteriaInvariant(panics)},
	{"criteria_do_not_modify", criteriaInvariant(modifies)},
	{"criteria_deterministic", criteriaInvariant(flaky)},
	{"move_iff_nothing_unmet", runMoveIffNoGaps},
	{"refused_move_changes_nothing", runRefusedMove},
	{"history_consistent", runHistory},
	{"json_round_trip", runJSON},
	{"keeps_guarantees", runKeeps},
}

func runKeeps(t *testing.T, m *model) {
	have := m.p.Guarantees()
	for _, g := range m.keeps {
		if !slices.Contains(have, g) {
			t.Errorf("the process does not keep the guarantee %s: it keeps %v; a scope gate was dropped or moved off the close", g, have)
		}
	}
	// A process that keeps a guarantee closes only through Close: an
	// advance into its Closed Won stage lists scope_presented.
	if len(have) == 0 {
		return
	}
	won := m.p.ClosedWon()
	for _, s := range m.stages {
		if next, _ := m.p.StageAfter(s.ID); next == won {
			d := &deal.Deal{ID: "dealtest", Owner: rep.ID, Stage: s.ID}
			gaps, err := m.p.UnmetTo(d, won, epoch)
			if err != nil || !slices.ContainsFunc(gaps, func(u accord.Unmet) bool { return u.Criterion == "scope_presented" }) {
				t.Errorf("the process keeps %v, but an advance into %s does not ask for the scope to be presented: %v %v", have, won, gaps, err)
			}
		}
	}
}

// docRef tells a failing run where the invariant it broke is explained.
const docRef = `under "Invariants" in the package doc (go doc github.com/accordhq/accord/deal/dealtest)`

// Run checks p against every invariant the library promises, one subtest
// per invariant, named and explained in the package doc. A failure names
// the invariant, says where it is explained, and shows the smallest deal
// rapid could shrink it to, with the criterion at fault when one is. A
// criterion that panics is reported by its stage, side and ID; the run
// goes on.
//
// The number of generated cases per invariant is rapid's: 100 by default,
// set with -rapid.checks (divided by 5 under -short); the sequences of the
// stateful invariant are -rapid.steps long (30 by default).
func Run(t *testing.T, p *deal.Process, opts ...Option) {
	t.Helper()
	m := newModel(p, opts)
	if m.err != nil {
		t.Fatalf("dealtest: %v", m.err)
	}
	for _, inv := range invariants {
		t.Run(inv.name, func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("invariant %s is explained %s", inv.name, docRef)
				}
			}()
			inv.run(t, m)
		})
	}
}

func runReachable(t *testing.T, m *model) {
	for _, err := range m.structure() {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	m.canonicalProblems() // see Check
	for _, err := range m.dead() {
		t.Error(err)
	}
}

func runWellFormed(t *testing.T, m *model) {
	for _, err := range m.wellFormed() {
		t.Error(err)
	}
}

// criteriaInvariant checks one kind of criterion misbehaviour: on the
// canonical deals first, then on generated ones.
func criteriaInvariant(kind problemKind) func(*testing.T, *model) {
	return func(t *testing.T, m *model) {
		for _, pr := range m.canonicalProblems() {
			if pr.kind == kind {
				t.Error(pr)
			}
		}
		if t.Failed() {
			return
		}
		m.checkAnyDeal(t, func(t *rapid.T, d *deal.Deal, now time.Time) {
			for _, pr := range m.probe(d, now, "") {
				if pr.kind == kind {
					t.Fatalf("%v\n%s", pr, repro(d, now))
				}
			}
		})
	}
}

// anyDeal generates deals in any stage of the process.
func (m *model) anyDeal() *rapid.Generator[*deal.Deal] {
	return rapid.Custom(func(t *rapid.T) *deal.Deal {
		return m.draw(t, rapid.SampledFrom(m.all).Draw(t, "stage"))
	})
}

// checkAnyDeal runs check under rapid on a deal drawn by [model.anyDeal]
// and a time drawn by [model.now].
func (m *model) checkAnyDeal(t *testing.T, check func(t *rapid.T, d *deal.Deal, now time.Time)) {
	t.Helper()
	gen := m.anyDeal()
	rapid.Check(t, func(t *rapid.T) {
		d := gen.Draw(t, "deal")
		check(t, d, m.now(t, d))
	})
}

// now draws a time no earlier than d's last event and at most 45 days
// after it.
func (m *model) now(t *rapid.T, d *deal.Deal) time.Time {
	last := d.History[len(d.History)-1].At
	return last.Add(time.Duration(rapid.IntRange(0, 45*24*60).Draw(t, "now_minutes_later")) * time.Minute)
}

// repro formats a deal and a time for a failure message.
func repro(d *deal.Deal, now time.Time) string {
	return fmt.Sprintf("at %s, on the deal:\n%s", now.Format(time.RFC3339Nano), encode(d))
}

// blame probes every criterion on d and lists those that misbehave, for a
// failure message; it is empty when none does.
func (m *model) blame(d *deal.Deal, now time.Time) string {
	prs := m.probe(d, now, "")
	if len(prs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nthe criteria at fault:")
	for _, pr := range prs {
		b.WriteString("\n\t")
		b.WriteString(pr.Error())
	}
	return b.String()
}

// call runs f, turning a panic into a failure that names the criteria at
// fault; before is the deal as it was before f.
func (m *model) call(t *rapid.T, what string, before *deal.Deal, now time.Time, f func()) {
	t.Helper()
	var v any
	panicked := true
	func() {
		defer func() { v = recover() }()
		f()
		panicked = false
	}()
	if panicked {
		t.Fatalf("%s panicked: %v%s\n%s", what, v, m.blame(before, now), repro(before, now))
	}
}

// do makes a move of kind to to on d.
func (m *model) do(d *deal.Deal, kind deal.EventKind, to deal.StageID, reason string, loss deal.LossReason, by accord.Actor, at time.Time) error {
	switch kind {
	case deal.EventOpen:
		return m.p.Open(d, by, at)
	case deal.EventAdvance, deal.EventWon, deal.EventLive:
		return m.p.Advance(d, by, at)
	case deal.EventRevert:
		return m.p.Revert(d, to, reason, by, at)
	case deal.EventLost:
		return m.p.Lose(d, loss, reason, by, at)
	case deal.EventReopen:
		return m.p.Reopen(d, to, reason, by, at)
	}
	return fmt.Errorf("dealtest: no move of kind %q", kind)
}

// sameUnmet compares two lists of unmet criteria, nil and empty alike.
func sameUnmet(a, b []accord.Unmet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// classified reports whether err wraps one of the module's sentinels.
func classified(err error) bool {
	return errors.Is(err, accord.ErrBlocked) || errors.Is(err, accord.ErrInvalid) ||
		errors.Is(err, accord.ErrForbidden) || errors.Is(err, accord.ErrConflict)
}

// nowhere is a stage no process has.
const nowhere deal.StageID = "dealtest_nowhere"

func runMoveIffNoGaps(t *testing.T, m *model) {
	m.checkAnyDeal(t, func(t *rapid.T, d *deal.Deal, now time.Time) {
		before := clone(d)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("%s%s\n%s", fmt.Sprintf(format, args...), m.blame(before, now), repro(before, now))
		}
		var moves []deal.Move
		m.call(t, "Moves", before, now, func() { moves = m.p.Moves(d, now) })
		listed := map[deal.StageID]bool{}
		var advance []accord.Unmet
		for _, mv := range moves {
			listed[mv.To] = true
			var gaps []accord.Unmet
			var err error
			m.call(t, "UnmetTo", before, now, func() { gaps, err = m.p.UnmetTo(d, mv.To, now) })
			if err != nil {
				fail("Moves lists %s from %s to %s, but UnmetTo refuses it: %v", mv.Kind, d.Stage, mv.To, err)
			}
			if !sameUnmet(gaps, mv.Unmet) {
				fail("%s from %s to %s: Moves gives the gaps %v, UnmetTo gives %v", mv.Kind, d.Stage, mv.To, mv.Unmet, gaps)
			}
			if mv.Kind == deal.EventAdvance || mv.Kind == deal.EventWon || mv.Kind == deal.EventLive {
				advance = mv.Unmet
			}
			c := clone(before)
			m.call(t, string(mv.Kind), before, now, func() {
				err = m.do(c, mv.Kind, mv.To, "dealtest: a reason", deal.LossNoDecision, rep, now)
			})
			if invalid := before.Validate(); invalid != nil {
				// Every move refuses a deal that fails Validate, whatever
				// its gaps.
				if !errors.Is(err, accord.ErrInvalid) {
					fail("%s from %s to %s of a deal that fails Validate (%v): want ErrInvalid, got %v", mv.Kind, d.Stage, mv.To, invalid, err)
				}
				continue
			}
			if (err == nil) != mv.Possible() {
				fail("%s from %s to %s: the gaps are %v, but the move returned %v", mv.Kind, d.Stage, mv.To, mv.Unmet, err)
			}
			if err != nil {
				var blocked *accord.BlockedError
				if !errors.As(err, &blocked) || !errors.Is(err, accord.ErrBlocked) {
					fail("%s from %s to %s with gaps: want a *accord.BlockedError, got %v", mv.Kind, d.Stage, mv.To, err)
				}
				if !sameUnmet(blocked.Unmet, mv.Unmet) {
					fail("%s from %s to %s: the refusal lists %v, the gaps are %v", mv.Kind, d.Stage, mv.To, blocked.Unmet, mv.Unmet)
				}
				continue
			}
			last := c.History[len(c.History)-1]
			if c.Stage != mv.To || last.Kind != mv.Kind || last.From != d.Stage || !last.At.Equal(now) ||
				c.Version != d.Version+1 || len(c.History) != len(d.History)+1 {
				fail("%s from %s to %s succeeded but the deal is in %s, version %d, with the last event %+v", mv.Kind, d.Stage, mv.To, c.Stage, c.Version, last)
			}
		}
		var gaps []accord.Unmet
		m.call(t, "Unmet", before, now, func() { gaps = m.p.Unmet(d, now) })
		if !sameUnmet(gaps, advance) {
			fail("Unmet gives %v, the advance listed by Moves has the gaps %v", gaps, advance)
		}
		for _, to := range append(m.all[:len(m.all):len(m.all)], nowhere) {
			if listed[to] {
				continue
			}
			var err error
			m.call(t, "UnmetTo", before, now, func() { _, err = m.p.UnmetTo(d, to, now) })
			if !errors.Is(err, accord.ErrConflict) {
				fail("Moves lists no move from %s to %s, but UnmetTo returns %v instead of ErrConflict", d.Stage, to, err)
			}
		}
	})
}

// actors lists an actor of every role and one that is not valid.
var actors = []accord.Actor{rep, manager, admin, lead, client, finance, {ID: "", Role: "boss"}}

var moveKinds = []deal.EventKind{deal.EventAdvance, deal.EventRevert, deal.EventLost, deal.EventReopen, deal.EventOpen}

func runRefusedMove(t *testing.T, m *model) {
	gen := m.anyDeal()
	targets := append(m.all[:len(m.all):len(m.all)], nowhere, "")
	reasons := append(deal.LossReasons(), "", "boredom")
	rapid.Check(t, func(t *rapid.T) {
		d := gen.Draw(t, "deal")
		last := d.History[len(d.History)-1].At
		// Mostly well-formed moves, so that many refusals come from the
		// criteria; sometimes a bad actor, time, reason or target.
		odd := func(label string) bool { return rapid.IntRange(0, 3).Draw(t, label) == 0 }
		kind := rapid.SampledFrom(moveKinds).Draw(t, "kind")
		to := rapid.SampledFrom(targets).Draw(t, "to")
		by, at, reason, loss := rep, last.Add(time.Duration(rapid.IntRange(0, 30*24*60).Draw(t, "at_minutes_later"))*time.Minute), "new information", deal.LossNoDecision
		if odd("odd_actor") {
			by = rapid.SampledFrom(actors).Draw(t, "by")
		}
		if odd("odd_time") {
			at = rapid.SampledFrom([]time.Time{{}, last.Add(-time.Minute), last.Add(-48 * time.Hour)}).Draw(t, "at")
		}
		if odd("odd_reason") {
			reason = rapid.SampledFrom([]string{"", " "}).Draw(t, "reason")
		}
		if odd("odd_loss_reason") {
			loss = rapid.SampledFrom(reasons).Draw(t, "loss_reason")
		}
		before := clone(d)
		var err error
		m.call(t, string(kind), before, at, func() { err = m.do(d, kind, to, reason, loss, by, at) })
		if err == nil {
			return
		}
		if !same(d, before) {
			t.Fatalf("%s to %q by %s at %s was refused (%v) but changed the deal (changed: %s)%s\n%s",
				kind, to, by.Role, at.Format(time.RFC3339), err, strings.Join(changed(before, d), ", "), m.blame(before, at), repro(before, at))
		}
		if !classified(err) {
			t.Fatalf("%s to %q by %s was refused with %v, which wraps none of ErrBlocked, ErrInvalid, ErrForbidden and ErrConflict\n%s", kind, to, by.Role, err, repro(before, at))
		}
	})
}

func runHistory(t *testing.T, m *model) {
	gen := m.anyDeal()
	targets := append(m.all[:len(m.all):len(m.all)], nowhere)
	rapid.Check(t, func(t *rapid.T) {
		d := gen.Draw(t, "deal")
		if err := m.checkHistory(d); err != nil {
			t.Fatalf("the generated deal is inconsistent before any move (does a Populate option change the history?): %v", err)
		}
		now := d.History[len(d.History)-1].At
		actor := func(t *rapid.T) accord.Actor {
			if rapid.IntRange(0, 3).Draw(t, "other_actor") == 0 {
				return rapid.SampledFrom(actors).Draw(t, "actor")
			}
			return rep
		}
		when := func(t *rapid.T) time.Time {
			// Mostly forward in time; sometimes before the last event.
			return now.Add(time.Duration(rapid.IntRange(-24*60, 10*24*60).Draw(t, "minutes_later")) * time.Minute)
		}
		// step makes one move and checks what it did to the deal.
		step := func(t *rapid.T, kind deal.EventKind, to deal.StageID, loss deal.LossReason) {
			by, at := actor(t), when(t)
			before := clone(d)
			from, version, n := d.Stage, d.Version, len(d.History)
			if kind == deal.EventAdvance {
				to, _ = m.p.StageAfter(from)
			}
			var err error
			m.call(t, string(kind), before, at, func() { err = m.do(d, kind, to, "dealtest: a reason", loss, by, at) })
			if err != nil {
				if !same(d, before) {
					t.Fatalf("%s from %s to %s was refused (%v) but changed the deal (changed: %s)%s\n%s", kind, from, to, err, strings.Join(changed(before, d), ", "), m.blame(before, at), repro(before, at))
				}
				if !classified(err) {
					t.Fatalf("%s from %s to %s was refused with %v, which wraps none of the module's sentinel errors", kind, from, to, err)
				}
				return
			}
			last := d.History[len(d.History)-1]
			if kind == deal.EventAdvance {
				kind = m.advanceKind(to)
			}
			if len(d.History) != n+1 || d.Version != version+1 || last.Kind != kind || last.From != from || last.To != to ||
				!last.At.Equal(at) || last.By != by || kind == deal.EventLost && last.LossReason != loss {
				t.Fatalf("%s from %s to %s by %s at %s: want one more event, %s from %s to %s, and version %d; got %d more events, the last %+v, and version %d%s\n%s",
					kind, from, to, by.ID, at.Format(time.RFC3339), kind, from, to, version+1, len(d.History)-n, last, d.Version, m.blame(before, at), repro(before, at))
			}
			now = at
		}
		t.Repeat(map[string]func(*rapid.T){
			"advance": func(t *rapid.T) { step(t, deal.EventAdvance, "", "") },
			"revert": func(t *rapid.T) {
				step(t, deal.EventRevert, rapid.SampledFrom(targets).Draw(t, "to"), "")
			},
			"lose": func(t *rapid.T) {
				step(t, deal.EventLost, deal.StageLost, rapid.SampledFrom(deal.LossReasons()).Draw(t, "loss_reason"))
			},
			"reopen": func(t *rapid.T) {
				step(t, deal.EventReopen, rapid.SampledFrom(targets).Draw(t, "to"), "")
			},
			"edit": func(t *rapid.T) {
				p := rapid.SampledFrom(parts).Draw(t, "part")
				p.fill(m, t, d, now, rapid.SampledFrom([]level{full, empty, blank, mixed}).Draw(t, "level"))
				link(d)
			},
			"": func(t *rapid.T) {
				if err := m.checkHistory(d); err != nil {
					t.Fatalf("the history is inconsistent:\n%v\n%s", err, repro(d, now))
				}
			},
		})
	})
}

func runJSON(t *testing.T, m *model) {
	m.checkAnyDeal(t, func(t *rapid.T, d *deal.Deal, now time.Time) {
		raw := encode(d)
		back := decode(raw)
		if again := encode(back); !bytes.Equal(again, raw) {
			t.Fatalf("the deal's JSON changes after a round trip (changed: %s)\nbefore: %s\nafter:  %s", strings.Join(changed(d, back), ", "), raw, again)
		}
		decide := func(d *deal.Deal) []byte {
			var out []byte
			m.call(t, "Moves", d, now, func() {
				out = encode([]any{m.p.Moves(d, now), m.p.Unmet(d, now), m.p.Risks(d, now), m.p.Triggers(d, now)})
			})
			return out
		}
		if a, b := decide(d), decide(back); !bytes.Equal(a, b) {
			t.Fatalf("the process decides differently for the decoded deal:\noriginal: %s\ndecoded:  %s%s\n%s", a, b, m.blame(d, now), repro(d, now))
		}
	})
}
