package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/examples/report/chart"
	"github.com/accordhq/accord/metrics"
)

// writeJSON writes r as indented JSON.
func writeJSON(w io.Writer, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// rate formats a rate as "57.14% (12/21)", or "n/a (0/0)" when undefined.
func rate(r metrics.Rate) string {
	if _, ok := r.Value(); !ok {
		return fmt.Sprintf("n/a (%d/%d)", r.Num, r.Den)
	}
	return r.String()
}

// dayText formats days as "41.50 days", or "n/a".
func dayText(d *float64) string {
	if d == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f days", *d)
}

// money formats m as "$1,200.50", or "n/a" when unset.
func money(m accord.Money) string {
	if !m.IsSet() {
		return "n/a"
	}
	return chart.Money(m)
}

// perDay formats a velocity as "$1,234.56/day", or "n/a".
func perDay(m *accord.Money) string {
	if m == nil {
		return "n/a"
	}
	return chart.Money(*m) + "/day"
}

// count formats n with thousands separators.
func count(n int64) string { return chart.Int(n) }

// pct formats an optional share as "12.3%", or "n/a".
func pct(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return chart.Percent(*v)
}

// table writes rows as aligned columns, the first row the header.
func table(w io.Writer, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		for i, cell := range row {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, cell)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// summaryRows are the headline figures, as label and value.
func summaryRows(r *Report) [][]string {
	rows := [][]string{
		{"Deals", fmt.Sprintf("%s (won %s, lost %s, open %s)", count(r.Deals), count(r.Won), count(r.Lost), count(r.Open))},
		{"Win rate", rate(r.winRate)},
		{"Median cycle, won", dayText(r.MedianCycleDaysWon)},
		{"Median cycle, lost", dayText(r.MedianCycleDaysLost)},
		{"Won value", money(r.WonValue)},
		{"Open pipeline", fmt.Sprintf("%s, weighted %s (%s open deals without a value)", money(r.OpenValue), money(r.WeightedValue), count(r.Unvalued))},
		{"Sales velocity", perDay(r.VelocityPerDay)},
		{"Reversion", rate(r.reversion) + " of deals moved back a stage"},
		{"Period-end clustering", fmt.Sprintf("%s of wins in the last %d days of their quarter (about 15%% if spread evenly)", rate(r.periodEnd), periodEndDays)},
		{"Lost after the win", count(r.LostAfterWin) + " (counted as won above)"},
	}
	if r.OtherCurrency > 0 {
		rows = append(rows, []string{"Other currencies", fmt.Sprintf("%s deals valued in a currency other than %s are left out of the sums", count(r.OtherCurrency), r.currency)})
	}
	return rows
}

// stageRows are the figures of each stage, with a header.
func stageRows(r *Report) [][]string {
	rows := [][]string{{"stage", "entered", "reached", "now", "to next stage", "onward", "median time in stage", "win probability", "lost after win"}}
	for _, s := range r.Stages {
		rows = append(rows, []string{s.Name, count(s.Entered), count(s.Reached), count(s.Current), rate(s.conversion), rate(s.onward), dayText(s.MedianDaysInStage), pct(s.Probability), count(s.LostAfterWin)})
	}
	return rows
}

// segmentRows are the figures of each group of g, with a header.
func segmentRows(g Grouping) [][]string {
	rows := [][]string{{g.By, "deals", "open", "won", "lost", "win rate", "cycle won", "cycle lost", "won value", "open value", "velocity", "lost after win"}}
	for _, s := range g.Segments {
		rows = append(rows, []string{s.Segment, count(s.Deals), count(s.Open), count(s.Won), count(s.Lost), rate(s.winRate), dayText(s.MedianCycleDaysWon), dayText(s.MedianCycleDaysLost), money(s.WonValue), money(s.OpenValue), perDay(s.VelocityPerDay), count(s.LostAfterWin)})
	}
	return rows
}

// lossRows are the loss reasons by stage, with a header.
func lossRows(r *Report) [][]string {
	rows := [][]string{{"lost at", "reason", "deals"}}
	for _, l := range r.LossReasons {
		rows = append(rows, []string{l.Stage, l.Reason, count(l.Deals)})
	}
	return rows
}

// trendRows are the months of the trend, with a header.
func trendRows(r *Report) [][]string {
	rows := [][]string{{"month", "opened", "their win rate", "won", "lost", "win rate of the month's closes"}}
	for _, m := range r.Trend {
		rows = append(rows, []string{m.Month, count(m.Opened), rate(m.openedRate), count(m.Won), count(m.Lost), rate(m.closedRate)})
	}
	return rows
}

// retentionRows are the figures of the retention section, with a header.
func retentionRows(t *Retention) [][]string {
	if t.Snapshot {
		rows := [][]string{{"by", "group", "churned", "contracts", "churned share (snapshot)"}}
		for _, s := range t.Shares {
			rows = append(rows, []string{s.By, s.Group, chart.Int(int64(s.Churned)), chart.Int(int64(s.Contracts)), rate(s.rate)})
		}
		return rows
	}
	rows := [][]string{{"contract type", "terms due", "renewed", "churned", "renewal rate", "churn rate"}}
	for _, g := range t.ByCommitment {
		rows = append(rows, []string{g.Commitment, count(g.Due), count(g.Renewed), count(g.Churned), pct(g.RenewalRate), rate(g.churn)})
	}
	return rows
}

// writeTable writes r as aligned text: the headline figures, the stages,
// each grouping, the loss reasons, the trend, process consistency and the
// retention section.
func writeTable(w io.Writer, r *Report) error {
	sections := [][][]string{summaryRows(r), stageRows(r)}
	for _, g := range r.Groupings {
		sections = append(sections, segmentRows(g))
	}
	if len(r.LossReasons) > 0 {
		sections = append(sections, lossRows(r))
	}
	sections = append(sections, trendRows(r))
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := table(w, s); err != nil {
			return err
		}
	}
	if c := r.Consistency; c != nil {
		fmt.Fprintf(w, "\nProcess consistency (figures below %d%% marked !)\n", c.Target)
		if err := table(w, consistencyRows(c)); err != nil {
			return err
		}
		if len(c.Flags) > 0 {
			fmt.Fprintln(w)
			if err := table(w, consistencyFlagRows(c)); err != nil {
				return err
			}
		}
		fmt.Fprintln(w)
		for _, t := range consistencyText(c) {
			fmt.Fprintln(w, t)
		}
	}
	if t := r.Retention; t != nil {
		fmt.Fprintln(w)
		if t.Snapshot {
			fmt.Fprintf(w, "Retention: a snapshot of %s contracts (no dates): the share churned when the export was taken, not a rate over a period.\n", chart.Int(int64(t.Contracts)))
		} else {
			fmt.Fprintf(w, "Retention from %s to %s, %s of %s contracts: renewal rate %s, churn rate %s, refund rate %s\n",
				t.From, t.To, chart.Int(int64(t.Used)), chart.Int(int64(t.Contracts)), rate(t.renewal), rate(t.churn), pct(t.RefundRate))
			for _, v := range t.Revenue {
				fmt.Fprintf(w, "Revenue retention (%s, %s contracts): %s to %s, GRR %s, NRR %s\n", v.Currency, chart.Int(v.Contracts), money(v.Start), money(v.End), pct(v.GRR), pct(v.NRR))
			}
		}
		return table(w, retentionRows(t))
	}
	return nil
}
