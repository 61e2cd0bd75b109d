package metrics_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/metrics"
)

// Two customers: one gave a case study and a referral; the other was
// refunded and still referred a prospect, an ambassador of the guarantee.
func ExampleNewReferences() {
	r, _ := metrics.NewReferences(metrics.ReferenceOptions{Location: time.UTC})
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	happy := mkContract(fatal{}, "ctr-1", accord.MakeDate(2025, 1, 6), 12, contract.BillingAnnual, contract.CommitTerm, 48000, false)
	_ = happy.RecordConsent([]contract.ReferenceKind{contract.ReferenceCaseStudy}, "Dana Ruiz", buyer, at)
	_ = happy.RecordReference(contract.ReferenceCaseStudy, "Dana Ruiz", "", "", seller, at)
	_ = happy.RecordReference(contract.ReferenceReferral, "Dana Ruiz", "acc-31", "", seller, at)
	refunded := mkContract(fatal{}, "ctr-2", accord.MakeDate(2025, 1, 6), 12, contract.BillingAnnual, contract.CommitTerm, 12000, false)
	_, _ = refunded.RequestRefund("not for us", buyer, at)
	_ = refunded.RecordReference(contract.ReferenceReferral, "Eli Moss", "acc-32", "", seller, at.Add(time.Hour))
	for _, c := range []*contract.Contract{&happy, &refunded} {
		if err := r.Add(c); err != nil {
			fmt.Println(err)
		}
	}
	res := r.Result()
	fmt.Println("references:", res.References)
	fmt.Println("referrals from customers:", res.FromCustomers, "from ambassadors:", res.FromAmbassadors)
	for _, g := range res.Cohorts {
		fmt.Println(g.Cohort, "referrals per customer:", g.PerCustomer)
	}
	fmt.Println("ambassador rate:", res.Ambassadors)
	// Output:
	// references: 100.00% (2/2)
	// referrals from customers: 1 from ambassadors: 1
	// 2025-Q1 referrals per customer: 1.00 (2/2)
	// ambassador rate: 100.00% (1/1)
}

// fatal panics: examples have no *testing.T.
type fatal struct{}

func (fatal) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
