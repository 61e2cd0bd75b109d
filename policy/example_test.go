package policy_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
	"github.com/shopspring/decimal"
)

// maxDiscount is a host's own policy: no discount above a share of the
// deal's value. Its parameter is data, so a set holding it can be written as
// JSON and read back with LoadOptions.Policies.
type maxDiscount struct {
	Percent int `json:"percent"`
}

func (maxDiscount) ID() string { return "max_discount" }
func (p maxDiscount) Description() string {
	return fmt.Sprintf("No discount above %d%% of the deal's value.", p.Percent)
}
func (p maxDiscount) Params() any { return p }

func (p maxDiscount) Check(s policy.Subject, _ time.Time) []policy.Violation {
	if s.Deal == nil || !s.Deal.Value.IsSet() {
		return nil
	}
	limit := s.Deal.Value.Mul(decimal.New(int64(p.Percent), -2))
	var out []policy.Violation
	for i, d := range s.Deal.Quote.Discounts {
		if c, err := d.Amount.Cmp(limit); err == nil && c > 0 {
			out = append(out, s.Violation(p.ID(), fmt.Sprintf("deal.quote.discounts[%d].amount", i),
				"the discount of %s is above %d%% of the deal's value (%s)", d.Amount, p.Percent, limit.Round()))
		}
	}
	return out
}

// A host adds its own policy to a set of built-in ones, checks a deal, and
// gates the close on the set.
func Example_customPolicy() {
	ist := time.FixedZone("IST", 5*3600+1800)
	set, err := policy.NewSet(
		maxDiscount{Percent: 15},
		policy.NoPanicDiscounts(policy.Blackout{QuarterDays: 10, YearDays: 15, FiscalYearStart: time.April, Location: ist}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	usd := func(s string) accord.Money { m, _ := accord.ParseMoney(s, "USD"); return m }
	d := deal.Deal{ID: "d-1", Owner: "rep-1", Value: usd("40000")}
	d.Commercials.TermMonths = 12
	d.Quote.Discounts = []deal.Discount{{
		ID: "disc-1", Amount: usd("8000"), By: "rep-1",
		OfferedAt:  time.Date(2027, time.March, 28, 16, 0, 0, 0, ist), // 4 days before the fiscal year ends
		Concession: deal.ConcessionMultiYear,
	}}
	for _, v := range set.Check(policy.Subject{Deal: &d}, time.Date(2027, time.March, 28, 17, 0, 0, 0, ist)) {
		fmt.Println(v)
	}

	err = set.Allow(policy.Subject{Deal: &d}, time.Date(2027, time.March, 28, 17, 0, 0, 0, ist))
	fmt.Println(errors.Is(err, accord.ErrBlocked))
	// Output:
	// max_discount (d-1) deal.quote.discounts[0].amount: the discount of 8000 USD is above 15% of the deal's value (6000.00 USD)
	// no_panic_discounts (d-1) deal.quote.discounts[0].offered_at: the discount was offered on 2027-03-28, in the last 15 days of the fiscal year ending 2027-03-31; no discounts in the last days of a period
	// no_panic_discounts (d-1) deal.quote.discounts[0].concession: the discount buys a multi-year term, but the deal's term is 12 months; a multi-year term is 24 months or more
	// true
}
