package scope_test

import (
	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// planSame fails the test with what and the difference when got is not
// want, compared with planExact.
func planSame(t planTB, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got, planExact); diff != "" {
		t.Fatalf("%s:\n%s", what, diff)
	}
}

// planDrawWork draws what the property tests of Feasibility and Schedule
// work on: a valid calendar, a valid scope under it, its steps shuffled
// out of order half the time, and a capacity for its roles.
func planDrawWork(t *rapid.T) (accord.Calendar, scope.SOW, scope.Capacity) {
	cal := planValidCalendar().Draw(t, "calendar")
	s := planValidSOW(cal).Draw(t, "sow")
	if rapid.Bool().Draw(t, "disordered") {
		planDisorder(t, &s)
	}
	return cal, s, planCapacity(s).Draw(t, "capacity")
}
