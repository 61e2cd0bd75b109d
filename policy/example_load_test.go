package policy_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
)

// RevOps keeps the company's policies as JSON. Load reads them, resolving
// time zones with the host's lookup, and refuses a bad set with the path of
// every problem.
func ExampleLoad() {
	zones := map[string]*time.Location{"IST": time.FixedZone("IST", 5*3600+1800)}
	opts := policy.LoadOptions{Zone: func(name string) (*time.Location, error) {
		if loc, ok := zones[name]; ok {
			return loc, nil
		}
		return nil, fmt.Errorf("unknown time zone %q", name)
	}}

	set, err := policy.Load([]byte(`{"policies": [
		{"id": "no_panic_discounts", "params": {"month_days": 3, "quarter_days": 7, "year_days": 20,
		                                        "fiscal_year_start": 4, "time_zone": "IST"}},
		{"id": "no_quotas"},
		{"id": "lead_response_sla", "params": {"minutes": 15}}
	]}`), opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range set.Policies() { // in the order of their IDs
		fmt.Println(p.ID())
	}

	// A discount offered on 12 March, in the last 20 days of the fiscal year.
	usd := func(s string) accord.Money { m, _ := accord.ParseMoney(s, "USD"); return m }
	offered := time.Date(2027, time.March, 12, 11, 0, 0, 0, zones["IST"])
	d := deal.Deal{ID: "d-3", Owner: "u-7", Value: usd("40000")}
	d.Commercials.TermMonths = 24
	d.Quote.Discounts = []deal.Discount{{ID: "disc-1", Amount: usd("2000"), By: "u-7", OfferedAt: offered, Concession: deal.ConcessionMultiYear}}
	for _, v := range set.Check(policy.Subject{Deal: &d}, offered) {
		fmt.Println(v)
	}

	_, err = policy.Load([]byte(`{"policies": [{"id": "no_panic_discounts", "params": {"month_days": 28}}]}`), opts)
	fmt.Println(err)
	// Output:
	// lead_response_sla
	// no_panic_discounts
	// no_quotas
	// no_panic_discounts (d-3) deal.quote.discounts[0].offered_at: the discount was offered on 2027-03-12, in the last 20 days of the fiscal year ending 2027-03-31; no discounts in the last days of a period
	// policies[0].params.month_days: must be between 0 and 27 days; got 28
}
