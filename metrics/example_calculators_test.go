package metrics_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
)

// Two deals won after 10 and 20 days, one lost, two in the pipeline: the
// pipeline is worth about 3,556 USD of revenue a day.
func ExampleNewVelocity() {
	// A one-step process: a deal is won when it leaves the pitch.
	p, err := deal.NewProcess(deal.Config{ClosedWon: "won", Stages: []deal.Stage{
		{ID: "pitch", Name: "Pitch"}, {ID: "won", Name: "Won"},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := metrics.NewVelocity(p, metrics.VelocityOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	for _, x := range []struct {
		id, value, outcome string
		days               int
	}{
		{"d-1", "30000", "won", 10},
		{"d-2", "50000", "won", 20},
		{"d-3", "40000", "lost", 5},
		{"d-4", "20000", "open", 0},
		{"d-5", "60000", "open", 0},
	} {
		value, _ := accord.ParseMoney(x.value, "USD")
		d := deal.Deal{ID: x.id, Owner: rep.ID, Value: value}
		err := p.Open(&d, rep, start)
		at := start.AddDate(0, 0, x.days)
		switch x.outcome {
		case "won":
			err = p.Advance(&d, rep, at)
		case "lost":
			err = p.Lose(&d, deal.LossCompetitor, "", rep, at)
		}
		if err == nil {
			err = v.Add(&d)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	g := v.Result().Groups[0]
	fmt.Println("opportunities:", g.Opportunities, "win rate:", g.WinRate)
	fmt.Println("average won:", g.AverageWonValue, "in", *g.AverageCycle)
	fmt.Println("velocity:", g.PerDay, "a day")
	// Output:
	// opportunities: 2 win rate: 66.67% (2/3)
	// average won: 40000.00 USD in 360h0m0s
	// velocity: 3555.56 USD a day
}

// Discipline in a pipeline, ten days after three deals were opened: two
// have a next step, one a close date that slipped, one a strong champion.
func ExampleNewHealth() {
	p := deal.Default()
	rep := accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	now := start.AddDate(0, 0, 10)

	a := deal.Deal{ID: "d-1", Owner: rep.ID}
	b := deal.Deal{ID: "d-2", Owner: rep.ID}
	c := deal.Deal{ID: "d-3", Owner: rep.ID}
	for _, d := range []*deal.Deal{&a, &b, &c} {
		if err := p.Open(d, rep, start); err != nil {
			fmt.Println(err)
			return
		}
	}
	a.NextStep = deal.NextStep{At: now.AddDate(0, 0, 2), Purpose: "demo to the VP"}
	_ = a.SetCloseDate(start.AddDate(0, 1, 0), rep, start)
	_ = a.SetCloseDate(start.AddDate(0, 2, 0), rep, start.AddDate(0, 0, 7)) // moved a month later
	c.NextStep = deal.NextStep{At: now.AddDate(0, 0, 1), Purpose: "call the champion"}
	c.BusinessCase.ChampionStrength = deal.StrengthStrong

	h, err := metrics.NewHealth(p, metrics.HealthOptions{Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range []*deal.Deal{&a, &b, &c} {
		if err := h.Add(d); err != nil {
			fmt.Println(err)
			return
		}
	}
	r := h.Result()
	fmt.Println("in the pipeline:", r.InPipeline)
	fmt.Println("no next step:", r.NoNextStep)
	fmt.Println("slipped close date:", r.SlippedCloseDate)
	fmt.Println("strong champions:", r.Champion.StrongRate())
	// Output:
	// in the pipeline: 3
	// no next step: 33.33% (1/3)
	// slipped close date: 100.00% (1/1)
	// strong champions: 33.33% (1/3)
}

// Required-field completion by stage, and idle deals: of two deals in
// targeting, one has its segment recorded, and one has not been touched for
// three weeks.
func ExampleNewHygiene() {
	p := deal.Default()
	rep := accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	now := start.AddDate(0, 0, 21)

	fresh := deal.Deal{ID: "d-1", Owner: rep.ID, Segment: "mid-market"}
	idle := deal.Deal{ID: "d-2", Owner: rep.ID}
	_ = p.Open(&fresh, rep, start)
	_ = p.Open(&idle, rep, start)
	fresh.Activities = []deal.Activity{{Kind: "call", At: now.AddDate(0, 0, -1), By: rep.ID}}

	h, err := metrics.NewHygiene(p, metrics.HygieneOptions{Now: now}) // idle after 14 days
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = h.Add(&fresh)
	_ = h.Add(&idle)
	r := h.Result()
	t := r.Stages[0]
	fmt.Println(t.Stage, "fields complete:", t.Fields)
	for _, f := range t.ByField {
		fmt.Println(" ", f.Field, f.Rate)
	}
	fmt.Println("idle:", r.Idle)
	// Output:
	// targeting fields complete: 16.67% (1/6)
	//   segment 50.00% (1/2)
	//   targeting.trigger 0.00% (0/2)
	//   targeting.hypothesis 0.00% (0/2)
	// idle: 50.00% (1/2)
}

// Wins bunched at the end of the quarter: of four wins, two closed in the
// last 14 days of a quarter of the fiscal year that starts in April.
func ExampleNewPeriodEnd() {
	p, err := deal.NewProcess(deal.Config{ClosedWon: "won", Stages: []deal.Stage{
		{ID: "pitch", Name: "Pitch"}, {ID: "won", Name: "Won"},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ist := time.FixedZone("IST", 5*3600+1800)
	c, err := metrics.NewPeriodEnd(p, metrics.PeriodEndOptions{
		Period: accord.PeriodQuarter, Days: 14, FiscalYearStart: time.April, Location: ist,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}
	for i, won := range []time.Time{
		time.Date(2026, time.May, 5, 10, 0, 0, 0, ist),
		time.Date(2026, time.June, 26, 10, 0, 0, 0, ist), // the quarter ends on 30 June
		time.Date(2026, time.June, 30, 18, 0, 0, 0, ist),
		time.Date(2026, time.July, 1, 10, 0, 0, 0, ist), // the next quarter
	} {
		d := deal.Deal{ID: fmt.Sprint("d-", i), Owner: rep.ID}
		err := p.Open(&d, rep, won.AddDate(0, 0, -30))
		if err == nil {
			err = p.Advance(&d, rep, won)
		}
		if err == nil {
			err = c.Add(&d)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("won in the last 14 days of a quarter:", c.Result().Clustering)
	// Output:
	// won in the last 14 days of a quarter: 50.00% (2/4)
}

// Forecast accuracy by quarter, from what was forecast and what closed.
// The zero Forecasts is ready to use.
func ExampleForecasts() {
	usd := func(s string) accord.Money { m, _ := accord.ParseMoney(s, "USD"); return m }
	var f metrics.Forecasts
	for _, s := range []metrics.Snapshot{
		{Key: "2026-Q1", Forecast: usd("100000"), Actual: usd("80000")},
		{Key: "2026-Q2", Forecast: usd("120000"), Actual: usd("125000")},
	} {
		if err := f.Add(s); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, a := range f.Result().Groups {
		v, _ := a.Value()
		fmt.Printf("%s: %.1f%% accurate, within 10%%: %v\n", a.Key, 100*v, a.AtLeast(90))
	}
	// Output:
	// 2026-Q1: 75.0% accurate, within 10%: false
	// 2026-Q2: 96.0% accurate, within 10%: true
}
