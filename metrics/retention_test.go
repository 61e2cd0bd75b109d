package metrics_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var (
	seller  = accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}
	leadA   = accord.Actor{ID: "u-9", Role: accord.RoleImplementationLead}
	buyer   = accord.Actor{ID: "c-1", Role: accord.RoleClient}
	finance = accord.Actor{ID: "u-4", Role: accord.RoleFinance}
)

// approved returns a client-approved scope of deal-1 and the won deal.
func wonWithScope(price int64) (*deal.Deal, *scope.SOW) {
	at := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	d := &deal.Deal{ID: "deal-1", Account: "Northwind", Owner: seller.ID, Stage: deal.StageHandoff, StageEnteredAt: at, History: []deal.Event{
		{Kind: deal.EventOpen, To: deal.StageTargeting, At: at, By: seller},
	}}
	stages := deal.Default().Stages()
	for i := 1; stages[i-1].ID != deal.StageHandoff; i++ {
		kind := deal.EventAdvance
		if stages[i].ID == deal.StageHandoff {
			kind = deal.EventWon
		}
		d.History = append(d.History, deal.Event{Kind: kind, From: stages[i-1].ID, To: stages[i].ID, At: at, By: seller})
	}
	d.Version = len(d.History) - 1
	s := &scope.SOW{
		ID: "sow-1", DealID: "deal-1", Start: at,
		Requirements: []scope.Requirement{{ID: "R1", Title: "one pipeline", Kind: scope.KindFutureState, Priority: scope.Must, Source: scope.Source{Name: "Dana", At: at}}},
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Pipeline"}},
		Price:        accord.Money{Amount: decimal.NewFromInt(price), Currency: "USD"},
		Steps:        []scope.Step{{ID: "configure", Days: 2, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure, Requirements: []string{"R1"}, Effort: decimal.NewFromInt(8), Owner: "consultant"}},
	}
	for _, err := range []error{s.Open(seller, at), s.Submit(accord.Calendar{}, seller, at), s.ApproveAsLead(leadReview(s), leadA, at), s.ApproveAsClient(1, buyer, at)} {
		if err != nil {
			panic(err)
		}
	}
	// The deal closed on this revision, as deal.Process.Close records it.
	d.History[len(d.History)-1].Scope = &deal.ScopeRevision{ID: s.ID, Revision: s.Review.Revision, Digest: s.Review.Digest}
	return d, s
}

type fataler interface{ Fatalf(string, ...any) }

func mkContract(t fataler, id string, start accord.Date, months int, b contract.Billing, c contract.Commitment, value int64, auto bool) contract.Contract {
	// The term's value is the price the client approved: the scope's.
	d, s := wonWithScope(value)
	ctr, err := contract.New(contract.Signing{Process: deal.Default(), Deal: d, Scope: s}, contract.Agreement{
		ID: id, Vendor: contract.Party{Name: "Accord"}, Start: start, Months: months,
		Billing: b, Commitment: c, AutoRenew: auto,
	}, seller, start.AddDays(-20).In(time.UTC))
	if err != nil {
		t.Fatalf("contract %s: %v", id, err)
	}
	return ctr
}

func on(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }

func usdInt(n int64) accord.Money {
	return accord.Money{Amount: decimal.NewFromInt(n), Currency: "USD"}
}

