package policy

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/scope"
)

// The IDs of the built-in policies.
const (
	IDSingleEdition              = "single_edition"
	IDNoQuotas                   = "no_quotas"
	IDNoPanicDiscounts           = "no_panic_discounts"
	IDPaymentAfterClientApproval = "payment_after_client_approval"
	IDRefundGuarantee            = "refund_guarantee"
	IDClosedWonOnStructure       = "closed_won_on_structure"
	IDLeadResponseSLA            = "lead_response_sla"
)

// DefaultOptions say where the days of [Default]'s policies are read.
type DefaultOptions struct {
	// Location is the time zone days are read in; UTC when nil.
	Location *time.Location
	// FiscalYearStart is the month the fiscal year starts in; January
	// when 0.
	FiscalYearStart time.Month
}

// Default returns every built-in policy with its default parameters: one
// edition (whatever its name), no quotas, no discounts in the last 5 days of
// a month, 10 of a quarter or 15 of a fiscal year ([DefaultBlackout]), no
// payment before the client's approval, refunds granted the day they are
// asked for, Closed Won only on structure, and inbound leads touched within
// 5 minutes. Days are read in opts.Location, and the fiscal year starts in
// opts.FiscalYearStart, which must be a month; a bad one is an error
// naming fiscal_year_start.
func Default(opts DefaultOptions) (*Set, error) {
	loc := opts.Location
	b := DefaultBlackout()
	b.FiscalYearStart = opts.FiscalYearStart
	b.Location = loc
	return NewSet(
		SingleEdition(""),
		NoQuotas(),
		NoPanicDiscounts(b),
		PaymentAfterClientApproval(),
		RefundGuarantee(loc),
		ClosedWonOnStructure(),
		LeadResponseSLA(DefaultResponseMinutes),
	)
}

// isBuiltin reports whether p is one of this package's policies, which
// alone may take the built-in IDs.
func isBuiltin(p Policy) bool {
	switch p.(type) {
	case singleEdition, noQuotas, noPanicDiscounts, paymentAfterApproval, refundGuarantee, closedWonOnStructure, leadResponse:
		return true
	}
	return false
}

// zoneOf returns the time zone a built-in policy reads days in, if it has
// one.
func zoneOf(p Policy) (*time.Location, bool) {
	switch p := p.(type) {
	case noPanicDiscounts:
		return zone(p.b.Location), true
	case refundGuarantee:
		return zone(p.loc), true
	}
	return nil, false
}

// writable reports whether loc can be written as data by its name and read
// back as the same zone: it has a name, and a zone named "UTC" is UTC.
func writable(loc *time.Location) error {
	name := loc.String()
	switch {
	case name == "":
		return fmt.Errorf("a time zone without a name cannot be written as data; give it one")
	case name == "Local":
		return fmt.Errorf("the local time zone is another zone on every machine and cannot be written as data; use the zone's own name")
	case name == "UTC":
		for _, t := range []time.Time{time.Date(2001, time.January, 1, 0, 0, 0, 0, time.UTC), time.Date(2001, time.July, 1, 0, 0, 0, 0, time.UTC)} {
			if _, off := t.In(loc).Zone(); off != 0 {
				return fmt.Errorf("a time zone named %q that is not UTC cannot be written as data; give it its own name", name)
			}
		}
	}
	return nil
}

// zone returns loc, or UTC for nil.
func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// zoneName is how a location is written as data.
func zoneName(loc *time.Location) string { return zone(loc).String() }

// ---- single edition ----

// SingleEdition returns the policy that the product is sold in one edition
// with every feature, and nothing on top:
//   - a catalog with more or fewer than one edition, an edition without every
//     feature of the catalog, or an add-on with a price violates it;
//   - a quote with lines for more than one edition (tiers), or a line that is
//     an add-on with a price, violates it.
//
// edition, when not empty, names the one edition: a catalog or quote line
// naming another violates the policy. A quote line with no edition is for
// the one edition.
func SingleEdition(edition string) Policy { return singleEdition{edition: edition} }

