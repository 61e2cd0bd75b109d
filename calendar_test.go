package accord_test

import (
	"math"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on any machine

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/datetest"
	"pgregory.net/rapid"
)

const wholeDay = 24 * time.Hour

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestCalendarWorking(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	mar := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	sundayNightUTC := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC) // Monday 00:30 in Berlin
	mar4 := []accord.Date{accord.MakeDate(2026, 3, 4)}
	tests := []struct {
		name string
		cal  accord.Calendar
		at   time.Time
		want bool
	}{
		{"monday", accord.Calendar{}, mar(2), true},
		{"friday", accord.Calendar{}, mar(6), true},
		{"saturday", accord.Calendar{}, mar(7), false},
		{"sunday", accord.Calendar{}, mar(8), false},
		{"saturday in a seven-day week", accord.Calendar{Weekend: []time.Weekday{}}, mar(7), true},
		{"friday off", accord.Calendar{Weekend: []time.Weekday{time.Friday}}, mar(6), false},
		{"saturday on when only friday is off", accord.Calendar{Weekend: []time.Weekday{time.Friday}}, mar(7), true},
		{"weekdays out of range are ignored", accord.Calendar{Weekend: []time.Weekday{-1, 7, 99}}, mar(7), true},
		{"holiday", accord.Calendar{Holidays: mar4}, mar(4).Add(20 * time.Hour), false},
		{"the day after a holiday", accord.Calendar{Holidays: mar4}, mar(5), true},
		{"a holiday in the location", accord.Calendar{Location: berlin, Holidays: mar4}, mar(3).Add(23 * time.Hour), false},
		{"a holiday that is not a real day", accord.Calendar{Holidays: []accord.Date{{Year: 2026, Month: 2, Day: 32}}}, mar(4), true},
		{"sunday night in UTC", accord.Calendar{}, sundayNightUTC, false},
		{"monday morning in Berlin", accord.Calendar{Location: berlin}, sundayNightUTC, true},
		{"the zone of the time does not matter", accord.Calendar{}, sundayNightUTC.In(berlin), false},
	}
	for _, tt := range tests {
		if got := tt.cal.Working(tt.cal.Day(tt.at)); got != tt.want {
			t.Errorf("%s: Working(Day(%s)) = %v, want %v", tt.name, tt.at, got, tt.want)
		}
	}
}

// TestCalendarDay: the day of an instant is read in the calendar's
// location, and Date.Weekday agrees with time's.
func TestCalendarDay(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	hawaii := time.FixedZone("HST", -10*3600)
	for _, tt := range []struct {
		at   time.Time
		loc  *time.Location
		want accord.Date
	}{
		{time.Date(1970, 1, 1, 23, 59, 59, 999999999, time.UTC), nil, accord.MakeDate(1970, 1, 1)},
		{time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), time.UTC, accord.MakeDate(1969, 12, 31)},
		// The same instant is the 2nd in Tokyo and the 1st in Hawaii.
		{time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), tokyo, accord.MakeDate(2026, 3, 2)},
		{time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), hawaii, accord.MakeDate(2026, 3, 1)},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), nil, accord.MakeDate(1, 1, 1)},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), nil, accord.MakeDate(9999, 12, 31)},
	} {
		if got := (accord.Calendar{Location: tt.loc}).Day(tt.at); got != tt.want {
			t.Errorf("Day(%s) in %v = %s, want %s", tt.at, tt.loc, got, tt.want)
		}
	}
	for d, tm := accord.MakeDate(1967, 1, 1), time.Date(1967, 1, 1, 12, 0, 0, 0, time.UTC); tm.Year() < 1973; d, tm = d.AddDays(1), tm.Add(wholeDay) {
		if d.Weekday() != tm.Weekday() || d.String() != tm.Format(time.DateOnly) {
			t.Fatalf("%s is a %s; want %s, %s", d, d.Weekday(), tm.Format(time.DateOnly), tm.Weekday())
		}
	}
}

