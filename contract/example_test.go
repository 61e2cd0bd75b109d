package contract_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/scope"
)

// A contract is created from the won deal and its approved scope, the
// customer goes live, the renewal alert comes 90 days before the end, and
// the client renews with an expansion.
func Example() {
	c, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, contract.Agreement{
		ID: "ctr-1", Vendor: contract.Party{Name: "Accord Inc."},
		Billing: contract.BillingAnnual, Commitment: contract.CommitTerm, NoticeDays: 30,
	}, rep, created)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %s, term %s to %s, renews %s, categories %v\n", c.ID, c.Status, c.Term.Start, c.Term.End, c.Term.Renewal, c.Scope.Categories)

	// Going active needs a recorded go-live.
	err = c.Move(contract.StatusActive, "pipeline in use", lead, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	var blocked *accord.BlockedError
	if errors.As(err, &blocked) {
		fmt.Println("refused:", blocked.Unmet[0].Criterion)
	}
	c.GoLiveAt = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	_ = c.Move(contract.StatusActive, "pipeline in use", lead, time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC))
	fmt.Println("status:", c.Status)

	// No alert 91 days before the last day; the alert 90 days before.
	for _, now := range []time.Time{time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} {
		for _, a := range contract.Due([]contract.Contract{c}, now) {
			fmt.Printf("%s: renew %s for %s: %d days left, notice by %s\n", now.Format(time.DateOnly), a.Contract, a.Client, a.DaysLeft, a.NoticeDeadline)
		}
	}

	// The client renews for two years, with more seats.
	_ = c.Renew(24, usd("60000.00"), rep, time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC))
	r := c.Renewals[0]
	change, _ := r.Change()
	fmt.Printf("%s: %s to %s, %s (change %s)\n", r.Outcome, c.Term.Start, c.Term.End, c.Term.Value, change)
	// Output:
	// ctr-1: onboarding, term 2026-03-02 to 2027-03-01, renews 2027-03-02, categories [configuration integration training]
	// refused: go_live_recorded
	// status: active
	// 2026-12-01: renew ctr-1 for Northwind Logistics: 90 days left, notice by 2027-01-30
	// renewed: 2027-03-02 to 2029-03-01, 60000.00 USD (change 12000.00 USD)
}

