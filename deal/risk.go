package deal

import (
	"fmt"
	"time"
)

// RiskKind is a stable code for a risk flag.
type RiskKind string

// The risk flags.
const (
	// RiskNoNextStep: no next step is scheduled, or the scheduled one is in
	// the past.
	RiskNoNextStep RiskKind = "no_next_step"
	// RiskSingleThreaded: fewer than two engaged stakeholders in a stage
	// that needs more (from solution alignment on, by default).
	RiskSingleThreaded RiskKind = "single_threaded"
	// RiskNoBusinessCase: no quantified business case in a stage that needs
	// one (from business case on, by default).
	RiskNoBusinessCase RiskKind = "no_business_case"
	// RiskStalled: in the stage longer than its healthy time.
	RiskStalled RiskKind = "stalled"
	// RiskCloseDateSlipped: the expected close date was moved later; Count
	// says how many times.
	RiskCloseDateSlipped RiskKind = "close_date_slipped"
	// RiskCloseDatePassed: the expected close date is a day before today.
	RiskCloseDatePassed RiskKind = "close_date_passed"
)

// Risk is one risk flag raised on a deal.
type Risk struct {
	Kind    RiskKind `json:"kind"`
	Message string   `json:"message"`
	// Count is the number of slips for RiskCloseDateSlipped, the days over
	// the healthy time for RiskStalled, and 0 otherwise.
	Count int `json:"count"`
}

// Risks returns the risk flags of an open deal at now, in the order of the
// RiskKind constants. It returns nil for a deal that is live or lost or in a
// stage the process does not have. A deal won but still in an open stage
// (handoff, in the default process) is flagged for what that stage asks
// (a next step, its healthy time) but not for its close date, which no
// longer forecasts anything. Dates are compared as calendar days in now's
// location.
func (p *Process) Risks(d *Deal, now time.Time) []Risk {
	if p.usable(d) != nil {
		return nil
	}
	i, open := p.index[d.Stage]
	if !open {
		return nil
	}
	st := &p.stages[i]
	var out []Risk
	if d.NextStep.At.IsZero() || d.NextStep.At.Before(now) {
		out = append(out, Risk{Kind: RiskNoNextStep, Message: "No next step is scheduled with the buyer."})
	}
	if st.MultiThreaded {
		if n := engagedCount(d); n < 2 {
			out = append(out, Risk{Kind: RiskSingleThreaded, Message: fmt.Sprintf("Only %d engaged stakeholder(s); engage at least two.", n)})
		}
	}
	if st.NeedsBusinessCase && !hasImpact(d) {
		out = append(out, Risk{Kind: RiskNoBusinessCase, Message: "The business case is not quantified."})
	}
	if st.HealthyDays > 0 {
		if in := d.TimeInStage(now); in > days(st.HealthyDays) {
			over := int((in - days(st.HealthyDays) + days(1) - 1) / days(1))
			out = append(out, Risk{Kind: RiskStalled, Count: over,
				Message: fmt.Sprintf("In %s for longer than its healthy %d days.", st.Name, st.HealthyDays)})
		}
	}
	if p.Won(d) {
		return out
	}
	if n := d.Slips(); n > 0 {
		out = append(out, Risk{Kind: RiskCloseDateSlipped, Count: n, Message: fmt.Sprintf("The close date was moved later %d time(s).", n)})
	}
	if !d.CloseDate.IsZero() && dayBefore(d.CloseDate, now) {
		out = append(out, Risk{Kind: RiskCloseDatePassed, Message: "The expected close date has passed."})
	}
	return out
}

func engagedCount(d *Deal) int {
	n := 0
	for i := range d.Stakeholders {
		if d.Stakeholders[i].Engaged {
			n++
		}
	}
	return n
}

// dayBefore reports whether t falls on a calendar day before now's, both
// taken in now's location.
func dayBefore(t, now time.Time) bool {
	ty, tm, td := t.In(now.Location()).Date()
	ny, nm, nd := now.Date()
	if ty != ny {
		return ty < ny
	}
	if tm != nm {
		return tm < nm
	}
	return td < nd
}
