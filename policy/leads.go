package policy

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// DefaultResponseMinutes is the default response time of an inbound lead.
const DefaultResponseMinutes = 5

// LeadResponseSLA returns the policy that an inbound lead is first touched
// within minutes of arriving (between 1 and 10080, a week):
//   - a lead first touched later violates it;
//   - so does one still untouched once the time is up.
//
// It checks the subject's Lead, and the deal's lead; a lead that is not
// inbound, or has no arrival time, has no deadline.
func LeadResponseSLA(minutes int) Policy { return leadResponse{minutes: minutes} }

type leadResponse struct{ minutes int }

func (leadResponse) ID() string { return IDLeadResponseSLA }
func (p leadResponse) Description() string {
	return fmt.Sprintf("An inbound lead is first touched within %d minutes.", p.minutes)
}
func (p leadResponse) Params() any {
	return struct {
		Minutes int `json:"minutes"`
	}{p.minutes}
}

var _ Validator = leadResponse{}

// Validate reports a response time out of range.
func (p leadResponse) Validate() error {
	if p.minutes < 1 || p.minutes > 10080 {
		return accord.Invalid("minutes", "must be between 1 and 10080 (a week); got %d", p.minutes)
	}
	return nil
}

func (p leadResponse) Check(s Subject, now time.Time) []Violation {
	var out []Violation
	if s.Lead != nil {
		out = p.lead(out, s, "lead", s.Lead, now)
	}
	if s.Deal != nil {
		out = p.lead(out, s, "deal.lead", &s.Deal.Lead, now)
	}
	return out
}

func (p leadResponse) lead(out []Violation, s Subject, path string, l *deal.Lead, now time.Time) []Violation {
	if !l.Inbound || l.ReceivedAt.IsZero() {
		return out
	}
	limit := time.Duration(p.minutes) * time.Minute
	due := l.ReceivedAt.Add(limit)
	switch {
	case l.FirstTouchAt.IsZero():
		if now.After(due) {
			out = append(out, s.Violation(IDLeadResponseSLA, path+".first_touch_at", "the inbound lead is still untouched %s after it arrived; touch inbound leads within %d minutes", now.Sub(l.ReceivedAt).Round(time.Second), p.minutes))
		}
	case l.FirstTouchAt.After(due):
		out = append(out, s.Violation(IDLeadResponseSLA, path+".first_touch_at", "the inbound lead was first touched %s after it arrived; touch inbound leads within %d minutes", l.FirstTouchAt.Sub(l.ReceivedAt).Round(time.Second), p.minutes))
	}
	return out
}
