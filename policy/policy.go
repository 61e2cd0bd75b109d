package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/scope"
)

// Policy is one commercial rule. Its ID is stable, its description says the
// rule in a sentence, and its parameters are data. Check is pure: it reads
// the subject and now, changes neither, and gives the same violations for
// the same subject and now.
//
// A policy checks the parts of a [Subject] it is about and ignores the
// others: a quota policy has nothing to say about a refund. Hosts write
// their own policies against this interface (see the package example).
type Policy interface {
	// ID is the policy's stable identifier, such as "no_quotas". It is
	// made of lower-case letters, digits and underscores.
	ID() string
	// Description says the rule in a sentence a rep can read.
	Description() string
	// Params returns the policy's parameters as a value that encoding/json
	// encodes as an object, or nil when the policy has none.
	Params() any
	// Check returns the violations of the policy by s at now, or nil.
	Check(s Subject, now time.Time) []Violation
}

// Validator is an optional interface a [Policy] may implement to check its
// own parameters. [NewSet], [Load] and json.Unmarshal into a [Set] call
// Validate on every policy that implements it and report what it returns
// under the policy's ".params" path: a [*accord.FieldError] whose Field is
// a parameter, such as "month_days", becomes
// "policies[0].params.month_days"; any other error is reported at
// "policies[0].params". A policy without parameters, or whose parameters
// cannot be wrong, need not implement it. The built-in policies with
// parameters implement it.
//
// Validate must be pure, as Check is: it is called when a set is built,
// not on every check.
type Validator interface {
	Policy
	// Validate returns the problems of the policy's parameters, joined, or
	// nil.
	Validate() error
}

// Violation is one breach of a policy by a subject.
type Violation struct {
	// Policy is the ID of the policy broken.
	Policy string `json:"policy"`
	// Subject identifies what broke it: see [Subject.Name].
	Subject string `json:"subject"`
	// Owner is who answers for it: see [Subject.Responsible].
	Owner string `json:"owner,omitempty"`
	// Message says what is wrong and what the policy asks instead.
	Message string `json:"message"`
	// Field is the path of the field at fault within the subject, such as
	// "deal.quote.discounts[0].concession" or "payment.deal_id".
	Field string `json:"field,omitempty"`
}

// String formats v as "policy (subject) field: message".
func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Policy)
	if v.Subject != "" {
		b.WriteString(" (" + v.Subject + ")")
	}
	if v.Field != "" {
		b.WriteString(" " + v.Field)
	}
	b.WriteString(": " + v.Message)
	return b.String()
}

// Subject is what a policy set is checked against: a deal with its quote,
// or any of the other things a commercial policy speaks about. Set the parts
// there are; each policy checks those it is about. Pointers are read, never
// written.
type Subject struct {
	// ID names the subject in violations; see [Subject.Name].
	ID string
	// Owner is who answers for the subject; see [Subject.Responsible].
	Owner string

	// Deal is a deal with its quote (Deal.Quote), its lead (Deal.Lead),
	// its commercials and its scope reference.
	Deal *deal.Deal
	// Closing says the deal is being closed won: the policy of a structured
	// close checks a deal only then, or once it is won. The criteria of
	// [Gate] set it.
	Closing bool
	// Won says the deal is won, as its process reads it
	// ([deal.Process.Won]): the policy of a structured close checks a won
	// deal as it checks a closing one.
	Won bool
	// Discount is a discount proposed for Deal (or for no deal yet) and not
	// yet on its quote.
	Discount *deal.Discount
	// Lead is a lead that is not a deal yet.
	Lead *deal.Lead
	// Payment is a request to take a payment, checked against Scope, or
	// against Deal's scope reference when Scope is nil.
	Payment *PaymentRequest
	// Scope is the Scope of Work a payment is for.
	Scope *scope.SOW
	// Refund is a refund asked for by a client.
	Refund *RefundRequest
	// Terms are contract terms as proposed or redlined.
	Terms *ProposedTerms
	// Plan is a compensation or targets plan.
	Plan *Plan
	// Catalog is the product catalog.
	Catalog *Catalog
}

