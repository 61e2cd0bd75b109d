package csvmap

import (
	"fmt"
	"testing"
	"time"
)

// TestISODateIsTimeDate: the fast reader, now on accord.Date's calendar,
// gives time.Date's instant for every day of 1900-2999 it accepts, and
// refuses the days that do not exist (30 February, 29 February 1900 and
// 2100, day 32).
func TestISODateIsTimeDate(t *testing.T) {
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 3000; d = d.AddDate(0, 0, 1) {
		got, ok := isoDate(d.Format(time.DateOnly))
		if !ok || got != d {
			t.Fatalf("%s: %v %v", d.Format(time.DateOnly), got, ok)
		}
	}
	for _, s := range []string{"2024-02-30", "1900-02-29", "2100-02-29", "2023-04-31", "2023-01-32", "2023-00-10", "2023-13-01", "2023-01-00", "1899-12-31", "3000-01-01"} {
		if got, ok := isoDate(s); ok {
			t.Errorf("%s: %v, accepted", s, got)
		}
	}
	if got, ok := isoDate("2000-02-29"); !ok || fmt.Sprint(got) != "2000-02-29 00:00:00 +0000 UTC" {
		t.Errorf("2000-02-29: %v %v", got, ok)
	}
}
