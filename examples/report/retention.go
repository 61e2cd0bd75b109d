package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract/contractcsv"
	"github.com/accordhq/accord/metrics"
)

// Retention is the retention section of the report, from a contracts
// export: the retention metrics over a period when the export has start
// dates, or else the churned share at the time of the export (a snapshot).
type Retention struct {
	// Snapshot is true when the export has no dates: the figures are then
	// the shares of contracts churned when it was taken, not rates over a
	// period.
	Snapshot bool `json:"snapshot"`
	// Contracts counts the contracts read; Used those in the figures.
	Contracts int `json:"contracts"`
	Used      int `json:"used"`
	// From and To bound the period (dated exports only).
	From *accord.Date `json:"from,omitempty"`
	To   *accord.Date `json:"to,omitempty"`
	// RenewalRate and ChurnRate are over the terms due in the period;
	// ByCommitment groups them by contract type.
	RenewalRate  *float64        `json:"renewal_rate,omitempty"`
	ChurnRate    *float64        `json:"churn_rate,omitempty"`
	ByCommitment []RetentionRow  `json:"by_commitment,omitempty"`
	Revenue      []RevenueRow    `json:"revenue,omitempty"`
	RefundRate   *float64        `json:"refund_rate,omitempty"`
	Shares       []SnapshotShare `json:"snapshot_shares,omitempty"`

	renewal, churn metrics.Rate
}

// RetentionRow is the renewals of the terms of one contract type due in
// the period.
type RetentionRow struct {
	Commitment  string   `json:"commitment"`
	Due         int64    `json:"due"`
	Renewed     int64    `json:"renewed"`
	Churned     int64    `json:"churned"`
	RenewalRate *float64 `json:"renewal_rate"`
	ChurnRate   *float64 `json:"churn_rate"`

	churn metrics.Rate
}

// RevenueRow is the revenue retention of one currency's cohort.
type RevenueRow struct {
	Currency  string       `json:"currency"`
	Contracts int64        `json:"contracts"`
	Start     accord.Money `json:"start"`
	End       accord.Money `json:"end"`
	GRR       *float64     `json:"grr"`
	NRR       *float64     `json:"nrr"`
}

// SnapshotShare is the churned share of one group of a snapshot export.
type SnapshotShare struct {
	By        string   `json:"by"`
	Group     string   `json:"group"`
	Churned   int      `json:"churned"`
	Contracts int      `json:"contracts"`
	Share     *float64 `json:"share"`

	rate metrics.Rate
}

// retention reads the -contracts export and computes its section. Its
// refused rows are listed on stderr, like the deals'.
func (c *config) retention(stderr io.Writer) (*Retention, error) {
	data, err := os.ReadFile(c.contractsMap)
	if err != nil {
		return nil, fmt.Errorf("-contracts-map: %w", err)
	}
	m, err := contractcsv.Load(data)
	if err != nil {
		return nil, fmt.Errorf("-contracts-map %s: %w", c.contractsMap, err)
	}
	f, err := os.Open(c.contracts)
	if err != nil {
		return nil, fmt.Errorf("-contracts: %w", err)
	}
	defer f.Close()
	res, err := contractcsv.Read(f, m)
	if err != nil {
		return nil, fmt.Errorf("-contracts %s: %w", c.contracts, err)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "%s: %v\n", c.contracts, p)
	}
	fmt.Fprintf(stderr, "report: %s: %s\n", c.contracts, res.Summary)
	from, to, err := c.period(res.Records)
	if err != nil {
		return nil, err
	}
	return retentionOf(res, from, to, stderr)
}

