package metrics_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/metrics"
)

// Two contracts come up for renewal in 2027: one renews with an expansion,
// the other churns.
func ExampleRetention() {
	a := mkContract(nil, "A", accord.MakeDate(2026, 3, 1), 12, contract.BillingAnnual, contract.CommitTerm, 12000, false)
	_ = a.Renew(12, usdInt(15000), seller, time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC))
	b := mkContract(nil, "B", accord.MakeDate(2026, 6, 1), 12, contract.BillingMonthly, contract.CommitTerm, 10000, false)
	_ = b.Churn(contract.ChurnNoValue, "", seller, time.Date(2027, 5, 2, 9, 0, 0, 0, time.UTC))

	r, _ := metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2027, 1, 1), To: accord.MakeDate(2028, 1, 1)})
	_ = r.Add(&a)
	_ = r.Add(&b)
	res := r.Result()
	fmt.Println("renewal rate:", res.RenewalRate)
	rev := res.Revenue[0]
	grr, _ := rev.GRR()
	nrr, _ := rev.NRR()
	fmt.Printf("start %s, expansion %s, churn %s: GRR %.1f%%, NRR %.1f%%\n", rev.Start, rev.Expansion, rev.Churn, 100*grr, 100*nrr)
	// Output:
	// renewal rate: 50.00% (1/2)
	// start 22000.00 USD, expansion 3000.00 USD, churn 10000.00 USD: GRR 54.5%, NRR 68.2%
}
