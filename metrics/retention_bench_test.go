package metrics_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/metrics"
)

// BenchmarkRetention: the retention report of a year over a book of
// contracts with a history of renewals, churns and refunds. The contracts
// are built once, outside the timer.
func BenchmarkRetention(b *testing.B) {
	n := benchSize(20_000, 500)
	base := make([]contract.Contract, 64)
	for i := range base {
		start := accord.MakeDate(2024, time.Month(1+i%12), 1+i%28)
		c := mkContract(b, "c", start, []int{12, 24, 36}[i%3], []contract.Billing{contract.BillingAnnual, contract.BillingMonthly}[i%2], contract.CommitTerm, int64(1000*(1+i%40)), i%4 == 0)
		c.GoLiveAt = start.AddDays(20 + i%30).In(time.UTC)
		_ = c.Move(contract.StatusActive, "live", leadA, c.GoLiveAt)
		switch i % 5 {
		case 0:
			_ = c.Renew(12, usdInt(int64(1200*(1+i%40))), seller, c.Term.End.In(time.UTC))
		case 1:
			_ = c.Churn(contract.ChurnPrice, "", seller, c.Term.End.AddDays(-10).In(time.UTC))
		case 2:
			_ = c.AutoRenewal(seller, c.Term.Renewal.In(time.UTC))
		case 3:
			_, _ = c.RequestRefund("", buyer, c.GoLiveAt.Add(24*time.Hour))
		}
		base[i] = c
	}
	cs := make([]contract.Contract, n)
	for i := range cs {
		cs[i] = base[i%len(base)]
	}
	opts := metrics.RetentionOptions{From: accord.MakeDate(2025, 1, 1), To: accord.MakeDate(2026, 1, 1), Percentiles: []int{90}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, _ := metrics.NewRetention(opts)
		for i := range cs {
			if err := r.Add(&cs[i]); err != nil {
				b.Fatal(err)
			}
		}
		_ = r.Result()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/contract")
}
