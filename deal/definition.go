package deal

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
)

// The criterion kinds of a definition written as data. They are stable:
// definitions are stored, so a kind is never renamed once published.
const (
	kindPresent       = "present"
	kindReached       = "reached"
	kindEngaged       = "engaged"
	kindHasArtifact   = "has_artifact"
	kindNextStep      = "next_step_within"
	kindAnyOf         = "any_of"
	kindGathered      = "requirements_gathered"
	kindScopeApproved = "scope_approved"
	kindResolved      = "discrepancies_resolved"
	kindFitViable     = "fit_viable"
	kindNamed         = "named"
	kindConfirmed     = "confirmed"
	kindEngagedWithin = "engaged_within"
	kindChampion      = "champion_graded"
)

// kindParams lists, for every criterion kind, its parameters in the order a
// definition writes them. Every parameter of a kind is required but role,
// which [Engaged] allows empty.
var kindParams = map[string][]string{
	kindPresent:       {"path"},
	kindReached:       {"path"},
	kindEngaged:       {"role", "n"},
	kindHasArtifact:   {"artifact"},
	kindNextStep:      {"days"},
	kindAnyOf:         {"rules"},
	kindGathered:      {"kinds"},
	kindScopeApproved: nil,
	kindResolved:      nil,
	kindFitViable:     nil,
	kindNamed:         {"name"},
	kindConfirmed:     {"path"},
	kindEngagedWithin: {"role", "days"},
	kindChampion:      nil,
}

// kindNames lists the criterion kinds in the order the package doc does.
var kindNames = []string{kindPresent, kindReached, kindEngaged, kindHasArtifact, kindNextStep,
	kindAnyOf, kindGathered, kindScopeApproved, kindResolved, kindFitViable, kindNamed,
	kindConfirmed, kindEngagedWithin, kindChampion}

// processDoc is the JSON form of a process; see [Load].
type processDoc struct {
	ID            string     `json:"id,omitempty"`
	Name          string     `json:"name,omitempty"`
	ClosedWon     StageID    `json:"closed_won,omitempty"`
	IdleAlertDays int        `json:"idle_alert_days,omitempty"`
	LeadResponse  *leadDoc   `json:"lead_response,omitempty"`
	Stages        []stageDoc `json:"stages"`
}

type leadDoc struct {
	AlertMinutes    int `json:"alert_minutes,omitempty"`
	EscalateMinutes int `json:"escalate_minutes,omitempty"`
}

type stageDoc struct {
	ID                StageID        `json:"id"`
	Name              string         `json:"name"`
	Purpose           string         `json:"purpose,omitempty"`
	BuyerCommitments  []string       `json:"buyer_commitments,omitempty"`
	Core              bool           `json:"core,omitempty"`
	Entry             []criterionDoc `json:"entry,omitempty"`
	Exit              []criterionDoc `json:"exit,omitempty"`
	HealthyDays       int            `json:"healthy_days,omitempty"`
	Probability       json.Number    `json:"probability"`
	MultiThreaded     bool           `json:"multi_threaded,omitempty"`
	NeedsBusinessCase bool           `json:"needs_business_case,omitempty"`
	FollowUpDays      int            `json:"follow_up_days,omitempty"`
}

type criterionDoc struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Field       string `json:"field,omitempty"`
	ruleDoc
}

type ruleDoc struct {
	Kind     string          `json:"kind"`
	Path     string          `json:"path,omitempty"`
	Role     StakeholderRole `json:"role,omitempty"`
	N        int             `json:"n,omitempty"`
	Artifact string          `json:"artifact,omitempty"`
	Days     int             `json:"days,omitempty"`
	Kinds    []scope.Kind    `json:"kinds,omitempty"`
	Rules    []ruleDoc       `json:"rules,omitempty"`
	Name     string          `json:"name,omitempty"`
}