// Name returns the subject's name for violations: ID when set, else the
// first ID found among those of Deal, Payment, Refund, Discount, Terms, Plan
// and Catalog, in that order.
func (s Subject) Name() string {
	switch {
	case s.ID != "":
		return s.ID
	case s.Deal != nil && s.Deal.ID != "":
		return s.Deal.ID
	case s.Payment != nil && s.Payment.ID != "":
		return s.Payment.ID
	case s.Refund != nil && s.Refund.ID != "":
		return s.Refund.ID
	case s.Discount != nil && s.Discount.ID != "":
		return s.Discount.ID
	case s.Terms != nil && s.Terms.ID != "":
		return s.Terms.ID
	case s.Plan != nil && s.Plan.ID != "":
		return s.Plan.ID
	case s.Catalog != nil && s.Catalog.ID != "":
		return s.Catalog.ID
	}
	return ""
}

// Op returns what a refusal of s by [Set.Allow] refuses: [accord.OpPay]
// for a payment request, else [accord.OpRefund] for a refund, else
// [accord.OpDiscount] for a discount, else [accord.OpMove] for a deal that
// is closing, and [accord.OpCheck] for anything else.
func (s Subject) Op() accord.Op {
	switch {
	case s.Payment != nil:
		return accord.OpPay
	case s.Refund != nil:
		return accord.OpRefund
	case s.Discount != nil:
		return accord.OpDiscount
	case s.Closing:
		return accord.OpMove
	}
	return accord.OpCheck
}

// Responsible returns who answers for the subject's violations: Owner when
// set, else the first found of the deal's owner, the plan's owner, whoever
// offered the discount, and whoever asked for the payment.
func (s Subject) Responsible() string {
	switch {
	case s.Owner != "":
		return s.Owner
	case s.Deal != nil && s.Deal.Owner != "":
		return s.Deal.Owner
	case s.Plan != nil && s.Plan.Owner != "":
		return s.Plan.Owner
	case s.Discount != nil && s.Discount.By != "":
		return s.Discount.By
	case s.Payment != nil && s.Payment.By != "":
		return s.Payment.By
	}
	return ""
}

// Violation returns a violation of policy by s at field, with the message
// formatted from format and args in the manner of fmt.Sprintf. Policies use
// it so that every violation names its subject and owner the same way.
func (s Subject) Violation(policy, field, format string, args ...any) Violation {
	return Violation{Policy: policy, Subject: s.Name(), Owner: s.Responsible(), Message: fmt.Sprintf(format, args...), Field: field}
}

// Set is a validated set of policies with distinct IDs. It is immutable and
// safe for concurrent use; build it once and share it.
//
// A set keeps its policies in the order of their IDs, so that what it
// reports does not depend on the order they were listed in.
type Set struct {
	policies []Policy
}

// NewSet validates policies as a whole and returns them as a set. Every
// problem is reported, joined, each a [*accord.FieldError] whose path is
// the policy's position in the list, such as "policies[2].id" or
// "policies[0].params.month_days": a nil policy, an ID that is empty,
// malformed or repeated, a host policy taking the ID of a built-in one,
// and the parameter problems of a policy that implements [Validator], as
// the built-in policies with parameters do.
func NewSet(policies ...Policy) (*Set, error) {
	ps := make([]placed, len(policies))
	for i, p := range policies {
		ps[i].path = fmt.Sprintf("policies[%d]", i)
		ps[i].p = p
	}
	return build(ps)
}

// validID reports whether id is a policy identifier: a lower-case letter,
// then lower-case letters, digits and underscores, at most 64 bytes.
func validID(id string) bool {
	if id == "" || len(id) > 64 || id[0] < 'a' || id[0] > 'z' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// under puts every field error of err under prefix; any other error becomes
// a field error at prefix.
func under(prefix string, err error) error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, under(prefix, e))
		}
		return errors.Join(out...)
	}
	var fe *accord.FieldError
	if errors.As(err, &fe) {
		f := prefix
		if fe.Field != "" {
			f += "." + fe.Field
		}
		return &accord.FieldError{Field: f, Rule: fe.Rule}
	}
	return &accord.FieldError{Field: prefix, Rule: err.Error()}
}

// Policies returns the set's policies, in the order of their IDs.
func (set *Set) Policies() []Policy {
	if set == nil {
		return nil
	}
	return slices.Clone(set.policies)
}

