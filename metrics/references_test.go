package metrics_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestReferences: four customers won in two quarters, one refunded, with
// exact figures.
func TestReferences(t *testing.T) {
	mk := func(id string, won time.Time) contract.Contract {
		c := mkContract(t, id, accord.MakeDate(2026, 3, 2), 12, contract.BillingAnnual, contract.CommitTerm, 1000, false)
		c.WonAt = won
		return c
	}
	at := on(2026, 4, 1)
	a := mk("a", on(2026, 1, 15)) // consent, case study, 2 referrals
	ok(t, a.RecordConsent([]contract.ReferenceKind{contract.ReferenceCaseStudy}, "Dana", buyer, at),
		a.RecordReference(contract.ReferenceCaseStudy, "Dana", "", "", seller, at),
		a.RecordReference(contract.ReferenceReferral, "Dana", "p1", "", seller, at),
		a.RecordReference(contract.ReferenceReferral, "Dana", "p2", "", seller, at))
	b := mk("b", on(2026, 3, 31)) // nothing
	c := mk("c", on(2026, 4, 1))  // refunded, then refers: an ambassador
	_, err := c.RequestRefund("", buyer, at)
	ok(t, err, c.RecordReference(contract.ReferenceReferral, "Eli", "p3", "", seller, at))
	d := mk("d", on(2026, 5, 5)) // refunded, silent; consent to reviews
	_, err = d.RequestRefund("", buyer, at)
	ok(t, err, d.RecordConsent([]contract.ReferenceKind{contract.ReferenceReview}, "Flo", buyer, at))
	bad := mk("bad", on(2026, 5, 5))
	bad.Status = "gone"

	r, err := metrics.NewReferences(metrics.ReferenceOptions{})
	ok(t, err)
	for _, x := range []*contract.Contract{&a, &b, &c, &d} {
		ok(t, r.Add(x))
	}
	if err := r.Add(&bad); err == nil {
		t.Fatal("a contract with an unknown status was accepted")
	}
	want := metrics.ReferenceResult{
		Customers: 4, Rejected: 1,
		References: metrics.Rate{Num: 2, Den: 4}, Consenting: metrics.Rate{Num: 2, Den: 4},
		ByKind: []metrics.KindCount{
			{Kind: contract.ReferenceCaseStudy, Count: 1}, {Kind: contract.ReferenceCall},
			{Kind: contract.ReferenceReferral, Count: 3}, {Kind: contract.ReferenceReview},
		},
		FromCustomers: 2, FromAmbassadors: 1,
		Cohorts: []metrics.CohortReferrals{
			{Cohort: "2026-Q1", Customers: 2, Referrers: metrics.Rate{Num: 1, Den: 2}, PerCustomer: metrics.Ratio{Num: 2, Den: 2}},
			{Cohort: "2026-Q2", Customers: 2, Referrers: metrics.Rate{Num: 1, Den: 2}, PerCustomer: metrics.Ratio{Num: 1, Den: 2}},
		},
		Ambassadors: metrics.Rate{Num: 1, Den: 2},
	}
	if diff := cmp.Diff(want, r.Result()); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	// A cohort is reckoned in the location: 1 April 01:00 in UTC is still
	// March in New York.
	ny, _ := time.LoadLocation("America/New_York")
	inNY, _ := metrics.NewReferences(metrics.ReferenceOptions{Location: ny})
	e := mk("e", time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC))
	ok(t, inNY.Add(&e))
	if got := inNY.Result().Cohorts[0].Cohort; got != "2026-Q1" {
		t.Errorf("cohort in New York %s; want 2026-Q1", got)
	}
	if err := r.Merge(inNY); err == nil {
		t.Error("merged references reckoned in different locations")
	}
}

// genReferenceContract generates a contract with consents, references and
// perhaps a refund.
func genReferenceContract() *rapid.Generator[contract.Contract] {
	return rapid.Custom(func(t *rapid.T) contract.Contract {
		c := mkContract(t, "c", accord.MakeDate(2025, 1, 6), 12, contract.BillingAnnual, contract.CommitTerm, 1000, false)
		c.WonAt = on(2024, time.Month(rapid.IntRange(1, 12).Draw(t, "won_month")), 10)
		at := on(2025, 2, 1)
		for range rapid.IntRange(0, 6).Draw(t, "steps") {
			at = at.Add(24 * time.Hour)
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				_ = c.RecordConsent(rapid.SliceOfNDistinct(rapid.SampledFrom(contract.ReferenceKinds()), 1, 4, rapid.ID).Draw(t, "kinds"), "Dana", buyer, at)
			case 1:
				_ = c.RecordReference(rapid.SampledFrom(contract.ReferenceKinds()).Draw(t, "kind"), "Dana", "", "", seller, at)
			case 2:
				_ = c.RecordReference(contract.ReferenceReferral, "Dana", "p", "", seller, at)
			case 3:
				if c.Refunded == nil {
					_, _ = c.RequestRefund("", buyer, at)
				} else {
					// A stored contract may say whether the refunded
					// client still refers with no referral recorded.
					refers := rapid.Bool().Draw(t, "refers")
					c.Refunded.StillRefers = &refers
				}
			}
		}
		if rapid.IntRange(0, 9).Draw(t, "broken") == 0 {
			c.References = append(c.References, contract.Reference{Kind: "tweet"})
		}
		return c
	})
}

func referencesCalc() calctest.Calc[contract.Contract] {
	return calctest.Of("References", genReferenceContract(), func(*rapid.T) (*metrics.References, error) {
		return metrics.NewReferences(metrics.ReferenceOptions{})
	}, func(r *metrics.References, c contract.Contract) error { return r.Add(&c) })
}

// TestReferencesMergeLaws: any split merged equals the whole; Merge is
// associative and commutative; rates stay within bounds; and the counts
// agree with the contracts: referrals by kind equal those split by who
// gave them, and each cohort's referrers are at most its customers.
func TestReferencesMergeLaws(t *testing.T) {
	calctest.CheckMergeLaws(t, referencesCalc())
	rapid.Check(t, func(t *rapid.T) {
		cs := rapid.SliceOfN(genReferenceContract(), 0, 10).Draw(t, "contracts")
		r, _ := metrics.NewReferences(metrics.ReferenceOptions{})
		var refunded, referrals int64
		for i := range cs {
			if r.Add(&cs[i]) == nil && cs[i].Refunded != nil {
				refunded++
			}
			if cs[i].Validate() == nil {
				referrals += int64(cs[i].Referrals())
			}
		}
		res := r.Result()
		if res.ByKind[2].Count != res.FromCustomers+res.FromAmbassadors || res.ByKind[2].Count != referrals {
			t.Fatalf("referrals %d by kind, %d + %d by giver; %d in the contracts", res.ByKind[2].Count, res.FromCustomers, res.FromAmbassadors, referrals)
		}
		if res.Ambassadors.Den != refunded {
			t.Fatalf("ambassadors over %d; want %d refunded", res.Ambassadors.Den, refunded)
		}
		var customers int64
		for _, g := range res.Cohorts {
			customers += g.Customers
		}
		if customers != res.Customers {
			t.Fatalf("cohorts hold %d customers; want %d", customers, res.Customers)
		}
	})
}
