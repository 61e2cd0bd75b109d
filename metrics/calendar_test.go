package metrics_test

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin for the calendar's daylight saving case

	"github.com/accordhq/accord/metrics"
)

func TestWeekdays(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	cal := metrics.Weekdays(berlin)
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, berlin) }
	for _, c := range []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"within a day", at(2026, 3, 4, 9), at(2026, 3, 4, 17), 8 * time.Hour},
		{"over a weekend", at(2026, 3, 6, 17), at(2026, 3, 9, 9), 16 * time.Hour},
		{"a weekend only", at(2026, 3, 7, 0), at(2026, 3, 9, 0), 0},
		{"two whole weeks", at(2026, 3, 2, 0), at(2026, 3, 16, 0), 10 * day},
		// The clocks go forward on Sunday 29 March: the weekdays keep 24 hours.
		{"across daylight saving", at(2026, 3, 27, 12), at(2026, 3, 30, 12), 24 * time.Hour},
		{"backwards", at(2026, 3, 5, 0), at(2026, 3, 4, 0), 0},
		{"a year", at(2026, 1, 1, 0), at(2027, 1, 1, 0), 261 * day},
	} {
		if got := cal.Between(c.from, c.to); got != c.want {
			t.Errorf("%s: Between = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestWeekdaysBounds: whole weekdays count 24 hours whatever daylight saving
// does, and a span too long for a Duration counts the largest one.
func TestWeekdaysBounds(t *testing.T) {
	jerusalem, err := time.LoadLocation("Asia/Jerusalem")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	// Clocks go forward on Friday 27 March 2026 in Jerusalem.
	mon := time.Date(2026, 3, 23, 0, 0, 0, 0, jerusalem)
	if got := metrics.Weekdays(jerusalem).Between(mon, mon.AddDate(0, 0, 7)); got != 5*24*time.Hour {
		t.Errorf("the week of 23 March 2026 in Jerusalem: %v; want 120h", got)
	}
	fri := time.Date(2026, 3, 27, 0, 0, 0, 0, jerusalem)
	if got := metrics.Weekdays(jerusalem).Between(fri, fri.AddDate(0, 0, 1)); got != 24*time.Hour {
		t.Errorf("Friday 27 March 2026 in Jerusalem: %v; want 24h", got)
	}
	long := metrics.Weekdays(nil).Between(time.Date(1600, 1, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if long != math.MaxInt64 {
		t.Errorf("1600 to 2026 in weekdays: %v; want the largest Duration", long)
	}
}