type singleEdition struct{ edition string }

func (singleEdition) ID() string { return IDSingleEdition }
func (singleEdition) Description() string {
	return "One edition with every feature: no tiers, no editions, no paid add-ons."
}
func (p singleEdition) Params() any {
	if p.edition == "" {
		return nil
	}
	return struct {
		Edition string `json:"edition"`
	}{p.edition}
}

func (p singleEdition) Check(s Subject, _ time.Time) []Violation {
	var out []Violation
	one := p.edition
	if c := s.Catalog; c != nil {
		switch n := len(c.Editions); {
		case n == 0:
			out = append(out, s.Violation(IDSingleEdition, "catalog.editions", "the catalog offers no edition; offer one with every feature"))
		case n > 1:
			out = append(out, s.Violation(IDSingleEdition, "catalog.editions", "the catalog offers %d editions (%s); offer one with every feature", n, editionNames(c.Editions)))
		case one != "" && c.Editions[0].Name != one:
			out = append(out, s.Violation(IDSingleEdition, "catalog.editions[0].name", "the catalog's edition is %q, not %q", c.Editions[0].Name, one))
		}
		if one == "" && len(c.Editions) == 1 {
			one = c.Editions[0].Name
		}
		for i, e := range c.Editions {
			if missing := without(c.Features, e.Features); len(missing) > 0 {
				out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("catalog.editions[%d].features", i), "edition %q leaves out %s; every feature belongs to the one edition", e.Name, quoted(missing)))
			}
		}
		for i, a := range c.AddOns {
			if a.Price.IsSet() && !a.Price.Amount.IsZero() {
				out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("catalog.add_ons[%d].price", i), "add-on %q is sold for %s; every feature belongs to the one edition", a.Name, a.Price))
			}
		}
	}
	if d := s.Deal; d != nil {
		for i, l := range d.Quote.Lines {
			if l.Edition != "" {
				if one == "" {
					one = l.Edition
				} else if l.Edition != one {
					out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("deal.quote.lines[%d].edition", i), "the quote offers edition %q besides %q; quote the one edition", l.Edition, one))
				}
			}
			if l.AddOn && l.Price.IsSet() && !l.Price.Amount.IsZero() {
				out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("deal.quote.lines[%d].add_on", i), "the quote sells %q as a paid add-on for %s; every feature belongs to the one edition", l.Product, l.Price))
			}
		}
	}
	return out
}

func editionNames(es []Edition) string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	return quoted(names)
}

// without returns the entries of all that are not in some, in order.
func without(all, some []string) []string {
	var out []string
	for _, f := range all {
		found := false
		for _, g := range some {
			if f == g {
				found = true
				break
			}
		}
		if !found {
			out = append(out, f)
		}
	}
	return out
}

