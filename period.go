package accord

import "time"

// Period is the length of a business period: a calendar month, a fiscal
// quarter or a fiscal year. A fiscal year starts on the first day of a month
// the caller chooses (January when 0) and its quarters start every three
// months from it, so that with a fiscal year starting in April the first
// quarter runs from 1 April to 30 June. Months are the same whatever the
// fiscal year.
//
// Its JSON form is "month", "quarter" or "year". The zero Period, and any
// other string, is no period: [Period.Valid] reports false.
type Period string

// The periods.
const (
	PeriodMonth   Period = "month"
	PeriodQuarter Period = "quarter"
	PeriodYear    Period = "year"
)

// Valid reports whether p is PeriodMonth, PeriodQuarter or PeriodYear.
func (p Period) Valid() bool { return p.months() > 0 }

// months returns the length of p in months, 0 when p is not a period.
func (p Period) months() int {
	switch p {
	case PeriodMonth:
		return 1
	case PeriodQuarter:
		return 3
	case PeriodYear:
		return 12
	}
	return 0
}

// Of returns the first and last day of the period p that contains d, for a
// fiscal year that starts on the first day of fiscalYearStart: January when
// it is not a month (0 included). When p is not a period it returns zero
// Dates.
func (p Period) Of(d Date, fiscalYearStart time.Month) (first, last Date) {
	n := p.months()
	if n == 0 {
		return Date{}, Date{}
	}
	if fiscalYearStart < time.January || fiscalYearStart > time.December {
		fiscalYearStart = time.January
	}
	// Months since the fiscal year began, then back to the start of the
	// period: a month index that may fall in the year before.
	into := (int(d.Month) - int(fiscalYearStart) + 12) % 12
	start := int(d.Month) - 1 - into%n
	end := start + n - 1
	first = Date{d.Year + floorDiv(start, 12), time.Month(start - floorDiv(start, 12)*12 + 1), 1}
	ly, lm := d.Year+floorDiv(end, 12), time.Month(end-floorDiv(end, 12)*12+1)
	return first, Date{ly, lm, daysIn(ly, lm)}
}

// DaysLeft returns the number of days from d to the end of the period p
// that contains d, d included: 1 on the period's last day. It returns 0
// when p is not a period. See [Period.Of] for fiscalYearStart.
func (p Period) DaysLeft(d Date, fiscalYearStart time.Month) int {
	if !p.Valid() {
		return 0
	}
	_, last := p.Of(d, fiscalYearStart)
	// Count the days month by month: the period ends on the last day of a
	// month at most eleven months after d's, so this adds a few small
	// numbers where DaysUntil would convert two dates to day numbers (the
	// policy gate asks for three periods on every check).
	left := daysIn(d.Year, d.Month) - d.Day + 1
	y, m := d.Year, d.Month
	for range 12 {
		if y == last.Year && m == last.Month {
			return left
		}
		if m++; m > time.December {
			y, m = y+1, time.January
		}
		left += daysIn(y, m)
	}
	return d.DaysUntil(last) + 1 // unreachable for a valid d
}

// InLast reports whether d falls in the last n days of the period p that
// contains d: the period's last day is in its last 1 day, and no day is in
// its last 0 days. See [Period.Of] for fiscalYearStart.
func (p Period) InLast(d Date, n int, fiscalYearStart time.Month) bool {
	left := p.DaysLeft(d, fiscalYearStart)
	return left > 0 && left <= n
}
