package scope

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// Proposal is the commercial record of what was offered to the buyer:
// deliverables, a timeline, entitlements and a price. [Reconcile] compares
// it with the Scope of Work that implementation will deliver.
type Proposal struct {
	ID     string `json:"id"`
	DealID string `json:"deal_id"`
	// Deliverables are matched to the scope's by ID; their requirements
	// are not compared.
	Deliverables []Deliverable `json:"deliverables"`
	// The promised timeline is either Weeks, counted from the scope's
	// start, or a GoLive date; zero values promise nothing. A timeline of
	// n weeks promises a finish before the same weekday n weeks after the
	// start: 8 weeks from Monday 2 March is done by Sunday 26 April.
	Weeks  int       `json:"weeks"`
	GoLive time.Time `json:"go_live"`
	// Entitlements are matched to the scope's by name.
	Entitlements []Entitlement `json:"entitlements"`
	Price        accord.Money  `json:"price"`
}

// Validate reports every malformed field of the proposal.
func (p *Proposal) Validate() error {
	if p == nil {
		return accord.Invalid("proposal", "is nil")
	}
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, accord.Invalid(path, format, args...)) }
	if blank(p.ID) {
		bad("id", "is required")
	}
	if blank(p.DealID) {
		bad("deal_id", "is required")
	}
	if p.Weeks < 0 || p.Weeks > MaxWorkingDays/5 {
		bad("weeks", "must be between 0 and %d; got %d", MaxWorkingDays/5, p.Weeks)
	}
	if p.Weeks != 0 && !p.GoLive.IsZero() {
		bad("go_live", "must be unset when weeks is set: promise one timeline")
	}
	if err := p.Price.Validate("price"); err != nil {
		errs = append(errs, err)
	}
	seen := map[string]bool{}
	for i, d := range p.Deliverables {
		switch {
		case blank(d.ID):
			bad(fmt.Sprintf("deliverables[%d].id", i), "is required")
		case seen[d.ID]:
			bad(fmt.Sprintf("deliverables[%d].id", i), "duplicates deliverable %q", d.ID)
		}
		seen[d.ID] = true
	}
	names := map[string]bool{}
	for i, e := range p.Entitlements {
		switch {
		case blank(e.Name):
			bad(fmt.Sprintf("entitlements[%d].name", i), "is required")
		case names[e.Name]:
			bad(fmt.Sprintf("entitlements[%d].name", i), "duplicates entitlement %q", e.Name)
		}
		names[e.Name] = true
		switch {
		case e.Quantity.Sign() < 0:
			bad(fmt.Sprintf("entitlements[%d].quantity", i), "must not be negative; got %s", quantity(e.Quantity))
		case extreme(e.Quantity):
			// Formatting it, in JSON too, would take time and memory
			// without bound.
			bad(fmt.Sprintf("entitlements[%d].quantity", i), "must have an exponent within ±%d; got %s", maxExponent, quantity(e.Quantity))
		}
	}
	return errors.Join(errs...)
}

// DiscrepancyKind classifies a difference between a proposal and a scope.
type DiscrepancyKind string

// The kinds of discrepancy [Reconcile] reports.
const (
	// A deliverable the proposal promises and the scope does not contain.
	NotScoped DiscrepancyKind = "deliverable_not_scoped"
	// A deliverable the scope contains and the proposal did not offer.
	NotProposed DiscrepancyKind = "deliverable_not_proposed"
	// A promised finish earlier than the sequence's or the feasible finish.
	TimelineShort DiscrepancyKind = "timeline"
	// An entitlement that differs, or that only one side has.
	EntitlementMismatch DiscrepancyKind = "entitlement"
	// A price that differs.
	PriceMismatch DiscrepancyKind = "price"
)

// Discrepancy is one difference between what was proposed and what is
// scoped. Proposed and Scoped describe each side's value ("none" when a side
// has nothing), so a decision on a discrepancy applies to exactly these
// values: if either side changes, the difference is a new discrepancy.
type Discrepancy struct {
	Kind DiscrepancyKind `json:"kind"`
	// Subject is the deliverable ID or the entitlement name; empty for the
	// timeline and the price.
	Subject  string `json:"subject"`
	Proposed string `json:"proposed"`
	Scoped   string `json:"scoped"`
	Message  string `json:"message"`
	// Resolution is the recorded decision on the discrepancy, or nil while
	// it is unresolved.
	Resolution *Resolution `json:"resolution"`
}