func quoted(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// ---- no quotas ----

// NoQuotas returns the policy that no individual carries a sales quota:
// a plan target for a person, whatever its period (month, quarter, year or
// another), violates it. Targets for a team are allowed.
func NoQuotas() Policy { return noQuotas{} }

type noQuotas struct{}

func (noQuotas) ID() string { return IDNoQuotas }
func (noQuotas) Description() string {
	return "No individual sales quotas: targets belong to the team."
}
func (noQuotas) Params() any { return nil }

func (noQuotas) Check(s Subject, _ time.Time) []Violation {
	if s.Plan == nil {
		return nil
	}
	var out []Violation
	for i, t := range s.Plan.Targets {
		if t.Team {
			continue
		}
		out = append(out, s.Violation(IDNoQuotas, fmt.Sprintf("plan.targets[%d]", i), "the plan gives %s %s; set targets for the team, not for a person", who(t.Assignee), quota(t)))
	}
	return out
}

func who(assignee string) string {
	if assignee == "" {
		return "a person"
	}
	return fmt.Sprintf("%q", assignee)
}

func quota(t Target) string {
	var period string
	switch t.Period {
	case accord.PeriodMonth:
		period = "a monthly"
	case accord.PeriodQuarter:
		period = "a quarterly"
	case accord.PeriodYear:
		period = "a yearly"
	default:
		period = "a"
	}
	var of []string
	if t.Amount.IsSet() {
		of = append(of, t.Amount.String())
	}
	if t.Deals > 0 {
		of = append(of, fmt.Sprintf("%d deals", t.Deals))
	}
	if len(of) == 0 {
		return period + " sales quota"
	}
	return period + " sales quota of " + strings.Join(of, " and ")
}

// ---- no panic discounts ----

// Blackout says when a discount is a period-end (panic) discount: when it is
// offered in the last MonthDays days of a calendar month, the last
// QuarterDays days of a fiscal quarter, or the last YearDays days of a fiscal
// year. The last day of a period counts as its last 1 day; 0 days turns the
// check of that period off.
//
// Days are calendar days in Location (UTC when nil): a discount offered at
// 23:30 in Kolkata on 31 March is offered on 31 March, whatever the time in
// UTC. The fiscal year starts on the first day of FiscalYearStart (January
// when 0), and its quarters start every three months from it.
type Blackout struct {
	// MonthDays is at most 27, QuarterDays at most 88 and YearDays at most
	// 364, so that every period keeps days without a blackout.
	MonthDays, QuarterDays, YearDays int
	FiscalYearStart                  time.Month
	Location                         *time.Location
}

// DefaultBlackout returns the last 5 days of a month, 10 of a quarter and 15
// of a fiscal year starting in January, in UTC.
func DefaultBlackout() Blackout {
	return Blackout{MonthDays: 5, QuarterDays: 10, YearDays: 15, FiscalYearStart: time.January}
}

// NoPanicDiscounts returns the policy that discounts are not used to pull a
// deal into a period, and always buy something:
//   - a discount offered within the blackout b of a period's end violates
//     it;
//   - so does a discount that names no concession from deal.Concessions
//     (a multi-year term, a reference, a faster signature, expanded scope),
//     and a multi-year concession on a deal whose term is under 24 months.
//
// It checks the subject's proposed Discount and every discount on the deal's
// quote.
func NoPanicDiscounts(b Blackout) Policy { return noPanicDiscounts{b: b} }

type noPanicDiscounts struct{ b Blackout }

func (noPanicDiscounts) ID() string { return IDNoPanicDiscounts }
func (noPanicDiscounts) Description() string {
	return "No discounts in the last days of a month, quarter or fiscal year, and none that buys nothing."
}

type blackoutParams struct {
	MonthDays       int    `json:"month_days"`
	QuarterDays     int    `json:"quarter_days"`
	YearDays        int    `json:"year_days"`
	FiscalYearStart int    `json:"fiscal_year_start"`
	TimeZone        string `json:"time_zone"`
}

func (p noPanicDiscounts) Params() any {
	fs := p.b.FiscalYearStart
	if fs == 0 {
		fs = time.January
	}
	return blackoutParams{p.b.MonthDays, p.b.QuarterDays, p.b.YearDays, int(fs), zoneName(p.b.Location)}
}

var _ Validator = noPanicDiscounts{}

// Validate reports days out of range and a fiscal year start that is not a
// month.
func (p noPanicDiscounts) Validate() error { return p.b.validate() }

func (b Blackout) validate() error {
	var errs []error
	check := func(field string, n, most int) {
		if n < 0 || n > most {
			errs = append(errs, accord.Invalid(field, "must be between 0 and %d days; got %d", most, n))
		}
	}
	check("month_days", b.MonthDays, 27)
	check("quarter_days", b.QuarterDays, 88)
	check("year_days", b.YearDays, 364)
	if b.FiscalYearStart < 0 || b.FiscalYearStart > 12 {
		errs = append(errs, accord.Invalid("fiscal_year_start", "must be a month, 1 to 12; got %d", int(b.FiscalYearStart)))
	}
	return errors.Join(errs...)
}

func (p noPanicDiscounts) Check(s Subject, _ time.Time) []Violation {
	var out []Violation
	if s.Discount != nil {
		out = p.discount(out, s, -1, s.Discount)
	}
	if s.Deal != nil {
		for i := range s.Deal.Quote.Discounts {
			out = p.discount(out, s, i, &s.Deal.Quote.Discounts[i])
		}
	}
	return out
}

// discount checks one discount: the subject's own when i is -1, else the
// deal's i-th. Its path is built only for a violation, so that a check that
// passes allocates nothing.
func (p noPanicDiscounts) discount(out []Violation, s Subject, i int, d *deal.Discount) []Violation {
	path := func() string {
		if i < 0 {
			return "discount"
		}
		return fmt.Sprintf("deal.quote.discounts[%d]", i)
	}
	if d.OfferedAt.IsZero() {
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".offered_at", "the discount has no offer date; record when it was offered"))
	} else if w, ok := p.b.In(d.OfferedAt); ok {
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".offered_at", "the discount was offered on %s, %s; no discounts in the last days of a period", w.Day, w))
	}
	switch c := d.Concession; {
	case c == "":
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".concession", "the discount buys nothing; name the concession it buys: multi_year_term, reference, faster_signature or expanded_scope"))
	case !c.Valid():
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".concession", "%q is not a concession; name multi_year_term, reference, faster_signature or expanded_scope", c))
	case c == deal.ConcessionMultiYear && s.Deal != nil && s.Deal.Commercials.TermMonths < 24:
		out = append(out, s.Violation(IDNoPanicDiscounts, path()+".concession", "the discount buys a multi-year term, but the deal's term is %d months; a multi-year term is 24 months or more", s.Deal.Commercials.TermMonths))
	}
	return out
}

