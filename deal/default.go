package deal

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// championDays is how recently [Default] asks the champion to have been
// engaged at the business case: a champion silent for a month is not
// championing.
const championDays = 30

// The lead response thresholds of [Default]: the source asks for a first
// touch of an inbound lead within five minutes; half an hour untouched
// reaches the manager.
const (
	leadResponseMinutes   = 5
	leadEscalationMinutes = 30
)

// Default returns the seven-stage process of the design: targeting,
// qualification, discovery, solution alignment, business case, proposal and
// close, handoff and onboarding. Advancing from proposal into handoff is
// Closed Won; advancing out of handoff makes the deal live. Deals sitting 14
// days in a stage with no activity alert the manager, a follow-up task is
// due 3 days after a deal enters proposal, and an inbound lead untouched 5
// minutes after it arrived alerts its owner, 30 minutes the manager.
//
// Its criteria about the buyer ask for evidence (see "Evidence" in the
// package doc): solution alignment ends with the stakeholder who agreed
// and the date ([Confirmed]); the business case with the stakeholder who
// validated it, a champion among the stakeholders engaged within the last
// 30 days ([EngagedWithin]), a champion strength with a champion behind it
// ([ChampionGraded]), and an engaged executive sponsor or the stakeholder
// who confirmed there is none.
//
// Four stages are core ([Stage].Core), so every variant derived with
// [Process.Derive] keeps them: qualification, where fit is decided, so that
// win rates of all teams share one denominator; discovery, where the
// requirements implementation needs are gathered; proposal, whose exit is
// the close gate; and handoff, whose entry is Closed Won and the handoff to
// delivery. Targeting, solution alignment and business case may be dropped
// by a team whose motion skips them, such as self-serve inbound sales.
//
// Each call returns a new Process; it is immutable, so build it once and
// share it.
func Default() *Process {
	p, err := NewProcess(defaultConfig())
	if err != nil {
		// Unreachable: the default configuration is checked by the tests.
		panic("deal: the default process is invalid: " + err.Error())
	}
	return p
}

func need(id, field, description string) Criterion {
	return Criterion{ID: id, Description: description, Rule: Present(field)}
}

func pct(n int64) decimal.Decimal { return decimal.New(n, -2) }

