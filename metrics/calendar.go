package metrics

import (
	"math"
	"time"
)

// Calendar decides which time counts when a duration is measured. Without a
// calendar every duration is calendar time: the plain difference of two
// instants, so a day is any 24 hours. A calendar can count less, such as only
// working days.
//
// A Calendar must be a pure function, safe for concurrent use.
type Calendar interface {
	// Between returns how much of the time from from to to counts. It is
	// called with from before or equal to to. A negative answer counts as
	// zero.
	Between(from, to time.Time) time.Duration
}

// Weekdays returns a [Calendar] that counts only the time falling on Monday
// through Friday in loc (UTC when loc is nil): from Friday 17:00 to Monday
// 09:00 counts 16 hours. A whole weekday counts 24 hours, whatever daylight
// saving does to its length, and a part of a day counts the time that
// passed; a span too long for a time.Duration counts the largest one.
func Weekdays(loc *time.Location) Calendar {
	if loc == nil {
		loc = time.UTC
	}
	return weekdays{loc: loc}
}

type weekdays struct{ loc *time.Location }

func (w weekdays) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	from, to = from.In(w.loc), to.In(w.loc)
	y, m, d := from.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, w.loc)
	var total time.Duration
	for day.Before(to) {
		wd := day.Weekday()
		if wd == time.Monday {
			// A whole working week at a time: Monday 00:00 to Saturday
			// 00:00, when the span covers it.
			mon := time.Date(y, m, d+7, 0, 0, 0, 0, w.loc)
			if !day.Before(from) && !mon.After(to) {
				total = addDur(total, 5*24*time.Hour)
				day = mon
				y, m, d = day.Date()
				continue
			}
		}
		next := time.Date(y, m, d+1, 0, 0, 0, 0, w.loc)
		switch {
		case wd == time.Saturday || wd == time.Sunday:
		case !day.Before(from) && !next.After(to):
			total = addDur(total, 24*time.Hour) // a whole weekday, however long
		default:
			total = addDur(total, minTime(next, to).Sub(maxTime(day, from)))
		}
		day = next
		y, m, d = day.Date()
	}
	return total
}

// sameZone reports whether a and b are the same time zone: the same
// location, or the same name and the same offsets at instants that tell
// zones apart (two unnamed fixed zones share the name "").
func sameZone(a, b *time.Location) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.String() != b.String() {
		return false
	}
	for _, unix := range []int64{0, 946684800, 962409600, 1893456000, 1909094400} { // 1970, 2000 and 2030, winter and summer
		t := time.Unix(unix, 0)
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}

// addDur adds durations, saturating at the largest one instead of
// overflowing.
func addDur(a, b time.Duration) time.Duration {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// between measures the time from from to to with cal, or as calendar time
// when cal is nil; never negative.
func between(cal Calendar, from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if cal == nil {
		return to.Sub(from)
	}
	if d := cal.Between(from, to); d > 0 {
		return d
	}
	return 0
}
