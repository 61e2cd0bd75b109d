package scope

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// Requirement is one thing the buyer needs from the implementation, gathered
// by sales during discovery.
type Requirement struct {
	// ID is unique within the scope; steps and deliverables refer to it.
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Kind     Kind     `json:"kind"`
	Priority Priority `json:"priority"`
	// Acceptance lists the acceptance criteria: how the buyer will know the
	// requirement is met.
	Acceptance []string `json:"acceptance"`
	Source     Source   `json:"source"`
}

// Source records who stated a requirement and when.
type Source struct {
	// Name is the person, such as "Dana Ruiz, Head of Sales Ops".
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// Deliverable is something the implementation hands over.
type Deliverable struct {
	// ID is unique within the scope and is how a Proposal's deliverable is
	// matched to it.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Requirements lists the IDs of the requirements the deliverable meets.
	Requirements []string `json:"requirements"`
}

// Entitlement is something the client is entitled to beyond the
// deliverables, such as 4 hours of support per week.
type Entitlement struct {
	// Name names the entitlement, such as "support". Name, Unit and Per
	// together identify it (each trimmed of spaces): they are unique
	// within a scope, and are how a Proposal's entitlement is matched.
	Name     string          `json:"name"`
	Quantity decimal.Decimal `json:"quantity"`
	// Unit is what Quantity counts, such as "hours".
	Unit string `json:"unit"`
	// Per is the period, such as "week", or empty for a one-off quantity.
	Per string `json:"per"`
}

// Step is one step of the day-by-day implementation sequence.
//
// A step starts on Date, a calendar date read in the calendar's location,
// or, when Date is zero, Offset working days after the scope's Start (0 is
// the first working day on or after Start). It spans Days working days (0
// counts as 1), and its Effort is spread evenly over them.
type Step struct {
	// ID is unique within the scope; other steps and milestones refer to it.
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Date     time.Time `json:"date"`
	Offset   int       `json:"offset"`
	Days     int       `json:"days"`
	Activity Activity  `json:"activity"`
	Phase    Phase     `json:"phase"`
	// Requirements lists the IDs of the requirements the step addresses.
	Requirements []string `json:"requirements"`
	// Effort is the work in hours, with at most two decimal places.
	Effort decimal.Decimal `json:"effort_hours"`
	// Owner is the team role that does the work, such as "consultant",
	// "integration_engineer" or "client"; capacity is given per owner role.
	Owner string `json:"owner"`
	// DependsOn lists the IDs of the steps that must be done first: a step
	// starts on a working day after the last day of each step it depends
	// on (finish to start, in whole days).
	DependsOn []string `json:"depends_on"`
}

// Milestone is a checkpoint of the sequence: the steps it needs done by its
// day, and the deliverables it hands over. Its day is set like a step's.
type Milestone struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Date         time.Time `json:"date"`
	Offset       int       `json:"offset"`
	Steps        []string  `json:"steps"`
	Deliverables []string  `json:"deliverables"`
}

// SOW is a Scope of Work: what sales promises implementation will deliver,
// how and when, and its review.
//
// Everything but Review is the content. A host edits the content directly
// and records each edit with [SOW.Revise] (or [SOW.Submit], which records
// one); approvals are bound to the revision they approved, identified by the
// content's [SOW.Digest]. The review is changed only by the workflow methods.
type SOW struct {
	ID string `json:"id"`
	// DealID is the deal the scope belongs to.
	DealID string `json:"deal_id"`
	Title  string `json:"title"`
	// Start is the first day of the implementation: step offsets count
	// working days from it.
	Start time.Time `json:"start"`

	Requirements []Requirement `json:"requirements"`
	Deliverables []Deliverable `json:"deliverables"`
	InScope      []string      `json:"in_scope"`
	OutOfScope   []string      `json:"out_of_scope"`
	Assumptions  []string      `json:"assumptions"`
	Entitlements []Entitlement `json:"entitlements"`
	Price        accord.Money  `json:"price"`
	Steps        []Step        `json:"steps"`
	Milestones   []Milestone   `json:"milestones"`
	// Signatories lists the actor IDs of the buyer-side people allowed to
	// approve the scope for the client. When it is empty any client may
	// (other than those separation of duties excludes, see
	// [SOW.ApproveAsClient]). It is content: naming or removing a
	// signatory is an edit, and voids the approvals. Left out of the JSON
	// form when empty, so scopes that name none keep their digest.
	Signatories []string `json:"signatories,omitempty"`
	// Gates are the exits of the scope's phases: what must hold before
	// the steps of a later phase start (see [Gate] and [SOW.CanStart]).
	// They are content, left out of the JSON form when empty so that
	// scopes without gates keep their digest.
	Gates []Gate `json:"gates,omitempty"`

	Review Review `json:"review"`
}

