package adoption

import (
	"testing"
	"time"
)

// TestMonthsBefore: the cutoff is accord.Date.AddMonths's day, at t's
// clock time and location, clamped to the end of a shorter month.
func TestMonthsBefore(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		t    time.Time
		n    int
		want time.Time
	}{
		{time.Date(2024, 3, 31, 18, 30, 5, 7, ny), 1, time.Date(2024, 2, 29, 18, 30, 5, 7, ny)},
		{time.Date(2023, 3, 31, 9, 0, 0, 0, time.UTC), 1, time.Date(2023, 2, 28, 9, 0, 0, 0, time.UTC)},
		{time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), 12, time.Date(2023, 1, 15, 0, 0, 0, 0, time.UTC)},
		{time.Date(2024, 5, 31, 23, 59, 0, 0, ny), 25, time.Date(2022, 4, 30, 23, 59, 0, 0, ny)},
	} {
		if got := monthsBefore(tc.t, tc.n); !got.Equal(tc.want) || got.Location() != tc.want.Location() {
			t.Errorf("monthsBefore(%s, %d) = %s; want %s", tc.t, tc.n, got, tc.want)
		}
	}
}