// Only returns the set of the policies of set with the given IDs, such as
// the policies a host gates the close with (see [Gate]). Every ID must be
// one of set's, and given once; every unknown or repeated one is reported,
// joined, as a *accord.FieldError at "ids[i]".
func (set *Set) Only(ids ...string) (*Set, error) {
	var errs []error
	out := &Set{}
	taken := map[string]bool{}
	for i, id := range ids {
		var found Policy
		if set != nil {
			for _, p := range set.policies {
				if p.ID() == id {
					found = p
					break
				}
			}
		}
		switch {
		case found == nil:
			errs = append(errs, accord.Invalid(fmt.Sprintf("ids[%d]", i), "the set has no policy %q", id))
		case taken[id]:
			errs = append(errs, accord.Invalid(fmt.Sprintf("ids[%d]", i), "repeats policy %q", id))
		default:
			taken[id] = true
			out.policies = append(out.policies, found)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(out.policies, func(a, b Policy) int { return strings.Compare(a.ID(), b.ID()) })
	return out, nil
}

// Check returns every violation of the set's policies by s at now, policy by
// policy in the order of their IDs, or nil. Each violation's Policy is the
// ID of the policy that reported it, and one a policy leaves without a
// subject or an owner gets them from s (see [Subject.Name] and
// [Subject.Responsible]).
func (set *Set) Check(s Subject, now time.Time) []Violation {
	if set == nil {
		return nil
	}
	var out []Violation
	for _, p := range set.policies {
		vs := p.Check(s, now)
		if len(vs) == 0 {
			continue
		}
		// Copy: the policy's slice is its own, and may be shared.
		start := len(out)
		out = append(out, vs...)
		complete(out[start:], p.ID(), s)
	}
	return out
}

// complete fills in what a policy left empty in its violations.
func complete(vs []Violation, id string, s Subject) {
	for i := range vs {
		v := &vs[i]
		v.Policy = id
		if v.Subject == "" {
			v.Subject = s.Name()
		}
		if v.Owner == "" {
			v.Owner = s.Responsible()
		}
	}
}

// Allow returns nil when s breaks none of the set's policies at now, or a
// *accord.BlockedError listing every violation: one [accord.Unmet] each,
// whose Criterion is "policy." and the policy's ID, as in the criteria of
// [Gate], and whose Op is [Subject.Op]. It wraps [accord.ErrBlocked]. A
// host calls it before acting on a subject, such as taking a payment.
func (set *Set) Allow(s Subject, now time.Time) error {
	vs := set.Check(s, now)
	if len(vs) == 0 {
		return nil
	}
	unmet := make([]accord.Unmet, len(vs))
	for i, v := range vs {
		unmet[i] = accord.Unmet{Criterion: CriterionPrefix + v.Policy, Message: v.Message, Field: v.Field}
	}
	return &accord.BlockedError{Op: s.Op(), Subject: s.Name(), Unmet: unmet}
}

// CriterionPrefix starts the ID of every criterion that stands for a policy:
// a policy with ID "no_quotas" is the criterion "policy.no_quotas".
const CriterionPrefix = "policy."

// Summary counts violations across many subjects, by policy and by owner.
// The zero Summary is ready to use. Summaries of parts of a population
// merge into the summary of the whole.
type Summary struct {
	// Subjects counts the subjects added; Violating those with at least one
	// violation; Violations the violations.
	Subjects   int `json:"subjects"`
	Violating  int `json:"violating"`
	Violations int `json:"violations"`
	// ByPolicy counts violations by policy ID; ByOwner by owner, with the
	// violations that have no owner under "".
	ByPolicy map[string]int `json:"by_policy"`
	ByOwner  map[string]int `json:"by_owner"`
}

// Add counts the violations of one subject, as [Set.Check] returns them.
func (s *Summary) Add(vs []Violation) {
	s.Subjects++
	if len(vs) == 0 {
		return
	}
	s.Violating++
	s.Violations += len(vs)
	if s.ByPolicy == nil {
		s.ByPolicy = map[string]int{}
	}
	if s.ByOwner == nil {
		s.ByOwner = map[string]int{}
	}
	for _, v := range vs {
		s.ByPolicy[v.Policy]++
		s.ByOwner[v.Owner]++
	}
}

// Merge adds the counts of o to s.
func (s *Summary) Merge(o Summary) {
	s.Subjects += o.Subjects
	s.Violating += o.Violating
	s.Violations += o.Violations
	for k, n := range o.ByPolicy {
		if s.ByPolicy == nil {
			s.ByPolicy = map[string]int{}
		}
		s.ByPolicy[k] += n
	}
	for k, n := range o.ByOwner {
		if s.ByOwner == nil {
			s.ByOwner = map[string]int{}
		}
		s.ByOwner[k] += n
	}
}
