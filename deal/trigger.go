package deal

import (
	"fmt"
	"time"

	"github.com/accordhq/accord"
)

// ActionKind is a stable code for an automation action.
type ActionKind string

// The automation actions.
const (
	// ActionFollowUp asks the owner to follow up: a task due a set number
	// of days after the deal entered a stage (proposal, by default).
	ActionFollowUp ActionKind = "follow_up_task"
	// ActionIdleAlert alerts the sales manager of a deal that has sat in its
	// stage with no activity for the process's idle-alert days.
	ActionIdleAlert ActionKind = "idle_alert"
	// ActionHandoffNotice tells implementation that a deal was won.
	ActionHandoffNotice ActionKind = "handoff_notice"
	// ActionLeadResponse alerts the owner of an inbound lead no one has
	// touched in the process's LeadResponse.AlertMinutes.
	ActionLeadResponse ActionKind = "lead_response_alert"
	// ActionLeadEscalation alerts the sales manager of an inbound lead no
	// one has touched in the process's LeadResponse.EscalateMinutes.
	ActionLeadEscalation ActionKind = "lead_response_escalation"
)

// Action is something a host should carry out: create a task, send an
// alert. The library never carries it out itself.
type Action struct {
	Kind   ActionKind `json:"kind"`
	DealID string     `json:"deal_id"`
	// Key identifies this occurrence: the same situation yields the same
	// key on every call, so a host that calls [Process.Triggers] on every
	// save or on a schedule carries out each action once by remembering
	// the keys it has done.
	Key string `json:"key"`
	// To is the role that should receive it; Owner is the deal's owner.
	To    accord.Role `json:"to"`
	Owner string      `json:"owner"`
	// Due is when the action fell due.
	Due     time.Time `json:"due"`
	Message string    `json:"message"`
}

// Triggers returns the actions due for d at now, in the order of the
// ActionKind constants:
//
//   - a follow-up task for the owner once the deal has been FollowUpDays
//     in a stage that sets them;
//   - an alert to the sales manager once an open deal has gone the
//     process's IdleAlertDays without activity in its stage, counted from
//     the later of its entry into the stage and its last activity;
//   - a handoff notice to the implementation lead while the deal sits in
//     the Closed Won stage it was won into;
//   - an alert to the owner once an inbound lead of an open deal has gone
//     LeadResponse.AlertMinutes since it arrived with no first touch, and
//     an escalation to the sales manager at LeadResponse.EscalateMinutes
//     (both are listed once both are due).
//
// Which of them a process fires, and their thresholds, are part of its
// definition ([Config], and its JSON form, see [Load]): RevOps changes
// them without a deploy. The key of a follow-up, idle alert or handoff
// notice is kind:deal:stage:time, with the time the action counts from;
// the key of a lead alert is kind:deal:lead:received, with the lead's
// arrival, so that it stays the same whatever stage the deal moves to.
func (p *Process) Triggers(d *Deal, now time.Time) []Action {
	if p.usable(d) != nil {
		return nil
	}
	i, open := p.index[d.Stage]
	var out []Action
	if open && p.stages[i].FollowUpDays > 0 {
		due := d.StageEnteredAt.Add(days(p.stages[i].FollowUpDays))
		if !now.Before(due) {
			out = append(out, Action{
				Kind: ActionFollowUp, DealID: d.ID, To: accord.RoleSalesRep, Owner: d.Owner, Due: due,
				Key:     key(ActionFollowUp, d, d.StageEnteredAt),
				Message: fmt.Sprintf("Follow up on %s: %d days in %s.", d.ID, p.stages[i].FollowUpDays, p.stages[i].Name),
			})
		}
	}
	if open && p.idleAlert > 0 {
		last := d.StageEnteredAt
		for _, a := range d.Activities {
			if a.At.After(last) {
				last = a.At
			}
		}
		due := last.Add(days(p.idleAlert))
		if !now.Before(due) {
			out = append(out, Action{
				Kind: ActionIdleAlert, DealID: d.ID, To: accord.RoleSalesManager, Owner: d.Owner, Due: due,
				Key:     key(ActionIdleAlert, d, last),
				Message: fmt.Sprintf("%s has had no activity in %s for %d days or more.", d.ID, d.Stage, p.idleAlert),
			})
		}
	}
	if d.Stage == p.ClosedWon() && len(d.History) > 0 {
		if won := lastMove(d.History); won.Kind == EventWon {
			out = append(out, Action{
				Kind: ActionHandoffNotice, DealID: d.ID, To: accord.RoleImplementationLead, Owner: d.Owner, Due: won.At,
				Key:     key(ActionHandoffNotice, d, won.At),
				Message: fmt.Sprintf("%s was won: start the handoff to implementation.", d.ID),
			})
		}
	}
	if l := &d.Lead; open && l.Inbound && !l.ReceivedAt.IsZero() && l.FirstTouchAt.IsZero() {
		for _, t := range [2]struct {
			kind    ActionKind
			minutes int
			to      accord.Role
		}{
			{ActionLeadResponse, p.lead.AlertMinutes, accord.RoleSalesRep},
			{ActionLeadEscalation, p.lead.EscalateMinutes, accord.RoleSalesManager},
		} {
			if t.minutes <= 0 {
				continue
			}
			due := l.ReceivedAt.Add(time.Duration(t.minutes) * time.Minute)
			if now.Before(due) {
				continue
			}
			out = append(out, Action{
				Kind: t.kind, DealID: d.ID, To: t.to, Owner: d.Owner, Due: due,
				Key:     fmt.Sprintf("%s:%s:lead:%d", t.kind, d.ID, l.ReceivedAt.UnixNano()),
				Message: fmt.Sprintf("The inbound lead of %s is untouched %d minutes after it arrived: touch it now.", d.ID, t.minutes),
			})
		}
	}
	return out
}

func key(k ActionKind, d *Deal, at time.Time) string {
	return fmt.Sprintf("%s:%s:%s:%d", k, d.ID, d.Stage, at.UnixNano())
}
