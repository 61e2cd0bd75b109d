package contract_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
)

// A contract is created from the won deal and its approved scope, the
// customer goes live, the renewal alert comes 90 days before the end, and
// the client renews with an expansion.
func Example() {
	c, err := contract.New(wonDeal(), approvedSOW(), contract.Terms{
		ID: "ctr-1", Vendor: contract.Party{Name: "Accord Inc."},
		Billing: contract.BillingAnnual, Commitment: contract.CommitTerm, NoticeDays: 30,
	}, rep, created, time.UTC)
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
