package deal_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// actors covers every role, so that the forbidden paths are exercised.
var actors = []accord.Actor{
	rep, manager, lead, client,
	{ID: "u-2", Role: accord.RoleAdmin},
	{ID: "u-3", Role: accord.RoleFinance},
}

// fataler is what testing.TB and *rapid.T share.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// want is the reference model of a move's gaps: the exit criteria of from
// that fail, then the entry criteria of to that fail, evaluated one by one
// from the stage definitions.
func want(p *deal.Process, d *deal.Deal, from, to deal.StageID, exit, entry bool, at time.Time) []accord.Unmet {
	var out []accord.Unmet
	add := func(id deal.StageID, side accord.Side, cs []deal.Criterion) {
		for _, c := range cs {
			if !c.Rule.Met(d, at) {
				out = append(out, accord.Unmet{Criterion: c.ID, State: string(id), Side: side, Message: c.Description})
			}
		}
	}
	if s, ok := p.Stage(from); ok && exit {
		add(from, accord.SideExit, s.Exit)
	}
	if s, ok := p.Stage(to); ok && entry {
		add(to, accord.SideEntry, s.Entry)
	}
	if exit && entry && to == p.ClosedWon() && len(p.Guarantees()) > 0 {
		// The close of a process that keeps a scope guarantee is made
		// with Close, presenting the scope; Advance never makes it.
		out = append(out, accord.Unmet{Criterion: "scope_presented", State: string(to), Side: accord.SideEntry, Message: scopePresented})
	}
	return out
}

const scopePresented = "Close the deal with Process.Close, presenting its Scope of Work and the proposal: a scope reference alone never closes a deal."

// edits change one part of a deal: set it from a complete deal, or clear it.
var edits = []struct {
	name string
	edit func(d, full *deal.Deal, set bool)
}{
	{"segment", func(d, f *deal.Deal, set bool) { d.Segment = pick(set, f.Segment) }},
	{"targeting", func(d, f *deal.Deal, set bool) { d.Targeting = pick(set, f.Targeting) }},
	{"qualification", func(d, f *deal.Deal, set bool) { d.Qualification = pick(set, f.Qualification) }},
	{"not_a_fit", func(d, f *deal.Deal, set bool) { d.Qualification.Fit = deal.FitNone }},
	{"stakeholders", func(d, f *deal.Deal, set bool) { d.Stakeholders = pick(set, f.Stakeholders) }},
	{"one_stakeholder", func(d, f *deal.Deal, set bool) { d.Stakeholders = f.Stakeholders[:1] }},
	{"discovery", func(d, f *deal.Deal, set bool) { d.Discovery = pick(set, f.Discovery) }},
	{"constraints", func(d, f *deal.Deal, set bool) { d.Discovery.Constraints = pick(set, f.Discovery.Constraints) }},
	{"success_criteria", func(d, f *deal.Deal, set bool) {
		d.Discovery.SuccessCriteria = pick(set, f.Discovery.SuccessCriteria)
	}},
	{"alignment", func(d, f *deal.Deal, set bool) { d.Alignment = pick(set, f.Alignment) }},
	{"next_step", func(d, f *deal.Deal, set bool) { d.NextStep = pick(set, f.NextStep) }},
	{"business_case", func(d, f *deal.Deal, set bool) { d.BusinessCase = pick(set, f.BusinessCase) }},
	{"no_sponsor", func(d, f *deal.Deal, set bool) { d.BusinessCase.NoExecutiveSponsor = set }},
	{"commercials", func(d, f *deal.Deal, set bool) { d.Commercials = pick(set, f.Commercials) }},
	{"onboarding", func(d, f *deal.Deal, set bool) { d.Onboarding = pick(set, f.Onboarding) }},
	{"artifacts", func(d, f *deal.Deal, set bool) { d.Artifacts = pick(set, f.Artifacts) }},
	{"requirements", func(d, f *deal.Deal, set bool) {
		d.Discovery.Requirements = pick(set, f.Discovery.Requirements[:3])
	}},
	{"scope", func(d, f *deal.Deal, set bool) { d.Scope = pick(set, f.Scope) }},
	{"scope_unresolved", func(d, f *deal.Deal, set bool) { d.Scope.Unresolved = 1 }},
	{"scope_edited", func(d, f *deal.Deal, set bool) {
		d.Scope.Revision++
		d.Scope.Approvals = scope.ApprovalsNone
	}},
	{"activity", func(d, f *deal.Deal, set bool) {
		d.Activities = append(d.Activities, deal.Activity{Kind: "call", At: f.NextStep.At, By: rep.ID})
	}},
}

