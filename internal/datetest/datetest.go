// Package datetest is the reference calendar the date properties of the
// module are checked against: it steps one day at a time, at noon UTC, so
// that it shares no arithmetic with accord.Date.
package datetest

import (
	"time"

	"github.com/accordhq/accord"
	"pgregory.net/rapid"
)

// Gen draws a date of a year from fromYear to toYear, favouring the ends of
// months.
func Gen(fromYear, toYear int) *rapid.Generator[accord.Date] {
	return rapid.Custom(func(t *rapid.T) accord.Date {
		y := rapid.IntRange(fromYear, toYear).Draw(t, "year")
		m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		last := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
		// Favour the ends of months, where clamping happens.
		d := rapid.OneOf(rapid.IntRange(1, last), rapid.IntRange(max(1, last-3), last)).Draw(t, "day")
		return accord.Date{Year: y, Month: m, Day: d}
	})
}

// Weekend draws a calendar's Weekend field: nil (the default, Saturday and
// Sunday), empty (no weekend), or up to seven weekdays, some of them out of
// range (-1 and 7) and some repeated.
func Weekend() *rapid.Generator[[]time.Weekday] {
	return rapid.Custom(func(t *rapid.T) []time.Weekday {
		switch rapid.IntRange(0, 3).Draw(t, "weekend_kind") {
		case 0:
			return nil
		case 1:
			return []time.Weekday{}
		}
		return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) time.Weekday {
			return time.Weekday(rapid.IntRange(-1, 7).Draw(t, "weekday"))
		}), 0, 7).Draw(t, "weekend")
	})
}

// day steps a reference calendar one day at a time, at noon UTC, so that it
// shares no arithmetic with accord.Date.
type day struct{ t time.Time }

func refDay(d accord.Date) day {
	return day{time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)}
}
func (d day) next() day { return day{d.t.Add(24 * time.Hour)} }
func (d day) prev() day { return day{d.t.Add(-24 * time.Hour)} }
func (d day) date() accord.Date {
	return accord.Date{Year: d.t.Year(), Month: d.t.Month(), Day: d.t.Day()}
}

// Anniversary walks from since, day by day, to its anniversary n months
// later: the same day of the month, or the month's last day when the month
// is shorter.
func Anniversary(since accord.Date, n int) accord.Date {
	d := refDay(since)
	for {
		k := (d.t.Year()-since.Year)*12 + int(d.t.Month()) - int(since.Month)
		lastOfMonth := d.next().t.Month() != d.t.Month()
		if k == n && (d.t.Day() == since.Day || (lastOfMonth && d.t.Day() < since.Day)) {
			return d.date()
		}
		d = d.next()
	}
}

// Walk returns the date n days from d (back when n is negative), a day
// at a time.
func Walk(d accord.Date, n int) accord.Date {
	x := refDay(d)
	for ; n > 0; n-- {
		x = x.next()
	}
	for ; n < 0; n++ {
		x = x.prev()
	}
	return x.date()
}

// Days counts the days from a to b, a day at a time.
func Days(a, b accord.Date) int {
	n := 0
	for x := refDay(a); x.date() != b; {
		if a.Before(b) {
			x, n = x.next(), n+1
		} else {
			x, n = x.prev(), n-1
		}
	}
	return n
}
