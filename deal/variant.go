package deal

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord"
)

// Variant describes a team's process as changes to a base process, so that
// teams that sell differently still share one set of stage IDs: metrics over
// deals of different variants of one base stay comparable. [Process.Derive]
// applies it; [LoadVariant] reads it from JSON.
//
// The changes apply in the order of the fields: removals, then insertions,
// then the changes to single stages (which may name an inserted stage).
type Variant struct {
	// ID is the derived process's ID: a variant does not inherit the
	// base's, so that deals of the variant and of the base can be told
	// apart. Empty leaves the derived process without an ID.
	ID string
	// Name, when set, replaces the base's name.
	Name string
	// Remove lists stages of the base to drop. A stage the base marks as
	// core, or its Closed Won stage, cannot be removed.
	Remove []StageID
	// Insert lists stages to add between two stages next to each other.
	Insert []Insertion
	// Stages lists changes to single stages.
	Stages []StageChange
	// IdleAlertDays, when not nil, replaces the base's idle-alert days; 0
	// turns the alert off.
	IdleAlertDays *int
	// LeadResponse, when not nil, replaces the base's lead response
	// thresholds; its zero value turns both alerts off.
	LeadResponse *LeadResponse
}

// Insertion adds Stage between After and Before, which must follow one
// another once the removals and the earlier insertions are applied; Before
// may be [StageLive] when After is the last open stage. Stage's ID must be
// new: neither a stage of the process so far nor one of the base, even a
// removed one, so that a stage ID means one stage in every variant.
type Insertion struct {
	After, Before StageID
	Stage         Stage
}

// StageChange changes one stage of the base (or an inserted one). Its zero
// fields change nothing.
type StageChange struct {
	// Stage names the stage to change.
	Stage StageID
	// Name, when not empty, is the stage's new display name. The stage's ID
	// does not change.
	Name string
	// HealthyDays, when not nil, is the stage's new healthy time in days;
	// 0 means never stalled.
	HealthyDays *int
	// FollowUpDays, when not nil, is the stage's new follow-up days; 0
	// means no follow-up task.
	FollowUpDays *int
	// RemoveEntry and RemoveExit list the IDs of criteria to drop.
	RemoveEntry, RemoveExit []string
	// AddEntry and AddExit list criteria to add after the remaining ones.
	AddEntry, AddExit []Criterion
}

