package policy_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
)

// The policies a close can break gate the close: a discount offered in the
// last days of the quarter keeps the deal from Closed Won, and the refusal
// says why, as an unmet criterion of the move.
func ExampleGated() {
	ist := time.FixedZone("IST", 5*3600+1800)
	set, err := policy.Default(policy.DefaultOptions{Location: ist, FiscalYearStart: time.April}) // fiscal year from April, days read in IST
	if err != nil {
		fmt.Println(err)
		return
	}
	closing, err := set.Only(policy.IDSingleEdition, policy.IDNoPanicDiscounts)
	if err != nil {
		fmt.Println(err)
		return
	}
	base, err := deal.NewProcess(deal.Config{
		ID: "quick", Name: "Quick sale", ClosedWon: "won",
		Stages: []deal.Stage{{ID: "proposal", Name: "Proposal"}, {ID: "won", Name: "Won"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := policy.Gated(base, closing)
	if err != nil {
		fmt.Println(err)
		return
	}
	won, _ := p.Stage("won")
	for _, c := range won.Entry {
		fmt.Println("won entry:", c.ID)
	}

	rep := accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	usd := func(s string) accord.Money { m, _ := accord.ParseMoney(s, "USD"); return m }
	at := time.Date(2026, time.June, 24, 10, 0, 0, 0, ist)
	d := deal.Deal{ID: "d-9", Owner: rep.ID, Value: usd("40000")}
	d.Commercials.TermMonths = 36
	if err := p.Open(&d, rep, at); err != nil {
		fmt.Println(err)
		return
	}
	d.Quote.Discounts = []deal.Discount{{
		ID: "disc-1", Amount: usd("4000"), By: rep.ID, OfferedAt: at.Add(time.Hour),
		Concession: deal.ConcessionMultiYear,
	}}
	err = p.Advance(&d, rep, at.Add(2*time.Hour))
	var blocked *accord.BlockedError
	if errors.As(err, &blocked) {
		for _, u := range blocked.Unmet {
			fmt.Println("unmet:", u)
		}
	}

	d.Quote.Discounts = nil // the rep withdraws the discount
	fmt.Println(p.Advance(&d, rep, at.Add(3*time.Hour)), d.Stage)
	// Output:
	// won entry: policy.no_panic_discounts
	// won entry: policy.single_edition
	// unmet: won entry policy.no_panic_discounts: the discount was offered on 2026-06-24, in the last 10 days of the quarter ending 2026-06-30; no discounts in the last days of a period (quote.discounts[0].offered_at)
	// <nil> won
}