func TestCalendarBetween(t *testing.T) {
	berlin := mustZone("Europe/Berlin")
	cal := accord.Calendar{Location: berlin}
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, berlin) }
	for _, c := range []struct {
		name     string
		cal      accord.Calendar
		from, to time.Time
		want     time.Duration
	}{
		{"within a day", cal, at(2026, 3, 4, 9), at(2026, 3, 4, 17), 8 * time.Hour},
		{"over a weekend", cal, at(2026, 3, 6, 17), at(2026, 3, 9, 9), 16 * time.Hour},
		{"a weekend only", cal, at(2026, 3, 7, 0), at(2026, 3, 9, 0), 0},
		{"two whole weeks", cal, at(2026, 3, 2, 0), at(2026, 3, 16, 0), 10 * wholeDay},
		// The clocks go forward on Sunday 29 March: the weekdays keep 24 hours.
		{"across daylight saving", cal, at(2026, 3, 27, 12), at(2026, 3, 30, 12), 24 * time.Hour},
		{"backwards", cal, at(2026, 3, 5, 0), at(2026, 3, 4, 0), 0},
		{"a year", cal, at(2026, 1, 1, 0), at(2027, 1, 1, 0), 261 * wholeDay},
		{"a holiday in the week", accord.Calendar{Location: berlin, Holidays: []accord.Date{accord.MakeDate(2026, 3, 4), accord.MakeDate(2026, 3, 4), accord.MakeDate(2026, 3, 7)}},
			at(2026, 3, 2, 0), at(2026, 3, 9, 0), 4 * wholeDay},
		{"a holiday's part", accord.Calendar{Location: berlin, Holidays: []accord.Date{accord.MakeDate(2026, 3, 4)}}, at(2026, 3, 4, 9), at(2026, 3, 5, 9), 9 * time.Hour},
		{"a Friday-Saturday weekend", accord.Calendar{Location: berlin, Weekend: []time.Weekday{time.Friday, time.Saturday}}, at(2026, 3, 5, 12), at(2026, 3, 8, 12), 24 * time.Hour},
	} {
		if got := c.cal.Between(c.from, c.to); got != c.want {
			t.Errorf("%s: Between = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestCalendarBetweenBounds: whole weekdays count 24 hours whatever daylight
// saving does, and a span too long for a Duration counts the largest one.
func TestCalendarBetweenBounds(t *testing.T) {
	jerusalem := mustZone("Asia/Jerusalem")
	cal := accord.Calendar{Location: jerusalem}
	// Clocks go forward on Friday 27 March 2026 in Jerusalem.
	mon := time.Date(2026, 3, 23, 0, 0, 0, 0, jerusalem)
	if got := cal.Between(mon, mon.AddDate(0, 0, 7)); got != 5*24*time.Hour {
		t.Errorf("the week of 23 March 2026 in Jerusalem: %v; want 120h", got)
	}
	fri := time.Date(2026, 3, 27, 0, 0, 0, 0, jerusalem)
	if got := cal.Between(fri, fri.AddDate(0, 0, 1)); got != 24*time.Hour {
		t.Errorf("Friday 27 March 2026 in Jerusalem: %v; want 24h", got)
	}
	long := accord.Calendar{}.Between(time.Date(1600, 1, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if long != math.MaxInt64 {
		t.Errorf("1600 to 2026 in weekdays: %v; want the largest Duration", long)
	}
}

// betweenZones have midnights that exist, so that the reference below may
// find a day's start with time.Date: daylight saving north and south at
// night, a 30-minute shift, odd offsets.
var betweenZones = []*time.Location{
	time.UTC, mustZone("Europe/Berlin"), mustZone("America/New_York"), mustZone("Asia/Jerusalem"),
	mustZone("Australia/Lord_Howe"), mustZone("Asia/Kathmandu"), mustZone("Pacific/Kiritimati"), mustZone("America/Sao_Paulo"),
}

func genCalendar(loc *time.Location, near time.Time) *rapid.Generator[accord.Calendar] {
	return rapid.Custom(func(t *rapid.T) accord.Calendar {
		c := accord.Calendar{Location: loc}
		c.Weekend = datetest.Weekend().Draw(t, "weekend")
		for range rapid.IntRange(0, 6).Draw(t, "holidays") {
			c.Holidays = append(c.Holidays, accord.DateOf(near.AddDate(0, 0, rapid.IntRange(-5, 40).Draw(t, "holiday"))))
		}
		return c
	})
}

// refWorking decides a working day from the fields, walking the lists.
func refWorking(c accord.Calendar, y int, m time.Month, d int) bool {
	wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
	off := c.Weekend
	if off == nil {
		off = []time.Weekday{time.Saturday, time.Sunday}
	}
	return !slices.Contains(off, wd) && !slices.Contains(c.Holidays, accord.Date{Year: y, Month: m, Day: d})
}

// refBetween walks the days from from to to in the calendar's location:
// a working day the span covers whole counts 24 hours, a part of one the
// time that passed.
func refBetween(c accord.Calendar, from, to time.Time) time.Duration {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	if !to.After(from) {
		return 0
	}
	from, to = from.In(loc), to.In(loc)
	y, m, d := from.Date()
	var total time.Duration
	for k := 0; ; k++ {
		start := time.Date(y, m, d+k, 0, 0, 0, 0, loc)
		if !start.Before(to) {
			return total
		}
		next := time.Date(y, m, d+k+1, 0, 0, 0, 0, loc)
		dy, dm, dd := start.Date()
		switch {
		case !refWorking(c, dy, dm, dd):
		case !start.Before(from) && !next.After(to):
			total += wholeDay
		case next.After(from):
			total += minTime(next, to).Sub(maxTime(start, from))
		}
	}
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

// TestPropBetween: working time agrees with a day-by-day walk, for any
// calendar (weekends, holidays, listed twice or on a weekend), in zones
// with daylight saving, for spans from minutes to months.
func TestPropBetween(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(betweenZones).Draw(t, "zone")
		base := time.Date(rapid.IntRange(2020, 2030).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month")), 1, 0, 0, 0, 0, loc)
		from := base.Add(time.Duration(rapid.Int64Range(0, int64(40*wholeDay)).Draw(t, "from")))
		if rapid.Bool().Draw(t, "at_midnight") {
			from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
		}
		to := from.Add(time.Duration(rapid.Int64Range(-int64(wholeDay), int64(120*wholeDay)).Draw(t, "span")))
		if rapid.Bool().Draw(t, "to_midnight") {
			to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc)
		}
		c := genCalendar(loc, from).Draw(t, "calendar")
		if got, want := c.Between(from, to), refBetween(c, from, to); got != want {
			t.Fatalf("Between(%s, %s) = %v; want %v", from, to, got, want)
		}
	})
}

// TestPropWorkingDays: the working days from a date are the days a
// day-by-day walk finds working, and each is Working.
func TestPropWorkingDays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := datetest.Gen(1990, 2040).Draw(t, "from")
		c := genCalendar(nil, from.In(time.UTC)).Draw(t, "calendar")
		n := rapid.IntRange(0, 60).Draw(t, "n")
		var got []accord.Date
		for d := range c.WorkingDays(from) {
			if len(got) == n {
				break
			}
			got = append(got, d)
		}
		var want []accord.Date
		for k := 0; len(want) < n && k < 800; k++ {
			tm := time.Date(from.Year, from.Month, from.Day+k, 12, 0, 0, 0, time.UTC)
			if refWorking(c, tm.Year(), tm.Month(), tm.Day()) {
				want = append(want, accord.DateOf(tm))
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("WorkingDays(%s) = %v; want %v", from, got, want)
		}
		for _, d := range got {
			if !c.Working(d) {
				t.Fatalf("%s is listed but not Working", d)
			}
		}
	})
	// No working day: the sequence ends.
	for range (accord.Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}).WorkingDays(accord.MakeDate(2026, 1, 1)) {
		t.Fatal("a calendar without working days yields one")
	}
}
