package contract_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/internal/datetest"
	"pgregory.net/rapid"
)

// refThreshold is the alert ladder written out: the smallest of 90, 60,
// 30, 14, 7, 3, 1, 0 at or above left, the window's length when none is,
// and never above the window's length.
func refThreshold(left, window int) int {
	t := window
	for _, step := range []int{0, 1, 3, 7, 14, 30, 60, 90} {
		if step >= left {
			t = step
			break
		}
	}
	return min(t, window)
}

// TestAlertKeys: the kind, threshold and key of the alert on given days of
// ctr-1's first term (2026-03-02 to 2027-03-01, notice by 2027-01-30).
func TestAlertKeys(t *testing.T) {
	tests := []struct {
		name         string
		window       int
		notice       int
		day          accord.Date
		kind         contract.AlertKind
		threshold    int
		key          string
		left, toNote int
	}{
		{"window opens", 90, 30, accord.MakeDate(2026, 12, 1), contract.AlertNotice, 60, "renewal:ctr-1:2026-03-02:notice:60", 90, 60},
		{"same step next day", 90, 30, accord.MakeDate(2026, 12, 2), contract.AlertNotice, 60, "renewal:ctr-1:2026-03-02:notice:60", 89, 59},
		{"30 to notice", 90, 30, accord.MakeDate(2026, 12, 31), contract.AlertNotice, 30, "renewal:ctr-1:2026-03-02:notice:30", 60, 30},
		{"notice day", 90, 30, accord.MakeDate(2027, 1, 30), contract.AlertNotice, 0, "renewal:ctr-1:2026-03-02:notice:0", 30, 0},
		{"notice passed", 90, 30, accord.MakeDate(2027, 1, 31), contract.AlertTermEnd, 30, "renewal:ctr-1:2026-03-02:term_end:30", 29, -1},
		{"last day", 90, 30, accord.MakeDate(2027, 3, 1), contract.AlertTermEnd, 0, "renewal:ctr-1:2026-03-02:term_end:0", 0, -30},
		{"long window, no notice", 120, 0, accord.MakeDate(2026, 11, 1), contract.AlertTermEnd, 120, "renewal:ctr-1:2026-03-02:term_end:120", 120, 120},
		{"long window, 91 left", 120, 0, accord.MakeDate(2026, 11, 30), contract.AlertTermEnd, 120, "renewal:ctr-1:2026-03-02:term_end:120", 91, 91},
		{"long window, 90 left", 120, 0, accord.MakeDate(2026, 12, 1), contract.AlertTermEnd, 90, "renewal:ctr-1:2026-03-02:term_end:90", 90, 90},
		{"short window", 45, 0, accord.MakeDate(2027, 1, 15), contract.AlertTermEnd, 45, "renewal:ctr-1:2026-03-02:term_end:45", 45, 45},
		{"short window, 31 left", 45, 0, accord.MakeDate(2027, 1, 29), contract.AlertTermEnd, 45, "renewal:ctr-1:2026-03-02:term_end:45", 31, 31},
		{"short window, 30 left", 45, 0, accord.MakeDate(2027, 1, 30), contract.AlertTermEnd, 30, "renewal:ctr-1:2026-03-02:term_end:30", 30, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := terms()
			tm.WindowDays, tm.NoticeDays = tt.window, tt.notice
			c := signed(t, tm)
			alerts := contract.Due([]contract.Contract{c}, tt.day.In(time.UTC).Add(9*time.Hour))
			if len(alerts) != 1 {
				t.Fatalf("%d alerts on %s; want 1", len(alerts), tt.day)
			}
			a := alerts[0]
			if a.Kind != tt.kind || a.Threshold != tt.threshold || a.Key != tt.key || a.DaysLeft != tt.left || a.NoticeDaysLeft != tt.toNote {
				t.Errorf("alert %s %d %q (%d left, %d to notice); want %s %d %q (%d, %d)",
					a.Kind, a.Threshold, a.Key, a.DaysLeft, a.NoticeDaysLeft, tt.kind, tt.threshold, tt.key, tt.left, tt.toNote)
			}
		})
	}
}

