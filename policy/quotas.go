package policy

import (
	"fmt"
	"strings"

	"github.com/accordhq/accord"
)

// NoQuotas returns the policy that no individual carries a sales quota:
// a plan target for a person, whatever its period (month, quarter, year or
// another), violates it. Targets for a team are allowed.
func NoQuotas() Policy {
	return fixed{IDNoQuotas, "No individual sales quotas: targets belong to the team."}
}

func noQuotas(s Subject) []Violation {
	if s.Plan == nil {
		return nil
	}
	var out []Violation
	for i, t := range s.Plan.Targets {
		if t.Team {
			continue
		}
		out = append(out, s.Violation(IDNoQuotas, fmt.Sprintf("plan.targets[%d]", i), "the plan gives %s %s; set targets for the team, not for a person", who(t.Assignee), quota(t)))
	}
	return out
}

func who(assignee string) string {
	if assignee == "" {
		return "a person"
	}
	return fmt.Sprintf("%q", assignee)
}

func quota(t Target) string {
	var period string
	switch t.Period {
	case accord.PeriodMonth:
		period = "a monthly"
	case accord.PeriodQuarter:
		period = "a quarterly"
	case accord.PeriodYear:
		period = "a yearly"
	default:
		period = "a"
	}
	var of []string
	if t.Amount.IsSet() {
		of = append(of, t.Amount.String())
	}
	if t.Deals > 0 {
		of = append(of, fmt.Sprintf("%d deals", t.Deals))
	}
	if len(of) == 0 {
		return period + " sales quota"
	}
	return period + " sales quota of " + strings.Join(of, " and ")
}