func ok(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestRetention(t *testing.T) {
	const annual, monthly, oneOff = contract.BillingAnnual, contract.BillingMonthly, contract.BillingOneOff
	a := mkContract(t, "A", accord.MakeDate(2026, 3, 1), 12, annual, contract.CommitTerm, 12000, false)
	ok(t, a.Renew(12, usdInt(15000), seller, on(2027, 2, 10)))

	b := mkContract(t, "B", accord.MakeDate(2026, 6, 1), 24, monthly, contract.CommitMultiYear, 24000, false)
	b.WonAt, b.GoLiveAt, b.Scope.Finish = on(2026, 5, 12), on(2027, 1, 15), accord.MakeDate(2027, 1, 20)
	ok(t, b.Move(contract.StatusActive, "live", leadA, on(2027, 1, 15)), b.Churn(contract.ChurnPrice, "", seller, on(2027, 5, 10)))

	c := mkContract(t, "C", accord.MakeDate(2026, 9, 15), 12, annual, contract.CommitTerm, 6000, false)
	ok(t, c.Renew(12, usdInt(4000), seller, on(2027, 9, 1)))

	d := mkContract(t, "D", accord.MakeDate(2027, 2, 1), 12, annual, contract.CommitTerm, 5000, false)
	d.WonAt, d.GoLiveAt, d.Scope.Finish = on(2027, 1, 20), on(2027, 2, 20), accord.MakeDate(2027, 2, 15)
	ok(t, d.RecordPayment("inv-1", usdInt(5000), finance, on(2027, 2, 1)))
	_, err := d.RequestRefund("", buyer, on(2027, 3, 5))
	ok(t, err)

	e := mkContract(t, "E", accord.MakeDate(2026, 2, 1), 12, oneOff, contract.CommitMonthToMonth, 3000, false)
	e.GoLiveAt = on(2026, 3, 1)
	ok(t, e.Move(contract.StatusActive, "live", leadA, on(2026, 3, 1)), e.Move(contract.StatusLapsed, "no renewal", seller, on(2027, 2, 5)))

	f := mkContract(t, "F", accord.MakeDate(2026, 1, 10), 12, annual, contract.CommitMultiYear, 9000, true)
	ok(t, f.AutoRenewal(seller, on(2027, 1, 10)))

	// G was refunded before the period. Its term was due in it: it counts
	// as due and refunded, and in no other figure.
	g := mkContract(t, "G", accord.MakeDate(2026, 1, 10), 12, annual, contract.CommitTerm, 1000, false)
	_, err = g.RequestRefund("", buyer, on(2026, 6, 1))
	ok(t, err)

	r, err := metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2027, 1, 1), To: accord.MakeDate(2028, 1, 1), Percentiles: []int{90}})
	ok(t, err)
	for _, x := range []*contract.Contract{&a, &b, &c, &d, &e, &f, &g} {
		ok(t, r.Add(x))
	}
	bad := a
	bad.Status = "gone"
	if err := r.Add(&bad); err == nil {
		t.Error("an invalid contract was accepted")
	}
	got := r.Result()

	days := func(n int64) *time.Duration { v := time.Duration(n) * 24 * time.Hour; return &v }
	want := metrics.RetentionResult{
		From: accord.MakeDate(2027, 1, 1), To: accord.MakeDate(2028, 1, 1), Contracts: 7, Rejected: 1,
		Renewals:    metrics.RenewalCounts{Due: 5, Renewed: 2, AutoRenewed: 1, Refunded: 1, Lapsed: 1},
		RenewalRate: metrics.Rate{Num: 3, Den: 5}, ChurnRate: metrics.Rate{Num: 2, Den: 5},
		ByCommitment: []metrics.RenewalGroup{
			{Commitment: contract.CommitMonthToMonth, RenewalCounts: metrics.RenewalCounts{Due: 1, Lapsed: 1}, RenewalRate: metrics.Rate{Num: 0, Den: 1}, ChurnRate: metrics.Rate{Num: 1, Den: 1}},
			{Commitment: contract.CommitMultiYear, RenewalCounts: metrics.RenewalCounts{Due: 1, AutoRenewed: 1}, RenewalRate: metrics.Rate{Num: 1, Den: 1}, ChurnRate: metrics.Rate{Num: 0, Den: 1}},
			{Commitment: contract.CommitTerm, RenewalCounts: metrics.RenewalCounts{Due: 3, Renewed: 2, Refunded: 1}, RenewalRate: metrics.Rate{Num: 2, Den: 3}, ChurnRate: metrics.Rate{Num: 1, Den: 3}},
		},
		ByTerm: []metrics.RenewalGroup{
			{Months: 12, RenewalCounts: metrics.RenewalCounts{Due: 5, Renewed: 2, AutoRenewed: 1, Refunded: 1, Lapsed: 1}, RenewalRate: metrics.Rate{Num: 3, Den: 5}, ChurnRate: metrics.Rate{Num: 2, Den: 5}},
		},
		Revenue: []metrics.RevenueRetention{{
			Currency: "USD", Contracts: 4,
			Start: usdInt(39000), Expansion: usdInt(3000), Contraction: usdInt(2000), Churn: usdInt(12000), End: usdInt(28000),
		}},
		RefundRate: metrics.Rate{Num: 1, Den: 6},
		TimeToLive: metrics.Distribution{Count: 2, Median: ptr(time.Duration((248+31)*12) * time.Hour), Percentiles: []metrics.Percentile{{P: 90, Value: 31*24*time.Hour + 217*24*time.Hour*9/10}}},
		Slippage:   metrics.Slippage{Late: metrics.Rate{Num: 1, Den: 2}, LateBy: metrics.Distribution{Count: 1, Median: days(5), Percentiles: []metrics.Percentile{{P: 90, Value: *days(5)}}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	grr, _ := got.Revenue[0].GRR()
	nrr, _ := got.Revenue[0].NRR()
	// The quotients are exact decimals to 12 places, then floats.
	if math.Abs(grr-25000.0/39000) > 1e-12 || math.Abs(nrr-28000.0/39000) > 1e-12 {
		t.Errorf("GRR %v, NRR %v; want %v, %v", grr, nrr, 25000.0/39000, 28000.0/39000)
	}
}

func TestRetentionOptions(t *testing.T) {
	_, err := metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2027, 1, 1), To: accord.MakeDate(2027, 1, 1), Percentiles: []int{101}})
	if got := calctest.FieldsOf(err); !cmp.Equal(got, []string{"to", "percentiles[0]"}) {
		t.Errorf("fields %v; want [to percentiles[0]]", got)
	}
	var r *metrics.Retention
	if err := r.Add(nil); err == nil {
		t.Error("a nil Retention accepted a contract")
	}
	empty, _ := metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2027, 1, 1), To: accord.MakeDate(2028, 1, 1)})
	res := empty.Result()
	if _, ok := res.RenewalRate.Value(); ok || res.TimeToLive.Median != nil || len(res.Revenue) != 0 {
		t.Errorf("an empty retention reports figures: %+v", res)
	}
	other, _ := metrics.NewRetention(metrics.RetentionOptions{From: accord.MakeDate(2026, 1, 1), To: accord.MakeDate(2028, 1, 1)})
	if err := empty.Merge(other); err == nil {
		t.Error("merging another period succeeded")
	}
}