// MarshalJSON writes p as a definition that [Load] reads back into a
// process that decides exactly as p does. Every rule must be one of the
// built-in kinds or wrapped with [Named]; a rule that cannot be written as
// data (a [RuleFunc] or a host type) fails the call with a
// [*accord.FieldError] naming the criterion's path, such as
// "stages[1].exit[2]", one for every such rule.
func (p *Process) MarshalJSON() ([]byte, error) {
	doc, err := p.doc()
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

func (p *Process) doc() (processDoc, error) {
	if !p.built() {
		return processDoc{}, accord.Invalid("process", "is not built: use deal.Default or deal.NewProcess")
	}
	doc := processDoc{ID: p.id, Name: p.name, IdleAlertDays: p.idleAlert, Stages: make([]stageDoc, len(p.stages))}
	if p.wonIndex < len(p.stages) {
		doc.ClosedWon = p.stages[p.wonIndex].ID
	}
	if p.lead != (LeadResponse{}) {
		doc.LeadResponse = &leadDoc{AlertMinutes: p.lead.AlertMinutes, EscalateMinutes: p.lead.EscalateMinutes}
	}
	var errs []error
	for i, s := range p.stages {
		path := fmt.Sprintf("stages[%d]", i)
		sd := stageDoc{
			ID: s.ID, Name: s.Name, Purpose: s.Purpose, BuyerCommitments: s.BuyerCommitments, Core: s.Core,
			HealthyDays: s.HealthyDays, Probability: json.Number(s.Probability.String()),
			MultiThreaded: s.MultiThreaded, NeedsBusinessCase: s.NeedsBusinessCase, FollowUpDays: s.FollowUpDays,
		}
		sd.Entry, errs = criteriaDocs(path+".entry", s.Entry, errs)
		sd.Exit, errs = criteriaDocs(path+".exit", s.Exit, errs)
		doc.Stages[i] = sd
	}
	if len(errs) > 0 {
		return processDoc{}, errors.Join(errs...)
	}
	return doc, nil
}

func criteriaDocs(path string, cs []Criterion, errs []error) ([]criterionDoc, []error) {
	if len(cs) == 0 {
		return nil, errs
	}
	out := make([]criterionDoc, len(cs))
	for j, c := range cs {
		var rd ruleDoc
		rd, errs = ruleSpec(fmt.Sprintf("%s[%d]", path, j), c.Rule, errs)
		out[j] = criterionDoc{ID: c.ID, Description: c.Description, Field: c.Field, ruleDoc: rd}
	}
	return out, errs
}

// ruleSpec returns the kind and parameters of a built-in or named rule, or
// appends an error naming path.
func ruleSpec(path string, r Rule, errs []error) (ruleDoc, []error) {
	switch r := r.(type) {
	case *present:
		return ruleDoc{Kind: kindPresent, Path: r.path}, errs
	case reached:
		return ruleDoc{Kind: kindReached, Path: r.path}, errs
	case engaged:
		return ruleDoc{Kind: kindEngaged, Role: r.role, N: r.n}, errs
	case artifact:
		return ruleDoc{Kind: kindHasArtifact, Artifact: r.kind}, errs
	case nextStep:
		return ruleDoc{Kind: kindNextStep, Days: r.days}, errs
	case anyOf:
		rd := ruleDoc{Kind: kindAnyOf, Rules: make([]ruleDoc, len(r))}
		for i, x := range r {
			rd.Rules[i], errs = ruleSpec(fmt.Sprintf("%s.rules[%d]", path, i), x, errs)
		}
		return rd, errs
	case gathered:
		return ruleDoc{Kind: kindGathered, Kinds: []scope.Kind(r)}, errs
	case scopeApproved:
		return ruleDoc{Kind: kindScopeApproved}, errs
	case resolved:
		return ruleDoc{Kind: kindResolved}, errs
	case fitViable:
		return ruleDoc{Kind: kindFitViable}, errs
	case named:
		return ruleDoc{Kind: kindNamed, Name: r.name}, errs
	case *confirmed:
		return ruleDoc{Kind: kindConfirmed, Path: r.path}, errs
	case engagedWithin:
		return ruleDoc{Kind: kindEngagedWithin, Role: r.role, Days: r.days}, errs
	case championGraded:
		return ruleDoc{Kind: kindChampion}, errs
	}
	return ruleDoc{}, append(errs, accord.Invalid(path, "rule of type %s cannot be written as data: use a built-in kind or wrap it with deal.Named", typeName(r)))
}

func typeName(r Rule) string {
	return strings.TrimPrefix(fmt.Sprintf("%T", r), "*")
}
