package accord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// Date is a calendar day, with no time of day and no time zone: the day a
// contract term starts, ends or renews, a team's holiday, the day a scope's
// step is planned on. A Date is the same day in every time zone; the
// caller's time zone comes in with an instant (see [Today] and
// [Calendar.Day]).
//
// Days are counted in the proleptic Gregorian calendar. The arithmetic
// ([Date.AddDays], [Date.DaysUntil], [Date.AddMonths]) is exact for any
// year; a Date is [Date.Valid] between the years 1 and 9999, which is what
// its JSON form carries.
//
// The zero Date is "no date". Its JSON form is "2006-01-02", or null for the
// zero Date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day t falls on in its own location. Convert t with
// [time.Time.In] first to read it in another time zone.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the day now falls on in loc, or in now's own location when
// loc is nil.
func Today(now time.Time, loc *time.Location) Date {
	if loc != nil {
		now = now.In(loc)
	}
	return DateOf(now)
}

// MakeDate returns the date of year, month and day, normalised the way
// [time.Date] normalises them (month 13 is January of the next year).
func MakeDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 12, 0, 0, 0, time.UTC))
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real day between the years 1 and 9999.
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// In returns the first instant of d in loc: midnight, or the end of a
// daylight-saving gap that swallows midnight (in America/Santiago, 5
// September 2021 begins at 01:00). For a day the zone skips altogether
// (Pacific/Apia skipped 30 December 2011) it returns an instant of the next
// day.
func (d Date) In(loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	if DateOf(t) == d {
		return t
	}
	// time.Date resolved the missing midnight to an instant of the day
	// before. The day has begun by noon; search the instant it begins,
	// to the second (zone transitions fall on whole seconds).
	lo, hi := t.Unix(), time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, loc).Unix()
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if DateOf(time.Unix(mid, 0).In(loc)) == d {
			hi = mid
		} else {
			lo = mid
		}
	}
	return time.Unix(hi, 0).In(loc)
}

// AddDays returns the day n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date {
	return fromDayNumber(d.dayNumber() + n)
}

// AddMonths returns the same day of the month n months after d, clamped to
// the last day of a shorter month: January 31 plus one month is February 28,
// or 29 in a leap year.
func (d Date) AddMonths(n int) Date {
	months := int(d.Month) - 1 + n
	y := d.Year + floorDiv(months, 12)
	m := time.Month(months - floorDiv(months, 12)*12 + 1)
	day := d.Day
	if last := daysIn(y, m); day > last {
		day = last
	}
	return Date{y, m, day}
}

// DaysUntil returns the number of days from d to e: 0 on the same day,
// negative when e is before d.
func (d Date) DaysUntil(e Date) int {
	return e.dayNumber() - d.dayNumber()
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOf(d.dayNumber()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, the same day as, or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Year, int(d.Month), d.Day
	if y < 0 || y > 9999 || m < 0 || m > 99 || day < 0 || day > 99 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
	}
	// The common case without fmt, which would allocate for each field.
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + day/10), byte('0' + day%10),
	}
	return string(b[:])
}

// MarshalJSON encodes d as "2006-01-02", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	if !d.Valid() {
		return nil, fmt.Errorf("accord: date %d-%d-%d is not a real day", d.Year, int(d.Month), d.Day)
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON decodes "2006-01-02", naming a real day between the years 1
// and 9999, or null. Anything else is a *[json.UnmarshalTypeError], so that
// encoding/json reports the path of the field.
func (d *Date) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*d = Date{}
		return nil
	}
	// An UnmarshalTypeError lets encoding/json name the field, such as
	// "term.end", in the error it returns.
	bad := &json.UnmarshalTypeError{Value: "string " + strconv.Quote(string(data)), Type: reflect.TypeFor[Date]()}
	if len(data) != 12 || data[0] != '"' || data[11] != '"' {
		if len(data) > 0 && data[0] != '"' {
			bad.Value = "non-string"
		}
		return bad
	}
	t, err := time.Parse(time.DateOnly, string(data[1:11]))
	if err != nil {
		return bad
	}
	if v := DateOf(t); v.Valid() {
		*d = v
		return nil
	}
	return bad
}

// dayNumber counts days from 1970-01-01 in the proleptic Gregorian
// calendar (H. Hinnant's days_from_civil), exactly and for any year.
func (d Date) dayNumber() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// daysIn returns the number of days of month m (January to December) of
// year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// weekdayOf returns the day of the week of day number n: 1970-01-01 was a
// Thursday.
func weekdayOf(n int) time.Weekday {
	return time.Weekday((n%7 + 7 + int(time.Thursday)) % 7)
}

// fromDayNumber is the inverse of dayNumber (H. Hinnant's
// civil_from_days).
func fromDayNumber(z int) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if month > 12 {
		month -= 12
	}
	y := yoe + era*400
	if month <= 2 {
		y++
	}
	return Date{y, time.Month(month), day}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