// TestAlertKeyUnique: two alerts share a key exactly when they are about
// the same contract, term, kind and threshold, whatever the contract IDs
// hold (colons included).
func TestAlertKeyUnique(t *testing.T) {
	id := rapid.OneOf(rapid.SampledFrom([]string{"a", "a:b", "b", "a:2026-03-02", "ctr-1:notice", ":", "a:b:c"}), rapid.StringMatching(`[a-c:0-9-]{1,8}`))
	rapid.Check(t, func(t *rapid.T) {
		var alerts []contract.Alert
		var starts []accord.Date
		for i := range 2 {
			tm := terms()
			tm.ID = id.Draw(t, fmt.Sprintf("id%d", i))
			tm.Start = datetest.Gen(2020, 2030).Draw(t, fmt.Sprintf("start%d", i))
			tm.WindowDays = rapid.IntRange(1, 200).Draw(t, fmt.Sprintf("window%d", i))
			tm.NoticeDays = rapid.IntRange(0, tm.WindowDays-1).Draw(t, fmt.Sprintf("notice%d", i))
			c := signed(t, tm)
			day := c.Term.End.AddDays(-rapid.IntRange(0, tm.WindowDays+2).Draw(t, fmt.Sprintf("before_end%d", i)))
			due := contract.Due([]contract.Contract{c}, day.In(time.UTC))
			if !c.InWindow(day.In(time.UTC)) {
				if len(due) != 0 {
					t.Fatalf("alert outside the window: %+v", due)
				}
				return
			}
			alerts, starts = append(alerts, due[0]), append(starts, c.Term.Start)
		}
		a, b := alerts[0], alerts[1]
		same := a.Contract == b.Contract && starts[0] == starts[1] && a.Kind == b.Kind && a.Threshold == b.Threshold
		if (a.Key == b.Key) != same {
			t.Fatalf("keys %q and %q; same occurrence %v", a.Key, b.Key, same)
		}
	})
}

// TestAlertKeyStable: walking every day of a window, each key is one run of
// days (the same on every day of its step, never back once it changed), it
// changes exactly when the kind or the threshold changes, and the next
// term's keys are all new.
func TestAlertKeyStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tm := drawTerms(t, 2027, 2035, 36, 200, 199)
		c := signed(t, tm)
		walk := func(c *contract.Contract) []string {
			var keys []string
			var prev contract.Alert
			for day := c.WindowOpens(); !day.After(c.Term.End); day = day.AddDays(1) {
				due := contract.Due([]contract.Contract{*c}, day.In(time.UTC).Add(12*time.Hour))
				if len(due) != 1 {
					t.Fatalf("%d alerts on %s, in the window", len(due), day)
				}
				a := due[0]
				counted := a.DaysLeft
				if a.Kind == contract.AlertNotice {
					counted = a.NoticeDaysLeft
				}
				if want := refThreshold(counted, tm.WindowDays); a.Threshold != want {
					t.Fatalf("%s: threshold %d with %d days left; want %d", day, a.Threshold, counted, want)
				}
				changed := len(keys) == 0 || a.Kind != prev.Kind || a.Threshold != prev.Threshold
				switch {
				case changed && slices.Contains(keys, a.Key):
					t.Fatalf("%s: key %q comes back after %q", day, a.Key, keys[len(keys)-1])
				case changed:
					keys = append(keys, a.Key)
				case a.Key != keys[len(keys)-1]:
					t.Fatalf("%s: key %q changed to %q within one step", day, keys[len(keys)-1], a.Key)
				}
				prev = a
			}
			return keys
		}
		first := walk(&c)
		if err := c.Renew(tm.Months, c.Term.Value, rep, c.Term.End.In(time.UTC).Add(12*time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, k := range walk(&c) {
			if slices.Contains(first, k) {
				t.Fatalf("the next term repeats key %q", k)
			}
		}
	})
}