// Window is a blackout a day falls in: the last Days days of the Period
// ("month", "quarter" or "fiscal year") ending on End.
type Window struct {
	Day    accord.Date
	Period string
	End    accord.Date
	Days   int
}

// String describes w, as "in the last 10 days of the quarter ending
// 2027-03-31", or "the last day of the month" for a one-day blackout.
func (w Window) String() string {
	if w.Days == 1 {
		return fmt.Sprintf("the last day of the %s", w.Period)
	}
	return fmt.Sprintf("in the last %d days of the %s ending %s", w.Days, w.Period, w.End)
}

// In reports whether instant t, read as a day in b's location, falls in one
// of b's blackouts, and which: the fiscal year's when it falls in several,
// then the quarter's, then the month's.
func (b Blackout) In(t time.Time) (Window, bool) {
	day := accord.DateOf(t.In(zone(b.Location)))
	if w, ok := b.last(day, accord.PeriodYear, "fiscal year", b.YearDays); ok {
		return w, true
	}
	if w, ok := b.last(day, accord.PeriodQuarter, "quarter", b.QuarterDays); ok {
		return w, true
	}
	return b.last(day, accord.PeriodMonth, "month", b.MonthDays)
}

// last returns the blackout of the last days days of period p, named
// name, when day falls in it.
func (b Blackout) last(day accord.Date, p accord.Period, name string, days int) (Window, bool) {
	if !p.InLast(day, days, b.FiscalYearStart) {
		return Window{}, false
	}
	_, end := p.Of(day, b.FiscalYearStart)
	return Window{day, name, end, days}, true
}

// ---- payment after client approval ----

// PaymentAfterClientApproval returns the policy that no payment is taken before
// the client approves the scope: a payment request violates it unless the
// current revision of the deal's Scope of Work has the implementation
// lead's and then the client's approval (scope.SOW.Approved). It
// checks the subject's Scope when given, else the deal's scope reference;
// with neither, there is nothing approved and the request violates it.
func PaymentAfterClientApproval() Policy { return paymentAfterApproval{} }