// Side names which side of a discrepancy changes to settle it.
type Side string

// The sides of a discrepancy.
const (
	ChangeProposal Side = "proposal"
	ChangeScope    Side = "scope"
)

// Resolution is a recorded decision on a discrepancy: who decided, when,
// and which side changes.
type Resolution struct {
	Kind     DiscrepancyKind `json:"kind"`
	Subject  string          `json:"subject"`
	Proposed string          `json:"proposed"`
	Scoped   string          `json:"scoped"`
	Change   Side            `json:"change"`
	Note     string          `json:"note"`
	By       accord.Actor    `json:"by"`
	At       time.Time       `json:"at"`
}

func (r *Resolution) settles(d Discrepancy) bool {
	return r.Kind == d.Kind && r.Subject == d.Subject && r.Proposed == d.Proposed && r.Scoped == d.Scoped
}

// Reconcile lists every discrepancy between the proposal p and the scope s,
// in this order: deliverables promised but not scoped (in the proposal's
// order), deliverables scoped but not proposed (in the scope's order), a
// promised timeline shorter than the scope's finish, entitlements that
// differ (the proposal's first, then those only the scope has), and a price
// that differs. Each is reported once, with the decision recorded on s that
// settles it, if any.
//
// The timeline is checked against f, the scope's [SOW.Feasibility]: the
// promised finish must be no earlier than both the sequence's finish and the
// feasible finish. When f has no feasible finish (a role has no capacity)
// a promised timeline cannot be confirmed and is reported.
//
// Reconcile is deterministic and does not modify its arguments.
func Reconcile(p Proposal, s *SOW, f Feasibility) []Discrepancy {
	if s == nil {
		s = &SOW{}
	}
	var out []Discrepancy
	add := func(kind DiscrepancyKind, subject, proposed, scoped, format string, args ...any) {
		d := Discrepancy{Kind: kind, Subject: subject, Proposed: proposed, Scoped: scoped, Message: fmt.Sprintf(format, args...)}
		for i := range s.Review.Resolutions {
			if r := s.Review.Resolutions[i]; r.settles(d) {
				d.Resolution = &r // a copy: editing the report never edits the review
			}
		}
		out = append(out, d)
	}

	scoped := make(map[string]bool, len(s.Deliverables))
	for _, d := range s.Deliverables {
		scoped[d.ID] = true
	}
	proposed := make(map[string]bool, len(p.Deliverables))
	for _, d := range p.Deliverables {
		if !proposed[d.ID] && !scoped[d.ID] {
			add(NotScoped, d.ID, d.Name, "none", "deliverable %q (%s) was proposed but is not in the scope", d.ID, d.Name)
		}
		proposed[d.ID] = true
	}
	reported := make(map[string]bool, len(s.Deliverables))
	for _, d := range s.Deliverables {
		if !proposed[d.ID] && !reported[d.ID] {
			add(NotProposed, d.ID, "none", d.Name, "deliverable %q (%s) is in the scope but was not proposed", d.ID, d.Name)
		}
		reported[d.ID] = true
	}

	if promised, ok := promise(p, s, f); ok {
		finish := f.ScopedFinish
		which := "the sequence finishes"
		if f.FeasibleFinish.After(finish) {
			finish, which = f.FeasibleFinish, "at the team's capacity the work finishes"
		}
		// The finishes are days at midnight in the calendar's location:
		// read each in its own location, which JSON keeps as an offset.
		switch {
		case f.ScopedFinish.IsZero() || f.FeasibleFinish.IsZero():
			add(TimelineShort, "", promised.String(), "unknown",
				"the proposal promises a finish by %s, but the scope's feasible finish is unknown", promised)
		case accord.DateOf(finish).After(promised):
			day := accord.DateOf(finish)
			add(TimelineShort, "", promised.String(), day.String(),
				"the proposal promises a finish by %s, but %s on %s", promised, which, day)
		}
	}

	ents := make(map[string]Entitlement, len(s.Entitlements))
	for _, e := range s.Entitlements {
		if _, dup := ents[e.Name]; !dup {
			ents[e.Name] = e
		}
	}
	offered := make(map[string]bool, len(p.Entitlements))
	for _, e := range p.Entitlements {
		if offered[e.Name] {
			continue
		}
		offered[e.Name] = true
		se, ok := ents[e.Name]
		switch {
		case !ok:
			add(EntitlementMismatch, e.Name, describe(e), "none", "entitlement %q (%s) was proposed but is not in the scope", e.Name, describe(e))
		case !sameEntitlement(e, se):
			add(EntitlementMismatch, e.Name, describe(e), describe(se), "entitlement %q differs: %s proposed, %s scoped", e.Name, describe(e), describe(se))
		}
	}
	for _, e := range s.Entitlements {
		if !offered[e.Name] {
			offered[e.Name] = true
			add(EntitlementMismatch, e.Name, "none", describe(e), "entitlement %q (%s) is in the scope but was not proposed", e.Name, describe(e))
		}
	}

	if !p.Price.Equal(s.Price) {
		add(PriceMismatch, "", p.Price.String(), s.Price.String(), "the price differs: %s proposed, %s scoped", p.Price, s.Price)
	}
	return out
}

