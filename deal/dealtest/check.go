package dealtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// Check runs the static checks of p, without a [testing.T], so that a host
// can call it at start-up on a process it loaded or derived. It returns nil
// for a sound process and otherwise every problem, joined, each a
// [*accord.FieldError] naming its path in p (such as "stages[2].exit[1]")
// and the rule it breaks. The checks are:
//
//   - the process is built (not nil, not the zero Process);
//   - the invariants "reachable" and "criteria_well_formed" of [Run],
//     dead stages included: an advance whose criteria no generated deal
//     meets (drawn from fixed seeds, so the answer does not change);
//   - every criterion, evaluated on a fixed set of canonical deals (an
//     empty, a blank and a complete deal in every stage, at the time of
//     its last move and 45 days later), neither panics, nor modifies the
//     deal, nor answers differently when asked twice in a row (so a rule
//     that reads the clock or outside state may pass; see
//     criteria_deterministic in the package doc).
//
// Static means deterministic and quick: the same process always gives the
// same answer, in milliseconds. [Run] checks the same promises, and those
// that need generated deals, in a test.
//
// opts are those of [Run]: a process whose criteria read what the
// generators cannot know (a host field with values of its own, read by a
// [deal.RuleFunc]) passes the [Populate] option it gives Run, or its
// stages behind such a criterion are reported dead.
func Check(p *deal.Process, opts ...Option) error {
	m := newModel(p, opts)
	if m.err != nil {
		return m.err
	}
	errs := m.structure()
	// The canonical deals are probed before dead asks the criteria
	// anything more, so that a criterion whose answers depend on how
	// often it was asked is reported as it was before dead existed.
	canonical := m.canonicalProblems()
	if len(errs) == 0 {
		errs = m.dead()
	}
	errs = append(errs, m.wellFormed()...)
	for _, pr := range canonical {
		errs = append(errs, pr.FieldError)
	}
	return errors.Join(errs...)
}

// crit is one criterion of the process, with where it sits.
type crit struct {
	n     int    // position among all criteria of the process
	path  string // such as "stages[2].exit[1]"
	stage deal.StageID
	side  accord.Side
	deal.Criterion
}

// String names the criterion as a refusal does: "discovery exit
// criterion \"problem_statement\"".
func (c crit) String() string {
	return fmt.Sprintf("%s %s criterion %q", c.stage, c.side, c.ID)
}

func (m *model) criteria() []crit {
	var out []crit
	for i, s := range m.stages {
		for j, c := range s.Entry {
			out = append(out, crit{len(out), fmt.Sprintf("stages[%d].entry[%d]", i, j), s.ID, accord.SideEntry, c})
		}
		for j, c := range s.Exit {
			out = append(out, crit{len(out), fmt.Sprintf("stages[%d].exit[%d]", i, j), s.ID, accord.SideExit, c})
		}
	}
	return out
}