// genContract draws a contract and drives it through random renewals,
// churns, refunds, go-lives and lapses over a few years.
func genContract(id string) *rapid.Generator[contract.Contract] {
	return rapid.Custom(func(t *rapid.T) contract.Contract {
		start := accord.MakeDate(2024, time.Month(rapid.IntRange(1, 12).Draw(t, "month")), rapid.IntRange(1, 31).Draw(t, "day"))
		c := mkContract(t, id, start, rapid.SampledFrom([]int{1, 6, 12, 24, 36}).Draw(t, "months"),
			rapid.SampledFrom([]contract.Billing{contract.BillingAnnual, contract.BillingMonthly, contract.BillingOneOff}).Draw(t, "billing"),
			rapid.SampledFrom([]contract.Commitment{contract.CommitTerm, contract.CommitMonthToMonth, contract.CommitMultiYear}).Draw(t, "commitment"),
			rapid.Int64Range(0, 100000).Draw(t, "value"), rapid.Bool().Draw(t, "auto"))
		c.WonAt = start.AddDays(-rapid.IntRange(0, 90).Draw(t, "won_before")).In(time.UTC)
		if rapid.Bool().Draw(t, "finish") {
			c.Scope.Finish = start.AddDays(rapid.IntRange(0, 60).Draw(t, "finish_days"))
		}
		now := start.In(time.UTC)
		for range rapid.IntRange(0, 8).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.IntRange(1, 400).Draw(t, "days")) * 24 * time.Hour)
			switch rapid.IntRange(0, 5).Draw(t, "action") {
			case 0:
				_ = c.Renew(rapid.SampledFrom([]int{6, 12, 24}).Draw(t, "new_months"), usdInt(rapid.Int64Range(0, 100000).Draw(t, "new_value")), seller, now)
			case 1:
				_ = c.AutoRenewal(seller, now)
			case 2:
				_ = c.Churn(contract.ChurnBudget, "", seller, now)
			case 3:
				_, _ = c.RequestRefund("", buyer, now)
			case 4:
				c.GoLiveAt = now
				_ = c.Move(contract.StatusActive, "live", leadA, now)
			case 5:
				_ = c.Move(contract.StatusLapsed, "ended", seller, now)
			}
		}
		return c
	})
}