type paymentAfterApproval struct{}

func (paymentAfterApproval) ID() string { return IDPaymentAfterClientApproval }
func (paymentAfterApproval) Description() string {
	return "No payment before the client approves the current revision of the Scope of Work."
}
func (paymentAfterApproval) Params() any { return nil }

func (paymentAfterApproval) Check(s Subject, _ time.Time) []Violation {
	pr := s.Payment
	if pr == nil {
		return nil
	}
	dealID := pr.DealID
	if dealID == "" && s.Deal != nil {
		dealID = s.Deal.ID
	}
	v := func(field, format string, args ...any) []Violation {
		return []Violation{s.Violation(IDPaymentAfterClientApproval, field, format, args...)}
	}
	switch {
	case s.Deal != nil && pr.DealID != "" && s.Deal.ID != pr.DealID:
		return v("payment.deal_id", "the payment is for deal %q, but the subject's deal is %q", pr.DealID, s.Deal.ID)
	case s.Scope != nil:
		sow := s.Scope
		if dealID != "" && sow.DealID != dealID {
			return v("payment.deal_id", "the Scope of Work %q is for deal %q, not %q; take payment against the deal's own scope", sow.ID, sow.DealID, dealID)
		}
		if s.Deal != nil && s.Deal.Scope.ID != "" && s.Deal.Scope.ID != sow.ID {
			return v("scope.id", "the payment is checked against Scope of Work %q, but the deal's scope is %q; take payment against the deal's current scope", sow.ID, s.Deal.Scope.ID)
		}
		if s.Deal != nil && s.Deal.Scope.ID == sow.ID && sow.Review.Revision < s.Deal.Scope.Revision {
			return v("scope.review.revision", "the payment is checked against revision %d of Scope of Work %q, but the deal knows revision %d; take payment against the current revision", sow.Review.Revision, sow.ID, s.Deal.Scope.Revision)
		}
		if !sow.Approved() {
			if sow.Review.Digest != "" && sow.Digest() != sow.Review.Digest {
				return v("payment", "Scope of Work %q changed since revision %d was recorded; record the change and take payment only after the client approves it", sow.ID, sow.Review.Revision)
			}
			return v("payment", "the client has not approved %s (it is %s); take payment only after the client approves", revisionOf(sow.Review.Revision, sow.ID), statusOf(string(sow.Review.Status)))
		}
	case s.Deal != nil:
		ref := s.Deal.Scope
		switch {
		case ref.ID == "":
			return v("deal.scope", "the deal has no Scope of Work; take payment only after the client approves one")
		case ref.DealID != s.Deal.ID:
			return v("deal.scope.deal_id", "the deal's scope reference is to deal %q's scope; take payment against the deal's own scope", ref.DealID)
		case !ref.Approved():
			return v("deal.scope.approvals", "the client has not approved %s (%s); take payment only after the client approves", revisionOf(ref.Revision, ref.ID), approvalsOf(ref.Approvals))
		}
	default:
		return v("payment", "no Scope of Work to check; take payment only after the client approves the deal's scope")
	}
	return nil
}

// revisionOf names a revision of a scope for messages.
func revisionOf(rev int, id string) string {
	if rev <= 0 {
		return fmt.Sprintf("Scope of Work %q", id)
	}
	return fmt.Sprintf("revision %d of Scope of Work %q", rev, id)
}

// approvalsOf says which approvals a scope reference records, for messages.
func approvalsOf(a scope.Approvals) string {
	switch a {
	case scope.ApprovalsLead:
		return "only the implementation lead approved it"
	case scope.ApprovalsLeadAndClient:
		return "both approved it"
	}
	return "no one approved it yet"
}

func statusOf(s string) string {
	switch s {
	case "", "draft":
		return "a draft"
	case "changes_requested":
		return "sent back for changes"
	}
	return strings.ReplaceAll(s, "_", " ")
}

