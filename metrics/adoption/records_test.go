package adoption_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/adoption"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func TestDuplicatesAndStale(t *testing.T) {
	u, err := adoption.NewDuplicates(adoption.DuplicateOptions{CountryCode: "1"})
	if err != nil {
		t.Fatal(err)
	}
	recs := []adoption.Record{
		{ID: "a1", Name: "Acme, Inc.", Email: "Ops@Acme.com ", Phone: "(415) 555-0100", LastEngagedAt: t0},
		{ID: "a2", Name: "ACME", Email: "ops@acme.com", LastEngagedAt: t0.AddDate(-1, 0, 0)},
		// No email: matches a1 on phone and name, and so joins a1's group.
		{ID: "a3", Name: "acme corp.", Phone: "+1 415-555-0100 ext. 12"},
		// A different email: not a duplicate, whatever the phone.
		{ID: "a4", Name: "Acme", Email: "sales@acme.com", Phone: "415.555.0100", LastEngagedAt: t0.AddDate(-1, 0, 1)},
		{ID: "g1", Name: "The Globex Co", Phone: "00 44 20 7946 0018"},
		{ID: "g2", Name: "Globex", Phone: "+44 (20) 7946-0018"},
		{ID: "h1", Name: "Hooli", Phone: "555"},
		{ID: "h2", Name: "Hooli", Phone: "555"},
	}
	for _, r := range recs {
		if err := u.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.Add(adoption.Record{Name: "no id"}); !cmp.Equal(calctest.FieldsOf(err), []string{"id"}) {
		t.Errorf("Add without an ID = %v, want id is required", err)
	}
	want := adoption.DuplicateResult{
		Records: 8, Rejected: 1, Duplicates: metrics.Rate{Num: 6, Den: 8},
		Groups: [][]string{{"a1", "a2", "a3", "a4"}, {"g1", "g2"}},
	}
	// a4 has its own email, but a3 (no email) matches it on phone and name:
	// duplicates group transitively.
	if diff := cmp.Diff(want, u.Result()); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}

	s, err := adoption.NewStale(adoption.StaleOptions{Now: t0, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[:4] {
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	// a2's last engagement is exactly 12 months ago: not stale; a3 was
	// never engaged: stale.
	if diff := cmp.Diff(adoption.StaleResult{Records: 4, Stale: metrics.Rate{Num: 1, Den: 4}}, s.Result()); diff != "" {
		t.Errorf("Stale (-want +got):\n%s", diff)
	}
	if _, err := adoption.NewDuplicates(adoption.DuplicateOptions{CountryCode: "+1"}); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("NewDuplicates(+1) = %v, want ErrInvalid", err)
	}
}

// TestStaleMonthEnd: a month before 31 March is 28 February, not 3 March.
func TestStaleMonthEnd(t *testing.T) {
	for _, tt := range []struct {
		now     time.Time
		months  int
		engaged time.Time
		stale   bool
	}{
		{time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), 1, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), 1, time.Date(2026, 2, 28, 11, 59, 0, 0, time.UTC), true},
		{time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), 12, time.Date(2027, 2, 28, 13, 0, 0, 0, time.UTC), false},
		{time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), 12, time.Date(2027, 2, 28, 11, 0, 0, 0, time.UTC), true},
	} {
		s, err := adoption.NewStale(adoption.StaleOptions{Now: tt.now, Months: tt.months, Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Add(adoption.Record{ID: "r", LastEngagedAt: tt.engaged}); err != nil {
			t.Fatal(err)
		}
		if got := s.Result().Stale.Num == 1; got != tt.stale {
			t.Errorf("now %s, %d months, engaged %s: stale %v; want %v", tt.now.Format(time.DateTime), tt.months, tt.engaged.Format(time.DateTime), got, tt.stale)
		}
	}
}

// TestStaleMonthsBound: a count of months too large for a date is refused
// rather than wrapping around.
func TestStaleMonthsBound(t *testing.T) {
	if _, err := adoption.NewStale(adoption.StaleOptions{Now: t0.Add(40 * day), Months: math.MaxInt, Location: time.UTC}); err == nil {
		t.Error("Months MaxInt accepted")
	}
}
