package contract_test

import (
	"fmt"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on any machine

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/internal/datetest"
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

// TestRenewalDates: for every first day, term, window, notice period, time
// zone and day, the term's dates, the window, the alert and the notice
// deadline agree with a day-by-day reference.
func TestRenewalDates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tm := drawTerms(t, 1995, 2105, 60, 400, 120)
		tm.AutoRenew = rapid.Bool().Draw(t, "auto")
		c := signed(t, tm)
		renewal := datetest.Anniversary(tm.Start, tm.Months)
		end := datetest.Walk(renewal, -1)
		want := contract.Term{Start: tm.Start, End: end, Months: tm.Months, Renewal: renewal, Value: c.Term.Value}
		if c.Term != want {
			t.Fatalf("term %+v; want %+v", c.Term, want)
		}
		// The window opens WindowDays before the end, but not before the
		// term starts.
		opens, deadline := datetest.Walk(end, -tm.WindowDays), datetest.Walk(end, -tm.NoticeDays)
		if opens.Before(tm.Start) {
			opens = tm.Start
		}
		if c.WindowOpens() != opens || c.NoticeDeadline() != deadline {
			t.Fatalf("window opens %s, notice by %s; want %s, %s", c.WindowOpens(), c.NoticeDeadline(), opens, deadline)
		}

		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		today := datetest.Walk(end, rapid.IntRange(-tm.WindowDays-3, 3).Draw(t, "days_from_end"))
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
		kind, counted := contract.AlertTermEnd, datetest.Days(today, end)
		if tm.NoticeDays > 0 && datetest.Days(today, deadline) >= 0 {
			kind, counted = contract.AlertNotice, datetest.Days(today, deadline)
		}
		th := refThreshold(counted, tm.WindowDays)
		wantAlert := contract.Alert{
			Kind: kind, Threshold: th, Key: fmt.Sprintf("renewal:ctr-1:%s:%s:%d", c.Term.Start, kind, th),
			Contract: "ctr-1", DealID: "deal-42", Owner: rep.ID, Client: "Northwind Logistics",
			End: end, Renewal: renewal, DaysLeft: datetest.Days(today, end),
			NoticeDeadline: deadline, NoticeDaysLeft: datetest.Days(today, deadline),
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
		c := signed(t, tm)
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