// TestRetentionProperties: merging the accumulators of any split equals one
// accumulator fed everything, in any order; every numerator is at most its
// denominator; the outcomes add up to the due terms; start + expansion −
// contraction − churn = end; and the medians match a sorted brute force.
func TestRetentionProperties(t *testing.T) {
	opts := metrics.RetentionOptions{From: accord.MakeDate(2025, 1, 1), To: accord.MakeDate(2026, 7, 1), Percentiles: []int{25, 90}}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		cs := make([]contract.Contract, n)
		for i := range cs {
			cs[i] = genContract("c").Draw(t, "contract")
		}
		whole, _ := metrics.NewRetention(opts)
		for i := range cs {
			if err := whole.Add(&cs[i]); err != nil {
				t.Fatalf("a generated contract was refused: %v", err)
			}
		}
		split := rapid.IntRange(0, n).Draw(t, "split")
		left, _ := metrics.NewRetention(opts)
		right, _ := metrics.NewRetention(opts)
		for i := range cs {
			if i < split {
				_ = left.Add(&cs[i])
			} else {
				_ = right.Add(&cs[i])
			}
		}
		if err := right.Merge(left); err != nil {
			t.Fatal(err)
		}
		want := whole.Result()
		if diff := cmp.Diff(want, right.Result()); diff != "" {
			t.Fatalf("merged split differs (-whole +merged):\n%s", diff)
		}
		self, _ := metrics.NewRetention(opts)
		for i := range cs {
			_ = self.Add(&cs[i])
		}
		_ = self.Merge(self)
		double, _ := metrics.NewRetention(opts)
		for range 2 {
			for i := range cs {
				_ = double.Add(&cs[i])
			}
		}
		if diff := cmp.Diff(double.Result(), self.Result()); diff != "" {
			t.Fatalf("merging with itself differs from adding twice:\n%s", diff)
		}

		rc := want.Renewals
		if rc.Due != rc.Renewed+rc.AutoRenewed+rc.Churned+rc.Refunded+rc.Lapsed+rc.Pending {
			t.Fatalf("outcomes do not add up: %+v", rc)
		}
		for _, r := range []metrics.Rate{want.RenewalRate, want.ChurnRate, want.RefundRate, want.Slippage.Late} {
			if r.Num < 0 || r.Num > r.Den {
				t.Fatalf("rate %v out of range", r)
			}
		}
		for _, v := range want.Revenue {
			got := v.Start.Amount.Add(v.Expansion.Amount).Sub(v.Contraction.Amount).Sub(v.Churn.Amount)
			if !got.Equal(v.End.Amount) {
				t.Fatalf("start + expansion − contraction − churn = %s; end %s", got, v.End.Amount)
			}
		}

		// Brute force: the time to live of the contracts live in the period.
		var ttl []time.Duration
		for _, c := range cs {
			live := accord.DateOf(c.GoLiveAt)
			if c.GoLiveAt.IsZero() || live.Before(opts.From) || !live.Before(opts.To) || c.GoLiveAt.Before(c.WonAt) {
				continue
			}
			ttl = append(ttl, c.GoLiveAt.Sub(c.WonAt).Truncate(time.Minute))
		}
		slices.Sort(ttl)
		if got := want.TimeToLive; got.Count != int64(len(ttl)) || (len(ttl) > 0 && *got.Median != median(ttl)) {
			t.Fatalf("time to live %+v; brute force %v", got, ttl)
		}

		if back := jsontest.Copy(t, want); !cmp.Equal(want, back) {
			t.Fatalf("JSON round trip:\n%s", cmp.Diff(want, back))
		}
	})
}

func median(xs []time.Duration) time.Duration {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// leadReview is an implementation lead's review of the current revision of
// s under the default calendar, against a team with ample hours for every
// owner role of its sequence: these tests are about what the approvals
// unlock, not about feasibility.
func leadReview(s *scope.SOW) scope.LeadReview {
	team := scope.Capacity{PerRole: map[string]decimal.Decimal{}}
	for _, st := range s.Steps {
		team.PerRole[st.Owner] = decimal.NewFromInt(1000)
	}
	return scope.LeadReview{Revision: s.Review.Revision, Capacity: team}
}