func pick[T any](set bool, v T) T {
	if set {
		return v
	}
	var zero T
	return zero
}

// TestMovesStateful drives random deals through random sequences of moves
// and edits, checking every promise of the package after each step.
func TestMovesStateful(t *testing.T) {
	t.Run("default", func(t *testing.T) { testMovesStateful(t, deal.Default()) })
	t.Run("unified", func(t *testing.T) { testMovesStateful(t, deal.Unified()) })
}

func testMovesStateful(t *testing.T, p *deal.Process) {
	stages := append([]deal.StageID{}, deal.StageLive, deal.StageLost)
	for _, s := range p.Stages() {
		stages = append(stages, s.ID)
	}
	rapid.Check(t, func(t *rapid.T) {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.Int64Range(0, 1<<40).Draw(t, "start")) * time.Millisecond)
		d := deal.Deal{ID: "d-1", Owner: rep.ID}
		var full deal.Deal
		fill(&full, start)
		if rapid.Bool().Draw(t, "prefilled") {
			fill(&d, start)
		}
		if err := p.Open(&d, rep, start); err != nil {
			t.Fatalf("open: %v", err)
		}
		now := start
		moves := 0

		// try runs one move and checks it against its gaps and the model.
		try := func(t *rapid.T, kind deal.EventKind, to deal.StageID, exit, entry bool, by accord.Actor, at time.Time, do func() error) {
			before := jsontest.Copy(t, d)
			from := d.Stage
			var gaps []accord.Unmet
			gapErr := fmt.Errorf("no %s to %s from %s", kind, to, from)
			for _, m := range p.Moves(&d, at) {
				if m.To == to && (m.Kind == kind || kind == deal.EventAdvance && (m.Kind == deal.EventWon || m.Kind == deal.EventLive)) {
					gaps, gapErr = m.Unmet, nil
				}
			}
			err := do()
			changed := cmp.Diff(before, d)
			if err != nil {
				if changed != "" {
					t.Fatalf("refused move %s→%s (%v) changed the deal (-before +after):\n%s", from, to, err, changed)
				}
			}
			// An implementation lead takes over a won deal: it may advance
			// it, and revert it within the post-sale stages only.
			open := p.Stages()
			at0 := func(id deal.StageID) int {
				return slices.IndexFunc(open, func(s deal.Stage) bool { return s.ID == id })
			}
			postSale := at0(p.ClosedWon()) >= 0 && at0(to) >= at0(p.ClosedWon())
			permitted := by.Role == accord.RoleSalesRep || by.Role == accord.RoleSalesManager || by.Role == accord.RoleAdmin ||
				by.Role == accord.RoleImplementationLead && p.Won(&before) && (kind == deal.EventAdvance || kind == deal.EventRevert && (postSale || gapErr != nil))
			switch {
			case !permitted:
				if !errors.Is(err, accord.ErrForbidden) {
					t.Fatalf("%s by %s in %s to %s: want ErrForbidden, got %v", kind, by.Role, from, to, err)
				}
				return
			case at.Before(before.History[len(before.History)-1].At):
				if !errors.Is(err, accord.ErrInvalid) {
					t.Fatalf("move dated before the last event: want ErrInvalid, got %v", err)
				}
				return
			case before.Validate() != nil:
				// Every move refuses a deal that fails Validate.
				if !errors.Is(err, accord.ErrInvalid) {
					t.Fatalf("move of an invalid deal (%v): want ErrInvalid, got %v", before.Validate(), err)
				}
				return
			case gapErr != nil:
				if err == nil {
					t.Fatalf("move %s→%s succeeded but Moves has no such move: %v", from, to, gapErr)
				}
				if !errors.Is(err, accord.ErrInvalid) && !errors.Is(err, accord.ErrConflict) {
					t.Fatalf("impossible move %s→%s: want ErrInvalid or ErrConflict, got %v", from, to, err)
				}
				return
			}
			if m := want(p, &before, from, to, exit, entry, at); !slices.EqualFunc(m, gaps, func(a, b accord.Unmet) bool {
				return a.Criterion == b.Criterion && a.State == b.State && a.Side == b.Side && a.Message == b.Message
			}) {
				t.Fatalf("gaps %s→%s: got %v, model says %v", from, to, gaps, m)
			}
			seen := map[string]bool{}
			for _, u := range gaps {
				k := u.State + "/" + string(u.Side) + "/" + u.Criterion
				if seen[k] {
					t.Fatalf("criterion %s reported twice", k)
				}
				seen[k] = true
			}
			if len(gaps) == 0 {
				if err != nil {
					t.Fatalf("move %s→%s with no gaps failed: %v", from, to, err)
				}
				moves++
				now = at
				return
			}
			var blocked *accord.BlockedError
			if !errors.As(err, &blocked) || !errors.Is(err, accord.ErrBlocked) {
				t.Fatalf("move %s→%s with gaps %v: want *BlockedError, got %v", from, to, gaps, err)
			}
			if diff := cmp.Diff(gaps, blocked.Unmet); diff != "" {
				t.Fatalf("blocked error differs from gaps (-gaps +error):\n%s", diff)
			}
		}
		when := func(t *rapid.T) time.Time {
			// Mostly forward in time; sometimes before the last event.
			step := time.Duration(rapid.Int64Range(-24*3600, 3*24*3600).Draw(t, "seconds")) * time.Second
			return now.Add(step)
		}
		actor := func(t *rapid.T) accord.Actor {
			if rapid.IntRange(0, 3).Draw(t, "other_actor") == 0 {
				return rapid.SampledFrom(actors).Draw(t, "actor")
			}
			return rep
		}

		t.Repeat(map[string]func(*rapid.T){
			"advance": func(t *rapid.T) {
				by, at := actor(t), when(t)
				next, _ := p.StageAfter(d.Stage)
				try(t, deal.EventAdvance, next, true, true, by, at, func() error { return p.Advance(&d, by, at) })
			},
			"revert": func(t *rapid.T) {
				by, at, to := actor(t), when(t), rapid.SampledFrom(stages).Draw(t, "to")
				try(t, deal.EventRevert, to, false, false, by, at, func() error { return p.Revert(&d, to, "new information", by, at) })
			},
			"lose": func(t *rapid.T) {
				by, at := actor(t), when(t)
				reason := rapid.SampledFrom(deal.LossReasons()).Draw(t, "reason")
				try(t, deal.EventLost, deal.StageLost, false, false, by, at, func() error { return p.Lose(&d, reason, "lost it", by, at) })
			},
			"reopen": func(t *rapid.T) {
				by, at, to := actor(t), when(t), rapid.SampledFrom(stages).Draw(t, "to")
				try(t, deal.EventReopen, to, false, true, by, at, func() error { return p.Reopen(&d, to, "they came back", by, at) })
			},
			"edit": func(t *rapid.T) {
				e := rapid.SampledFrom(edits).Draw(t, "edit")
				set := rapid.Bool().Draw(t, "set")
				e.edit(&d, &full, set)
				if e.name == "next_step" && set {
					d.NextStep.At = now.Add(time.Duration(rapid.IntRange(-2, 20).Draw(t, "next_step_in_days")) * 24 * time.Hour)
				}
			},
			"complete": func(t *rapid.T) {
				// The rep catches up on every field, as of now.
				fill(&d, now)
			},
			"close_date": func(t *rapid.T) {
				date := start.AddDate(0, 0, rapid.IntRange(-30, 200).Draw(t, "close_in_days"))
				slips := d.Slips()
				later := !d.CloseDate.IsZero() && date.After(d.CloseDate)
				if err := d.SetCloseDate(date, rep, now); err != nil {
					t.Fatalf("set close date: %v", err)
				}
				if later && d.Slips() != slips+1 {
					t.Fatalf("moving the close date later: want %d slips, got %d", slips+1, d.Slips())
				}
			},
			"": func(t *rapid.T) {
				h := d.History
				last := h[len(h)-1]
				if d.Stage != last.To {
					t.Fatalf("stage %s, last event to %s", d.Stage, last.To)
				}
				if !d.StageEnteredAt.Equal(last.At) {
					t.Fatalf("stage entered at %v, last event at %v", d.StageEnteredAt, last.At)
				}
				if d.Version != moves || len(h) != moves+1 {
					t.Fatalf("version %d, %d events, want %d moves", d.Version, len(h), moves)
				}
				if (d.Loss != nil) != (d.Stage == deal.StageLost) {
					t.Fatalf("loss %v in stage %s", d.Loss, d.Stage)
				}
				for i, ev := range h {
					if i > 0 && ev.At.Before(h[i-1].At) {
						t.Fatalf("event %d at %v is before event %d at %v", i, ev.At, i-1, h[i-1].At)
					}
					if i > 0 && ev.From != h[i-1].To {
						t.Fatalf("event %d from %s, previous to %s", i, ev.From, h[i-1].To)
					}
					switch {
					case ev.Kind == deal.EventWon && ev.From != deal.StageProposal:
						t.Fatalf("won from %s", ev.From)
					case ev.Kind == deal.EventLive && ev.From != deal.StageHandoff:
						t.Fatalf("live from %s", ev.From)
					case ev.From == deal.StageLost && ev.Kind != deal.EventReopen:
						t.Fatalf("left lost by %s", ev.Kind)
					case ev.To == deal.StageHandoff && ev.Kind == deal.EventAdvance:
						t.Fatalf("entered handoff by a plain advance")
					}
				}
				at := now.Add(time.Duration(rapid.Int64Range(0, 1e15).Draw(t, "later")))
				var sum time.Duration
				for _, v := range d.TimeByStage(at) {
					sum += v
				}
				if span := at.Sub(h[0].At); sum != span {
					t.Fatalf("time by stage sums to %v, want %v", sum, span)
				}
				if got, want := d.TimeInStage(at), at.Sub(d.StageEnteredAt); got != want {
					t.Fatalf("time in stage %v, want %v", got, want)
				}
				if diff := cmp.Diff(d, jsontest.Copy(t, d)); diff != "" {
					t.Fatalf("JSON round trip differs (-before +after):\n%s", diff)
				}
			},
		})
	})
}

