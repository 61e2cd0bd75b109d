package dealtest_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
)

// A host checks its process at start-up. This one adds a criterion that
// assumes every deal has a stakeholder; Check finds the deal that has none.
func ExampleCheck() {
	fmt.Println(dealtest.Check(deal.Default()))

	cfg := deal.Default().Config()
	cfg.Stages[1].Exit = append(cfg.Stages[1].Exit, deal.Criterion{
		ID:          "champion_engaged",
		Description: "Engage the champion.",
		Rule: deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool {
			return d.Stakeholders[0].Engaged
		}),
	})
	p, err := deal.NewProcess(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dealtest.Check(p))
	// Output:
	// <nil>
	// stages[1].exit[4]: qualification exit criterion "champion_engaged" panicked: runtime error: index out of range [0] with length 0 on the empty deal in targeting at 2026-03-02T09:00:00Z
}

// DealAt draws deals in a given stage, with a history the process could
// have recorded. Example draws one outside a test; in a test, draw from
// the generator inside rapid.Check.
func ExampleDealAt() {
	p := deal.Default()
	d := dealtest.DealAt(p, deal.StageProposal).Example(7)
	last := d.History[len(d.History)-1]
	fmt.Println(d.Stage, last.To, d.Version == len(d.History)-1, d.Validate())
	// Output:
	// proposal proposal true <nil>
}
