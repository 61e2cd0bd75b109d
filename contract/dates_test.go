package contract_test

import (
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on any machine

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"pgregory.net/rapid"
)

// zones are the callers' time zones the properties run in: daylight saving
// north and south, half-hour and 45-minute offsets, both ends of the day.
var zones = func() []*time.Location {
	var out []*time.Location
	for _, name := range []string{"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Santiago"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		out = append(out, loc)
	}
	return out
}()

func genDate(fromYear, toYear int) *rapid.Generator[accord.Date] {
	return rapid.Custom(func(t *rapid.T) accord.Date {
		y := rapid.IntRange(fromYear, toYear).Draw(t, "year")
		m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		last := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
		// Favour the ends of months, where clamping happens.
		d := rapid.OneOf(rapid.IntRange(1, last), rapid.IntRange(max(1, last-3), last)).Draw(t, "day")
		return accord.Date{Year: y, Month: m, Day: d}
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

// refAnniversary walks from since, day by day, to its anniversary n months
// later: the same day of the month, or the month's last day when the month
// is shorter.
func refAnniversary(since accord.Date, n int) accord.Date {
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

// refWalk returns the date n days from d (back when n is negative), a day
// at a time.
func refWalk(d accord.Date, n int) accord.Date {
	x := refDay(d)
	for ; n > 0; n-- {
		x = x.next()
	}
	for ; n < 0; n++ {
		x = x.prev()
	}
	return x.date()
}

// refDays counts the days from a to b, a day at a time.
func refDays(a, b accord.Date) int {
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

// TestRenewalDates: for every first day, term, window, notice period, time
// zone and day, the term's dates, the window, the alert and the notice
// deadline agree with a day-by-day reference.
func TestRenewalDates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tm := terms()
		tm.Start = genDate(1995, 2105).Draw(t, "start")
		tm.Months = rapid.IntRange(1, 60).Draw(t, "months")
		tm.WindowDays = rapid.IntRange(1, 400).Draw(t, "window")
		tm.NoticeDays = rapid.IntRange(0, min(120, tm.WindowDays-1)).Draw(t, "notice")
		tm.AutoRenew = rapid.Bool().Draw(t, "auto")
		c, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, tm, rep, created)
		if err != nil {
			t.Fatal(err)
		}
		renewal := refAnniversary(tm.Start, tm.Months)
		end := refWalk(renewal, -1)
		want := contract.Term{Start: tm.Start, End: end, Months: tm.Months, Renewal: renewal, Value: c.Term.Value}
		if c.Term != want {
			t.Fatalf("term %+v; want %+v", c.Term, want)
		}
		// The window opens WindowDays before the end, but not before the
		// term starts.
		opens, deadline := refWalk(end, -tm.WindowDays), refWalk(end, -tm.NoticeDays)
		if opens.Before(tm.Start) {
			opens = tm.Start
		}
		if c.WindowOpens() != opens || c.NoticeDeadline() != deadline {
			t.Fatalf("window opens %s, notice by %s; want %s, %s", c.WindowOpens(), c.NoticeDeadline(), opens, deadline)
		}

		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		today := refWalk(end, rapid.IntRange(-tm.WindowDays-3, 3).Draw(t, "days_from_end"))
		// Any instant of that day in the caller's zone.
		start, nextDay := today.In(loc), today.AddDays(1).In(loc)
		if accord.DateOf(start) != today || accord.DateOf(nextDay.Add(-time.Nanosecond)) != today {
			t.Fatalf("%s in %s runs from %s to %s", today, loc, start, nextDay)
		}
		now := start.Add(time.Duration(rapid.Int64Range(0, int64(nextDay.Sub(start))-1).Draw(t, "into_day")))
		if got := accord.Today(now.UTC(), loc); got != today {
			t.Fatalf("accord.Today(%s in %s) = %s; want %s", now.UTC(), loc, got, today)
		}

		in := !today.Before(opens) && !today.After(end)
		alerts := contract.Due([]contract.Contract{c}, now)
		if c.InWindow(now) != in || (len(alerts) == 1) != in {
			t.Fatalf("on %s (window %s to %s): InWindow %v, %d alerts", today, opens, end, c.InWindow(now), len(alerts))
		}
		if !in {
			return
		}
		a := alerts[0]
		wantAlert := contract.Alert{
			Contract: "ctr-1", DealID: "deal-42", Owner: rep.ID, Client: "Northwind Logistics",
			End: end, Renewal: renewal, DaysLeft: refDays(today, end),
			NoticeDeadline: deadline, NoticeDaysLeft: refDays(today, deadline),
			AutoRenew: tm.AutoRenew, Value: c.Term.Value,
		}
		if a != wantAlert {
			t.Fatalf("alert %+v; want %+v", a, wantAlert)
		}
		if a.DaysLeft < 0 || a.DaysLeft > tm.WindowDays {
			t.Fatalf("days left %d outside [0, %d]", a.DaysLeft, tm.WindowDays)
		}
	})
}

// TestDueOrder: alerts come soonest end first, then by contract ID, and only
// for contracts that can renew.
func TestDueOrder(t *testing.T) {
	mk := func(id string, start accord.Date, s contract.Status) contract.Contract {
		tm := terms()
		tm.ID, tm.Start = id, start
		c, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, tm, rep, created)
		if err != nil {
			t.Fatal(err)
		}
		c.Status = s
		return c
	}
	cs := []contract.Contract{
		mk("c", accord.MakeDate(2026, 3, 10), contract.StatusActive),
		mk("b", accord.MakeDate(2026, 3, 2), contract.StatusAtRisk),
		mk("a", accord.MakeDate(2026, 3, 10), contract.StatusPaused),
		mk("d", accord.MakeDate(2026, 3, 2), contract.StatusChurned),
		mk("e", accord.MakeDate(2026, 3, 2), contract.StatusLapsed),
		mk("f", accord.MakeDate(2026, 3, 2), contract.StatusRefunded),
		mk("g", accord.MakeDate(2026, 9, 1), contract.StatusActive),
	}
	var got []string
	for _, a := range contract.Due(cs, time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC)) {
		got = append(got, a.Contract)
	}
	if want := []string{"b", "a", "c"}; !slices.Equal(got, want) {
		t.Errorf("alerts %v; want %v", got, want)
	}
}