// structure checks the moves of the process: every open stage is reached
// from the first by advancing and the last advances to live; every open
// stage can be lost and can revert to every earlier one; a deal lost at a
// stage can be reopened into it and every earlier stage, and no later one;
// live has no moves.
func (m *model) structure() []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, accord.Invalid(field, format, args...))
	}
	n := len(m.stages)
	reached := map[deal.StageID]bool{m.stages[0].ID: true}
	cur := m.stages[0].ID
	for range n {
		next, ok := m.p.StageAfter(cur)
		if !ok {
			break
		}
		reached[next] = true
		cur = next
	}
	if !reached[deal.StageLive] {
		bad("stages", "advancing from the first stage must reach live; it stops at %s", cur)
	}
	for i, s := range m.stages {
		path := fmt.Sprintf("stages[%d]", i)
		if !reached[s.ID] {
			bad(path+".id", "stage %s is not reached from the first stage by advancing", s.ID)
		}
		d := &deal.Deal{ID: "dealtest", Owner: rep.ID, Stage: s.ID}
		if next := m.id(i + 1); !m.hasMove(d, next) {
			bad(path, "an advance from %s to %s must exist", s.ID, next)
		}
		if !m.hasMove(d, deal.StageLost) {
			bad(path, "an open stage must be able to reach lost; %s cannot", s.ID)
		}
		for j := range i {
			if !m.hasMove(d, m.id(j)) {
				bad(path, "a revert from %s to the earlier stage %s must exist", s.ID, m.id(j))
			}
		}
		lost := &deal.Deal{ID: "dealtest", Owner: rep.ID, Stage: deal.StageLost, Loss: &deal.Loss{Reason: deal.LossNoDecision, Stage: s.ID}}
		won := m.order[m.p.ClosedWon()]
		for j := range n {
			// A deal is won again only through the close: it reopens
			// before the Closed Won stage.
			if has := m.hasMove(lost, m.id(j)); has != (j <= i && j < won) {
				bad(path, "a deal lost at %s must be reopened into %s and earlier stages before %s only; reopening into %s: %v", s.ID, s.ID, m.p.ClosedWon(), m.id(j), has)
			}
		}
	}
	live := &deal.Deal{ID: "dealtest", Owner: rep.ID, Stage: deal.StageLive}
	for _, to := range m.all {
		if m.hasMove(live, to) {
			bad("stages", "live is terminal; the process has a move from live to %s", to)
		}
	}
	if i := m.order[m.p.ClosedWon()]; i < 1 {
		bad("closed_won", "must be a stage after the first, or live; got %q", m.p.ClosedWon())
	}
	return errs
}

// hasMove reports whether the process has a move from d's stage to to. A
// panic can only come from a criterion, evaluated after the move was found.
func (m *model) hasMove(d *deal.Deal, to deal.StageID) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = true
		}
	}()
	_, err := m.p.UnmetTo(d, to, epoch)
	return err == nil
}

// wellFormed checks every criterion's ID, description and rule.
func (m *model) wellFormed() []error {
	var errs []error
	seen := map[string]bool{}
	for _, c := range m.criteria() {
		if c.ID == "" {
			errs = append(errs, accord.Invalid(c.path+".id", "is required"))
		}
		key := string(c.stage) + "/" + string(c.side) + "/" + c.ID
		if c.ID != "" && seen[key] {
			errs = append(errs, accord.Invalid(c.path+".id", "duplicates %s", c))
		}
		seen[key] = true
		if strings.TrimSpace(c.Description) == "" {
			errs = append(errs, accord.Invalid(c.path+".description", "%s needs a description a rep can act on", c))
		}
		if c.Rule == nil {
			errs = append(errs, accord.Invalid(c.path+".rule", "%s has no rule", c))
		}
	}
	return errs
}

// problemKind says how a criterion misbehaved.
type problemKind int

const (
	panics problemKind = iota
	modifies
	flaky
)

// problem is one misbehaviour of one criterion, as a *accord.FieldError
// naming the criterion's path.
type problem struct {
	kind problemKind
	crit crit
	*accord.FieldError
}

func newProblem(kind problemKind, c crit, on string, format string, args ...any) problem {
	rule := fmt.Sprintf("%s %s", c, fmt.Sprintf(format, args...))
	if on != "" {
		rule += " " + on
	}
	return problem{kind: kind, crit: c, FieldError: &accord.FieldError{Field: c.path, Rule: rule}}
}

// probe evaluates every criterion twice on a copy of d at now, and reports
// each that panics, modifies the deal or answers differently the second
// time. d itself is left alone. on describes the deal in messages.
func (m *model) probe(d *deal.Deal, now time.Time, on string) []problem {
	var out []problem
	var work *deal.Deal
	for _, c := range m.criteria() {
		if c.Rule == nil {
			continue
		}
		if work == nil {
			work = clone(d)
		}
		met1, v1, p1 := evaluate(c.Rule, work, now)
		met2, v2, p2 := evaluate(c.Rule, work, now)
		if p1 {
			out = append(out, newProblem(panics, c, on, "panicked: %v", v1))
		}
		if !same(work, d) {
			out = append(out, newProblem(modifies, c, on, "modified the deal (changed: %s)", strings.Join(changed(d, work), ", ")))
			// Ask again on fresh copies, so that the modification does not
			// pass for a change of mind.
			work = clone(d)
			met1, v1, p1 = evaluate(c.Rule, work, now)
			work = clone(d)
			met2, v2, p2 = evaluate(c.Rule, work, now)
			work = nil
		}
		switch {
		case p1 != p2:
			out = append(out, newProblem(flaky, c, on, "answered differently when asked twice: %s, then %s", answer(met1, v1, p1), answer(met2, v2, p2)))
		case !p1 && met1 != met2:
			out = append(out, newProblem(flaky, c, on, "answered differently when asked twice: %v, then %v", met1, met2))
		}
	}
	return out
}

