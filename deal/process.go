package deal

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
	"github.com/shopspring/decimal"
)

// Stage is one open stage of a process.
type Stage struct {
	ID      StageID
	Name    string
	Purpose string
	// BuyerCommitments lists what the buyer commits to in this stage.
	BuyerCommitments []string
	// Entry criteria must hold to advance into the stage (or reopen a lost
	// deal into it); Exit criteria must hold to advance out of it.
	Entry []Criterion
	Exit  []Criterion
	// HealthyDays is how long a deal may sit in the stage before it is
	// flagged as stalled; 0 means never. It is at most 36500 (a century).
	HealthyDays int
	// Probability is the default win probability of a deal in the stage,
	// between 0 and 1, with at most 18 decimal places and 19 digits.
	Probability decimal.Decimal

	// MultiThreaded flags deals in the stage with fewer than two engaged
	// stakeholders as single-threaded.
	MultiThreaded bool
	// NeedsBusinessCase flags deals in the stage without a quantified
	// business case (business_case.impact).
	NeedsBusinessCase bool
	// FollowUpDays, when positive, triggers a follow-up task that many days
	// after a deal enters the stage. It is at most 36500 (a century).
	FollowUpDays int

	// Core marks a stage that every variant of the process must keep (see
	// [Process.Derive]): the stages its metrics and gates are anchored on.
	Core bool
}