// The refund guarantee: granted the moment it is asked for, for everything
// paid, once.
func ExampleContract_RequestRefund() {
	c := newContract()
	_ = c.RecordPayment("inv-1", usd("24000.00"), finance, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	_ = c.RecordPayment("inv-2", usd("24000.00"), finance, time.Date(2026, 9, 2, 9, 0, 0, 0, time.UTC))

	asked := time.Date(2026, 10, 5, 16, 30, 0, 0, time.UTC)
	r, _ := c.RequestRefund("", client, asked)
	fmt.Println(r.Amount, r.GrantedAt.Equal(asked), c.Status)

	_, err := c.RequestRefund("", client, asked.Add(time.Hour))
	fmt.Println(errors.Is(err, accord.ErrConflict))
	err = c.Renew(12, usd("48000.00"), rep, asked.Add(2*time.Hour))
	fmt.Println(errors.Is(err, accord.ErrConflict))
	// Output:
	// 48000.00 USD true refunded
	// true
	// true
}

// Drift reports change requests outside the contracted categories, and the
// use of each entitlement against what is included, week by week.
func ExampleContract_Drift() {
	c := newContract()
	at := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	_ = c.RecordChange(contract.ChangeRequest{ID: "cr-1", Category: scope.ActivityDataMigration, Summary: "migrate the 2019 deals"}, rep, at)
	_ = c.RecordUsage(contract.Usage{ID: "u-1", Entitlement: "support", Day: accord.MakeDate(2026, 3, 3), Quantity: hours(5)}, lead, at)
	_ = c.RecordUsage(contract.Usage{ID: "u-2", Entitlement: "support", Day: accord.MakeDate(2026, 3, 10), Quantity: hours(2)}, lead, at)

	d := c.Drift(at)
	for _, cr := range d.Creep {
		fmt.Printf("creep: %s (%s) is not in %v\n", cr.ID, cr.Category, c.Scope.Categories)
	}
	for _, e := range d.Entitlements {
		fmt.Printf("%s: %s of %s %s used in %d weeks\n", e.Name, e.Used, e.IncludedToDate, e.Unit, e.Periods)
		for _, o := range e.Over {
			fmt.Printf("  %s to %s: %s of %s\n", o.From, o.To, o.Used, o.Included)
		}
	}
	// Output:
	// creep: cr-1 (data_migration) is not in [configuration integration training]
	// support: 7 of 12 hours used in 3 weeks
	//   2026-03-02 to 2026-03-08: 5 of 4
}

// Renewal alerts carry idempotency keys: a host that runs Due every day
// and remembers the keys it delivered tells the owner once per step of the
// ladder, here as notice approaches and then as the term ends.
func ExampleDue() {
	c := newContract() // ends 2027-03-01, notice 30 days before
	delivered := map[string]bool{}
	for day := accord.MakeDate(2026, 12, 1); !day.After(c.Term.End); day = day.AddDays(1) {
		for _, a := range contract.Due([]contract.Contract{c}, day.In(time.UTC).Add(8*time.Hour)) {
			if delivered[a.Key] {
				continue
			}
			delivered[a.Key] = true
			fmt.Printf("%s %s (%d days left)\n", day, a.Key, a.DaysLeft)
		}
	}
	// Output:
	// 2026-12-01 renewal:ctr-1:2026-03-02:notice:60 (90 days left)
	// 2026-12-31 renewal:ctr-1:2026-03-02:notice:30 (60 days left)
	// 2027-01-16 renewal:ctr-1:2026-03-02:notice:14 (44 days left)
	// 2027-01-23 renewal:ctr-1:2026-03-02:notice:7 (37 days left)
	// 2027-01-27 renewal:ctr-1:2026-03-02:notice:3 (33 days left)
	// 2027-01-29 renewal:ctr-1:2026-03-02:notice:1 (31 days left)
	// 2027-01-30 renewal:ctr-1:2026-03-02:notice:0 (30 days left)
	// 2027-01-31 renewal:ctr-1:2026-03-02:term_end:30 (29 days left)
	// 2027-02-15 renewal:ctr-1:2026-03-02:term_end:14 (14 days left)
	// 2027-02-22 renewal:ctr-1:2026-03-02:term_end:7 (7 days left)
	// 2027-02-26 renewal:ctr-1:2026-03-02:term_end:3 (3 days left)
	// 2027-02-28 renewal:ctr-1:2026-03-02:term_end:1 (1 days left)
	// 2027-03-01 renewal:ctr-1:2026-03-02:term_end:0 (0 days left)
}

// Any customer can become a reference: a case study needs their consent,
// a referral is their own act, and a referral from a refunded client is an
// ambassador's.
func ExampleContract_RecordReference() {
	c := newContract()
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	err := c.RecordReference(contract.ReferenceCaseStudy, "Dana Ruiz", "", "", rep, at)
	var blocked *accord.BlockedError
	if errors.As(err, &blocked) {
		fmt.Println("refused:", blocked.Unmet[0].Criterion)
	}
	_ = c.RecordConsent([]contract.ReferenceKind{contract.ReferenceCaseStudy, contract.ReferenceCall}, "Dana Ruiz, Head of Sales Ops", client, at)
	_ = c.RecordReference(contract.ReferenceCaseStudy, "Dana Ruiz", "", "Northwind cuts onboarding to 3 weeks", rep, at.Add(time.Hour))
	_ = c.RecordReference(contract.ReferenceReferral, "Dana Ruiz", "acc-31", "", rep, at.Add(2*time.Hour))
	_, _ = c.RequestRefund("budget cut", client, at.AddDate(0, 1, 0))
	_ = c.RecordReference(contract.ReferenceReferral, "Dana Ruiz", "acc-32", "", rep, at.AddDate(0, 2, 0))
	for _, r := range c.References {
		fmt.Printf("%s by %s while %s (ambassador %v)\n", r.Kind, r.Contact, r.Status, r.Ambassador())
	}
	fmt.Println("referrals:", c.Referrals(), "still refers:", *c.Refunded.StillRefers)
	// Output:
	// refused: reference_consent
	// case_study by Dana Ruiz while onboarding (ambassador false)
	// referral by Dana Ruiz while onboarding (ambassador false)
	// referral by Dana Ruiz while refunded (ambassador true)
	// referrals: 2 still refers: true
}
