package dealcsv_test

import (
	"fmt"
	"strings"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
	"github.com/accordhq/accord/metrics"
)

// A HubSpot deals export read with the preset, into the pipeline metrics.
func ExampleRead() {
	export := `Record ID,Deal Stage,Create Date,Close Date,Amount,Deal owner,Deal Type,Closed Lost Reason
1,Closed Won,2025-01-06,2025-02-20,12000,Ana,newbusiness,
2,Closed Lost,2025-01-09,2025-02-02,3500,Bo,newbusiness,Too expensive
3,Contract Sent,2025-02-01,,9000,Ana,existingbusiness,
4,Nowhere,2025-02-01,,9000,Ana,existingbusiness,
`
	m, _ := dealcsv.Preset("hubspot")
	m.Entered = nil // this export has no stage history columns
	res, err := dealcsv.Read(strings.NewReader(export), m, dealcsv.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := metrics.NewPipeline(res.Process, metrics.PipelineOptions{})
	var d deal.Deal
	for i := range res.Deals {
		res.Deals[i].Fill(&d)
		_ = p.Add(&d)
	}
	r := p.Result()
	fmt.Println(res.Summary)
	fmt.Println("win rate", r.WinRate)
	for _, l := range r.LossReasons {
		fmt.Println("lost at", l.Stage, "for", l.Reason, l.Deals)
	}
	for _, pr := range res.Problems {
		fmt.Println(pr)
	}
	// Output:
	// rows read 4, deals built 3, rows rejected 1 (unknown stage 1)
	// win rate 50.00% (1/2)
	// lost at appointmentscheduled for price 1
	// line 5: stage (column "Deal Stage"): "Nowhere" is not one of the stages "Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled", "Decision Maker Bought-In", "Contract Sent", "Closed Won"
}

// A mapping written as JSON, starting from the Pipedrive preset for a log
// whose columns have other names and whose stage 7 is onboarding: a deal
// that reached it and was later lost was won, its loss kept apart.
func ExampleLoad() {
	m, err := dealcsv.Load([]byte(`{
	  "preset": "pipedrive",
	  "columns": {"id": "deal_id", "at": "change_time", "field": "changed_field_key",
	              "status": "", "closed": "", "value": "", "currency": "", "owner": "", "loss_reason": ""},
	  "joins": [],
	  "stages": [{"id": "1", "name": "Lead"}, {"id": "2", "name": "Qualified"}, {"id": "7", "name": "Onboarding"}],
	  "closed_won": "7"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	log := `deal_id,change_time,changed_field_key,new_value
9,2024-04-01 10:00:00,add_time,2024-04-01
9,2024-04-01 10:00:00,stage_id,1
9,2024-04-20 10:00:00,stage_id,7
9,2024-06-01 10:00:00,lost_reason,Customer Not Ready
`
	res, err := dealcsv.Read(strings.NewReader(log), m, dealcsv.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := res.Deals[0]
	fmt.Println(d.ID, "is in", d.Label, "after", len(d.History), "events")
	fmt.Println("lost after the win at", d.LostAfterWin.Stage, "for", d.LostAfterWin.Reason)
	fmt.Println(res.LostAfterWin)
	// Output:
	// 9 is in Onboarding after 2 events
	// lost after the win at 7 for timing
	// [{7  1}]
}
