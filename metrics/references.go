package metrics

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/metrics/internal/zone"
)

// ReferenceOptions configures a [References].
type ReferenceOptions struct {
	// Location is where a contract's cohort is reckoned: the calendar
	// quarter of the day it was won (its WonAt), such as "2026-Q1". Nil
	// means UTC.
	Location *time.Location
}

// References accumulates how customers vouch for the vendor, from
// contracts ([contract.Contract.References]): the share of customers who
// are references, the consent on record, references by kind, referrals
// per cohort, and the refund guarantee's ambassadors.
//
// The definitions:
//
//   - A customer (a contract) is a reference when it has vouched for the
//     vendor at least once, in any way ([contract.Contract.IsReference]);
//     the References rate counts them over every customer added. Consenting
//     counts the customers whose consent is on record.
//   - A cohort is the quarter the contract was won in, in Location. Per
//     cohort: the customers, the share of them who gave at least one
//     referral (Referrers), and the referrals given per customer.
//   - Referrals are split by who gave them: customers who were not
//     refunded, and refunded ones ([contract.Reference.Ambassador]).
//   - The ambassador rate is over the refunded customers: those who still
//     refer others, because they gave a referral after the refund or
//     someone recorded that they still refer ([contract.Refund.StillRefers]
//     true).
//
// A contract that does not validate ([contract.Contract.Validate]) is
// refused with an error and counted as rejected. Memory grows with the
// number of cohorts, not with the number of contracts. Not safe for
// concurrent use; merge one per goroutine.
type References struct {
	loc                  *time.Location
	customers, rejected  int64
	references, consent  int64
	byKind               map[contract.ReferenceKind]int64
	fromCustomers, fromX int64 // referrals by customers not refunded, and by refunded ones
	refunded, ambassador int64
	cohorts              map[string]cohortRefs
}

type cohortRefs struct{ customers, referrers, referrals int64 }

// NewReferences returns an empty References.
func NewReferences(opts ReferenceOptions) (*References, error) {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	return &References{loc: loc, byKind: map[contract.ReferenceKind]int64{}, cohorts: map[string]cohortRefs{}}, nil
}

func (r *References) built() error {
	if r == nil || r.cohorts == nil {
		return invalidf("references", "is not built: use NewReferences")
	}
	return nil
}

// cohort names the quarter of t in loc, such as "2026-Q1".
func cohort(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "unknown"
	}
	t = t.In(loc)
	return fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())+2)/3)
}

// Add accumulates one contract.
func (r *References) Add(c *contract.Contract) error {
	if err := r.built(); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		r.rejected++
		if c == nil {
			return err
		}
		return fmt.Errorf("contract %q: %w", c.ID, err)
	}
	r.customers++
	if c.IsReference() {
		r.references++
	}
	if c.Consent != nil {
		r.consent++
	}
	referrals, late := int64(0), false
	for _, ref := range c.References {
		r.byKind[ref.Kind]++
		if ref.Kind != contract.ReferenceReferral {
			continue
		}
		referrals++
		if ref.Ambassador() {
			r.fromX++
			late = true
		} else {
			r.fromCustomers++
		}
	}
	if c.Refunded != nil {
		r.refunded++
		if late || c.Refunded.StillRefers != nil && *c.Refunded.StillRefers {
			r.ambassador++
		}
	}
	k := cohort(c.WonAt, r.loc)
	g := r.cohorts[k]
	g.customers++
	g.referrals += referrals
	if referrals > 0 {
		g.referrers++
	}
	r.cohorts[k] = g
	return nil
}

// Merge adds the contracts accumulated by o, built with the same location.
func (r *References) Merge(o *References) error {
	if err := r.built(); err != nil {
		return err
	}
	if o.built() != nil {
		return invalidf("other", "is not a built references")
	}
	if !zone.Same(r.loc, o.loc) {
		return invalidf("other", "was built for a different location")
	}
	// Read o's figures before adding them, so that merging r into itself
	// doubles it.
	byKind, cohorts := maps.Clone(o.byKind), maps.Clone(o.cohorts)
	r.customers, r.rejected = r.customers+o.customers, r.rejected+o.rejected
	r.references, r.consent = r.references+o.references, r.consent+o.consent
	r.fromCustomers, r.fromX = r.fromCustomers+o.fromCustomers, r.fromX+o.fromX
	r.refunded, r.ambassador = r.refunded+o.refunded, r.ambassador+o.ambassador
	for k, n := range byKind {
		r.byKind[k] += n
	}
	for k, g := range cohorts {
		h := r.cohorts[k]
		r.cohorts[k] = cohortRefs{h.customers + g.customers, h.referrers + g.referrers, h.referrals + g.referrals}
	}
	return nil
}

// ReferenceResult holds the figures of a [References].
type ReferenceResult struct {
	Customers int64 `json:"customers"`
	Rejected  int64 `json:"rejected"`
	// References is the share of customers who vouched for the vendor at
	// least once; Consenting the share whose consent is on record.
	References Rate `json:"references"`
	Consenting Rate `json:"consenting"`
	// ByKind counts the references given, by kind, in the order of
	// [contract.ReferenceKinds].
	ByKind []KindCount `json:"by_kind"`
	// Referrals counts the referrals given by customers who were not
	// refunded (FromCustomers) and by refunded ones (FromAmbassadors).
	FromCustomers   int64 `json:"referrals_from_customers"`
	FromAmbassadors int64 `json:"referrals_from_ambassadors"`
	// Cohorts lists the referrals of each cohort, in order of cohort.
	Cohorts []CohortReferrals `json:"cohorts"`
	// Ambassadors is the share of refunded customers who still refer
	// others.
	Ambassadors Rate `json:"ambassadors"`
}

// KindCount counts the references of one kind.
type KindCount struct {
	Kind  contract.ReferenceKind `json:"kind"`
	Count int64                  `json:"count"`
}

// CohortReferrals is the referrals of the customers won in one quarter.
type CohortReferrals struct {
	Cohort    string `json:"cohort"`
	Customers int64  `json:"customers"`
	// Referrers is the share of the cohort's customers who gave at least
	// one referral; PerCustomer the referrals given over its customers.
	Referrers   Rate  `json:"referrers"`
	PerCustomer Ratio `json:"per_customer"`
}

// Result returns the figures accumulated so far.
func (r *References) Result() ReferenceResult {
	if r.built() != nil {
		return ReferenceResult{}
	}
	out := ReferenceResult{
		Customers: r.customers, Rejected: r.rejected,
		References: Rate{r.references, r.customers}, Consenting: Rate{r.consent, r.customers},
		FromCustomers: r.fromCustomers, FromAmbassadors: r.fromX,
		Ambassadors: Rate{r.ambassador, r.refunded},
	}
	for _, k := range contract.ReferenceKinds() {
		out.ByKind = append(out.ByKind, KindCount{Kind: k, Count: r.byKind[k]})
	}
	for _, k := range slices.Sorted(maps.Keys(r.cohorts)) {
		g := r.cohorts[k]
		out.Cohorts = append(out.Cohorts, CohortReferrals{
			Cohort: k, Customers: g.customers,
			Referrers: Rate{g.referrers, g.customers}, PerCustomer: Ratio{g.referrals, g.customers},
		})
	}
	return out
}
