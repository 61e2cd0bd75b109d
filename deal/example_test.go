package deal_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

var (
	rep     = accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	monday  = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	tuesday = monday.Add(24 * time.Hour)
)

func ExampleDefault() {
	p := deal.Default()
	for _, s := range p.Stages() {
		fmt.Printf("%-18s %3s%%  needs: %v\n", s.ID, s.Probability.Shift(2), s.RequiredFields())
	}
	fmt.Println("closed won on entering", p.ClosedWon())
	// Output:
	// targeting            5%  needs: [segment targeting.trigger targeting.hypothesis]
	// qualification       10%  needs: [qualification.why_now qualification.fit stakeholders]
	// discovery           20%  needs: [discovery.problem discovery.desired_outcome discovery.success_criteria discovery.constraints.security discovery.constraints.timeline discovery.constraints.integrations discovery.constraints.legal discovery.current_stack discovery.blockers discovery.requirements]
	// solution_alignment  40%  needs: [discovery.success_criteria alignment.agreed_by next_step]
	// business_case       60%  needs: [business_case.impact business_case.agreed_by stakeholders business_case.champion_strength business_case.decision_plan]
	// proposal            80%  needs: [commercials.decision_path commercials.procurement commercials.legal commercials.implementation_start commercials.final_price commercials.term_months commercials.concessions]
	// handoff            100%  needs: [onboarding.live_at]
	// closed won on entering handoff
}

func ExampleProcess_Advance() {
	p := deal.Default()
	d := deal.Deal{ID: "d-42", Owner: rep.ID, Account: "Northwind"}
	if err := p.Open(&d, rep, monday); err != nil {
		fmt.Println(err)
		return
	}

	// Targeting is not done: the move is refused, and every gap is listed.
	err := p.Advance(&d, rep, tuesday)
	var blocked *accord.BlockedError
	if errors.As(err, &blocked) {
		for _, u := range blocked.Unmet {
			fmt.Println("missing:", u.Criterion, "-", u.Message)
		}
	}
	fmt.Println("still in", d.Stage, "version", d.Version)

	d.Segment = "mid-market"
	d.Targeting.Trigger = "new VP of Sales hired"
	d.Targeting.Hypothesis = "pipeline reviews run on spreadsheets"
	if err := p.Advance(&d, rep, tuesday); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("now in", d.Stage, "version", d.Version)
	// Output:
	// missing: segment - Record the segment the account belongs to.
	// missing: trigger - Record the trigger event that makes this account worth contacting now.
	// missing: account_hypothesis - Write the account hypothesis: the problem we believe they have.
	// still in targeting version 0
	// now in qualification version 1
}

func ExampleProcess_Unmet() {
	p := deal.Default()
	d := deal.Deal{ID: "d-43", Owner: rep.ID}
	_ = p.Open(&d, rep, monday)
	d.Segment = "enterprise"

	for _, u := range p.Unmet(&d, tuesday) {
		fmt.Println(u)
	}
	// Output:
	// targeting exit trigger: Record the trigger event that makes this account worth contacting now. (targeting.trigger)
	// targeting exit account_hypothesis: Write the account hypothesis: the problem we believe they have. (targeting.hypothesis)
}

func ExampleProcess_Revert() {
	p := deal.Default()
	d := deal.Deal{ID: "d-44", Owner: rep.ID, Segment: "smb"}
	d.Targeting = deal.Targeting{Trigger: "funding round", Hypothesis: "no CRM yet"}
	_ = p.Open(&d, rep, monday)
	_ = p.Advance(&d, rep, tuesday)

	// New information invalidates an assumption: back to targeting.
	err := p.Revert(&d, deal.StageTargeting, "the funding round was for another subsidiary", rep, tuesday.Add(time.Hour))
	fmt.Println(err, d.Stage, d.Version)
	last := d.History[len(d.History)-1]
	fmt.Printf("%s %s→%s: %s\n", last.Kind, last.From, last.To, last.Reason)
	// Output:
	// <nil> targeting 2
	// revert qualification→targeting: the funding round was for another subsidiary
}

func ExampleProcess_Lose() {
	p := deal.Default()
	d := deal.Deal{ID: "d-45", Owner: rep.ID}
	_ = p.Open(&d, rep, monday)

	err := p.Lose(&d, deal.DisqualifiedNoNeed, "they built it in-house", rep, tuesday)
	fmt.Println(err, d.Stage, d.Loss.Reason, "at", d.Loss.Stage, d.Loss.Reason.Disqualification())

	// A lost deal moves only by reopen.
	err = p.Advance(&d, rep, tuesday)
	fmt.Println(errors.Is(err, accord.ErrConflict))
	// Output:
	// <nil> lost disqualified_no_need at targeting true
	// true
}

