package deal

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/accordhq/accord"
)

// Rule is the pure check behind a [Criterion]. Met reports whether d meets
// the rule at now. It must not modify d, and must give the same answer for the
// same deal and now: a process evaluates rules concurrently and repeatedly.
//
// The constructors below cover the common kinds; a host writes its own by
// implementing Met, or with [RuleFunc], and wraps it with [Named] so that a
// process holding it can be written as data.
type Rule interface {
	Met(d *Deal, now time.Time) bool
}

// Criterion is one condition on entering or leaving a stage.
type Criterion struct {
	// ID is stable: hosts store it, so it is never renamed once published.
	// It is unique among the entry (or exit) criteria of its stage.
	ID string
	// Description tells a rep, in week one, what to do to meet it. It is the
	// message of the [accord.Unmet] reported when the criterion fails.
	Description string
	// Field is the path of the field the criterion concerns, such as
	// "discovery.problem". When empty, the process takes it from the rule
	// ([Present], [Reached], [Engaged], [HasArtifact] and [NextStepWithin]
	// name their field).
	Field string
	// Rule is the check.
	Rule Rule
}

// Reads lists what c's rule reads of a deal: the paths of the fields, such
// as "discovery.problem", "stakeholders" or "fields.budget", and the kinds
// of the artifacts, each in the order the rule names them and without
// repeats. It looks inside [AnyOf] and [Named] rules at any depth, so it
// sees every alternative, where [Stage.RequiredFields] sees the one field
// a criterion is reported under, and every field an evidence rule reads
// (such as [Confirmed]'s name, date and "stakeholders"); and it ignores
// c.Field. The artifact kinds
// of [HasArtifact] are listed as artifacts only, not as the field
// "artifacts". A [RuleFunc] or a host's own rule type reads nothing Reads
// can see. A test harness, such as package deal/dealtest, uses it to know
// what to fill in so that each criterion can be met.
func (c Criterion) Reads() (fields, artifacts []string) {
	var walk func(r Rule)
	walk = func(r Rule) {
		switch r := r.(type) {
		case anyOf:
			for _, x := range r {
				walk(x)
			}
		case named:
			walk(r.rule)
		case artifact:
			if !slices.Contains(artifacts, r.kind) {
				artifacts = append(artifacts, r.kind)
			}
		case multiReader:
			for _, f := range r.reads() {
				if !slices.Contains(fields, f) {
					fields = append(fields, f)
				}
			}
		case fielded:
			if f := r.field(); !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
	}
	walk(c.Rule)
	return fields, artifacts
}

// Explainer is a Rule that says why it is not met, one reason per problem,
// such as a policy gate reporting each violation (see package policy).
// When a criterion's rule is an Explainer and is not met, the process reports
// the criterion once per reason: each [accord.Unmet] has the criterion's ID,
// stage and side, and the reason's Message and Field (the criterion's own
// when the reason leaves them empty). Explain is called only when Met is
// false; when it gives no reasons the criterion is reported once, as any
// other. [Named] forwards to the rule it names; [AnyOf] reports itself once.
type Explainer interface {
	Rule
	Explain(d *Deal, now time.Time) []accord.Unmet
}

// RuleFunc adapts a function to a [Rule].
type RuleFunc func(d *Deal, now time.Time) bool

// Met calls f(d, now).
func (f RuleFunc) Met(d *Deal, now time.Time) bool { return f(d, now) }

func (f RuleFunc) validate() error {
	if f == nil {
		return fmt.Errorf("RuleFunc is nil")
	}
	return nil
}

// fielded is implemented by the rules that concern one field.
type fielded interface{ field() string }

// multiReader is implemented by the rules that read more than the one
// field they are reported under; reads lists them all, that one first.
type multiReader interface{ reads() []string }

// validator is implemented by the rules that can be built wrong.
type validator interface{ validate() error }

// nester is implemented by the rules that hold other rules: they are
// checked with their depth of nesting.
type nester interface{ validateAt(depth int) error }

// Present returns a rule met when the field at path has a value: a
// non-blank string, a list with a non-blank entry, a set amount, a non-zero
// date or number, a true flag, a known fit or strength. Paths are the
// snake_case JSON paths of [Deal], such as "discovery.problem",
// "business_case.impact" or "stakeholders": every field of a deal and of
// its structured parts, derived from the type, but for what the process
// keeps (stage, stage_entered_at, version, history, loss,
// close_date_changes, contract_id) and the parts other packages read whole (scope,
// quote, lead). A host field is "fields.<name>". [NewProcess] rejects an
// unknown path.
func Present(path string) Rule {
	r := &present{path: path, get: lookup(path)}
	if f, ok := fieldReaders[path]; ok && f.text {
		r.text, r.off = true, f.off
	}
	return r
}

// present is held by pointer, so that a process calls its Met directly
// rather than through a wrapper that copies it.
type present struct {
	path string
	get  func(*Deal) bool
	// text marks a string field, read at offset off without calling get:
	// most criteria of a process ask for text, and every move evaluates
	// them.
	text bool
	off  uintptr
}

func (r *present) Met(d *Deal, _ time.Time) bool {
	if r.text {
		return text(*(*string)(at(d, r.off)))
	}
	return r.get != nil && r.get(d)
}
func (r present) field() string { return r.path }
func (r present) validate() error {
	if r.get == nil {
		return fmt.Errorf("unknown field %q", r.path)
	}
	return nil
}

// Reached returns a rule met when the date at path is set and not after now:
// the thing it dates has happened. The path must name a date field that
// [Present] accepts, such as "onboarding.live_at".
func Reached(path string) Rule { return reached{path: path, get: dateAt(path)} }

type reached struct {
	path string
	get  func(*Deal) time.Time
}

func (r reached) Met(d *Deal, now time.Time) bool {
	if r.get == nil {
		return false
	}
	t := r.get(d)
	return !t.IsZero() && !t.After(now)
}
func (r reached) field() string { return r.path }
func (r reached) validate() error {
	if r.get == nil {
		return fmt.Errorf("unknown date field %q", r.path)
	}
	return nil
}

// Engaged returns a rule met when at least n stakeholders with role are
// engaged. An empty role counts engaged stakeholders of any role.
func Engaged(role StakeholderRole, n int) Rule { return engaged{role: role, n: n} }

type engaged struct {
	role StakeholderRole
	n    int
}

func (r engaged) Met(d *Deal, _ time.Time) bool {
	c := 0
	for i := range d.Stakeholders {
		s := &d.Stakeholders[i]
		if s.Engaged && (r.role == "" || s.Role == r.role) {
			c++
		}
	}
	return c >= r.n
}
func (r engaged) field() string { return "stakeholders" }
func (r engaged) validate() error {
	if r.n < 1 {
		return fmt.Errorf("Engaged needs n >= 1, got %d", r.n)
	}
	if r.role != "" && !r.role.valid() {
		return fmt.Errorf("unknown stakeholder role %q", r.role)
	}
	return nil
}

// HasArtifact returns a rule met when an artifact of kind with a reference
// is attached.
func HasArtifact(kind string) Rule { return artifact{kind: kind} }

type artifact struct{ kind string }

func (r artifact) Met(d *Deal, _ time.Time) bool {
	for i := range d.Artifacts {
		if d.Artifacts[i].Kind == r.kind && strings.TrimSpace(d.Artifacts[i].Ref) != "" {
			return true
		}
	}
	return false
}
func (r artifact) field() string { return "artifacts" }
func (r artifact) validate() error {
	if r.kind == "" {
		return fmt.Errorf("HasArtifact needs a kind")
	}
	return nil
}

// NextStepWithin returns a rule met when a next step with a purpose is
// scheduled no earlier than now and at most days days (of 24 hours) after it.
// days must be between 1 and 36500 (a century).
func NextStepWithin(days int) Rule { return nextStep{days: days} }

type nextStep struct{ days int }

func (r nextStep) Met(d *Deal, now time.Time) bool {
	n := &d.NextStep
	if n.At.IsZero() || strings.TrimSpace(n.Purpose) == "" || n.At.Before(now) {
		return false
	}
	return !n.At.After(now.Add(days(r.days)))
}
func (r nextStep) field() string { return "next_step" }
func (r nextStep) validate() error {
	if r.days < 1 || r.days > maxDays {
		return fmt.Errorf("NextStepWithin needs days between 1 and %d, got %d", maxDays, r.days)
	}
	return nil
}

// AnyOf returns a rule met when at least one of rules is met, such as "an
// executive sponsor is engaged, or the deal records that there is none".
// It keeps a copy of rules. Rules nest at most 16 deep: a criterion's rule
// is at depth 1, and the rules of an AnyOf at depth d are at depth d+1
// ([Named] adds no depth); [NewProcess] and [Load] reject deeper ones.
func AnyOf(rules ...Rule) Rule { return anyOf(slices.Clone(rules)) }

// maxRuleDepth bounds the nesting of rules; see [AnyOf].
const maxRuleDepth = 16

type anyOf []Rule

func (r anyOf) Met(d *Deal, now time.Time) bool {
	for _, x := range r {
		if x.Met(d, now) {
			return true
		}
	}
	return false
}
func (r anyOf) validateAt(depth int) error {
	if len(r) == 0 {
		return fmt.Errorf("AnyOf needs at least one rule")
	}
	if depth >= maxRuleDepth {
		return fmt.Errorf("AnyOf at depth %d nests its rules deeper than %d levels", depth, maxRuleDepth)
	}
	for i, x := range r {
		if err := validateRuleAt(x, depth+1); err != nil {
			return fmt.Errorf("AnyOf rule %d: %w", i, err)
		}
	}
	return nil
}

// FitViable returns a rule met unless the qualification fit is labelled
// not a fit: a deal that is not a fit is disqualified, not advanced. An
// unlabelled fit meets it; [Present]("qualification.fit") asks for a label.
func FitViable() Rule { return fitViable{} }

type fitViable struct{}

func (fitViable) Met(d *Deal, _ time.Time) bool { return d.Qualification.Fit != FitNone }
func (fitViable) field() string                 { return "qualification.fit" }

// Named gives a host rule a name, so that a process holding it can be
// written as data: [Process.MarshalJSON] writes it as
// {"kind":"named","name":name}, and [Load] resolves that name from the rules
// the host passes it. The rule decides exactly as r does. The name must not
// be empty; one name should stand for one rule in all of a host's processes.
func Named(name string, r Rule) Rule { return named{name: name, rule: r} }

type named struct {
	name string
	rule Rule
}

func (r named) Met(d *Deal, now time.Time) bool { return r.rule != nil && r.rule.Met(d, now) }

// Explain forwards to the named rule when it explains itself.
func (r named) Explain(d *Deal, now time.Time) []accord.Unmet {
	if x, ok := r.rule.(Explainer); ok {
		return x.Explain(d, now)
	}
	return nil
}
func (r named) field() string {
	if f, ok := r.rule.(fielded); ok {
		return f.field()
	}
	return ""
}
func (r named) validateAt(depth int) error {
	if r.name == "" {
		return fmt.Errorf("Named needs a name")
	}
	if err := validateRuleAt(r.rule, depth); err != nil {
		return fmt.Errorf("named rule %q: %w", r.name, err)
	}
	return nil
}

// validateRule checks the rule of a criterion.
func validateRule(r Rule) error { return validateRuleAt(r, 1) }

// validateRuleAt checks a rule at the given depth of nesting (see [AnyOf]).
func validateRuleAt(r Rule, depth int) error {
	if r == nil {
		return fmt.Errorf("is required")
	}
	switch v := r.(type) {
	case nester:
		return v.validateAt(depth)
	case validator:
		return v.validate()
	}
	return nil
}

// checkCriterion reports the problems of one criterion, with paths under p.
func checkCriterion(p string, c Criterion) []error {
	var errs []error
	if c.ID == "" {
		errs = append(errs, accord.Invalid(p+".id", "is required"))
	}
	if strings.TrimSpace(c.Description) == "" {
		errs = append(errs, accord.Invalid(p+".description", "is required"))
	}
	if err := validateRule(c.Rule); err != nil {
		errs = append(errs, accord.Invalid(p+".rule", "%s", err))
	}
	return errs
}

func fieldOf(c Criterion) string {
	if c.Field != "" {
		return c.Field
	}
	if f, ok := c.Rule.(fielded); ok {
		return f.field()
	}
	return ""
}

// hasImpact reports a quantified business case: a positive impact amount.
func hasImpact(d *Deal) bool {
	return d.BusinessCase.Impact.IsSet() && d.BusinessCase.Impact.Amount.IsPositive()
}

// text reports a non-blank string; the common cases, an empty string and
// text that starts with a printable character other than a space, need no
// trimming.
func text(s string) bool {
	// A string that starts with printable ASCII other than a space is not
	// blank; a non-ASCII byte may begin a Unicode space (U+00A0), which
	// TrimSpace judges. Small enough to be inlined: Validate and the
	// criteria ask this of every name and title.
	return len(s) > 0 && (s[0]-'!' < utf8.RuneSelf-'!' || notBlank(s))
}

//go:noinline // keeps text within the inlining budget
func notBlank(s string) bool { return strings.TrimSpace(s) != "" }

func list(xs []string) bool {
	for _, x := range xs {
		if text(x) {
			return true
		}
	}
	return false
}

// lookup returns the presence test of the field at path, or nil when the
// path names no field (see fields.go).
func lookup(path string) func(*Deal) bool {
	if name, ok := strings.CutPrefix(path, "fields."); ok && name != "" {
		return func(d *Deal) bool { return text(d.Fields[name]) }
	}
	return fieldReaders[path].present
}

// dateAt returns the getter of the date field at path, or nil.
func dateAt(path string) func(*Deal) time.Time { return fieldReaders[path].date }
