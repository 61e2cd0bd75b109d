package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal/dealcsv"
)

// genRow is one generated opportunity.
type genRow struct {
	segment string
	outcome int // 0 won, 1 lost, 2 open
	opened  int // days after 2024-01-01
	cycle   int // days from opened to closed
	cents   int64
}

func reportOf(t *rapid.T, rows []genRow) *Report {
	var b strings.Builder
	b.WriteString("ID,Result,Start,End,Amount,Sector\n")
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, r := range rows {
		label, end := []string{"Closed Won", "Closed Lost", "Open"}[r.outcome], ""
		if r.outcome < 2 {
			end = base.AddDate(0, 0, r.opened+r.cycle).Format("1/2/2006")
		}
		fmt.Fprintf(&b, "X%d,%s,%s,%s,%s,%s\n", i, label, base.AddDate(0, 0, r.opened).Format(time.DateOnly), end, decimal.New(r.cents, -2).StringFixed(2), r.segment)
	}
	res, err := dealcsv.Read(strings.NewReader(b.String()), snapshotMapping("EUR", "closed won", "closed lost"), dealcsv.Options{})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("Snapshot: %v %v", err, res.Problems)
	}
	rep, refused, err := compute(res, computeOptions{Currency: "EUR"})
	if err != nil || len(refused) > 0 {
		t.Fatalf("compute: %v %v", err, refused)
	}
	return rep
}

func round(v float64, places float64) *float64 {
	p := math.Pow(10, places)
	v = math.Round(v*p) / p
	return &v
}

func median(xs []int) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return round(float64(xs[n/2]), 2)
	}
	return round(float64(xs[n/2-1]+xs[n/2])/2, 2)
}

func eq(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// TestReportProperties checks the report's promises on random exports:
// the counts add up, overall and per segment; the win rate is won over
// won and lost; the medians are the exact medians of the cycles; the won
// value is the exact sum; segments come sorted, a blank one as "(none)".
func TestReportProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rows := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) genRow {
			return genRow{
				segment: rapid.SampledFrom([]string{"", "beta", "alpha", "Gamma"}).Draw(t, "segment"),
				outcome: rapid.IntRange(0, 2).Draw(t, "outcome"),
				opened:  rapid.IntRange(0, 700).Draw(t, "opened"),
				cycle:   rapid.IntRange(0, 400).Draw(t, "cycle"),
				cents:   rapid.Int64Range(0, 1e9).Draw(t, "cents"),
			}
		}), 0, 60).Draw(t, "rows")
		rep := reportOf(t, rows)
		var won, lost int64
		var wonDays, lostDays []int
		sum := decimal.Zero
		type seg struct {
			deals, won, lost int64
			days             []int
			value            decimal.Decimal
		}
		segs := map[string]*seg{}
		for _, r := range rows {
			name := r.segment
			if name == "" {
				name = noSegment
			}
			s := segs[name]
			if s == nil {
				s = &seg{value: decimal.Zero}
				segs[name] = s
			}
			s.deals++
			switch r.outcome {
			case 0:
				won++
				s.won++
				wonDays = append(wonDays, r.cycle)
				s.days = append(s.days, r.cycle)
				sum = sum.Add(decimal.New(r.cents, -2))
				s.value = s.value.Add(decimal.New(r.cents, -2))
			case 1:
				lost++
				s.lost++
				lostDays = append(lostDays, r.cycle)
			}
		}
		if rep.Deals != int64(len(rows)) || rep.Won != won || rep.Lost != lost || rep.Open != rep.Deals-won-lost {
			t.Fatalf("counts: got deals %d won %d lost %d open %d; want %d %d %d", rep.Deals, rep.Won, rep.Lost, rep.Open, len(rows), won, lost)
		}
		var wantRate *float64
		if won+lost > 0 {
			wantRate = round(float64(won)/float64(won+lost), 4)
		}
		if !eq(rep.WinRate, wantRate) || !eq(rep.MedianCycleDaysWon, median(wonDays)) || !eq(rep.MedianCycleDaysLost, median(lostDays)) {
			t.Fatalf("win rate %v, medians %v %v; want %v, %v %v", ptr(rep.WinRate), ptr(rep.MedianCycleDaysWon), ptr(rep.MedianCycleDaysLost), ptr(wantRate), ptr(median(wonDays)), ptr(median(lostDays)))
		}
		if won > 0 && (!rep.WonValue.Amount.Equal(sum) || rep.WonValue.Currency != "EUR") {
			t.Fatalf("won value: got %v, want %s EUR", rep.WonValue, sum)
		}
		var names []string
		for _, s := range rep.Groupings[0].Segments {
			names = append(names, s.Segment)
			w := segs[s.Segment]
			if w == nil || s.Deals != w.deals || s.Won != w.won || s.Lost != w.lost || !eq(s.MedianCycleDaysWon, median(w.days)) {
				t.Fatalf("segment %q: got %+v, want %+v", s.Segment, s, w)
			}
			if w.won > 0 && !s.WonValue.Amount.Equal(w.value) {
				t.Fatalf("segment %q: won value %v, want %s", s.Segment, s.WonValue, w.value)
			}
		}
		if len(names) != len(segs) || !slices.IsSorted(names) {
			t.Fatalf("segments %q: want the %d segments sorted", names, len(segs))
		}
	})
}

func ptr(f *float64) string {
	if f == nil {
		return "nil"
	}
	return fmt.Sprint(*f)
}

// BenchmarkReport computes the report over an export already read: the
// metrics part of a run.
func BenchmarkReport(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 1_000
	}
	var sb strings.Builder
	sb.WriteString("ID,Result,Start,End,Amount,Sector\n")
	for i := 0; i < n; i++ {
		label, end := []string{"Won", "Lost", "Open"}[i%3], ""
		if i%3 < 2 {
			end = fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)
		}
		fmt.Fprintf(&sb, "X%d,%s,2024-%02d-%02d,%s,%d.50,s%d\n", i, label, 1+i%12, 1+i%28, end, i%5000, i%8)
	}
	res, err := dealcsv.Read(strings.NewReader(sb.String()), snapshotMapping("USD", "Won", "Lost"), dealcsv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, _, err := compute(res, computeOptions{Currency: "USD"})
		if err != nil || rep.Deals != int64(n) {
			b.Fatalf("got %v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/deal")
}

// snapshotMapping maps the generated export's columns.
func snapshotMapping(cur accord.Currency, won, lost string) *dealcsv.Mapping {
	return &dealcsv.Mapping{
		Columns: map[dealcsv.Field]string{
			dealcsv.FieldID: "ID", dealcsv.FieldStage: "Result", dealcsv.FieldOpened: "Start",
			dealcsv.FieldClosed: "End", dealcsv.FieldValue: "Amount", dealcsv.FieldSegment: "Sector",
		},
		WonValues: []string{won}, LostValues: []string{lost}, Currency: cur,
	}
}