// Review is the state of a scope's review. Only the workflow methods of
// [SOW] change it.
type Review struct {
	Status Status `json:"status"`
	// Author is the ID of the actor who opened the scope.
	Author string `json:"author"`
	// Revision counts the recorded revisions of the content, from 1. It
	// grows by one on every recorded edit, even an edit back to earlier
	// content, so an approval of an earlier revision never applies again.
	Revision int `json:"revision"`
	// Digest is the content digest of the current revision.
	Digest string `json:"digest"`
	// RevisedBy is the ID of the actor who recorded the current revision.
	RevisedBy string `json:"revised_by"`
	// Lead and Client are the approvals of the current revision, or nil.
	// An edit voids both; the history keeps every approval ever given.
	Lead   *Approval `json:"lead"`
	Client *Approval `json:"client"`
	// Comments are the changes the implementation lead asked for, each
	// tied to the revision it was made on.
	Comments []Comment `json:"comments"`
	// Resolutions record the decisions on proposal discrepancies.
	Resolutions []Resolution `json:"resolutions"`
	History     []Event      `json:"history"`
}

// Approval is one approval of one revision.
type Approval struct {
	Revision int          `json:"revision"`
	Digest   string       `json:"digest"`
	By       accord.Actor `json:"by"`
	At       time.Time    `json:"at"`
	// Override is the reason the implementation lead gave for approving a
	// revision that is not feasible against the capacity they supplied;
	// empty when it is feasible, and always for a client approval.
	Override string `json:"override,omitempty"`
}

// Comment is a change the implementation lead asks for, tied to a step or a
// deliverable (or to neither, for the scope as a whole).
type Comment struct {
	Step        string       `json:"step"`
	Deliverable string       `json:"deliverable"`
	Text        string       `json:"text"`
	Revision    int          `json:"revision"`
	By          accord.Actor `json:"by"`
	At          time.Time    `json:"at"`
}

// Event records one step of the review.
type Event struct {
	Kind     EventKind    `json:"kind"`
	From     Status       `json:"from"`
	To       Status       `json:"to"`
	Revision int          `json:"revision"`
	Digest   string       `json:"digest"`
	By       accord.Actor `json:"by"`
	At       time.Time    `json:"at"`
	// Reason is the reason recorded with the step: for a lead approval
	// of a revision that is not feasible, the lead's override.
	Reason string `json:"reason,omitempty"`
}

// Digest returns the content digest of s: the hex SHA-256 of the JSON form
// of everything but Review. It changes exactly when the content changes, and
// content edited back to an earlier form gives back the earlier digest. The
// content counts as stored, so 1200.5 and 1200.50 are different prices and
// the same instant in two time zones is two different dates. A nil SOW has
// the digest of an empty one.
func (s *SOW) Digest() string {
	var c SOW
	if s != nil {
		c = *s
	}
	c.Review = Review{}
	b, err := c.content()
	if err != nil {
		// Content with an invalid price, a year outside 0-9999 or an
		// extreme quantity has no JSON form; the workflow refuses to
		// record it. Its printed form still tells distinct contents apart.
		b = c.printed()
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// maxExponent bounds the exponent of a quantity or an effort that content
// may hold: formatting a decimal costs time and memory in its exponent, and
// 1e-2147483648 would take gigabytes.
const maxExponent = 1000

func extreme(d decimal.Decimal) bool {
	return d.Exponent() < -maxExponent || d.Exponent() > maxExponent
}

// content returns the JSON form of s without its review.
func (s *SOW) content() ([]byte, error) {
	c := *s
	c.Review = Review{}
	for i, e := range c.Entitlements {
		if extreme(e.Quantity) {
			return nil, accord.Invalid(fmt.Sprintf("entitlements[%d].quantity", i), "has an exponent beyond ±%d", maxExponent)
		}
	}
	for i, st := range c.Steps {
		if extreme(st.Effort) {
			return nil, accord.Invalid(fmt.Sprintf("steps[%d].effort_hours", i), "has an exponent beyond ±%d", maxExponent)
		}
	}
	return json.Marshal(&c)
}

// printed returns the printed form of content c that has no JSON form,
// with each extreme decimal written as its coefficient and exponent rather
// than expanded.
func (c SOW) printed() []byte {
	var odd []string
	safe := func(path string, i int, d decimal.Decimal) decimal.Decimal {
		if !extreme(d) {
			return d
		}
		odd = append(odd, fmt.Sprintf("%s[%d]=%se%d", path, i, d.Coefficient(), d.Exponent()))
		return decimal.Decimal{}
	}
	c.Entitlements = slices.Clone(c.Entitlements)
	for i := range c.Entitlements {
		c.Entitlements[i].Quantity = safe("entitlements", i, c.Entitlements[i].Quantity)
	}
	c.Steps = slices.Clone(c.Steps)
	for i := range c.Steps {
		c.Steps[i].Effort = safe("steps", i, c.Steps[i].Effort)
	}
	return fmt.Appendf(nil, "unrecordable %+v %q", c, odd)
}
