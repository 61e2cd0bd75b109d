package adoption_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/adoption"
)

// Adoption over two weeks of a team of three: who logged activities, how
// many reps were active a day and a week, and each rep's logging rate.
func ExampleNewActivity() {
	from := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC) // a Monday
	a, err := adoption.NewActivity(adoption.ActivityOptions{
		From: from, To: from.AddDate(0, 0, 14), Location: time.UTC,
		Reps: []string{"u-1", "u-2", "u-3"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, act := range []deal.Activity{
		{Kind: "call", By: "u-1", At: from.Add(10 * time.Hour)},
		{Kind: "email", By: "u-1", At: from.Add(34 * time.Hour)},
		{Kind: "meeting", By: "u-2", At: from.Add(35 * time.Hour)},
		{Kind: "call", By: "u-1", At: from.AddDate(0, 0, 8)},
	} {
		if err := a.Add(act); err != nil {
			fmt.Println(err)
			return
		}
	}
	r := a.Result()
	fmt.Println("daily active:", r.DAU, "weekly active:", r.WAU)
	for _, w := range r.Weeks {
		fmt.Println(w.Period, w.Reps, "active")
	}
	for _, l := range r.Logging {
		fmt.Println(l.Rep, "logs", l.PerWeek, "a week")
	}
	// Output:
	// daily active: 0.29 (4/14) weekly active: 1.50 (3/2)
	// 2026-W10 2 active
	// 2026-W11 1 active
	// u-1 logs 1.50 (3/2) a week
	// u-2 logs 0.50 (1/2) a week
	// u-3 logs 0.00 (0/2) a week
}

// Records nobody engaged with in the last 12 months are stale, and so are
// those nobody ever engaged with.
func ExampleNewStale() {
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	s, err := adoption.NewStale(adoption.StaleOptions{Now: now, Location: time.UTC}) // 12 months
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range []adoption.Record{
		{ID: "c-1", Name: "Acme", LastEngagedAt: now.AddDate(0, -2, 0)},
		{ID: "c-2", Name: "Globex", LastEngagedAt: now.AddDate(-1, 0, -1)},
		{ID: "c-3", Name: "Initech"},
	} {
		if err := s.Add(r); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("stale:", s.Result().Stale)
	// Output: stale: 66.67% (2/3)
}

func ExampleDuplicates() {
	u, err := adoption.NewDuplicates(adoption.DuplicateOptions{CountryCode: "1"})
	if err != nil {
		panic(err)
	}
	for _, r := range []adoption.Record{
		{ID: "c-1", Name: "Acme, Inc.", Phone: "(415) 555-0100"},
		{ID: "c-2", Name: "ACME", Phone: "+1 415 555 0100"},
		{ID: "c-3", Name: "Globex", Email: "ops@globex.com"},
		{ID: "c-4", Name: "Globex Corp", Email: "OPS@globex.com "},
	} {
		if err := u.Add(r); err != nil {
			panic(err)
		}
	}
	r := u.Result()
	fmt.Println(r.Groups, r.Duplicates)
	// Output: [[c-1 c-2] [c-3 c-4]] 100.00% (4/4)
}
