package adoption_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/adoption"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
)

func TestActivity(t *testing.T) {
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	a, err := adoption.NewActivity(adoption.ActivityOptions{From: from, To: from.Add(14 * day), Location: time.UTC, Reps: []string{"u1", "u2", "u3"}})
	if err != nil {
		t.Fatal(err)
	}
	log := func(by string, at time.Time) deal.Activity { return deal.Activity{Kind: "call", By: by, At: at} }
	d := func(n int, h int) time.Time { return from.Add(time.Duration(n)*day + time.Duration(h)*time.Hour) }
	for _, act := range []deal.Activity{
		log("u1", d(0, 10)), log("u1", d(0, 15)), log("u1", d(1, 9)), log("u1", d(8, 9)),
		log("u2", d(1, 9)), log("u2", d(13, 23)),
		log("u4", d(7, 12)),
		log("u1", d(14, 0)), log("u1", d(-1, 12)), // outside
	} {
		if err := a.Add(act); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Add(log("", d(1, 1))); !cmp.Equal(calctest.FieldsOf(err), []string{"by"}) {
		t.Errorf("Add without a rep = %v, want by is required", err)
	}
	days := []adoption.ActiveCount{}
	for i, n := range []int64{1, 2, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1} {
		days = append(days, adoption.ActiveCount{Period: from.Add(time.Duration(i) * day).Format(time.DateOnly), Reps: n})
	}
	want := adoption.ActivityResult{
		Activities: 7, Outside: 2, Rejected: 1,
		Days:  days,
		Weeks: []adoption.ActiveCount{{Period: "2026-W10", Reps: 2}, {Period: "2026-W11", Reps: 3}},
		DAU:   metrics.Ratio{Num: 6, Den: 14},
		WAU:   metrics.Ratio{Num: 5, Den: 2},
		Logging: []adoption.RepLogging{
			{Rep: "u1", PerWeek: metrics.Ratio{Num: 4, Den: 2}},
			{Rep: "u2", PerWeek: metrics.Ratio{Num: 2, Den: 2}},
			{Rep: "u3", PerWeek: metrics.Ratio{Num: 0, Den: 2}},
			{Rep: "u4", PerWeek: metrics.Ratio{Num: 1, Den: 2}},
		},
	}
	if diff := cmp.Diff(want, a.Result()); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	_, err = adoption.NewActivity(adoption.ActivityOptions{From: from, To: from.AddDate(11, 0, 0), Location: time.UTC})
	if !cmp.Equal(calctest.FieldsOf(err), []string{"to"}) {
		t.Errorf("NewActivity over 11 years = %v, want to refused", err)
	}
}

// TestMergeRefusesOtherZones: two unnamed fixed zones are different zones.
func TestMergeRefusesOtherZones(t *testing.T) {
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	to := from.Add(7 * day)
	a, _ := adoption.NewActivity(adoption.ActivityOptions{From: from, To: to, Location: time.FixedZone("", 0)})
	b, _ := adoption.NewActivity(adoption.ActivityOptions{From: from, To: to, Location: time.FixedZone("", 3600)})
	if err := b.Add(deal.Activity{By: "r", At: to.Add(-30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(b); err == nil {
		t.Fatal("merged activity kept in two different zones")
	}
	_ = a.Result() // and nothing panics
	same, _ := adoption.NewActivity(adoption.ActivityOptions{From: from, To: to, Location: time.FixedZone("", 0)})
	if err := a.Merge(same); err != nil {
		t.Errorf("two fixed zones at the same offset: %v", err)
	}
}