// Derive builds a team's process from p and the changes v describes. The
// stages p has and v keeps keep their IDs and their order, and no inserted
// stage takes an ID of p's. The result has v's ID. Every problem is reported
// together, each a [*accord.FieldError] whose Field is the path of the
// change in the variant's JSON form (see [LoadVariant]), such as
// "remove[0]" for the removal of a core stage or "stages[1].add_exit[0].id"
// for a criterion ID that is already used.
func (p *Process) Derive(v Variant) (*Process, error) {
	if !p.built() {
		return nil, accord.Invalid("process", "is not built: use deal.Default or deal.NewProcess")
	}
	cfg := p.Config()
	cfg.ID = v.ID
	if v.Name != "" {
		cfg.Name = v.Name
	}
	var errs []error
	if v.IdleAlertDays != nil {
		errs = append(errs, checkDays("idle_alert_days", *v.IdleAlertDays)...)
		cfg.IdleAlertDays = *v.IdleAlertDays
	}
	if v.LeadResponse != nil {
		errs = append(errs, v.LeadResponse.check("lead_response")...)
		cfg.LeadResponse = *v.LeadResponse
	}
	find := func(id StageID) int {
		return slices.IndexFunc(cfg.Stages, func(s Stage) bool { return s.ID == id })
	}
	// named is find for a stage the variant names at field, which reports
	// a name of no stage.
	named := func(field string, id StageID) int {
		j := find(id)
		if j < 0 {
			errs = append(errs, accord.Invalid(field, "names no stage of the process; got %q", id))
		}
		return j
	}
	for i, id := range v.Remove {
		path := fmt.Sprintf("remove[%d]", i)
		j := named(path, id)
		switch {
		case j < 0:
		case cfg.Stages[j].Core:
			errs = append(errs, accord.Invalid(path, "stage %q is core in the base process: a variant must keep it", id))
		case id == cfg.ClosedWon:
			errs = append(errs, accord.Invalid(path, "stage %q is the Closed Won stage: a variant must keep it", id))
		default:
			cfg.Stages = slices.Delete(cfg.Stages, j, j+1)
		}
	}
	for i, ins := range v.Insert {
		path := fmt.Sprintf("insert[%d]", i)
		j := named(path+".after", ins.After)
		if j < 0 {
			continue
		}
		next := StageLive
		if j+1 < len(cfg.Stages) {
			next = cfg.Stages[j+1].ID
		}
		if ins.Before != next {
			errs = append(errs, accord.Invalid(path+".before", "must be %q, the stage right after %q; got %q", next, ins.After, ins.Before))
			continue
		}
		bad := prefixed(path+".stage", "stages[0]", flatten(checkStage(ins.Stage)))
		switch _, base := p.index[ins.Stage.ID]; {
		case ins.Stage.ID == "":
		case find(ins.Stage.ID) >= 0:
			bad = append(bad, accord.Invalid(path+".stage.id", "duplicates stage %q", ins.Stage.ID))
		case base:
			bad = append(bad, accord.Invalid(path+".stage.id", "reuses the ID of the base's stage %q, which the variant removes: a new stage needs a new ID, so that metrics across variants stay comparable", ins.Stage.ID))
		}
		if len(bad) > 0 {
			errs = append(errs, bad...)
			continue
		}
		cfg.Stages = slices.Insert(cfg.Stages, j+1, cloneStages([]Stage{ins.Stage})[0])
	}
	for i, ch := range v.Stages {
		path := fmt.Sprintf("stages[%d]", i)
		j := named(path+".stage", ch.Stage)
		if j < 0 {
			continue
		}
		errs = append(errs, change(path, &cfg.Stages[j], ch)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	np, err := NewProcess(cfg)
	if err != nil {
		return nil, errors.Join(prefixed("result", "", flatten(err))...)
	}
	return np, nil
}

// checkStage validates one stage on its own, with the paths of a process
// holding only it.
func checkStage(s Stage) error {
	_, err := NewProcess(Config{Stages: []Stage{s}})
	return err
}

// prefixed rewrites the paths of field errors: the prefix from becomes to
// (or to is put in front, when from is empty).
func prefixed(to, from string, errs []error) []error {
	out := make([]error, 0, len(errs))
	for _, e := range errs {
		var fe *accord.FieldError
		if !errors.As(e, &fe) {
			out = append(out, e)
			continue
		}
		field := fe.Field
		switch {
		case from == "":
			field = to + "." + field
		case strings.HasPrefix(field, from):
			field = to + strings.TrimPrefix(field, from)
		}
		out = append(out, &accord.FieldError{Field: field, Rule: fe.Rule})
	}
	return out
}

// change applies ch to s, reporting problems under path.
func change(path string, s *Stage, ch StageChange) []error {
	var errs []error
	if ch.Name != "" {
		if strings.TrimSpace(ch.Name) == "" {
			errs = append(errs, accord.Invalid(path+".name", "must not be blank"))
		}
		s.Name = ch.Name
	}
	if ch.HealthyDays != nil {
		errs = append(errs, checkDays(path+".healthy_days", *ch.HealthyDays)...)
		s.HealthyDays = *ch.HealthyDays
	}
	if ch.FollowUpDays != nil {
		errs = append(errs, checkDays(path+".follow_up_days", *ch.FollowUpDays)...)
		s.FollowUpDays = *ch.FollowUpDays
	}
	var e1, e2 []error
	s.Entry, e1 = edit(path, "entry", s.ID, s.Entry, ch.RemoveEntry, ch.AddEntry)
	s.Exit, e2 = edit(path, "exit", s.ID, s.Exit, ch.RemoveExit, ch.AddExit)
	return append(append(errs, e1...), e2...)
}

// edit removes the criteria with the IDs in remove from cs and appends add.
func edit(path, side string, stage StageID, cs []Criterion, remove []string, add []Criterion) ([]Criterion, []error) {
	var errs []error
	out := slices.Clone(cs)
	for k, id := range remove {
		j := slices.IndexFunc(out, func(c Criterion) bool { return c.ID == id })
		if j < 0 {
			errs = append(errs, accord.Invalid(fmt.Sprintf("%s.remove_%s[%d]", path, side, k), "names no %s criterion of stage %q; got %q", side, stage, id))
			continue
		}
		out = slices.Delete(out, j, j+1)
	}
	for k, c := range add {
		cp := fmt.Sprintf("%s.add_%s[%d]", path, side, k)
		bad := checkCriterion(cp, c)
		if c.ID != "" && slices.ContainsFunc(out, func(o Criterion) bool { return o.ID == c.ID }) {
			bad = append(bad, accord.Invalid(cp+".id", "duplicates %s criterion %q of stage %q", side, c.ID, stage))
		}
		errs = append(errs, bad...)
		if len(bad) == 0 {
			out = append(out, c)
		}
	}
	return out, errs
}

// LoadVariant reads a variant of base from JSON and derives it, as
// [Process.Derive] does. The JSON form mirrors [Variant]:
//
//	{
//	  "id": "smb", "name": "Self-serve SMB",
//	  "remove": ["solution_alignment"],
//	  "insert": [{"after": "business_case", "before": "proposal",
//	              "stage": {"id": "security_review", "name": "Security review", ...}}],
//	  "stages": [{"stage": "discovery", "name": "Quick discovery", "healthy_days": 7,
//	              "follow_up_days": 2,
//	              "remove_entry": [], "remove_exit": ["constraint_legal"],
//	              "add_entry": [], "add_exit": [{"id": "...", "kind": "present", ...}]}],
//	  "idle_alert_days": 7,
//	  "lead_response": {"alert_minutes": 2, "escalate_minutes": 10}
//	}
//
// An inserted stage and an added criterion are written as in [Load], and
// opts.Rules holds the host's rules they refer to. Every problem is reported,
// joined, each a [*accord.FieldError] whose Field is its JSON path, such as
// "insert[0].stage.exit[1].kind": those of the JSON first, then those
// [Process.Derive] finds in the changes that could be read, but for a
// problem at or under a path the JSON already has one at.
func LoadVariant(base *Process, data []byte, opts LoadOptions) (*Process, error) {
	l := newLoader("variant", opts.Rules)
	v, ok := l.variant(data)
	if !ok {
		return nil, l.Err()
	}
	return l.join(base.Derive(v))
}

var (
	variantKeys   = []string{"id", "name", "remove", "insert", "stages", "idle_alert_days", "lead_response"}
	insertionKeys = []string{"after", "before", "stage"}
	changeKeys    = []string{"stage", "name", "healthy_days", "follow_up_days", "remove_entry", "remove_exit", "add_entry", "add_exit"}
)

// variant decodes a variant; it returns false when data is not a JSON
// object at all.
func (l *loader) variant(data []byte) (Variant, bool) {
	m, ok := l.Document(data, "a variant", variantKeys...)
	if !ok {
		return Variant{}, false
	}
	v := Variant{ID: l.str("id", m["id"]), Name: l.str("name", m["name"])}
	if raw, ok := m["idle_alert_days"]; ok {
		n := l.integer("idle_alert_days", raw)
		v.IdleAlertDays = &n
	}
	if raw, ok := m["lead_response"]; ok {
		lr := l.leadResponse(raw)
		v.LeadResponse = &lr
	}
	for _, id := range l.Strings("remove", m["remove"]) {
		v.Remove = append(v.Remove, StageID(id))
	}
	for i, raw := range l.Array("insert", m["insert"]) {
		path := fmt.Sprintf("insert[%d]", i)
		im := l.object(path, "an insertion", raw, insertionKeys...)
		if im == nil {
			continue
		}
		ins := Insertion{After: StageID(l.str(path+".after", im["after"])), Before: StageID(l.str(path+".before", im["before"]))}
		if raw, ok := im["stage"]; ok {
			ins.Stage = l.stage(path+".stage", raw)
		} else {
			l.Fail(path+".stage", "is required")
		}
		v.Insert = append(v.Insert, ins)
	}
	for i, raw := range l.Array("stages", m["stages"]) {
		path := fmt.Sprintf("stages[%d]", i)
		cm := l.object(path, "a stage change", raw, changeKeys...)
		if cm == nil {
			continue
		}
		ch := StageChange{
			Stage:       StageID(l.str(path+".stage", cm["stage"])),
			Name:        l.str(path+".name", cm["name"]),
			RemoveEntry: l.Strings(path+".remove_entry", cm["remove_entry"]),
			RemoveExit:  l.Strings(path+".remove_exit", cm["remove_exit"]),
			AddEntry:    l.criteria(path+".add_entry", cm["add_entry"]),
			AddExit:     l.criteria(path+".add_exit", cm["add_exit"]),
		}
		if raw, ok := cm["healthy_days"]; ok {
			n := l.integer(path+".healthy_days", raw)
			ch.HealthyDays = &n
		}
		if raw, ok := cm["follow_up_days"]; ok {
			n := l.integer(path+".follow_up_days", raw)
			ch.FollowUpDays = &n
		}
		v.Stages = append(v.Stages, ch)
	}
	return v, true
}
