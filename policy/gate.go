package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// Gate turns set into deal criteria, one per policy in the order of their
// IDs, so that a process refuses a move that would break a policy. Each
// criterion has the ID "policy." and the policy's ID, the policy's
// description, and a rule that checks the deal being moved as a closing
// deal (Subject{Deal: d, Closing: true}): it is met when the policy reports
// no violation, and when it is not, each violation appears in the refusal as
// an unmet criterion of its own, with the violation's message and its field
// as a path of the deal (such as "quote.discounts[0].offered_at"). See
// [deal.Explainer].
//
// The usual place for the criteria is the close: [Gated] adds them to the
// entry of a process's Closed Won stage. Added elsewhere, with
// [deal.Process.Derive], they guard that move instead, still checking the
// deal as closing.
//
// Gate with the policies a close can break, such as
// set.Only(IDSingleEdition, IDNoPanicDiscounts, IDClosedWonOnStructure).
// A gate refuses the move until the violation is gone, so a policy whose
// breach nothing can undo keeps the deal from closing for good: a lead
// first touched late (lead_response_sla) stays late. Policies about other
// subjects (plans, payments, refunds) have nothing to say of a deal and
// never refuse; check those with [Set.Check] and [Set.Allow] where the plan,
// payment or refund is handled.
//
// Each rule is [deal.Named] "policy." and the policy's ID, so a gated
// process can be written as JSON; [Rules] gives [deal.Load] the rules to
// read it back.
func Gate(set *Set) []deal.Criterion {
	if set == nil {
		return nil
	}
	out := make([]deal.Criterion, len(set.policies))
	for i, p := range set.policies {
		out[i] = deal.Criterion{
			ID:          CriterionPrefix + p.ID(),
			Description: p.Description(),
			Rule:        deal.Named(CriterionPrefix+p.ID(), gateRule{p}),
		}
	}
	return out
}

// Rules returns the named rules of [Gate]'s criteria, by name, for
// [deal.Load] and [deal.LoadVariant] to read back a gated process.
func Rules(set *Set) map[string]deal.Rule {
	out := map[string]deal.Rule{}
	if set == nil {
		return out
	}
	for _, p := range set.policies {
		out[CriterionPrefix+p.ID()] = gateRule{p}
	}
	return out
}

// Gated returns p with the criteria of [Gate] added to the entry of its
// Closed Won stage (or to the exit of its last open stage when entering
// live is Closed Won), keeping p's ID and name. Closing a deal is then
// refused, with every violation listed, while the deal breaks a policy of
// set; so is reopening a lost deal into the Closed Won stage. A process
// that has a "policy." criterion already is refused: gate its base again
// instead.
//
// A policy may restate a criterion the process already has: Unified's
// proposal exit asks for the scope approvals, a term and an implementation
// start, which closed_won_on_structure asks for too (with the scoped
// categories), so a deal missing them is told twice, once by each. A host
// that wants each gap named once leaves the policy out of the set it gates
// with, or gates a process that does not ask.
//
// An empty (or nil) set is an error ([accord.ErrInvalid]): a process
// "gated" with no policy would look gated and check nothing.
func Gated(p *deal.Process, set *Set) (*deal.Process, error) {
	if p == nil {
		return nil, accord.Invalid("process", "is nil")
	}
	if set == nil || len(set.policies) == 0 {
		return nil, accord.Invalid("set", "is empty: gate with at least one policy")
	}
	cfg := p.Config()
	change := deal.StageChange{Stage: cfg.ClosedWon, AddEntry: Gate(set)}
	if cfg.ClosedWon == "" {
		if len(cfg.Stages) == 0 {
			return nil, accord.Invalid("process.stages", "has no open stage to gate")
		}
		change = deal.StageChange{Stage: cfg.Stages[len(cfg.Stages)-1].ID, AddExit: Gate(set)}
	}
	for i, st := range cfg.Stages {
		for _, side := range []struct {
			name string
			cs   []deal.Criterion
		}{{"entry", st.Entry}, {"exit", st.Exit}} {
			for j, c := range side.cs {
				if strings.HasPrefix(c.ID, CriterionPrefix) {
					return nil, accord.Invalid(fmt.Sprintf("process.stages[%d].%s[%d]", i, side.name, j),
						"the process is gated already (criterion %q); gate the process it was derived from", c.ID)
				}
			}
		}
	}
	return p.Derive(deal.Variant{ID: cfg.ID, Name: cfg.Name, Stages: []deal.StageChange{change}})
}

// gateRule is a policy as a deal rule.
type gateRule struct{ p Policy }

func (r gateRule) Met(d *deal.Deal, now time.Time) bool {
	return len(r.p.Check(Subject{Deal: d, Closing: true}, now)) == 0
}

// Explain reports each violation as an unmet criterion, its field a path of
// the deal.
func (r gateRule) Explain(d *deal.Deal, now time.Time) []accord.Unmet {
	vs := r.p.Check(Subject{Deal: d, Closing: true}, now)
	if len(vs) == 0 {
		return nil
	}
	out := make([]accord.Unmet, len(vs))
	for i, v := range vs {
		out[i] = accord.Unmet{Message: v.Message, Field: dealPath(v.Field)}
		if out[i].Message == "" {
			out[i].Message = fmt.Sprintf("breaks policy %s", r.p.ID())
		}
	}
	return out
}

// dealPath turns a subject path into a path of the deal.
func dealPath(field string) string {
	if rest, ok := strings.CutPrefix(field, "deal."); ok {
		return rest
	}
	if field == "deal" {
		return ""
	}
	return field
}