// RequiredFields lists the fields named by the stage's criteria, entry
// criteria first and then exit criteria, each side in declaration order (the
// order a deal meets them in: to come in, then to go on), without repeats:
// for each criterion, the one field it is reported under (its Field, or the
// field its rule names at the top level; an [AnyOf] names none).
// [Criterion.Reads] lists every field a criterion's rule reads,
// alternatives included.
func (s Stage) RequiredFields() []string {
	var out []string
	for _, cs := range [2][]Criterion{s.Entry, s.Exit} {
		for _, c := range cs {
			if f := fieldOf(c); f != "" && f != "artifacts" && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// RequiredArtifacts lists the artifact kinds the stage's criteria ask for
// at the top level of their rules, entry criteria first and then exit
// criteria, as [Stage.RequiredFields] orders them, without repeats; an
// artifact that is one alternative of an [AnyOf] is not required, and is
// listed by [Criterion.Reads] instead.
func (s Stage) RequiredArtifacts() []string {
	var out []string
	for _, cs := range [2][]Criterion{s.Entry, s.Exit} {
		for _, c := range cs {
			if a, ok := c.Rule.(artifact); ok && !slices.Contains(out, a.kind) {
				out = append(out, a.kind)
			}
		}
	}
	return out
}

// Config defines a process: its open stages and its automation settings.
type Config struct {
	// ID is an optional stable identifier of the process, such as "smb",
	// that a host may store with its deals to record which process they
	// follow.
	ID string
	// Name is an optional name for people, such as "Self-serve SMB".
	Name string
	// Stages are the open stages in order. Advancing out of the last one
	// makes the deal live. The terminal stages [StageLive] and [StageLost]
	// are added by the process and must not be listed.
	Stages []Stage
	// ClosedWon is the stage whose entry is Closed Won (handoff, in the
	// default process). It must not be the first stage. Empty means that
	// entering live is Closed Won.
	ClosedWon StageID
	// IdleAlertDays, when positive, alerts the manager of a deal that has
	// sat that many days in a stage with no activity. It is at most 36500
	// (a century).
	IdleAlertDays int
	// LeadResponse sets the alerts on an inbound lead no one has touched;
	// the zero value sets none.
	LeadResponse LeadResponse

	// The process's other automation is set per stage
	// (Stage.FollowUpDays) or follows from ClosedWon (the handoff notice);
	// see [Process.Triggers].
}

// LeadResponse sets the two thresholds of the lead response SLA: how long
// an inbound lead may go untouched (Deal.Lead with Inbound set, ReceivedAt
// set and FirstTouchAt zero) before [Process.Triggers] alerts its owner,
// and before it escalates to the sales manager. Each is in minutes from
// the lead's arrival; 0 turns that alert off. Each is at most 52560000 (a
// century), and EscalateMinutes, when set, is greater than AlertMinutes:
// the escalation is the second threshold.
type LeadResponse struct {
	AlertMinutes    int
	EscalateMinutes int
}

// Process is a validated, immutable pipeline definition. It holds no
// per-deal state and is safe for concurrent use by any number of goroutines;
// build it once and share it.
type Process struct {
	id, name  string
	stages    []Stage   // defensive copy
	ids       []StageID // the stages' IDs, compact for the lookups of every read
	index     map[StageID]int
	wonIndex  int // index of the ClosedWon stage, or len(stages) for live
	idleAlert int
	lead      LeadResponse
	machine   *engine.Machine[*Deal]
	// advance holds the advance out of each open stage, by position, so
	// that a move finds it without comparing event names.
	advance []*engine.Transition[*Deal]
	// scopeApproved and scopeSettled are the guarantees the process keeps
	// at the close (see [Process.Guarantees]).
	scopeApproved, scopeSettled bool
}

const (
	eventAdvance = "advance"
	eventLose    = "lose"
	prefixRevert = "revert:"
	prefixReopen = "reopen:"
)

// NewProcess validates cfg as a whole and builds the process. Every problem
// is reported together, each a [*accord.FieldError] with its path, such as
// "stages[2].exit[1].rule".
func NewProcess(cfg Config) (*Process, error) {
	var errs []error
	if len(cfg.Stages) == 0 {
		errs = append(errs, accord.Invalid("stages", "must list at least one open stage"))
	}
	p := &Process{
		id:        cfg.ID,
		name:      cfg.Name,
		stages:    cloneStages(cfg.Stages),
		index:     make(map[StageID]int, len(cfg.Stages)),
		idleAlert: cfg.IdleAlertDays,
		lead:      cfg.LeadResponse,
	}
	for i, s := range p.stages {
		path := fmt.Sprintf("stages[%d]", i)
		switch {
		case s.ID == "":
			errs = append(errs, accord.Invalid(path+".id", "is required"))
		case s.ID == StageLive || s.ID == StageLost:
			errs = append(errs, accord.Invalid(path+".id", "%q is a terminal stage every process has; list open stages only", s.ID))
		case strings.ContainsAny(string(s.ID), ": \t\n"):
			errs = append(errs, accord.Invalid(path+".id", "must not contain spaces or colons; got %q", s.ID))
		default:
			if _, dup := p.index[s.ID]; dup {
				errs = append(errs, accord.Invalid(path+".id", "duplicates stage %q", s.ID))
			}
			p.index[s.ID] = i
		}
		if strings.TrimSpace(s.Name) == "" {
			errs = append(errs, accord.Invalid(path+".name", "is required"))
		}
		errs = append(errs, checkDays(path+".healthy_days", s.HealthyDays)...)
		errs = append(errs, checkDays(path+".follow_up_days", s.FollowUpDays)...)
		switch {
		case !probabilityBounded(s.Probability):
			errs = append(errs, accord.Invalid(path+".probability", "must be between 0 and 1 with at most %d decimal places and %d digits, so that the process written as data loads back", maxProbabilityScale, maxProbabilityDigits))
		case s.Probability.IsNegative() || s.Probability.GreaterThan(decimal.NewFromInt(1)):
			errs = append(errs, accord.Invalid(path+".probability", "must be between 0 and 1; got %s", s.Probability))
		}
		for _, side := range []struct {
			name string
			cs   []Criterion
		}{{"entry", s.Entry}, {"exit", s.Exit}} {
			seen := map[string]bool{}
			for j, c := range side.cs {
				cp := fmt.Sprintf("%s.%s[%d]", path, side.name, j)
				errs = append(errs, checkCriterion(cp, c)...)
				if c.ID != "" && seen[c.ID] {
					errs = append(errs, accord.Invalid(cp+".id", "duplicates criterion %q", c.ID))
				}
				seen[c.ID] = true
			}
		}
	}
	p.wonIndex = len(p.stages)
	if cfg.ClosedWon != "" {
		i, ok := p.index[cfg.ClosedWon]
		switch {
		case !ok:
			errs = append(errs, accord.Invalid("closed_won", "names unknown stage %q", cfg.ClosedWon))
		case i == 0:
			errs = append(errs, accord.Invalid("closed_won", "must not be the first stage"))
		default:
			p.wonIndex = i
		}
	}
	errs = append(errs, checkDays("idle_alert_days", cfg.IdleAlertDays)...)
	errs = append(errs, cfg.LeadResponse.check("lead_response")...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	m, err := engine.New(p.engineStates(), p.engineMoves(), fuse)
	if err != nil {
		return nil, err
	}
	p.machine = m
	for i, s := range p.stages {
		p.ids = append(p.ids, s.ID)
		t, _ := m.FindAt(i, eventAdvance) // every open stage has one: see engineMoves
		p.advance = append(p.advance, t)
	}
	p.findGuarantees()
	return p, nil
}

// fuse is the deal machine's [engine.Fuse]: one check of all the criteria
// of a move, which reads the text fields its Present criteria ask for at
// their offsets, in one loop, calls the presence test of each other field
// they ask for, and then asks every other rule; a field asked for twice
// (on the exit of one stage and the entry of the next) is read once.
// Every move evaluates its criteria, and most ask for a field.
func fuse(checks []engine.Check[*Deal]) engine.Check[*Deal] {
	a := &allOf{}
	seen := map[string]bool{}
	for _, c := range checks {
		r, ok := c.(*present)
		switch {
		case !ok || r.get == nil:
			a.rest = append(a.rest, c)
		case seen[r.path]:
		case r.text:
			a.text = append(a.text, r.off)
		default:
			a.present = append(a.present, r.get)
		}
		if ok {
			seen[r.path] = true
		}
	}
	return a
}

// allOf holds when every text field at the offsets text is text, every
// test of present holds and every check of rest holds.
type allOf struct {
	text    []uintptr
	present []func(*Deal) bool
	rest    []engine.Check[*Deal]
}

// Met reports whether every check of a holds.
func (a *allOf) Met(d *Deal, now time.Time) bool {
	for _, off := range a.text {
		if !text(*(*string)(at(d, off))) {
			return false
		}
	}
	for _, f := range a.present {
		if !f(d) {
			return false
		}
	}
	for _, c := range a.rest {
		if !c.Met(d, now) {
			return false
		}
	}
	return true
}

func cloneStages(in []Stage) []Stage {
	out := slices.Clone(in)
	for i := range out {
		out[i].BuyerCommitments = slices.Clone(out[i].BuyerCommitments)
		out[i].Entry = slices.Clone(out[i].Entry)
		out[i].Exit = slices.Clone(out[i].Exit)
	}
	return out
}

func engineCriteria(cs []Criterion) []engine.Criterion[*Deal] {
	out := make([]engine.Criterion[*Deal], len(cs))
	for i, c := range cs {
		out[i] = engine.Criterion[*Deal]{ID: c.ID, Message: c.Description, Field: fieldOf(c), Check: c.Rule}
	}
	return out
}

func (p *Process) engineStates() []engine.State[*Deal] {
	var states []engine.State[*Deal]
	for _, s := range p.stages {
		states = append(states, engine.State[*Deal]{ID: string(s.ID), Entry: engineCriteria(s.Entry), Exit: engineCriteria(s.Exit)})
	}
	return append(states, engine.State[*Deal]{ID: string(StageLive)}, engine.State[*Deal]{ID: string(StageLost)})
}

func (p *Process) engineMoves() []engine.Move {
	var moves []engine.Move
	open := make([]string, len(p.stages))
	for i, s := range p.stages {
		open[i] = string(s.ID)
		to := string(StageLive)
		if i+1 < len(p.stages) {
			to = string(p.stages[i+1].ID)
		}
		moves = append(moves, engine.Move{Event: eventAdvance, From: []string{open[i]}, To: to, GateExit: true, GateEntry: true})
	}
	moves = append(moves, engine.Move{Event: eventLose, From: open, To: string(StageLost)})
	for i, s := range p.stages {
		if i+1 < len(open) {
			moves = append(moves, engine.Move{Event: prefixRevert + open[i], From: slices.Clone(open[i+1:]), To: string(s.ID)})
		}
		moves = append(moves, engine.Move{Event: prefixReopen + open[i], From: []string{string(StageLost)}, To: string(s.ID), GateEntry: true})
	}
	return moves
}

// Stages returns a copy of the open stages, in order.
func (p *Process) Stages() []Stage {
	if !p.built() {
		return nil
	}
	return cloneStages(p.stages)
}

// Stage returns the open stage with the given ID.
func (p *Process) Stage(id StageID) (Stage, bool) {
	if !p.built() {
		return Stage{}, false
	}
	i, ok := p.index[id]
	if !ok {
		return Stage{}, false
	}
	return cloneStages(p.stages[i : i+1])[0], true
}

// StageAfter returns the stage an advance from id leads to: the following open
// stage, or [StageLive] from the last one. It returns false for a terminal
// or unknown stage.
func (p *Process) StageAfter(id StageID) (StageID, bool) {
	if !p.built() {
		return "", false
	}
	i, ok := p.index[id]
	if !ok {
		return "", false
	}
	if i+1 < len(p.stages) {
		return p.stages[i+1].ID, true
	}
	return StageLive, true
}

// ClosedWon returns the stage whose entry is Closed Won.
func (p *Process) ClosedWon() StageID {
	if !p.built() {
		return ""
	}
	if p.wonIndex < len(p.stages) {
		return p.stages[p.wonIndex].ID
	}
	return StageLive
}

// advanceAt returns the advance out of the stage at position from, and
// false for a terminal or unknown stage.
func (p *Process) advanceAt(from int) (*engine.Transition[*Deal], bool) {
	if uint(from) < uint(len(p.advance)) {
		return p.advance[from], true
	}
	return nil, false
}

// order returns the position of a stage: open stages by index, live after
// them, lost last; -1 for an unknown stage. These are also the positions of
// the engine's states. A scan beats a map lookup for a handful of stages.
func (p *Process) order(id StageID) int {
	for i := range p.ids {
		// IDs of one length usually differ in their first byte, compared
		// before the runtime compares the rest; no ID is empty.
		if s := p.ids[i]; len(s) == len(id) && s[0] == id[0] && s == id {
			return i
		}
	}
	switch id {
	case StageLive:
		return len(p.stages)
	case StageLost:
		return len(p.stages) + 1
	}
	return -1
}

// orderFrom is order trying the position guess first: the stage after the
// one before is the usual next event of a history.
func (p *Process) orderFrom(id StageID, guess int) int {
	if uint(guess) < uint(len(p.ids)) && p.ids[guess] == id {
		return guess
	}
	if id == StageLost {
		return len(p.stages) + 1
	}
	return p.order(id)
}

// won reports whether the stage at position o is the Closed Won stage or
// a later one, live included: the one definition of won, which
// [Process.Won] and [Reading.Won] share.
func (p *Process) won(o int) bool { return o >= p.wonIndex && o <= len(p.stages) }

// Won reports whether d is at or past the Closed Won stage and not lost:
// whether its Stage is the Closed Won stage, a later open stage or live. On
// a deal whose history the process reads ([Process.Read]) it agrees with
// [Reading.Won]; it reads only the deal's Stage, so that it is cheap
// enough for every move.
func (p *Process) Won(d *Deal) bool {
	if p.usable(d) != nil {
		return false
	}
	return p.won(p.order(d.Stage))
}

// maxDays bounds every count of days in a process (healthy, follow-up and
// idle-alert days, and the days of [NextStepWithin]): a century, well
// inside the roughly 292 years a [time.Duration] can hold.
const maxDays = 36500

// checkDays reports a count of days at path that is negative or above
// maxDays.
func checkDays(path string, n int) []error {
	switch {
	case n < 0:
		return []error{accord.Invalid(path, "must not be negative")}
	case n > maxDays:
		return []error{accord.Invalid(path, "must be at most %d (a century); got %d", maxDays, n)}
	}
	return nil
}

// maxMinutes bounds every count of minutes in a process: a century.
const maxMinutes = maxDays * 24 * 60

// check reports the problems of r, with paths under path.
func (r LeadResponse) check(path string) []error {
	var errs []error
	for _, f := range []struct {
		name string
		n    int
	}{{"alert_minutes", r.AlertMinutes}, {"escalate_minutes", r.EscalateMinutes}} {
		switch {
		case f.n < 0:
			errs = append(errs, accord.Invalid(path+"."+f.name, "must not be negative"))
		case f.n > maxMinutes:
			errs = append(errs, accord.Invalid(path+"."+f.name, "must be at most %d (a century); got %d", maxMinutes, f.n))
		}
	}
	if r.EscalateMinutes > 0 && r.AlertMinutes >= r.EscalateMinutes && len(errs) == 0 {
		errs = append(errs, accord.Invalid(path+".escalate_minutes", "must be greater than alert_minutes (%d), the first threshold; got %d", r.AlertMinutes, r.EscalateMinutes))
	}
	return errs
}

// Bounds on a probability, so that no process makes formatting or
// comparing it allocate without limit, and every probability a process
// holds can be written as data and read back by [Load].
const (
	maxProbabilityScale  = 18
	maxProbabilityDigits = 19
)

// probabilityBounded reports whether d has at most maxProbabilityScale
// decimal places, an exponent no larger than that, and at most
// maxProbabilityDigits digits. It looks at the exponent first, so that it
// never expands a huge one.
func probabilityBounded(d decimal.Decimal) bool {
	e := d.Exponent()
	return e >= -maxProbabilityScale && e <= maxProbabilityScale && d.NumDigits() <= maxProbabilityDigits
}

// days converts a count of days, at most maxDays, to a duration.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
