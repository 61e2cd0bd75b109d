package accord_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
)

func ExampleDate_AddMonths() {
	start := accord.MakeDate(2028, time.January, 31)
	fmt.Println(start.AddMonths(1), start.AddMonths(2))
	fmt.Println(start.DaysUntil(start.AddMonths(12)), start.AddDays(-1).Weekday())
	// Output:
	// 2028-02-29 2028-03-31
	// 366 Sunday
}

func ExampleToday() {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	now := time.Date(2026, time.March, 31, 19, 0, 0, 0, time.UTC)
	fmt.Println(accord.Today(now, nil), accord.Today(now, kolkata))
	// Output: 2026-03-31 2026-04-01
}

func ExamplePeriod_Of() {
	day := accord.MakeDate(2026, time.March, 20)
	for _, p := range []accord.Period{accord.PeriodMonth, accord.PeriodQuarter, accord.PeriodYear} {
		first, last := p.Of(day, time.April) // a fiscal year from April
		fmt.Printf("%-7s %s to %s, last 14 days: %v\n", p, first, last, p.InLast(day, 14, time.April))
	}
	// Output:
	// month   2026-03-01 to 2026-03-31, last 14 days: true
	// quarter 2026-01-01 to 2026-03-31, last 14 days: true
	// year    2025-04-01 to 2026-03-31, last 14 days: true
}

func ExampleCalendar_Between() {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Println(err)
		return
	}
	cal := accord.Calendar{Location: paris, Holidays: []accord.Date{accord.MakeDate(2026, time.July, 14)}}
	// From Friday 10 July, 17:00 to Wednesday 15 July, 09:00: the weekend
	// and Bastille Day do not count.
	from := time.Date(2026, time.July, 10, 17, 0, 0, 0, paris)
	to := time.Date(2026, time.July, 15, 9, 0, 0, 0, paris)
	fmt.Println(cal.Between(from, to))
	fmt.Println(cal.Working(accord.MakeDate(2026, time.July, 14)), cal.Day(to))
	// Output:
	// 40h0m0s
	// false 2026-07-15
}

func ExampleCalendar_WorkingDays() {
	cal := accord.Calendar{Holidays: []accord.Date{accord.MakeDate(2026, time.July, 14)}}
	n := 0
	for d := range cal.WorkingDays(accord.MakeDate(2026, time.July, 10)) {
		fmt.Println(d, d.Weekday())
		if n++; n == 4 {
			break
		}
	}
	// Output:
	// 2026-07-10 Friday
	// 2026-07-13 Monday
	// 2026-07-15 Wednesday
	// 2026-07-16 Thursday
}