// promise returns the day of the latest finish the proposal allows: its
// go-live date, read in the calendar's location (the location of f's
// finish), or the day before the same weekday Weeks weeks after the start.
func promise(p Proposal, s *SOW, f Feasibility) (accord.Date, bool) {
	loc := f.ScopedFinish.Location()
	switch {
	case !p.GoLive.IsZero():
		return accord.DateOf(p.GoLive.In(loc)), true
	case p.Weeks > 0 && p.Weeks <= MaxWorkingDays/5 && !s.Start.IsZero():
		start := accord.DateOf(s.Start.In(loc))
		if !f.Start.IsZero() {
			start = accord.DateOf(f.Start)
		}
		return start.AddDays(7*p.Weeks - 1), true
	}
	return accord.Date{}, false
}

func describe(e Entitlement) string {
	s := quantity(e.Quantity) + " " + e.Unit
	if e.Per != "" {
		s += "/" + e.Per
	}
	return s
}

func sameEntitlement(a, b Entitlement) bool {
	return a.Unit == b.Unit && a.Per == b.Per && describe(a) == describe(b)
}

// Unresolved returns the discrepancies of ds that no recorded decision
// settles.
func Unresolved(ds []Discrepancy) []Discrepancy {
	var out []Discrepancy
	for _, d := range ds {
		if d.Resolution == nil {
			out = append(out, d)
		}
	}
	return out
}

// resolver reports whether role may decide a discrepancy: a decision changes
// what was sold or what will be delivered, so it is a sales manager's, an
// implementation lead's or an admin's, not a rep's alone.
func resolver(r accord.Role) bool {
	switch r {
	case accord.RoleSalesManager, accord.RoleImplementationLead, accord.RoleAdmin:
		return true
	}
	return false
}

// Resolve records the decision that settles d: change says which side
// changes, and the decision is recorded with by, now and the note. Only a
// sales manager, an implementation lead or an admin may decide. A decision
// does not change the content, so it leaves the approvals in place; it
// settles d only while both sides keep the values d describes.
func (s *SOW) Resolve(d Discrepancy, change Side, note string, by accord.Actor, now time.Time) error {
	if err := s.opened("resolve"); err != nil {
		return err
	}
	if err := s.precheck("resolve", by, now, resolver, "may not decide a discrepancy"); err != nil {
		return err
	}
	var errs []error
	if change != ChangeProposal && change != ChangeScope {
		errs = append(errs, accord.Invalid("change", "must be proposal or scope; got %q", change))
	}
	if !slices.Contains([]DiscrepancyKind{NotScoped, NotProposed, TimelineShort, EntitlementMismatch, PriceMismatch}, d.Kind) {
		errs = append(errs, accord.Invalid("discrepancy.kind", "is not a discrepancy kind: %q", d.Kind))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("scope %q: resolve: %w", s.ID, err)
	}
	for i := range s.Review.Resolutions {
		if r := &s.Review.Resolutions[i]; r.settles(d) {
			return fmt.Errorf("%w: scope %q: discrepancy %s %q is already resolved by %s on %s", accord.ErrConflict,
				s.ID, d.Kind, d.Subject, r.By.ID, r.At.Format(time.DateOnly))
		}
	}
	s.Review.Resolutions = append(s.Review.Resolutions, Resolution{
		Kind: d.Kind, Subject: d.Subject, Proposed: d.Proposed, Scoped: d.Scoped,
		Change: change, Note: note, By: by, At: now,
	})
	return nil
}

