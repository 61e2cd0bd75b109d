package scope_test

import (
	"fmt"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// The scope as a plan: each step's planned days under the calendar (with
// Friday 6 March a holiday), the days it takes with one consultant and one
// engineer at eight hours a day, and the Mermaid gantt chart of both.
func ExampleSOW_Schedule() {
	sow := exampleSOW()
	cal := accord.Calendar{Holidays: []accord.Date{accord.MakeDate(2026, 3, 6)}}
	team := scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(8), "engineer": hours(8)}}
	plan, err := sow.Schedule(cal, team)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range plan.Steps {
		fmt.Printf("%-9s planned %s to %s, at capacity %s to %s (slip %d)\n", st.ID, st.Planned.First, st.Planned.Last, st.Feasible.First, st.Feasible.Last, st.Slip)
	}
	fmt.Println("finish", plan.ScopedFinish, "at capacity", plan.FeasibleFinish)
	fmt.Print(plan.Mermaid())
	// Output:
	// audit     planned 2026-03-02 to 2026-03-03, at capacity 2026-03-02 to 2026-03-03 (slip 0)
	// configure planned 2026-03-04 to 2026-03-09, at capacity 2026-03-04 to 2026-03-12 (slip 3)
	// migrate   planned 2026-03-04 to 2026-03-05, at capacity 2026-03-04 to 2026-03-05 (slip 0)
	// integrate planned 2026-03-09 to 2026-03-10, at capacity 2026-03-09 to 2026-03-10 (slip 0)
	// train     planned 2026-03-11 to 2026-03-11, at capacity 2026-03-13 to 2026-03-13 (slip 2)
	// go-live   planned 2026-03-12 to 2026-03-12, at capacity 2026-03-16 to 2026-03-16 (slip 2)
	// finish 2026-03-12 at capacity 2026-03-16
	// gantt
	//     title Northwind pipeline rollout
	//     dateFormat YYYY-MM-DD
	//     section audit
	//     audit :s1, 2026-03-02, 2026-03-04
	//     section configure
	//     configure :s2, 2026-03-04, 2026-03-10
	//     configure at capacity :crit, s2f, 2026-03-04, 2026-03-13
	//     section migrate
	//     migrate :s3, 2026-03-04, 2026-03-06
	//     section integrate
	//     integrate :s4, 2026-03-09, 2026-03-11
	//     section train
	//     train :s5, 2026-03-11, 2026-03-12
	//     train at capacity :crit, s5f, 2026-03-13, 2026-03-14
	//     section go_live
	//     go-live :s6, 2026-03-12, 2026-03-13
	//     go-live at capacity :crit, s6f, 2026-03-16, 2026-03-17
	//     section milestones
	//     Live :milestone, m1, 2026-03-12, 0d
}
