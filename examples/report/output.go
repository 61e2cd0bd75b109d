package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics"
)

// bar is one bar of a chart: a label and a count.
type bar struct {
	Label string
	N     int64
}

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

// money formats m as "1200.50 USD", or "n/a" when unset.
func money(m accord.Money) string {
	if !m.IsSet() {
		return "n/a"
	}
	return m.String()
}

// writeTable writes r as aligned text: the totals, then one row per
// segment, then, for an event log, one row per stage.
func writeTable(w io.Writer, r *Report, by string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Deals\t%d (won %d, lost %d, open %d)\n", r.Deals, r.Won, r.Lost, r.Open)
	fmt.Fprintf(tw, "Win rate\t%s\n", rate(r.winRate))
	fmt.Fprintf(tw, "Median cycle, won\t%s\n", dayText(r.MedianCycleDaysWon))
	fmt.Fprintf(tw, "Median cycle, lost\t%s\n", dayText(r.MedianCycleDaysLost))
	fmt.Fprintf(tw, "Won value\t%s\n", money(r.WonValue))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tdeals\twon\tlost\twin rate\tmedian cycle won\twon value\n", by)
	for _, s := range r.Segments {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", s.Segment, s.Deals, s.Won, s.Lost, rate(s.winRate), dayText(s.MedianCycleDaysWon), money(s.WonValue))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Stages) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "stage\tentered\tnow\tto next stage\tmedian time in stage\n")
	for _, s := range r.Stages {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", s.Stage, s.Entered, s.Current, rate(s.conversion), dayText(s.MedianDaysInStage))
	}
	return tw.Flush()
}