func defaultConfig() Config {
	return Config{
		ID:            "default",
		Name:          "Default",
		ClosedWon:     StageHandoff,
		IdleAlertDays: 14,
		LeadResponse: LeadResponse{
			AlertMinutes:    leadResponseMinutes,
			EscalateMinutes: leadEscalationMinutes,
		},
		Stages: []Stage{
			{
				ID:               StageTargeting,
				Name:             "Targeting",
				Purpose:          "Choose accounts worth pursuing and the reason to contact them now.",
				BuyerCommitments: []string{"Accepts a first conversation."},
				Exit: []Criterion{
					need("segment", "segment", "Record the segment the account belongs to."),
					need("trigger", "targeting.trigger", "Record the trigger event that makes this account worth contacting now."),
					need("account_hypothesis", "targeting.hypothesis", "Write the account hypothesis: the problem we believe they have."),
				},
				HealthyDays: 14,
				Probability: pct(5),
			},
			{
				ID:               StageQualification,
				Core:             true,
				Name:             "Qualification",
				Purpose:          "Decide whether there is a real, timely need we can meet.",
				BuyerCommitments: []string{"Shares why they must act now and who is involved in the decision."},
				Exit: []Criterion{
					need("why_now", "qualification.why_now", "Record why the buyer must act now."),
					need("fit", "qualification.fit", "Label the fit: strong, possible or not a fit."),
					{
						ID:          "fit_viable",
						Description: "A deal that is not a fit is disqualified, not advanced: lose it with a disqualification reason.",
						Field:       "qualification.fit",
						Rule:        FitViable(),
					},
					need("decision_people", "stakeholders", "Name the people involved in the decision."),
				},
				HealthyDays: 14,
				Probability: pct(10),
			},
			{
				ID:               StageDiscovery,
				Core:             true,
				Name:             "Discovery",
				Purpose:          "Understand the problem, the outcome the buyer wants and what implementation will need.",
				BuyerCommitments: []string{"Gives access to the people who own the problem and its systems."},
				Exit: []Criterion{
					need("problem_statement", "discovery.problem", "Write the problem statement in the buyer's words."),
					need("desired_outcome", "discovery.desired_outcome", "Record the outcome the buyer wants."),
					need("success_criteria", "discovery.success_criteria", "Document the success criteria the buyer will judge the solution by."),
					need("constraint_security", "discovery.constraints.security", "Record the security constraints."),
					need("constraint_timeline", "discovery.constraints.timeline", "Record the timeline constraints."),
					need("constraint_integrations", "discovery.constraints.integrations", "Record the integrations the solution must work with."),
					need("constraint_legal", "discovery.constraints.legal", "Record the legal constraints."),
					need("current_stack", "discovery.current_stack", "Record the buyer's current stack."),
					need("blockers", "discovery.blockers", "Record the blockers (write \"none\" if there are none)."),
					need("requirements", "discovery.requirements", "Gather the requirements implementation will need."),
				},
				HealthyDays: 21,
				Probability: pct(20),
			},
			{
				ID:               StageSolutionAlignment,
				Name:             "Solution alignment",
				Purpose:          "Show that the solution meets the documented success criteria.",
				BuyerCommitments: []string{"Confirms that the solution meets the success criteria."},
				Entry: []Criterion{
					need("success_criteria_documented", "discovery.success_criteria", "Document the success criteria before aligning a solution to them."),
				},
				Exit: []Criterion{
					{
						ID:          "solution_agreed",
						Description: "Record who on the buyer's side agreed that the solution meets the success criteria, and when.",
						Rule:        Confirmed("alignment.agreed_by"),
					},
					{ID: "next_step_scheduled", Description: "Schedule a next step, with a purpose, within 14 days.", Rule: NextStepWithin(14)},
				},
				HealthyDays:   14,
				Probability:   pct(40),
				MultiThreaded: true,
			},
			{
				ID:               StageBusinessCase,
				Name:             "Business case",
				Purpose:          "Quantify the value and confirm who decides and how.",
				BuyerCommitments: []string{"Validates the numbers and commits to a decision plan."},
				Exit: []Criterion{
					need("quantified_impact", "business_case.impact", "Quantify the business case: the impact in money."),
					{
						ID:          "business_case_agreed",
						Description: "Record who on the buyer's side validated the business case, and when.",
						Rule:        Confirmed("business_case.agreed_by"),
					},
					{
						ID:          "champion_engaged",
						Description: fmt.Sprintf("Name the champion among the stakeholders, engaged within the last %d days, with the date of their last engagement.", championDays),
						Rule:        EngagedWithin(RoleChampion, championDays),
					},
					{
						ID:          "champion_strength",
						Description: "Grade the champion's strength (strong, moderate or weak needs a stakeholder who is the champion).",
						Rule:        ChampionGraded(),
					},
					{
						ID:          "executive_sponsor",
						Description: "Engage an executive sponsor, or record who on the buyer's side confirmed that there is none, and when.",
						Field:       "stakeholders",
						Rule:        AnyOf(Engaged(RoleExecutiveSponsor, 1), Confirmed("business_case.no_executive_sponsor_by")),
					},
					need("decision_plan", "business_case.decision_plan", "Agree the decision plan: steps, people and dates."),
				},
				HealthyDays:       21,
				Probability:       pct(60),
				MultiThreaded:     true,
				NeedsBusinessCase: true,
			},
			{
				ID:               StageProposal,
				Core:             true,
				Name:             "Proposal and close",
				Purpose:          "Agree the terms and sign.",
				BuyerCommitments: []string{"Runs procurement and legal to the agreed plan and signs."},
				Entry: []Criterion{
					need("decision_path", "commercials.decision_path", "Confirm a clear decision path to signature."),
					need("procurement_requirements", "commercials.procurement", "Find out the procurement requirements."),
					need("legal_requirements", "commercials.legal", "Find out the legal requirements."),
				},
				Exit: []Criterion{
					{ID: "signed_agreement", Description: "Attach the signed agreement.", Rule: HasArtifact(ArtifactSignedAgreement)},
					need("implementation_start", "commercials.implementation_start", "Confirm the implementation start date."),
					need("final_price", "commercials.final_price", "Record the final price."),
					need("term", "commercials.term_months", "Record the term in months."),
					need("concessions", "commercials.concessions", "Record the concessions (write \"none\" if there are none)."),
				},
				HealthyDays:       30,
				Probability:       pct(80),
				MultiThreaded:     true,
				NeedsBusinessCase: true,
				FollowUpDays:      3,
			},
			{
				ID:               StageHandoff,
				Core:             true,
				Name:             "Handoff and onboarding",
				Purpose:          "Hand the customer to implementation and reach the first milestone.",
				BuyerCommitments: []string{"Staffs the implementation and attends the kickoff."},
				Entry: []Criterion{
					{ID: "executed_contract", Description: "Attach the executed contract.", Rule: HasArtifact(ArtifactExecutedContract)},
				},
				Exit: []Criterion{
					{ID: "success_plan", Description: "Attach the success plan agreed with the customer.", Rule: HasArtifact(ArtifactSuccessPlan)},
					{
						ID:          "live_or_first_milestone",
						Description: "Record the go-live date or the first milestone reached.",
						Field:       "onboarding.live_at",
						Rule:        AnyOf(Reached("onboarding.live_at"), Reached("onboarding.first_milestone_at")),
					},
				},
				HealthyDays:       30,
				Probability:       pct(100),
				MultiThreaded:     true,
				NeedsBusinessCase: true,
			},
		},
	}
}
