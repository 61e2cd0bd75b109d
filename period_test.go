package accord_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/datetest"
	"pgregory.net/rapid"
)

// refPeriodIndex numbers the periods of n months of a fiscal year starting
// in fs (January when not a month): consecutive for consecutive periods.
func refPeriodIndex(d accord.Date, n int, fs time.Month) int {
	if fs < 1 || fs > 12 {
		fs = 1
	}
	months := d.Year*12 + int(d.Month) - int(fs) // months since a fiscal start
	if months < 0 {
		return -((-months + n - 1) / n)
	}
	return months / n
}

// refBounds walks day by day, at noon UTC, from d back and forth to the
// first and last day with the same period index.
func refBounds(d accord.Date, n int, fs time.Month) (first, last accord.Date) {
	at := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	idx := refPeriodIndex(d, n, fs)
	day := func(t time.Time) accord.Date { return accord.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()} }
	f, l := at, at
	for refPeriodIndex(day(f.Add(-24*time.Hour)), n, fs) == idx {
		f = f.Add(-24 * time.Hour)
	}
	for refPeriodIndex(day(l.Add(24*time.Hour)), n, fs) == idx {
		l = l.Add(24 * time.Hour)
	}
	return day(f), day(l)
}

// TestPeriodOf: for any day, period and fiscal year start (including values
// that are not a month, which mean January), Of, DaysLeft and InLast agree
// with a day-by-day walk.
func TestPeriodOf(t *testing.T) {
	months := map[accord.Period]int{accord.PeriodMonth: 1, accord.PeriodQuarter: 3, accord.PeriodYear: 12}
	rapid.Check(t, func(t *rapid.T) {
		d := datetest.Gen(1, 9998).Draw(t, "d")
		p := rapid.SampledFrom([]accord.Period{accord.PeriodMonth, accord.PeriodQuarter, accord.PeriodYear}).Draw(t, "period")
		fs := time.Month(rapid.IntRange(-1, 13).Draw(t, "fiscal_year_start"))
		first, last := p.Of(d, fs)
		wantFirst, wantLast := refBounds(d, months[p], fs)
		if first != wantFirst || last != wantLast {
			t.Fatalf("%s.Of(%s, %d) = %s, %s; want %s, %s", p, d, fs, first, last, wantFirst, wantLast)
		}
		left := p.DaysLeft(d, fs)
		if want := d.DaysUntil(wantLast) + 1; left != want {
			t.Fatalf("%s.DaysLeft(%s, %d) = %d; want %d", p, d, fs, left, want)
		}
		n := rapid.IntRange(-1, 400).Draw(t, "n")
		if got, want := p.InLast(d, n, fs), left <= n; got != want {
			t.Fatalf("%s.InLast(%s, %d, %d) = %v; want %v (%d days left)", p, d, n, fs, got, want, left)
		}
	})
}

func TestPeriod(t *testing.T) {
	d := accord.MakeDate
	for _, tt := range []struct {
		p           accord.Period
		day         accord.Date
		fs          time.Month
		first, last accord.Date
	}{
		{accord.PeriodMonth, d(2024, 2, 10), time.April, d(2024, 2, 1), d(2024, 2, 29)},
		{accord.PeriodQuarter, d(2025, 3, 31), 0, d(2025, 1, 1), d(2025, 3, 31)},
		{accord.PeriodQuarter, d(2025, 4, 1), time.February, d(2025, 2, 1), d(2025, 4, 30)},
		{accord.PeriodQuarter, d(2025, 1, 15), time.February, d(2024, 11, 1), d(2025, 1, 31)},
		{accord.PeriodYear, d(2025, 3, 31), time.April, d(2024, 4, 1), d(2025, 3, 31)},
		{accord.PeriodYear, d(2025, 4, 1), time.April, d(2025, 4, 1), d(2026, 3, 31)},
		{accord.PeriodYear, d(2025, 12, 31), 13, d(2025, 1, 1), d(2025, 12, 31)},
		{"week", d(2025, 12, 31), 0, accord.Date{}, accord.Date{}},
	} {
		first, last := tt.p.Of(tt.day, tt.fs)
		if first != tt.first || last != tt.last {
			t.Errorf("%q.Of(%s, %d) = %s, %s; want %s, %s", tt.p, tt.day, tt.fs, first, last, tt.first, tt.last)
		}
	}
	if accord.Period("week").InLast(d(2025, 12, 31), 400, 0) || accord.Period("").Valid() {
		t.Error("a period that is not month, quarter or year has a last day")
	}
	var p accord.Period
	if err := json.Unmarshal([]byte(`"quarter"`), &p); err != nil || p != accord.PeriodQuarter {
		t.Errorf(`"quarter" decodes to %q, %v`, p, err)
	}
}
