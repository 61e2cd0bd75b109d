package assess_test

import (
	"fmt"

	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/assess"
	"github.com/shopspring/decimal"
)

func ExampleMaturity() {
	r, err := assess.Maturity(assess.MaturityFigures{
		SystemOfRecord: true,
		WeeklyActive:   metrics.Rate{Num: 17, Den: 20},
		DefinedProcess: true,
		RequiredFields: metrics.Rate{Num: 870, Den: 1000},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("stage", r.Stage, r.Name)
	for _, c := range r.Missing {
		fmt.Println("missing:", c.ID)
	}
	// Output:
	// stage 2 defined
	// missing: required_fields_95
	// missing: idle_20
	// missing: duplicates_5
	// missing: forecast_75
}

func ExampleScore() {
	w := decimal.RequireFromString
	sc, err := assess.Score(
		[]assess.ScoreCriterion{
			{ID: assess.WorkflowFit, Name: "Fits how the team works", Weight: w("0.5")},
			{ID: "cost", Name: "Total cost", Weight: w("0.5")},
		},
		[]assess.VendorScores{
			{Vendor: "Cheap CRM", Scores: map[string]int{assess.WorkflowFit: 2, "cost": 5}},
			{Vendor: "Fitting CRM", Scores: map[string]int{assess.WorkflowFit: 5, "cost": 3}},
		})
	if err != nil {
		panic(err)
	}
	for _, v := range sc.Ranking {
		fmt.Println(v.Vendor, v.Total, v.Eliminated)
	}
	fmt.Println("winner:", sc.Winners)
	// Output:
	// Fitting CRM 4 false
	// Cheap CRM 3.5 true
	// winner: [Fitting CRM]
}
