package metrics_test

import (
	"fmt"

	"github.com/accordhq/accord/metrics"
)

// Three deals: one moved through the process, one set to won by hand, one
// just opened. Every figure of rep b falls below 90%, each with what drags
// it down.
func ExampleNewConsistency() {
	p := smbProcess(fatal{}, "smb")
	c, _ := metrics.NewConsistency(p, metrics.ConsistencyOptions{Teams: map[string]string{"a": "east", "b": "west"}})
	for _, d := range consistencyDeals(fatal{}, p) {
		if err := c.Add(d); err != nil {
			fmt.Println(err)
		}
	}
	res := c.Result()
	for _, g := range res.ByRep {
		fmt.Printf("rep %s: through the process %s, criteria held %s\n", g.Key, g.ThroughProcess, g.CriteriaHeld)
	}
	for _, f := range res.Flags {
		if f.Group == metrics.GroupRep {
			fmt.Printf("flag %s %s %s: %s, dragged by %v\n", f.Group, f.Key, f.Figure, f.Rate, f.Drag)
		}
	}
	// Output:
	// rep a: through the process 100.00% (1/1), criteria held 100.00% (2/2)
	// rep b: through the process 50.00% (1/2), criteria held 0.00% (0/1)
	// flag rep b through_process: 50.00% (1/2), dragged by [{history[].to 1}]
	// flag rep b criteria_held: 0.00% (0/1), dragged by [{qualify/why_now 1}]
	// flag rep b required_fields: 0.00% (0/1), dragged by [{qualification.why_now 1}]
	// flag rep b activity_logged: 33.33% (1/3), dragged by [{qualify 1} {won 1}]
}
