package scope

import (
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
)

// MaxWorkingDays bounds how far a sequence may run from its start: about ten
// years of working days. Offsets, durations and dates beyond it are invalid,
// so that no input makes validation or feasibility run unbounded.
const MaxWorkingDays = 2600

// timeline maps working-day indexes, counted from a start date, to the days
// of one [accord.Calendar] and back. It is built per call and extended on
// demand, a doubling chunk at a time, up to MaxWorkingDays. It keeps each
// working day as its distance in days from the start: MaxWorkingDays
// working days, even a year apart each, fit an int32.
type timeline struct {
	cal   accord.Calendar
	start accord.Date // the start date
	days  []int32     // working day i is days[i] days after the start
	next  accord.Date // the first day not yet examined
	ended bool        // the calendar has no working day after days
}

func newTimeline(c accord.Calendar, start time.Time) *timeline {
	d := c.Day(start)
	return &timeline{cal: c, start: d, next: d}
}

// extend makes days hold working day i, if it exists within the bound. A
// calendar whose every day is off has no working days; so does one whose
// holidays cover more than a year in a row (see
// [accord.Calendar.WorkingDays]).
func (tl *timeline) extend(i int) bool {
	if i < 0 || i >= MaxWorkingDays {
		return false
	}
	if i < len(tl.days) {
		return true
	}
	if tl.ended {
		return false
	}
	want := min(max(i+1, 2*len(tl.days), 64), MaxWorkingDays)
	if tl.days == nil {
		tl.days = make([]int32, 0, want)
	}
	for d := range tl.cal.WorkingDays(tl.next) {
		tl.days = append(tl.days, int32(tl.start.DaysUntil(d)))
		tl.next = d.AddDays(1)
		if len(tl.days) == want {
			break
		}
	}
	if len(tl.days) < want {
		tl.ended = true
	}
	return i < len(tl.days)
}

// date returns working day i.
func (tl *timeline) date(i int) (accord.Date, bool) {
	if !tl.extend(i) {
		return accord.Date{}, false
	}
	return tl.start.AddDays(int(tl.days[i])), true
}

// has reports whether working day i exists within the bound.
func (tl *timeline) has(i int) bool { return tl.extend(i) }

// index returns the working-day index of day. why says, when not empty,
// why day has none: it is before the start, not a working day, or beyond
// the bound.
func (tl *timeline) index(day accord.Date) (i int, why string) {
	if day.Before(tl.start) {
		return 0, "is before the start"
	}
	if !tl.cal.Working(day) {
		if tl.cal.Holiday(day) {
			return 0, "falls on a holiday"
		}
		return 0, fmt.Sprintf("falls on a non-working day (%s)", day.Weekday())
	}
	n := tl.start.DaysUntil(day)
	for len(tl.days) == 0 || int(tl.days[len(tl.days)-1]) < n {
		if !tl.extend(len(tl.days)) {
			return 0, fmt.Sprintf("is more than %d working days after the start", MaxWorkingDays)
		}
	}
	i, _ = slices.BinarySearch(tl.days, int32(n))
	return i, ""
}

// time returns day as its first instant in the calendar's location.
func (tl *timeline) time(day accord.Date) time.Time { return day.In(tl.cal.Zone()) }