func answer(met bool, v any, panicked bool) string {
	if panicked {
		return fmt.Sprintf("a panic (%v)", v)
	}
	return fmt.Sprint(met)
}

// evaluate calls r.Met, recovering a panic.
func evaluate(r deal.Rule, d *deal.Deal, now time.Time) (met bool, v any, panicked bool) {
	defer func() {
		if x := recover(); x != nil {
			v, panicked = x, true
		}
	}()
	return r.Met(d, now), nil, false
}

// canonicalProblems probes every criterion on the canonical deals and
// reports each criterion's first problem of each kind. The answer is
// computed once per model.
func (m *model) canonicalProblems() []problem {
	m.canonicalOnce.Do(func() { m.canonical = m.probeCanonical() })
	return m.canonical
}

func (m *model) probeCanonical() []problem {
	var out []problem
	seen := map[string]bool{}
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	for _, stage := range m.all {
		for _, lv := range []level{empty, blank, full} {
			d := &deal.Deal{ID: "d-1", Owner: rep.ID}
			m.canonicalHistory(d, stage, start)
			at := d.History[len(d.History)-1].At
			for _, p := range parts {
				p.fill(m, nil, d, at, lv)
			}
			link(d)
			for _, now := range []time.Time{at, at.Add(45 * 24 * time.Hour)} {
				on := fmt.Sprintf("on the %s deal in %s at %s", levelNames[lv], stage, now.Format(time.RFC3339))
				for _, pr := range m.probe(d, now, on) {
					key := fmt.Sprintf("%s/%d", pr.crit.path, pr.kind)
					if !seen[key] {
						seen[key] = true
						out = append(out, pr)
					}
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b problem) int { return a.crit.n - b.crit.n })
	return out
}

var levelNames = map[level]string{full: "complete", empty: "empty", blank: "blank", mixed: "mixed"}

// canonicalHistory opens d at start and advances it a day at a time into
// stage; a lost deal is lost at the last open stage.
func (m *model) canonicalHistory(d *deal.Deal, stage deal.StageID, start time.Time) {
	at := start
	h := []deal.Event{{Kind: deal.EventOpen, To: m.id(0), At: at, By: rep}}
	goal := m.order[stage]
	if stage == deal.StageLost {
		goal = len(m.stages) - 1
	}
	for i := 0; i < goal; i++ {
		at = at.Add(24 * time.Hour)
		to := m.id(i + 1)
		h = append(h, deal.Event{Kind: m.advanceKind(to), From: m.id(i), To: to, At: at, By: rep})
	}
	if stage == deal.StageLost {
		at = at.Add(24 * time.Hour)
		from := m.id(goal)
		h = append(h, deal.Event{Kind: deal.EventLost, From: from, To: deal.StageLost, At: at, By: rep, Reason: "no decision", LossReason: deal.LossNoDecision})
		d.Loss = &deal.Loss{Reason: deal.LossNoDecision, Stage: from, Note: "no decision"}
	}
	d.History, d.Stage, d.StageEnteredAt, d.Version = h, stage, at, len(h)-1
}

// encode returns the JSON encoding of d, or the text of the error when it
// cannot be encoded (a deal a criterion broke).
func encode(v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		return []byte("unencodable: " + err.Error())
	}
	return raw
}

// decode returns the deal encoded as raw; a deal that cannot be decoded
// comes back as the zero deal, which the comparisons then report.
func decode(raw []byte) *deal.Deal {
	d := new(deal.Deal)
	if err := json.Unmarshal(raw, d); err != nil {
		return new(deal.Deal)
	}
	return d
}