func ExampleProcess_Risks() {
	p := deal.Default()
	d := deal.Deal{ID: "d-46", Owner: rep.ID, Stage: deal.StageBusinessCase, StageEnteredAt: monday}
	d.CloseDate = monday.AddDate(0, 1, 0)
	_ = d.SetCloseDate(monday.AddDate(0, 2, 0), rep, monday)
	d.Stakeholders = []deal.Stakeholder{{Name: "Lee", Role: deal.RoleChampion, Engaged: true}}

	for _, r := range p.Risks(&d, monday.AddDate(0, 0, 30)) {
		fmt.Println(r.Kind, r.Count, "-", r.Message)
	}
	// Output:
	// no_next_step 0 - No next step is scheduled with the buyer.
	// single_threaded 0 - Only 1 engaged stakeholder(s); engage at least two.
	// no_business_case 0 - The business case is not quantified.
	// stalled 9 - In Business case for longer than its healthy 21 days.
	// close_date_slipped 1 - The close date was moved later 1 time(s).
}

func ExampleProcess_Triggers() {
	p := deal.Default()
	d := deal.Deal{ID: "d-47", Owner: rep.ID, Stage: deal.StageProposal, StageEnteredAt: monday}
	d.History = []deal.Event{{Kind: deal.EventAdvance, From: deal.StageBusinessCase, To: deal.StageProposal, At: monday, By: rep}}

	for _, a := range p.Triggers(&d, monday.AddDate(0, 0, 15)) {
		fmt.Println(a.Kind, "to", a.To, "due", a.Due.Format("Jan 2"))
	}
	// Output:
	// follow_up_task to sales_rep due Mar 5
	// idle_alert to sales_manager due Mar 16
}

func ExampleNewProcess() {
	// A two-stage process for self-serve upgrades, with a host rule.
	verified := deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool {
		return d.Fields["billing_verified"] == "yes"
	})
	p, err := deal.NewProcess(deal.Config{
		Stages: []deal.Stage{
			{ID: "trial", Name: "Trial", Exit: []deal.Criterion{
				{ID: "billing", Description: "Verify the billing details.", Field: "fields.billing_verified", Rule: verified},
			}},
			{ID: "onboard", Name: "Onboarding", Exit: []deal.Criterion{
				{ID: "live", Description: "Record the go-live date.", Rule: deal.Reached("onboarding.live_at")},
			}},
		},
		ClosedWon: "onboard",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := deal.Deal{ID: "d-48", Owner: rep.ID}
	_ = p.Open(&d, rep, monday)
	fmt.Println(p.Advance(&d, rep, tuesday))
	d.Fields = map[string]string{"billing_verified": "yes"}
	fmt.Println(p.Advance(&d, rep, tuesday), d.Stage, d.History[len(d.History)-1].Kind)

	// A definition with mistakes reports all of them, with paths.
	_, err = deal.NewProcess(deal.Config{Stages: []deal.Stage{
		{ID: "a", Name: "A", Exit: []deal.Criterion{{ID: "x", Rule: deal.Present("no.such.field")}}},
		{ID: "a"},
	}})
	fmt.Println(err)
	// Output:
	// accord: d-48 cannot move from trial to onboard: 1 unmet: trial exit billing: Verify the billing details. (fields.billing_verified)
	// <nil> onboard won
	// stages[0].exit[0].description: is required
	// stages[0].exit[0].rule: unknown field "no.such.field"
	// stages[1].id: duplicates stage "a"
	// stages[1].name: is required
}

// A security gate met by an answered questionnaire or a recorded waiver is
// reported under one field, but reads two things a test must fill in.
func ExampleCriterion_Reads() {
	c := deal.Criterion{
		ID:          "security",
		Description: "Attach the security questionnaire or record the waiver.",
		Field:       "fields.security",
		Rule:        deal.AnyOf(deal.HasArtifact("security_questionnaire"), deal.Present("fields.security_waiver")),
	}
	fields, artifacts := c.Reads()
	fmt.Println("fields:", fields)
	fmt.Println("artifacts:", artifacts)
	fmt.Println("required:", deal.Stage{Exit: []deal.Criterion{c}}.RequiredFields())
	// Output:
	// fields: [fields.security_waiver]
	// artifacts: [security_questionnaire]
	// required: [fields.security]
}
