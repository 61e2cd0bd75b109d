package deal_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord/deal"
)

// A criterion about the buyer asks for evidence: who agreed and when, not
// a ticked box. The rep's note that "the buyer agreed" does not get the
// deal out of solution alignment; naming the stakeholder and the day does.
func ExampleConfirmed() {
	p := deal.Default()
	d, at := openAt(p, deal.StageSolutionAlignment, monday)
	d.Alignment = deal.Alignment{AgreedBy: "the buyer"} // nobody in particular, no date
	fmt.Println("valid:", d.Validate())
	for _, u := range p.Unmet(&d, at) {
		fmt.Println("unmet:", u.Criterion, "-", u.Message)
	}

	d.Alignment = deal.Alignment{AgreedBy: "Lee", AgreedAt: at} // Lee is the champion
	fmt.Println("valid:", d.Validate())
	fmt.Println("unmet:", len(p.Unmet(&d, at)))
	// Output:
	// valid: alignment.agreed_by: must name a stakeholder of the deal; "the buyer" is none
	// unmet: solution_agreed - Record who on the buyer's side agreed that the solution meets the success criteria, and when.
	// valid: <nil>
	// unmet: 0
}

// The lead response SLA is automation the process fires, with thresholds
// its definition sets: an inbound lead untouched 5 minutes alerts the
// owner, 30 minutes the manager. The host carries out each action once, by
// its key.
func ExampleProcess_Triggers_leadResponse() {
	p := deal.Default()
	received := monday
	d := deal.Deal{ID: "d-7", Owner: rep.ID, Lead: deal.Lead{Inbound: true, ReceivedAt: received}}
	if err := p.Open(&d, rep, received); err != nil {
		fmt.Println(err)
		return
	}
	done := map[string]bool{}
	for _, minutes := range []int{3, 6, 15, 31, 45} {
		now := received.Add(time.Duration(minutes) * time.Minute)
		for _, a := range p.Triggers(&d, now) {
			if !done[a.Key] {
				done[a.Key] = true
				fmt.Printf("+%d min: %s to %s\n", minutes, a.Kind, a.To)
			}
		}
	}
	// Output:
	// +6 min: lead_response_alert to sales_rep
	// +31 min: lead_response_escalation to sales_manager
}
