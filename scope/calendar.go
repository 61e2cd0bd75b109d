package scope

import (
	"fmt"
	"slices"
	"time"
)

// Calendar says which days are working days for an implementation: the
// caller gives it, because weekends and holidays differ by team and country.
//
// Dates are read in Location (UTC when nil): a step dated 2026-03-02 in
// Europe/Berlin is a Monday there whatever its instant is in UTC.
type Calendar struct {
	Location *time.Location
	// Weekend lists the weekly days off. Nil means Saturday and Sunday; an
	// empty, non-nil slice means the team works every day of the week.
	Weekend []time.Weekday
	// Holidays lists the dates off, read in Location.
	Holidays []time.Time
}

// MaxWorkingDays bounds how far a sequence may run from its start: about ten
// years of working days. Offsets, durations and dates beyond it are invalid,
// so that no input makes validation or feasibility run unbounded.
const MaxWorkingDays = 2600

// Working reports whether t's date, in the calendar's location, is a working
// day.
func (c Calendar) Working(t time.Time) bool {
	w := c.week()
	if !w[t.In(c.loc()).Weekday()] {
		return false
	}
	d := civil(t, c.loc())
	for _, h := range c.Holidays {
		if civil(h, c.loc()) == d {
			return false
		}
	}
	return true
}

func (c Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// week returns which weekdays are worked.
func (c Calendar) week() [7]bool {
	w := [7]bool{true, true, true, true, true, true, true}
	if c.Weekend == nil {
		w[time.Saturday], w[time.Sunday] = false, false
		return w
	}
	for _, d := range c.Weekend {
		if d >= 0 && int(d) < len(w) {
			w[d] = false
		}
	}
	return w
}

// civil returns the date of t in loc as a count of days since 1970-01-01.
func civil(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	if u < 0 && u%86400 != 0 {
		return u/86400 - 1
	}
	return u / 86400
}

// timeline maps working-day indexes, counted from a start date, to civil
// days and back, for one calendar. It is built per call and extended on
// demand up to MaxWorkingDays.
type timeline struct {
	loc      *time.Location
	week     [7]bool
	holidays map[int64]bool
	start    int64   // civil day of the start date
	days     []int64 // days[i] is the civil day of working day i
	next     int64   // the next civil day to examine when extending days
	anyWork  bool
}

func newTimeline(c Calendar, start time.Time) *timeline {
	tl := &timeline{loc: c.loc(), week: c.week(), start: civil(start, c.loc())}
	tl.next = tl.start
	if len(c.Holidays) > 0 {
		tl.holidays = make(map[int64]bool, len(c.Holidays))
		for _, h := range c.Holidays {
			tl.holidays[civil(h, tl.loc)] = true
		}
	}
	tl.anyWork = slices.Contains(tl.week[:], true)
	return tl
}

// weekday of a civil day: 1970-01-01 was a Thursday.
func weekday(day int64) time.Weekday {
	return time.Weekday(((day % 7) + 7 + int64(time.Thursday)) % 7)
}

func (tl *timeline) working(day int64) bool {
	return tl.week[weekday(day)] && !tl.holidays[day]
}

// extend makes days hold working day i, if it exists within the bound. A
// calendar whose every day is off has no working days; so does one whose
// holidays cover more than a year in a row.
func (tl *timeline) extend(i int) bool {
	if i < 0 || i >= MaxWorkingDays || !tl.anyWork {
		return false
	}
	for len(tl.days) <= i {
		limit := tl.next + 366
		for ; tl.next < limit && !tl.working(tl.next); tl.next++ {
		}
		if tl.next == limit {
			return false
		}
		tl.days = append(tl.days, tl.next)
		tl.next++
	}
	return true
}

// date returns the civil day of working day i.
func (tl *timeline) date(i int) (int64, bool) {
	if !tl.extend(i) {
		return 0, false
	}
	return tl.days[i], true
}

// index returns the working-day index of civil day day. ok is false when the
// day is before the start, not a working day, or beyond the bound.
func (tl *timeline) index(day int64) (i int, why string) {
	if day < tl.start {
		return 0, "is before the start"
	}
	if !tl.working(day) {
		if tl.holidays[day] {
			return 0, "falls on a holiday"
		}
		return 0, fmt.Sprintf("falls on a non-working day (%s)", weekday(day))
	}
	for len(tl.days) == 0 || tl.days[len(tl.days)-1] < day {
		if !tl.extend(len(tl.days)) {
			return 0, fmt.Sprintf("is more than %d working days after the start", MaxWorkingDays)
		}
	}
	i, _ = slices.BinarySearch(tl.days, day)
	return i, ""
}

// time returns civil day day as midnight in the timeline's location.
func (tl *timeline) time(day int64) time.Time {
	t := time.Unix(day*86400, 0).UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, tl.loc)
}

// dateString formats civil day day as 2006-01-02.
func dateString(day int64) string {
	return time.Unix(day*86400, 0).UTC().Format(time.DateOnly)
}
