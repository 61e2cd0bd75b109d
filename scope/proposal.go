package scope

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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

// Validate reports every malformed field of the proposal: a missing ID or
// deal ID, two timelines (weeks and a go-live date), weeks out of range, an
// invalid or negative price, and deliverables and entitlements that are blank, repeated
// (a deliverable ID twice; an entitlement with the same name, unit and
// period twice) or impossible (a negative quantity).
func (p *Proposal) Validate() error {
	if p == nil {
		return accord.Invalid("proposal", "is nil")
	}
	return errors.Join(p.problems(true)...)
}

// problems lists the malformed fields of p; repeats says whether to list
// repeated entitlements, which [Reconcile] reports on its own.
func (p *Proposal) problems(repeats bool) []error {
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
	} else if p.Price.IsSet() && p.Price.Amount.Sign() < 0 {
		bad("price", "must not be negative")
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
	keys := map[entitlementKey]bool{}
	for i, e := range p.Entitlements {
		switch k := keyOf(e); {
		case blank(e.Name):
			bad(fmt.Sprintf("entitlements[%d].name", i), "is required")
		case keys[k] && repeats:
			bad(fmt.Sprintf("entitlements[%d].name", i), "duplicates entitlement %q in %s", e.Name, k.measure())
		default:
			keys[k] = true
		}
		switch {
		case e.Quantity.Sign() < 0:
			bad(fmt.Sprintf("entitlements[%d].quantity", i), "must not be negative; got %s", quantity(e.Quantity))
		case extreme(e.Quantity):
			// Formatting it, in JSON too, would take time and memory
			// without bound.
			bad(fmt.Sprintf("entitlements[%d].quantity", i), "must have an exponent within ±%d; got %s", maxExponent, quantity(e.Quantity))
		}
	}
	return errs
}

// entitlementKey is what identifies an entitlement on each side: its name,
// unit and period, each trimmed of spaces. "support" in hours per week and
// "support" in visits per month are two entitlements.
type entitlementKey struct{ name, unit, per string }

func keyOf(e Entitlement) entitlementKey {
	return entitlementKey{strings.TrimSpace(e.Name), strings.TrimSpace(e.Unit), strings.TrimSpace(e.Per)}
}

// measure formats the unit and period of k, such as "hours/week".
func (k entitlementKey) measure() string {
	if k.per == "" {
		return k.unit
	}
	return k.unit + "/" + k.per
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
	// A deliverable both sides have under different names.
	DeliverableRenamed DiscrepancyKind = "deliverable_name"
	// An entitlement listed more than once, with the same name, unit and
	// period, on either side: which quantity stands is for a person to say.
	EntitlementRepeated DiscrepancyKind = "entitlement_repeated"
	// A proposal that is itself inconsistent: two timelines, an impossible
	// value, a missing field (see [Proposal.Validate]).
	ProposalInvalid DiscrepancyKind = "proposal_invalid"
)

// discrepancyKinds lists every kind, in the order Reconcile reports them.
var discrepancyKinds = []DiscrepancyKind{ProposalInvalid, NotScoped, NotProposed, DeliverableRenamed, TimelineShort, EntitlementRepeated, EntitlementMismatch, PriceMismatch}

// Discrepancy is one difference between what was proposed and what is
// scoped. Proposed and Scoped describe each side's value ("none" when a side
// has nothing), so a decision on a discrepancy applies to exactly these
// values: if either side changes, the difference is a new discrepancy.
type Discrepancy struct {
	Kind DiscrepancyKind `json:"kind"`
	// Subject is the deliverable ID, the entitlement name, or for an
	// inconsistent proposal the path of its field; empty for the timeline
	// and the price.
	Subject  string `json:"subject"`
	Proposed string `json:"proposed"`
	Scoped   string `json:"scoped"`
	Message  string `json:"message"`
	// Resolution is the recorded decision on the discrepancy, or nil while
	// it is unresolved.
	Resolution *Resolution `json:"resolution"`
}

// Change names which side of a discrepancy changes to settle it.
type Change string

// The sides of a discrepancy.
const (
	ChangeProposal Change = "proposal"
	ChangeScope    Change = "scope"
)

// Resolution is a recorded decision on a discrepancy: who decided, when,
// and which side changes.
type Resolution struct {
	Kind     DiscrepancyKind `json:"kind"`
	Subject  string          `json:"subject"`
	Proposed string          `json:"proposed"`
	Scoped   string          `json:"scoped"`
	Change   Change          `json:"change"`
	Note     string          `json:"note"`
	By       accord.Actor    `json:"by"`
	At       time.Time       `json:"at"`
}

func (r *Resolution) settles(d Discrepancy) bool {
	return r.Kind == d.Kind && r.Subject == d.Subject && r.Proposed == d.Proposed && r.Scoped == d.Scoped
}

