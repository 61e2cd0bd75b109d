package deal_test

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// The self-serve team keeps its process as JSON, a variant of the company's
// process: it skips three stages, moves faster through discovery and asks
// for verified billing details before the proposal.
func ExampleLoadVariant() {
	smb := []byte(`{
		"id": "smb", "name": "Self-serve SMB",
		"remove": ["targeting", "solution_alignment", "business_case"],
		"stages": [
			{"stage": "discovery", "name": "Quick discovery", "healthy_days": 7,
			 "remove_exit": ["constraint_legal", "current_stack"],
			 "add_exit": [{"id": "billing_verified", "description": "Verify the billing details.",
			               "kind": "present", "path": "fields.billing_verified"}]}
		]
	}`)
	p, err := deal.LoadVariant(deal.Default(), smb, deal.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range p.Stages() {
		fmt.Printf("%-13s %-23s %2d days, %2d exit criteria\n", s.ID, s.Name, s.HealthyDays, len(s.Exit))
	}

	// Its deals open in its first stage, under the base's stage IDs.
	rep := accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}
	d := deal.Deal{ID: "d-7", Owner: rep.ID}
	err = p.Open(&d, rep, time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC))
	fmt.Println(err, d.Stage)

	// A mistake in the JSON is reported with its path.
	_, err = deal.LoadVariant(deal.Default(), []byte(`{"stages": [{"stage": "discovery", "healthy_days": "7"}]}`), deal.LoadOptions{})
	fmt.Println(err)
	// Output:
	// qualification Qualification           14 days,  4 exit criteria
	// discovery     Quick discovery          7 days,  9 exit criteria
	// proposal      Proposal and close      30 days,  5 exit criteria
	// handoff       Handoff and onboarding  30 days,  2 exit criteria
	// <nil> qualification
	// stages[0].healthy_days: must be a whole number, at most a billion in size
}
