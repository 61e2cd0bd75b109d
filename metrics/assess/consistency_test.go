package assess_test

import (
	"fmt"
	"testing"

	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/assess"
)

// TestMaturityConsistency: a process counts as defined only while it is
// used consistently, and the consistency's required-field completion
// fills an unmeasured one.
func TestMaturityConsistency(t *testing.T) {
	r := func(n, d int64) metrics.Rate { return metrics.Rate{Num: n, Den: d} }
	tests := []struct {
		name    string
		before  assess.MaturityFigures
		overall metrics.ConsistencyFigures
		defined bool
		fields  metrics.Rate
	}{
		{"used", assess.MaturityFigures{}, metrics.ConsistencyFigures{ThroughProcess: r(9, 10), CriteriaHeld: r(19, 20), RequiredFields: r(2, 2)}, true, r(2, 2)},
		{"bypassed", assess.MaturityFigures{DefinedProcess: true, RequiredFields: r(95, 100)}, metrics.ConsistencyFigures{ThroughProcess: r(2, 3), CriteriaHeld: r(2, 3), RequiredFields: r(2, 3)}, false, r(95, 100)},
		{"criteria skipped", assess.MaturityFigures{}, metrics.ConsistencyFigures{ThroughProcess: r(10, 10), CriteriaHeld: r(8, 10)}, false, r(0, 0)},
		{"no moves yet", assess.MaturityFigures{}, metrics.ConsistencyFigures{ThroughProcess: r(10, 10)}, true, r(0, 0)},
		{"nothing measured", assess.MaturityFigures{DefinedProcess: true}, metrics.ConsistencyFigures{}, false, r(0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.before
			f.Consistency(metrics.ConsistencyResult{Target: 90, Overall: tt.overall})
			if f.DefinedProcess != tt.defined || f.RequiredFields != tt.fields {
				t.Errorf("defined %v, required fields %v; want %v, %v", f.DefinedProcess, f.RequiredFields, tt.defined, tt.fields)
			}
		})
	}
}

// A process used by two deals in three is no defined process: the model
// drops from stage 2 to stage 1.
func ExampleMaturityFigures_Consistency() {
	f := assess.MaturityFigures{
		SystemOfRecord: true, DefinedProcess: true,
		WeeklyActive: metrics.Rate{Num: 17, Den: 20}, RequiredFields: metrics.Rate{Num: 90, Den: 100},
	}
	before, _ := assess.Maturity(f)
	f.Consistency(metrics.ConsistencyResult{Target: 90, Overall: metrics.ConsistencyFigures{
		ThroughProcess: metrics.Rate{Num: 2, Den: 3}, CriteriaHeld: metrics.Rate{Num: 2, Den: 3},
	}})
	after, _ := assess.Maturity(f)
	fmt.Println(before.Name, "->", after.Name)
	// Output:
	// defined -> adopted
}
