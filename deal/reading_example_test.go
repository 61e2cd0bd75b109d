package deal_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord/deal"
)

func ExampleProcess_Read() {
	p, err := deal.NewProcess(deal.Config{ClosedWon: "onboard", Stages: []deal.Stage{
		{ID: "qualify", Name: "Qualify"}, {ID: "demo", Name: "Demo"},
		{ID: "propose", Name: "Propose"}, {ID: "onboard", Name: "Onboard"},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := deal.Deal{ID: "d-42", Owner: rep.ID}
	day := func(n int) time.Time { return monday.AddDate(0, 0, n) }
	for _, err := range []error{
		p.Open(&d, rep, day(0)),
		p.Advance(&d, rep, day(2)),
		p.Advance(&d, rep, day(3)),
		p.Revert(&d, "demo", "the champion left", rep, day(7)),
		p.Lose(&d, deal.LossChampionLeft, "", rep, day(8)),
		p.Reopen(&d, "demo", "a new champion", rep, day(30)),
		p.Advance(&d, rep, day(31)),
		p.Advance(&d, rep, day(33)),
	} {
		if err != nil {
			fmt.Println(err)
			return
		}
	}

	// One Reading, reused for every deal read, allocates nothing once grown.
	var r deal.Reading
	if err := p.Read(&d, &r); err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Stays() {
		fmt.Printf("%-8s %3.0f days\n", s.Stage, s.Duration.Hours()/24)
	}
	fmt.Println(r.Outcome, "on", r.WonAt.Format(time.DateOnly), "after", r.Reverts, "revert and", r.Reopens, "reopen")

	// A history edited by hand is refused, naming the event and the rule.
	d.History[2].From = "qualify"
	fmt.Println(p.Read(&d, &r))
	// Output:
	// qualify    2 days
	// demo       1 days
	// propose    4 days
	// demo       1 days
	// lost      22 days
	// demo       1 days
	// propose    2 days
	// onboard    0 days
	// won on 2026-04-04 after 1 revert and 1 reopen
	// deal "d-42": history[2].from: must be demo, where event 1 went; got qualify
	// history[2].to: an advance from qualify must go to the next stage; went to propose
}