// TestMovesPossibleMatchMoves checks that Moves agrees with UnmetTo and with
// what the moves themselves do.
func TestMovesPossible(t *testing.T) {
	p := deal.Default()
	rapid.Check(t, func(t *rapid.T) {
		stage := rapid.SampledFrom(p.Stages()).Draw(t, "stage").ID
		d, at := openAt(p, stage, time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
		for _, e := range edits {
			if rapid.Bool().Draw(t, "clear_"+e.name) {
				var full deal.Deal
				fill(&full, at)
				e.edit(&d, &full, false)
			}
		}
		// Every move refuses a deal that fails Validate, whatever Moves says
		// of its criteria.
		valid := d.Validate() == nil
		if rapid.Bool().Draw(t, "lost") {
			switch err := p.Lose(&d, deal.LossTiming, "", rep, at); {
			case !valid && !errors.Is(err, accord.ErrInvalid):
				t.Fatalf("lose on a deal that fails Validate: %v, want ErrInvalid", err)
			case valid && err != nil:
				t.Fatal(err)
			}
		}
		for _, m := range p.Moves(&d, at) {
			gaps, err := p.UnmetTo(&d, m.To, at)
			if err != nil {
				t.Fatalf("Moves lists %s to %s, UnmetTo says %v", m.Kind, m.To, err)
			}
			if diff := cmp.Diff(m.Unmet, gaps); diff != "" {
				t.Fatalf("gaps of %s to %s differ (-Moves +UnmetTo):\n%s", m.Kind, m.To, diff)
			}
			c := d
			c.History = slices.Clone(d.History)
			var err2 error
			switch m.Kind {
			case deal.EventAdvance, deal.EventWon, deal.EventLive:
				err2 = p.Advance(&c, rep, at)
			case deal.EventRevert:
				err2 = p.Revert(&c, m.To, "why", rep, at)
			case deal.EventLost:
				err2 = p.Lose(&c, deal.LossPrice, "", rep, at)
			case deal.EventReopen:
				err2 = p.Reopen(&c, m.To, "why", rep, at)
			}
			if !valid {
				if !errors.Is(err2, accord.ErrInvalid) {
					t.Fatalf("%s to %s on a deal that fails Validate: %v, want ErrInvalid", m.Kind, m.To, err2)
				}
				continue
			}
			if (err2 == nil) != m.Possible() {
				t.Fatalf("%s to %s: possible %v, but the move returned %v", m.Kind, m.To, m.Possible(), err2)
			}
			if err2 == nil && (c.Stage != m.To || c.History[len(c.History)-1].Kind != m.Kind) {
				t.Fatalf("%s to %s landed in %s as %s", m.Kind, m.To, c.Stage, c.History[len(c.History)-1].Kind)
			}
		}
	})
}

func ExampleProcess_Moves() {
	p := deal.Default()
	d, at := openAt(p, deal.StageQualification, time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	d.Qualification.WhyNow = ""
	for _, m := range p.Moves(&d, at) {
		fmt.Println(m.Kind, m.To, m.Possible(), len(m.Unmet))
	}
	// Output:
	// advance discovery false 1
	// revert targeting true 0
	// lost lost true 0
}