// ---- refund guarantee ----

// RefundGuarantee returns the policy that the refund guarantee is honoured
// at any time, in full:
//   - a refund not granted on the calendar day it was requested (read in
//     loc, UTC when nil) violates it: one granted a later day, and one still
//     not granted once that day is over;
//   - so do contract terms with a waiting period or a penalty on refunds.
func RefundGuarantee(loc *time.Location) Policy { return refundGuarantee{loc: loc} }

type refundGuarantee struct{ loc *time.Location }

func (refundGuarantee) ID() string { return IDRefundGuarantee }
func (refundGuarantee) Description() string {
	return "A refund is granted the day it is asked for, with no waiting period and no penalty."
}
func (p refundGuarantee) Params() any {
	return struct {
		TimeZone string `json:"time_zone"`
	}{zoneName(p.loc)}
}

func (p refundGuarantee) Check(s Subject, now time.Time) []Violation {
	var out []Violation
	if r := s.Refund; r != nil {
		loc := zone(p.loc)
		asked := accord.Today(r.RequestedAt, loc)
		switch {
		case r.RequestedAt.IsZero():
			out = append(out, s.Violation(IDRefundGuarantee, "refund.requested_at", "the refund has no request date; record when it was asked for"))
		case r.GrantedAt.IsZero():
			if today := accord.Today(now, loc); today.After(asked) {
				out = append(out, s.Violation(IDRefundGuarantee, "refund.granted_at", "the refund asked for on %s is still not granted on %s; grant it the day it is asked for", asked, today))
			}
		default:
			if granted := accord.Today(r.GrantedAt, loc); granted != asked {
				out = append(out, s.Violation(IDRefundGuarantee, "refund.granted_at", "the refund asked for on %s was granted on %s; grant it the day it is asked for", asked, granted))
			}
		}
	}
	if t := s.Terms; t != nil {
		if t.RefundWaitingDays != 0 {
			out = append(out, s.Violation(IDRefundGuarantee, "terms.refund_waiting_days", "the terms make a refund wait %d days; the guarantee grants it the day it is asked for", t.RefundWaitingDays))
		}
		if t.RefundPenalty.IsSet() && !t.RefundPenalty.Amount.IsZero() {
			out = append(out, s.Violation(IDRefundGuarantee, "terms.refund_penalty", "the terms keep %s back from a refund; the guarantee refunds in full", t.RefundPenalty))
		}
		if !t.RefundPenaltyPercent.IsZero() {
			out = append(out, s.Violation(IDRefundGuarantee, "terms.refund_penalty_percent", "the terms keep %s%% back from a refund; the guarantee refunds in full", t.RefundPenaltyPercent))
		}
	}
	return out
}

// ---- Closed Won only on structure ----

// ClosedWonOnStructure returns the policy that a deal is closed won only on
// structure: the current revision of its own Scope of Work approved by the
// implementation lead and then by the client, and the contract data, that
// is, a term (commercials.term_months), an implementation start that with
// the term fixes the renewal date (commercials.implementation_start), and
// the categories of the scoped work (the scope reference's Categories).
//
// It checks a deal that is closing (Subject.Closing, as the criteria of
// [Gate] are) or won (Subject.Won); it has nothing to say of an open deal.
func ClosedWonOnStructure() Policy { return closedWonOnStructure{} }

type closedWonOnStructure struct{}

func (closedWonOnStructure) ID() string { return IDClosedWonOnStructure }
func (closedWonOnStructure) Description() string {
	return "Closed Won only on structure: an approved Scope of Work, a term, a renewal date and the scoped categories."
}
func (closedWonOnStructure) Params() any { return nil }