// Reconcile lists every discrepancy between the proposal p and the scope s,
// in this order: the proposal's own problems ([ProposalInvalid], one per
// problem [Proposal.Validate] finds, but repeated entitlements), then
// deliverables promised but not scoped (in the proposal's order),
// deliverables scoped but not proposed (in the scope's order), deliverables
// with the same ID under different names (a side that names it only with
// blanks states no name, and is not compared),
// a promised timeline shorter than
// the scope's finish, entitlements, and a price that differs. Each is
// reported once, with the decision recorded on s that settles it, if any.
//
// Every promise is compared; none is dropped as a duplicate. Entitlements
// are matched by name, unit and period: one listed twice on either side is
// reported as [EntitlementRepeated], with every quantity of both sides; a
// quantity that differs, or a name that only one side has in a unit and
// period, is an [EntitlementMismatch] (when each side has the name exactly
// once left unmatched, the two are reported as one difference). A proposal
// that promises both weeks and a go-live date is held to the earlier.
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

	for _, fe := range accord.FieldErrors(errors.Join(p.problems(false)...)) {
		add(ProposalInvalid, fe.Field, fe.Rule, "none", "the proposal is inconsistent: %s %s", fe.Field, fe.Rule)
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
	clear(reported)
	for _, d := range p.Deliverables {
		if reported[d.ID] || !scoped[d.ID] {
			continue
		}
		reported[d.ID] = true
		pn, sn := names(p.Deliverables, d.ID), names(s.Deliverables, d.ID)
		if len(pn) > 0 && len(sn) > 0 && !slices.Equal(sorted(pn), sorted(sn)) {
			pj, sj := strings.Join(quoteAll(pn), " / "), strings.Join(quoteAll(sn), " / ")
			add(DeliverableRenamed, d.ID, pj, sj, "deliverable %q is named %s in the proposal and %s in the scope", d.ID, pj, sj)
		}
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

	reconcileEntitlements(p.Entitlements, s.Entitlements, add)

	if !p.Price.Equal(s.Price) {
		add(PriceMismatch, "", p.Price.String(), s.Price.String(), "the price differs: %s proposed, %s scoped", p.Price, s.Price)
	}
	return out
}

// names returns the distinct names, trimmed, of the deliverables ds with
// ID id, in order. A blank name states nothing and is left out.
func names(ds []Deliverable, id string) []string {
	var out []string
	for _, d := range ds {
		if n := strings.TrimSpace(d.Name); d.ID == id && n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func sorted(xs []string) []string {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return xs
}

// reconcileEntitlements reports, through add, every difference between
// the proposed entitlements pe and the scoped se (see [Reconcile]): the
// proposal's keys first, in its order, then those only the scope has.
func reconcileEntitlements(pe, se []Entitlement, add func(kind DiscrepancyKind, subject, proposed, scoped, format string, args ...any)) {
	type group struct {
		key        entitlementKey
		prop, scop []Entitlement
	}
	var groups []*group
	index := map[entitlementKey]*group{}
	at := func(e Entitlement) *group {
		k := keyOf(e)
		g, ok := index[k]
		if !ok {
			g = &group{key: k}
			index[k] = g
			groups = append(groups, g)
		}
		return g
	}
	for _, e := range pe {
		g := at(e)
		g.prop = append(g.prop, e)
	}
	for _, e := range se {
		g := at(e)
		g.scop = append(g.scop, e)
	}
	// A name that each side has exactly once in a measure the other side
	// lacks is one entitlement whose measure changed.
	lone := map[string][2]int{}
	for _, g := range groups {
		if len(g.prop) == 1 && len(g.scop) == 0 {
			n := lone[g.key.name]
			n[0]++
			lone[g.key.name] = n
		}
		if len(g.prop) == 0 && len(g.scop) == 1 {
			n := lone[g.key.name]
			n[1]++
			lone[g.key.name] = n
		}
	}
	paired := map[string]bool{}
	for _, g := range groups {
		name := g.key.name
		switch {
		case len(g.prop) > 1 || len(g.scop) > 1:
			pd, sd := describeAll(g.prop), describeAll(g.scop)
			add(EntitlementRepeated, name, pd, sd, "entitlement %q in %s is listed %s in the proposal (%s) and %s in the scope (%s): say which quantity stands",
				name, g.key.measure(), times(len(g.prop)), pd, times(len(g.scop)), sd)
		case len(g.prop) == 1 && len(g.scop) == 1:
			if !sameEntitlement(g.prop[0], g.scop[0]) {
				add(EntitlementMismatch, name, describe(g.prop[0]), describe(g.scop[0]), "entitlement %q differs: %s proposed, %s scoped", name, describe(g.prop[0]), describe(g.scop[0]))
			}
		case lone[name] == [2]int{1, 1}:
			if paired[name] {
				continue
			}
			paired[name] = true
			var p, sc Entitlement
			for _, o := range groups {
				if o.key.name == name && len(o.prop) == 1 && len(o.scop) == 0 {
					p = o.prop[0]
				}
				if o.key.name == name && len(o.prop) == 0 && len(o.scop) == 1 {
					sc = o.scop[0]
				}
			}
			add(EntitlementMismatch, name, describe(p), describe(sc), "entitlement %q differs: %s proposed, %s scoped", name, describe(p), describe(sc))
		case len(g.prop) == 1:
			add(EntitlementMismatch, name, describe(g.prop[0]), "none", "entitlement %q (%s) was proposed but is not in the scope", name, describe(g.prop[0]))
		case len(g.scop) == 1:
			add(EntitlementMismatch, name, "none", describe(g.scop[0]), "entitlement %q (%s) is in the scope but was not proposed", name, describe(g.scop[0]))
		}
	}
}

// times says how many times something is listed.
func times(n int) string {
	switch n {
	case 0:
		return "not at all"
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// describeAll describes each of es, joined with " + ", or "none".
func describeAll(es []Entitlement) string {
	if len(es) == 0 {
		return "none"
	}
	ds := make([]string, len(es))
	for i, e := range es {
		ds[i] = describe(e)
	}
	return strings.Join(ds, " + ")
}

// promise returns the day of the latest finish the proposal allows: its
// go-live date, read in the calendar's location (the location of f's
// finish), or the day before the same weekday Weeks weeks after the start;
// the earlier of the two when it promises both.
func promise(p Proposal, s *SOW, f Feasibility) (accord.Date, bool) {
	loc := f.ScopedFinish.Location()
	var day accord.Date
	ok := false
	if !p.GoLive.IsZero() {
		day, ok = accord.DateOf(p.GoLive.In(loc)), true
	}
	if p.Weeks > 0 && p.Weeks <= MaxWorkingDays/5 && !s.Start.IsZero() {
		start := accord.DateOf(s.Start.In(loc))
		if !f.Start.IsZero() {
			start = accord.DateOf(f.Start)
		}
		if d := start.AddDays(7*p.Weeks - 1); !ok || d.Before(day) {
			day, ok = d, true
		}
	}
	return day, ok
}

func describe(e Entitlement) string {
	return quantity(e.Quantity) + " " + keyOf(e).measure()
}

func sameEntitlement(a, b Entitlement) bool {
	// Compared as printed: Equal on an extreme exponent would take time
	// and memory without bound.
	return describe(a) == describe(b)
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

// Resolve records the decision that settles d, a discrepancy between the
// proposal p and s reconciled with f: change says which side changes, and
// the decision is recorded with note, by and at. Only a sales manager, an
// implementation lead or an admin may decide, and never the scope's author
// ([accord.ErrForbidden]). A decision can be recorded only for a
// discrepancy that exists now: Resolve reconciles p with s again and
// refuses ([accord.ErrConflict]) a d that is not among the discrepancies,
// with its kind, subject and both sides' values, a proposal for another
// deal, and a discrepancy already decided. A decision does not change the
// content, so it leaves the approvals in place; it settles d only while
// both sides keep the values d describes.
func (s *SOW) Resolve(p Proposal, f Feasibility, d Discrepancy, change Change, note string, by accord.Actor, at time.Time) error {
	if err := s.opened("resolve"); err != nil {
		return err
	}
	var errs []error
	if change != ChangeProposal && change != ChangeScope {
		errs = append(errs, accord.Invalid("change", "must be proposal or scope; got %q", change))
	}
	if !slices.Contains(discrepancyKinds, d.Kind) {
		errs = append(errs, accord.Invalid("discrepancy.kind", "is not a discrepancy kind: %q", d.Kind))
	}
	if err := s.precheck("resolve", by, at, resolver, "may not decide a discrepancy", errs...); err != nil {
		return err
	}
	if by.Is(s.Review.Author) {
		return fmt.Errorf("%w: scope %q: %s wrote this scope and cannot decide its discrepancies", accord.ErrForbidden, s.ID, strings.TrimSpace(by.ID))
	}
	if p.DealID != s.DealID {
		return fmt.Errorf("%w: scope %q: resolve: the proposal is for deal %q, the scope for deal %q", accord.ErrConflict, s.ID, p.DealID, s.DealID)
	}
	ds := Reconcile(p, s, f)
	i := slices.IndexFunc(ds, func(x Discrepancy) bool {
		return x.Kind == d.Kind && x.Subject == d.Subject && x.Proposed == d.Proposed && x.Scoped == d.Scoped
	})
	if i < 0 {
		return fmt.Errorf("%w: scope %q: resolve: there is no discrepancy %s %q (%s proposed, %s scoped) between proposal %q and the scope now",
			accord.ErrConflict, s.ID, d.Kind, d.Subject, d.Proposed, d.Scoped, p.ID)
	}
	if r := ds[i].Resolution; r != nil {
		return fmt.Errorf("%w: scope %q: discrepancy %s %q is already resolved by %s on %s", accord.ErrConflict,
			s.ID, d.Kind, d.Subject, r.By.ID, r.At.Format(time.DateOnly))
	}
	s.Review.Resolutions = append(s.Review.Resolutions, Resolution{
		Kind: d.Kind, Subject: d.Subject, Proposed: d.Proposed, Scoped: d.Scoped,
		Change: change, Note: note, By: by, At: at,
	})
	return nil
}

// quantity formats d without trailing zeros, and without expanding an
// extreme exponent into a huge string.
func quantity(d decimal.Decimal) string {
	if e := d.Exponent(); e < -1000 || e > 1000 {
		return d.Coefficient().String() + "e" + fmt.Sprint(e)
	}
	return d.String()
}
