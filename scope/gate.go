package scope

import (
	"fmt"
	"strconv"

	"github.com/accordhq/accord"
)

// Gate is the exit of one phase of a scope: the criteria that must hold
// before the steps of any later phase of the framework start (see
// [Phase.Before]). A scope lists at most one gate per phase.
type Gate struct {
	Phase Phase           `json:"phase"`
	Exit  []ExitCriterion `json:"exit"`
}

// ExitCriterion is one condition of a phase's exit. Its ID is stable: it
// is what the [Evidence] answers for, and what a refusal names.
type ExitCriterion struct {
	ID string `json:"id"`
	// Description says what must be true, in a sentence a person can act
	// on; it is the message of the unmet criterion when the evidence
	// gives none.
	Description string `json:"description"`
}

// Evidence says which exit criteria hold now. The library holds no
// evidence of its own: a host implements it over what it measured (package
// metrics/assess's RolloutEvidence answers the criteria of [CRMRollout] from the
// vendor scorecard, the maturity model and the adoption figures) or over
// facts people recorded.
type Evidence interface {
	// Holds reports whether the exit criterion id holds and, when it
	// does not, what is missing ("" for the criterion's description).
	Holds(id string) (ok bool, missing string)
}

// PhaseUnmet lists the exit criteria of phase's gate that the evidence
// does not show to hold, in the order the gate lists them, each naming
// its field ("gates[1].exit[0]"); nil when every one holds or the scope
// has no gate for phase. A nil evidence holds nothing.
func (s *SOW) PhaseUnmet(phase Phase, ev Evidence) []accord.Unmet {
	if s == nil {
		return nil
	}
	var out []accord.Unmet
	for i, g := range s.Gates {
		if g.Phase == phase {
			out = append(out, gateUnmet(i, g, ev)...)
		}
	}
	return out
}

// StartUnmet lists what stands before the start of the step with ID step:
// the unmet exit criteria of every gate whose phase the framework puts
// before the step's phase, in framework order and then in the order of the
// gates (see [SOW.PhaseUnmet]). It returns an error wrapping
// [accord.ErrInvalid] for an unknown step.
func (s *SOW) StartUnmet(step string, ev Evidence) ([]accord.Unmet, error) {
	if s == nil {
		return nil, accord.Invalid("sow", "is nil")
	}
	i := s.stepIndex(step)
	if i < 0 {
		return nil, accord.Invalid("step", "names unknown step %q", step)
	}
	phase := s.Steps[i].Phase
	var out []accord.Unmet
	for r := range phaseRanks {
		for j, g := range s.Gates {
			if g.Phase.rank() == r && g.Phase.Before(phase) {
				out = append(out, gateUnmet(j, g, ev)...)
			}
		}
	}
	return out, nil
}

// CanStart reports whether the step with ID step may start: nil when
// [SOW.StartUnmet] lists nothing, a *[accord.BlockedError] with op
// [accord.OpStart] naming the step and every unmet exit criterion
// ([accord.ErrBlocked]) otherwise, or an error wrapping [accord.ErrInvalid]
// for an unknown step. A host calls it before it records that work on a
// step began, so that no phase starts before the exits of the phases
// before it hold.
func (s *SOW) CanStart(step string, ev Evidence) error {
	unmet, err := s.StartUnmet(step, ev)
	if err != nil {
		return fmt.Errorf("scope %q: start %q: %w", s.id(), step, err)
	}
	if len(unmet) > 0 {
		return &accord.BlockedError{Op: accord.OpStart, Subject: s.ID + "/" + step, Unmet: unmet}
	}
	return nil
}

func (s *SOW) id() string {
	if s == nil {
		return ""
	}
	return s.ID
}

func (s *SOW) stepIndex(id string) int {
	for i, st := range s.Steps {
		if st.ID == id {
			return i
		}
	}
	return -1
}

func gateUnmet(i int, g Gate, ev Evidence) []accord.Unmet {
	var out []accord.Unmet
	for j, c := range g.Exit {
		ok, missing := false, ""
		if ev != nil {
			ok, missing = ev.Holds(c.ID)
		}
		if ok {
			continue
		}
		if missing == "" {
			missing = c.Description
		}
		out = append(out, accord.Unmet{Criterion: c.ID, Message: missing, Field: "gates[" + strconv.Itoa(i) + "].exit[" + strconv.Itoa(j) + "]"})
	}
	return out
}

// checkGates reports malformed gates, and a step of a later phase planned
// to start before the last day of a gated phase's steps: the exit of a
// phase can hold only once its work is done.
func (s *SOW) checkGates(l *layout) {
	seen := map[Phase]int{}
	for i, g := range s.Gates {
		p := elem{"gates", i}
		switch j, dup := seen[g.Phase]; {
		case !g.Phase.Valid():
			l.bad(p.at(".phase"), "%s", phases.Rule(g.Phase))
		case dup:
			l.bad(p.at(".phase"), "repeats the gate of phase %s, gates[%d]", g.Phase, j)
		default:
			seen[g.Phase] = i
		}
		if len(g.Exit) == 0 {
			l.bad(p.at(".exit"), "must list at least one exit criterion")
		}
		ids := map[string]bool{}
		for j, c := range g.Exit {
			q := elem{p.at(".exit"), j}
			switch {
			case blank(c.ID):
				l.bad(q.at(".id"), "is required")
			case ids[c.ID]:
				l.bad(q.at(".id"), "repeats criterion %q", c.ID)
			}
			ids[c.ID] = true
			if blank(c.Description) {
				l.bad(q.at(".description"), "is required: say what must be true")
			}
		}
	}
	// The last planned day of each gated phase, then each step of a later
	// phase that starts on or before it.
	for _, g := range s.Gates {
		if !g.Phase.Valid() || seen[g.Phase] < 0 {
			continue
		}
		end, last := -1, -1
		for i, st := range s.Steps {
			if st.Phase == g.Phase && l.steps[i].ok && l.steps[i].last > end {
				end, last = l.steps[i].last, i
			}
		}
		if last < 0 {
			continue
		}
		for i, st := range s.Steps {
			if g.Phase.Before(st.Phase) && l.steps[i].ok && l.steps[i].first <= end {
				first, _ := l.tl.date(l.steps[i].first)
				ends, _ := l.tl.date(end)
				l.bad(fmt.Sprintf("steps[%d]", i), "phase %s starts on %s, before the exit of phase %s, whose step %q ends on %s",
					st.Phase, first, g.Phase, s.Steps[last].ID, ends)
			}
		}
		seen[g.Phase] = -1 // a repeated gate is checked once
	}
}
