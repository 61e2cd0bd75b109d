package contract_test

import (
	"cmp"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
)

// benchContracts returns n contracts with starts spread over three years
// and terms of 12, 24 or 36 months, about 1 in 12 in its window on the
// benchmark's day.
func benchContracts(b *testing.B, n int) []contract.Contract {
	b.Helper()
	base := newContract()
	out := make([]contract.Contract, n)
	for i := range out {
		c := base
		c.ID = "ctr-" + string(rune('a'+i%26))
		c.Since = accord.MakeDate(2024, 1, 1).AddDays(i % 1095)
		months := 12 * (1 + i%3)
		c.Term = contract.Term{Start: c.Since, Months: months, Renewal: c.Since.AddMonths(months), End: c.Since.AddMonths(months).AddDays(-1), Value: base.Term.Value}
		c.Status = contract.StatusActive
		out[i] = c
	}
	return out
}

func benchN() int {
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

var benchNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// BenchmarkDue: the daily renewal-alert job over a book of contracts.
func BenchmarkDue(b *testing.B) {
	cs := benchContracts(b, benchN())
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	for b.Loop() {
		n = len(contract.Due(cs, benchNow))
	}
	b.ReportMetric(float64(n), "alerts")
}

// BenchmarkDueTimeTime is the loop a host would otherwise write over the
// same contracts with time.Time dates in the caller's location: the window
// start and notice deadline by AddDate, the days left by dividing a
// duration, rounded because days across a daylight-saving change are not
// 24 hours long. The end dates are converted outside the timer, as if the
// host stored them as time.Time.
func BenchmarkDueTimeTime(b *testing.B) {
	cs := benchContracts(b, benchN())
	loc := time.UTC
	ends := make([]time.Time, len(cs))
	for i := range cs {
		ends[i] = cs[i].Term.End.In(loc)
	}
	type alert struct {
		contract, dealID, owner, client string
		end                             time.Time
		daysLeft, noticeLeft            int
		deadline                        time.Time
		autoRenew                       bool
		value                           accord.Money
	}
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	for b.Loop() {
		y, m, d := benchNow.In(loc).Date()
		today := time.Date(y, m, d, 0, 0, 0, 0, loc)
		var out []alert
		for i := range cs {
			c := &cs[i]
			switch c.Status {
			case contract.StatusLapsed, contract.StatusChurned, contract.StatusRefunded:
				continue
			}
			end := ends[i]
			if today.Before(end.AddDate(0, 0, -c.WindowDays)) || today.After(end) {
				continue
			}
			deadline := end.AddDate(0, 0, -c.NoticeDays)
			out = append(out, alert{
				contract: c.ID, dealID: c.DealID, owner: c.Owner, client: c.Client.Name, end: end,
				daysLeft:   int(math.Round(end.Sub(today).Hours() / 24)),
				noticeLeft: int(math.Round(deadline.Sub(today).Hours() / 24)),
				deadline:   deadline, autoRenew: c.AutoRenew, value: c.Term.Value,
			})
		}
		slices.SortStableFunc(out, func(a, b alert) int {
			return cmp.Or(cmp.Compare(a.daysLeft, b.daysLeft), cmp.Compare(a.contract, b.contract))
		})
		n = len(out)
	}
	b.ReportMetric(float64(n), "alerts")
}

// BenchmarkNew: creating a contract from a deal and its scope, which
// checks the scope's approvals (and so its content digest).
func BenchmarkNew(b *testing.B) {
	d, s, tm := wonDeal(), approvedSOW(), terms()
	// New records the contract on the deal; each iteration starts from the
	// deal as it was (a clipped history, so the append never writes into it).
	history, version := slices.Clip(d.History), d.Version
	b.ReportAllocs()
	for b.Loop() {
		d.History, d.Version, d.ContractID = history, version, ""
		if _, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: s}, tm, rep, created); err != nil {
			b.Fatal(err)
		}
	}
}