// Ref is what a deal keeps of its Scope of Work: the facts its close gate
// needs, without the scope itself. See [SOW.Ref]. Its questions have one
// answer each, [Ref.Approved] and [Ref.Settled], which every reader (the
// unified process, the policies) asks.
type Ref struct {
	ID string `json:"id"`
	// DealID is the deal the scope belongs to; a deal's gates hold only
	// for a reference to its own scope.
	DealID   string `json:"deal_id"`
	Revision int    `json:"revision"`
	Digest   string `json:"digest"`
	// Approvals are [SOW.Approvals] when the reference was taken.
	Approvals Approvals `json:"approvals"`
	// Reconciled is true when the reference was taken against a proposal
	// for the scope's own deal; Unresolved counts the discrepancies no
	// decision settles.
	Reconciled bool `json:"reconciled"`
	Unresolved int  `json:"unresolved"`
	// Categories are the kinds of work the scope contracts, from
	// [SOW.Categories]: the contract data a structured close asks for.
	Categories []Activity `json:"categories"`
}

// Approved reports whether r refers to a scope whose current revision was
// approved by the implementation lead and then by the client when r was
// taken: [SOW.Approved] as r recorded it.
func (r Ref) Approved() bool { return r.ID != "" && r.Approvals == ApprovalsLeadAndClient }

// Settled reports whether r refers to a scope that was reconciled with its
// own deal's proposal and has no discrepancy left that a recorded decision
// does not settle: [SOW.Settled] as r recorded it.
func (r Ref) Settled() bool { return r.ID != "" && r.Reconciled && r.Unresolved == 0 }

// Settled reports whether every discrepancy between the proposal p, for
// the scope's own deal, and s, reconciled with f, is decided (see
// [SOW.Resolve]). A proposal for another deal settles nothing.
func (s *SOW) Settled(p Proposal, f Feasibility) bool {
	reconciled, unresolved := s.reconcile(p, f)
	return reconciled && unresolved == 0
}

// reconcile returns whether p is the proposal of s's own deal, and how many
// discrepancies between them no decision settles.
func (s *SOW) reconcile(p Proposal, f Feasibility) (reconciled bool, unresolved int) {
	if s == nil {
		return false, 0
	}
	return p.DealID == s.DealID, len(Unresolved(Reconcile(p, s, f)))
}

// Ref returns the facts about s that a deal keeps: its revision and
// approvals, and the count of discrepancies with p, reconciled with f, that
// no decision settles. A host takes a new reference whenever the scope, its
// review or the proposal changes.
func (s *SOW) Ref(p Proposal, f Feasibility) Ref {
	if s == nil {
		return Ref{}
	}
	r := &s.Review
	ref := Ref{
		ID: s.ID, DealID: s.DealID, Revision: r.Revision, Digest: r.Digest,
		Approvals:  s.Approvals(),
		Categories: s.Categories(),
	}
	ref.Reconciled, ref.Unresolved = s.reconcile(p, f)
	return ref
}

// Categories lists the kinds of work s contracts: the activities of its
// steps, each once, those of [Activities] in that order and any others after
// them in sorted order. It returns nil for a scope with no step activity.
func (s *SOW) Categories() []Activity {
	if s == nil {
		return nil
	}
	seen := map[Activity]bool{}
	for _, st := range s.Steps {
		if st.Activity != "" {
			seen[st.Activity] = true
		}
	}
	var out []Activity
	for _, a := range Activities() {
		if seen[a] {
			out = append(out, a)
			delete(seen, a)
		}
	}
	rest := make([]Activity, 0, len(seen))
	for a := range seen {
		rest = append(rest, a)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// quantity formats d without trailing zeros, and without expanding an
// extreme exponent into a huge string.
func quantity(d decimal.Decimal) string {
	if e := d.Exponent(); e < -1000 || e > 1000 {
		return d.Coefficient().String() + "e" + fmt.Sprint(e)
	}
	return d.String()
}
