package accord

import (
	"iter"
	"math"
	"slices"
	"time"
)

// Calendar says which days a team works: its time zone, its weekly days off
// and its holidays. The caller gives it, because weekends and holidays
// differ by team and country; the same Calendar plans an implementation (in
// package scope) and measures working time (in package metrics).
//
// The zero Calendar works Monday to Friday in UTC, with no holidays.
type Calendar struct {
	// Location is where instants are read as days (UTC when nil): a step
	// dated 2026-03-02 in Europe/Berlin is a Monday there, whatever its
	// instant is in UTC.
	Location *time.Location
	// Weekend lists the weekly days off. Nil means Saturday and Sunday; an
	// empty, non-nil slice means the team works every day of the week.
	// Entries that are not a time.Weekday are ignored.
	Weekend []time.Weekday
	// Holidays lists the days off. Dates that are not [Date.Valid] are
	// ignored; a date listed twice is off once.
	Holidays []Date
}

// Zone returns the calendar's location: Location, or UTC when nil.
func (c Calendar) Zone() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Day returns the day instant t falls on in the calendar's location.
func (c Calendar) Day(t time.Time) Date { return DateOf(t.In(c.Zone())) }

// Holiday reports whether d is one of the calendar's holidays.
func (c Calendar) Holiday(d Date) bool {
	return d.Valid() && slices.Contains(c.Holidays, d)
}

// Working reports whether d is a working day: not a weekly day off and not
// a holiday.
func (c Calendar) Working(d Date) bool {
	return c.week()[d.Weekday()] && !c.Holiday(d)
}

// week returns which weekdays are worked.
func (c Calendar) week() [7]bool {
	w := [7]bool{true, true, true, true, true, true, true}
	if c.Weekend == nil {
		w[time.Saturday], w[time.Sunday] = false, false
		return w
	}
	for _, d := range c.Weekend {
		if d >= time.Sunday && d <= time.Saturday {
			w[d] = false
		}
	}
	return w
}

// WorkingDays returns the working days from day from on, in order, from
// itself included when it is one. It runs on until the caller stops, except
// that it ends where a year (366 days) passes without a working day: at once
// for a calendar whose every weekday is off, and where holidays cover more
// than a year in a row.
func (c Calendar) WorkingDays(from Date) iter.Seq[Date] {
	return func(yield func(Date) bool) {
		week := c.week()
		if !slices.Contains(week[:], true) {
			return
		}
		var off map[int]bool
		for _, h := range c.Holidays {
			if h.Valid() {
				if off == nil {
					off = make(map[int]bool, len(c.Holidays))
				}
				off[h.dayNumber()] = true
			}
		}
		for n := from.dayNumber(); ; n++ {
			limit := n + 366
			for ; n < limit && (!week[weekdayOf(n)] || off[n]); n++ {
			}
			if n == limit || !yield(fromDayNumber(n)) {
				return
			}
		}
	}
}

// Between returns the working time from instant from to instant to: the
// time that falls on working days, read in the calendar's location. A whole
// working day counts 24 hours, whatever daylight saving does to its length;
// a part of a day counts the time that passed. From Friday 17:00 to Monday
// 09:00 counts 16 hours with the zero Calendar. It returns 0 when to is not
// after from, and the largest time.Duration for a span too long for one.
func (c Calendar) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	loc := c.Zone()
	from, to = from.In(loc), to.In(loc)
	week := c.week()
	first, last := DateOf(from), DateOf(to)
	if first == last {
		if c.working(week, first) {
			return to.Sub(from)
		}
		return 0
	}
	var total time.Duration
	if c.working(week, first) {
		if from.Equal(first.In(loc)) {
			total = 24 * time.Hour
		} else {
			total = first.AddDays(1).In(loc).Sub(from)
		}
	}
	whole := c.countWorking(week, first.dayNumber()+1, last.dayNumber())
	if whole > math.MaxInt64/int64(24*time.Hour) {
		return math.MaxInt64
	}
	total = addDuration(total, time.Duration(whole)*24*time.Hour)
	if c.working(week, last) {
		total = addDuration(total, to.Sub(last.In(loc)))
	}
	return total
}

func (c Calendar) working(week [7]bool, d Date) bool {
	return week[d.Weekday()] && !c.Holiday(d)
}

// countWorking counts the working days of day numbers a (included) to b
// (excluded): whole weeks at once, then the holidays that fall on working
// weekdays in the range.
func (c Calendar) countWorking(week [7]bool, a, b int) int64 {
	if b <= a {
		return 0
	}
	n := b - a
	perWeek := 0
	for _, w := range week {
		if w {
			perWeek++
		}
	}
	count := int64(n/7) * int64(perWeek)
	for k := a + n/7*7; k < b; k++ {
		if week[weekdayOf(k)] {
			count++
		}
	}
	for i, h := range c.Holidays {
		if !h.Valid() {
			continue
		}
		if k := h.dayNumber(); k >= a && k < b && week[weekdayOf(k)] && !slices.Contains(c.Holidays[:i], h) {
			count--
		}
	}
	return count
}

// addDuration adds durations, saturating at the largest one instead of
// overflowing.
func addDuration(a, b time.Duration) time.Duration {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
