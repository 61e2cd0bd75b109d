package scope

import (
	"math"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestTimeline(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	day := func(m time.Month, d int) accord.Date { return accord.MakeDate(2026, m, d) }
	tl := newTimeline(accord.Calendar{Holidays: []accord.Date{day(3, 4)}}, start)
	for i, want := range []accord.Date{day(3, 2), day(3, 3), day(3, 5), day(3, 6), day(3, 9)} {
		if got, ok := tl.date(i); !ok || got != want {
			t.Errorf("date(%d) = %s, %v; want %s", i, got, ok, want)
		}
	}
	for _, tt := range []struct {
		day accord.Date
		i   int
		why string
	}{
		{day(3, 2), 0, ""},
		{day(3, 9), 4, ""},
		{day(3, 20), 13, ""}, // beyond the days computed so far
		{day(2, 27), 0, "is before the start"},
		{day(3, 4), 0, "falls on a holiday"},
		{day(3, 7), 0, "falls on a non-working day (Saturday)"},
		{day(3, 2).AddDays(MaxWorkingDays*7/5 + 10), 0, "is more than 2600 working days after the start"},
	} {
		i, why := tl.index(tt.day)
		if i != tt.i || why != tt.why {
			t.Errorf("index(%s) = %d, %q; want %d, %q", tt.day, i, why, tt.i, tt.why)
		}
	}
	if _, ok := tl.date(MaxWorkingDays - 1); !ok {
		t.Error("the last working day within the bound")
	}
	if len(tl.days) != MaxWorkingDays {
		t.Errorf("the timeline holds %d days, want at most the bound", len(tl.days))
	}
	for _, i := range []int{-1, MaxWorkingDays, math.MaxInt} {
		if _, ok := tl.date(i); ok {
			t.Errorf("date(%d) is beyond the bound", i)
		}
	}

	// A start on a Saturday: working day 0 is the Monday after it.
	sat := newTimeline(accord.Calendar{}, time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC))
	if got, _ := sat.date(0); got != day(3, 9) {
		t.Errorf("a Saturday start: day 0 is %s", got)
	}
	// No working day at all.
	none := newTimeline(accord.Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}, start)
	if _, ok := none.date(0); ok {
		t.Error("a calendar with no working day has a day 0")
	}
	// Holidays covering more than a year end the timeline.
	var holidays []accord.Date
	for d := range 400 {
		holidays = append(holidays, day(3, 10+d))
	}
	blocked := newTimeline(accord.Calendar{Holidays: holidays}, start)
	if got, ok := blocked.date(5); !ok || got != day(3, 9) {
		t.Errorf("a year of holidays: the last day before them is %s", got)
	}
	if got, ok := blocked.date(6); ok || len(blocked.days) != 6 {
		t.Errorf("a year of holidays: %s, %v, %d days", got, ok, len(blocked.days))
	}
	// Midnight in the location, and the start read there.
	berlin := time.FixedZone("CET", 3600)
	tl = newTimeline(accord.Calendar{Location: berlin}, start)
	if got := tl.time(day(3, 2)); got != time.Date(2026, 3, 2, 0, 0, 0, 0, berlin) {
		t.Errorf("time: %s", got)
	}
	if tl.start != day(3, 2) {
		t.Errorf("00:00 UTC on 2 March starts on %s in Berlin", tl.start)
	}
}

// TestHundredths checks the conversion of hours to hundredths against
// decimal arithmetic, on both its int64 path and its big-number path.
func TestHundredths(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"12.5", 1250, true}, {"12.500", 1250, true}, {"0.01", 1, true}, {"1000000", 100000000, true},
		{"1000000.00", 100000000, true}, {"1000000.01", 0, false}, {"0.001", 0, false}, {"-0.01", 0, false},
		{"1e6", 100000000, true}, {"1e7", 0, false}, {"12345678901234567.89", 0, false}, {"0.0000000000000000000000001", 0, false},
		{"12345678000000000000e-14", 12345678, true}, {"123456789012345678900e-15", 0, false}, {"1000000.00000000000000000000", 100000000, true},
	} {
		got, ok := hundredths(decimal.RequireFromString(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("hundredths(%s) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		var d decimal.Decimal
		if rapid.Bool().Draw(t, "big") {
			d = decimal.New(rapid.Int64().Draw(t, "coef"), int32(rapid.IntRange(-45, 12).Draw(t, "exp")))
		} else {
			d = decimal.New(rapid.Int64Range(-10, 1e10).Draw(t, "coef"), int32(rapid.IntRange(-12, 8).Draw(t, "exp")))
		}
		got, ok := hundredths(d)
		c := d.Shift(2)
		want := d.Sign() >= 0 && d.Exponent() >= -40 && d.Exponent() <= 10 &&
			!d.GreaterThan(decimal.NewFromInt(maxEffort)) && c.Equal(c.Truncate(0))
		if d.IsZero() {
			want = true
		}
		if ok != want || ok && got != c.IntPart() {
			t.Fatalf("hundredths(%s) = %d, %v; want %v (%s)", d, got, ok, want, c)
		}
	})
}