func (closedWonOnStructure) Check(s Subject, _ time.Time) []Violation {
	d := s.Deal
	if d == nil || !s.Closing && !s.Won {
		return nil
	}
	var out []Violation
	v := func(field, format string, args ...any) {
		out = append(out, s.Violation(IDClosedWonOnStructure, field, format, args...))
	}
	switch ref := d.Scope; {
	case ref.ID == "":
		v("deal.scope", "the deal has no Scope of Work; close on a scope the implementation lead and the client approved")
	case ref.DealID != d.ID:
		v("deal.scope.deal_id", "the deal's scope reference is to deal %q's scope; close on the deal's own scope", ref.DealID)
	default:
		if !ref.Approved() && ref.Approvals != scope.ApprovalsLead {
			v("deal.scope.approvals", "the implementation lead has not approved revision %d of the Scope of Work", ref.Revision)
		}
		if !ref.Approved() {
			v("deal.scope.approvals", "the client has not approved revision %d of the Scope of Work after the implementation lead", ref.Revision)
		}
		if len(ref.Categories) == 0 {
			v("deal.scope.categories", "the Scope of Work names no categories of work; give its steps their activities")
		}
	}
	if d.Commercials.TermMonths <= 0 {
		v("deal.commercials.term_months", "the term is not set; a contract needs its term in months")
	}
	if d.Commercials.ImplementationStart.IsZero() {
		v("deal.commercials.implementation_start", "the implementation start is not set; with the term it fixes the renewal date")
	}
	return out
}

// ---- lead response SLA ----

// DefaultResponseMinutes is the default response time of an inbound lead.
const DefaultResponseMinutes = 5

// LeadResponseSLA returns the policy that an inbound lead is first touched
// within minutes of arriving (between 1 and 10080, a week):
//   - a lead first touched later violates it;
//   - so does one still untouched once the time is up.
//
// It checks the subject's Lead, and the deal's lead; a lead that is not
// inbound, or has no arrival time, has no deadline.
func LeadResponseSLA(minutes int) Policy { return leadResponse{minutes: minutes} }

type leadResponse struct{ minutes int }

func (leadResponse) ID() string { return IDLeadResponseSLA }
func (p leadResponse) Description() string {
	return fmt.Sprintf("An inbound lead is first touched within %d minutes.", p.minutes)
}
func (p leadResponse) Params() any {
	return struct {
		Minutes int `json:"minutes"`
	}{p.minutes}
}

var _ Validator = leadResponse{}

// Validate reports a response time out of range.
func (p leadResponse) Validate() error {
	if p.minutes < 1 || p.minutes > 10080 {
		return accord.Invalid("minutes", "must be between 1 and 10080 (a week); got %d", p.minutes)
	}
	return nil
}

func (p leadResponse) Check(s Subject, now time.Time) []Violation {
	var out []Violation
	if s.Lead != nil {
		out = p.lead(out, s, "lead", s.Lead, now)
	}
	if s.Deal != nil {
		out = p.lead(out, s, "deal.lead", &s.Deal.Lead, now)
	}
	return out
}

func (p leadResponse) lead(out []Violation, s Subject, path string, l *deal.Lead, now time.Time) []Violation {
	if !l.Inbound || l.ReceivedAt.IsZero() {
		return out
	}
	limit := time.Duration(p.minutes) * time.Minute
	due := l.ReceivedAt.Add(limit)
	switch {
	case l.FirstTouchAt.IsZero():
		if now.After(due) {
			out = append(out, s.Violation(IDLeadResponseSLA, path+".first_touch_at", "the inbound lead is still untouched %s after it arrived; touch inbound leads within %d minutes", now.Sub(l.ReceivedAt).Round(time.Second), p.minutes))
		}
	case l.FirstTouchAt.After(due):
		out = append(out, s.Violation(IDLeadResponseSLA, path+".first_touch_at", "the inbound lead was first touched %s after it arrived; touch inbound leads within %d minutes", l.FirstTouchAt.Sub(l.ReceivedAt).Round(time.Second), p.minutes))
	}
	return out
}