// period returns the retention period: -from and -to, by default the
// twelve months up to the first of the month after the export's last date.
func (c *config) period(records []contractcsv.Record) (from, to accord.Date, err error) {
	parse := func(name, s string) (accord.Date, error) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return accord.Date{}, fmt.Errorf("-%s: must be a date such as 2024-01-01; got %q", name, s)
		}
		return accord.DateOf(t), nil
	}
	if c.to != "" {
		if to, err = parse("to", c.to); err != nil {
			return from, to, err
		}
	} else {
		var last accord.Date
		for _, r := range records {
			for _, d := range []accord.Date{r.Start, r.End} {
				if !d.IsZero() && d.After(last) {
					last = d
				}
			}
		}
		if !last.IsZero() {
			to = accord.MakeDate(last.Year, last.Month, 1).AddMonths(1)
		}
	}
	if c.from != "" {
		if from, err = parse("from", c.from); err != nil {
			return from, to, err
		}
	} else if !to.IsZero() {
		from = to.AddMonths(-12)
	}
	if !to.IsZero() && !from.Before(to) {
		return from, to, fmt.Errorf("-from %s must be before -to %s", from, to)
	}
	return from, to, nil
}

// retentionOf computes the section: the full retention metrics of the
// records with a start date, or the snapshot shares when none has one.
func retentionOf(res *contractcsv.Result, from, to accord.Date, stderr io.Writer) (*Retention, error) {
	out := &Retention{Contracts: len(res.Records)}
	dated := false
	for _, r := range res.Records {
		dated = dated || !r.Start.IsZero()
	}
	if !dated {
		out.Snapshot, out.Used = true, len(res.Records)
		add := func(by string, shares []contractcsv.Share) {
			for _, s := range shares {
				row := SnapshotShare{By: by, Group: s.Key, Churned: s.Churned, Contracts: s.Contracts, rate: metrics.Rate{Num: int64(s.Churned), Den: int64(s.Contracts)}}
				row.Share = share(row.rate)
				out.Shares = append(out.Shares, row)
			}
		}
		add("contract type", contractcsv.ChurnedShare(res.Records, func(r *contractcsv.Record) string { return commitmentName(contractcsv.ByCommitment(r)) }))
		for i, name := range res.Segments {
			add(name, contractcsv.ChurnedShare(res.Records, contractcsv.BySegment(i)))
		}
		return out, nil
	}
	ret, err := metrics.NewRetention(metrics.RetentionOptions{From: from, To: to})
	if err != nil {
		return nil, fmt.Errorf("retention period: %w", err)
	}
	asOf := to.AddDays(-1)
	for i := range res.Records {
		r := &res.Records[i]
		k, err := r.Contract(asOf)
		if err == nil {
			err = ret.Add(k)
		}
		if err != nil {
			fmt.Fprintf(stderr, "contracts: line %d: %v\n", r.Line, err)
			continue
		}
		out.Used++
	}
	rr := ret.Result()
	out.From, out.To = &rr.From, &rr.To
	out.renewal, out.churn = rr.RenewalRate, rr.ChurnRate
	out.RenewalRate, out.ChurnRate, out.RefundRate = share(rr.RenewalRate), share(rr.ChurnRate), share(rr.RefundRate)
	for _, g := range rr.ByCommitment {
		row := RetentionRow{Commitment: commitmentName(string(g.Commitment)), Due: g.Due, Renewed: g.Renewed + g.AutoRenewed, Churned: g.Churned + g.Refunded + g.Lapsed, churn: g.ChurnRate}
		row.RenewalRate, row.ChurnRate = share(g.RenewalRate), share(g.ChurnRate)
		out.ByCommitment = append(out.ByCommitment, row)
	}
	for _, v := range rr.Revenue {
		row := RevenueRow{Currency: string(v.Currency), Contracts: v.Contracts, Start: v.Start, End: v.End}
		if g, ok := v.GRR(); ok {
			row.GRR = round4(g)
		}
		if n, ok := v.NRR(); ok {
			row.NRR = round4(n)
		}
		out.Revenue = append(out.Revenue, row)
	}
	return out, nil
}

// round4 returns v rounded to 4 places.
func round4(v float64) *float64 {
	v = math.Round(v*1e4) / 1e4
	return &v
}

// commitmentName writes a contract commitment code for people.
func commitmentName(code string) string {
	switch code {
	case "month_to_month":
		return "month-to-month"
	case "term":
		return "term of a year or less"
	case "multi_year":
		return "multi-year"
	}
	return code
}
