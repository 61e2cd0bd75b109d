package metrics

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/metrics/internal/wire"
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
	if err := bothBuilt(r, o, "references"); err != nil {
		return err
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

// MarshalBinary returns r's partial, for [References.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (r *References) MarshalBinary() ([]byte, error) { return r.AppendBinary(nil) }

// AppendBinary appends r's partial to b, as [References.MarshalBinary].
func (r *References) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(r, b, "references")
}

// UnmarshalBinary replaces r's state with the partial in data, computed
// for the same location. r must be built with [NewReferences]; on error it
// is left unchanged.
func (r *References) UnmarshalBinary(data []byte) error {
	return readPartial(r, data, "references", "these references", func() (*References, error) { return NewReferences(ReferenceOptions{Location: r.loc}) })
}

func (r *References) settings() []wire.Setting {
	return []wire.Setting{{Name: "location", Value: zone.Describe(r.loc)}}
}

// validCohort reports whether k is a cohort as [cohort] names it.
func validCohort(k string) bool {
	if k == "unknown" {
		return true
	}
	year, q, ok := strings.Cut(k, "-Q")
	if strings.HasPrefix(year, "+") || len(q) != 1 || q < "1" || q > "4" {
		return false
	}
	y, err := strconv.Atoi(year)
	return ok && err == nil && fmt.Sprintf("%04d", y) == year
}

func (r *References) state(c *wire.Codec) {
	c.Uint("customers", &r.customers)
	c.Uint("rejected", &r.rejected)
	c.Uint("references", &r.references)
	c.Uint("consent", &r.consent)
	atMost(c, "references", "customers", r.customers, r.references)
	atMost(c, "consent", "customers", r.customers, r.consent)

	byKind := map[contract.ReferenceKind]*int64{}
	for k, n := range r.byKind {
		byKind[k] = &n
	}
	wire.Map(c, "by_kind", byKind, cmp.Compare[contract.ReferenceKind],
		func(k *contract.ReferenceKind) {
			c.String("kind", (*string)(k))
			if c.Reading() && c.Err() == nil && !slices.Contains(contract.ReferenceKinds(), *k) {
				c.Fail("kind", "must be one of %q; got %q", contract.ReferenceKinds(), *k)
			}
		},
		func(n *int64) {
			if c.Uint("count", n); c.Reading() && c.Err() == nil && *n == 0 {
				c.Fail("count", "must be positive")
			}
		})

	c.Uint("from_customers", &r.fromCustomers)
	c.Uint("from_ambassadors", &r.fromX)
	c.Uint("refunded", &r.refunded)
	c.Uint("ambassadors", &r.ambassador)
	atMost(c, "refunded", "customers", r.customers, r.refunded)
	atMost(c, "ambassadors", "refunded", r.refunded, r.ambassador)

	cohorts := map[string]*cohortRefs{}
	for k, g := range r.cohorts {
		cohorts[k] = &g
	}
	wire.Map(c, "cohorts", cohorts, strings.Compare,
		func(k *string) {
			c.String("cohort", k)
			if c.Reading() && c.Err() == nil && !validCohort(*k) {
				c.Fail("cohort", `must be a quarter, such as "2026-Q1", or "unknown"; got %q`, *k)
			}
		},
		func(g *cohortRefs) {
			c.Uint("customers", &g.customers)
			c.Uint("referrers", &g.referrers)
			c.Uint("referrals", &g.referrals)
			switch {
			case !c.Reading() || c.Err() != nil:
			case g.customers == 0:
				c.Fail("customers", "must be positive: a cohort holds the customers that made it")
			case g.referrers > g.customers:
				c.Fail("referrers", "is more than customers (%d) allows", g.customers)
			case g.referrers > g.referrals || g.referrals > 0 && g.referrers == 0:
				c.Fail("referrers", "must be at least 1 and at most referrals (%d) when there are referrals, else 0", g.referrals)
			}
		})
	if !c.Reading() || c.Err() != nil {
		return
	}

	// Referrals are counted by kind, by giver and by cohort alike; every
	// customer is in one cohort.
	var referral int64
	if n := byKind[contract.ReferenceReferral]; n != nil {
		referral = *n
	}
	sumsTo(c, "from_ambassadors", "from_customers and from_ambassadors", "by_kind[referral]", referral, r.fromCustomers, r.fromX)
	var customers, referrals []int64
	for _, k := range slices.Sorted(maps.Keys(cohorts)) {
		customers = append(customers, cohorts[k].customers)
		referrals = append(referrals, cohorts[k].referrals)
	}
	sumsTo(c, "cohorts", "the customers of the cohorts", "customers", r.customers, customers...)
	sumsTo(c, "cohorts", "the referrals of the cohorts", "by_kind[referral]", referral, referrals...)
	if c.Err() != nil {
		return
	}
	for k, n := range byKind {
		r.byKind[k] = *n
	}
	for k, g := range cohorts {
		r.cohorts[k] = *g
	}
}
