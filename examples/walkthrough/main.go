// Command walkthrough takes one deal through the unified accord process, from
// targeting to live. Every time the pipeline refuses a move it prints the
// unmet criteria, then what the team did about them, and tries again.
//
// The company states its commercial policies once (package policy). The
// move into Closed Won is gated with those a close can break (one edition,
// no period-end discounts, Closed Won only on structure) and refused while
// the deal breaks one; the others are checked where their subject is
// handled. The deal comes from an inbound demo request answered within the
// 5 minutes the lead response policy allows, and its quote has one line,
// for the one edition.
//
// Before the deal can close, its Scope of Work goes through the four steps
// of the unified process: sales writes it from the requirements gathered in
// discovery, the implementation lead sends back a timeline the team cannot
// meet, sales revises it, the lead and then the client approve it, and only
// then is payment allowed: finance's request for a deposit between the two
// approvals is refused by the payment policy, and allowed once the client
// approves.
//
// The rep then offers a discount on June 30, the last day of the quarter,
// for nothing in return, and tries to close: the no-panic-discounts policy
// refuses the close on both counts. The sales manager withdraws the
// discount, the buyer agrees to a two-year term in exchange for a discount
// offered on July 1, and the deal closes won, in the third quarter.
//
// The close presents the Scope of Work itself (deal.Process.Close), not the
// deal's copy of its facts: a copy of the scope edited after the deal took
// its reference is presented first and refused as a stale reference
// (accord.ErrConflict, the deal unchanged), and the deal then closes on the
// approved revision, which the won event records.
//
// The relationship goes on after Closed Won: the contract is created from
// the won deal and its approved scope, the customer goes from onboarding to
// active once live, the renewal alert comes 90 days before the end of the
// term, and the client renews with an expansion.
//
//	go run ./examples/walkthrough
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

var (
	rep     = accord.Actor{ID: "u-asha", Name: "Asha (sales rep)", Role: accord.RoleSalesRep}
	manager = accord.Actor{ID: "u-mo", Name: "Mo (sales manager)", Role: accord.RoleSalesManager}
	lead    = accord.Actor{ID: "u-ines", Name: "Ines (implementation lead)", Role: accord.RoleImplementationLead}
	buyer   = accord.Actor{ID: "c-lee", Name: "Lee Park (client)", Role: accord.RoleClient}
)

// story keeps the clock of the walkthrough: the library never reads the
// clock, so the host passes the time of every move.
type story struct {
	set   *policy.Set   // the company's policies
	p     *deal.Process // the unified process, gated with set
	d     deal.Deal
	now   time.Time
	scope *scope.SOW         // the approved Scope of Work, once there is one
	prop  scope.Proposal     // the proposal it was reconciled with
	feas  scope.Feasibility  // the feasibility it was reconciled against
	c     *contract.Contract // the contract, once the deal is won
}

// hours returns n hours of effort or capacity.
func hours(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "walkthrough:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	set, p, err := gatedProcess()
	if err != nil {
		return err
	}
	s := &story{set: set, p: p, now: time.Date(2026, time.May, 18, 9, 0, 0, 0, time.UTC)}
	s.guards(w)
	s.d = deal.Deal{ID: "deal-0042", Account: "Northwind Logistics", AccountID: "acc-17", Owner: rep.ID, Lead: inboundLead(s.now)}
	if err := s.p.Open(&s.d, rep, s.now); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s opened deal %s for %s in %s, from a demo request that came in at %s and that she answered %d minutes later.\n",
		rep.Name, s.d.ID, s.d.Account, s.d.Stage, s.d.Lead.ReceivedAt.Format("15:04"), int(s.d.Lead.FirstTouchAt.Sub(s.d.Lead.ReceivedAt).Minutes()))
	s.checkLead(w)
	if err := s.untouchedLead(w); err != nil {
		return err
	}
	if err := s.d.SetCloseDate(time.Date(2026, time.June, 30, 0, 0, 0, 0, time.UTC), rep, s.now); err != nil {
		return err
	}

	steps := []struct {
		by   accord.Actor
		days int // days since the previous step
		fix  string
		do   func(d *deal.Deal, now time.Time) error
		// then, when set, is a second round: the move is refused again
		// after do, and then's do answers that refusal.
		then *fixup
	}{
		{rep, 1, "records the segment, the trigger and the account hypothesis", func(d *deal.Deal, _ time.Time) error {
			d.Segment = "mid-market"
			d.Value = money("48000.00")
			d.Targeting = deal.Targeting{Trigger: "hired a VP of Sales in April", Hypothesis: "forecasts are built by hand in spreadsheets"}
			return nil
		}, nil},
		{rep, 4, "records why now, the fit, and the people in the decision", func(d *deal.Deal, now time.Time) error {
			d.Qualification = deal.Qualification{WhyNow: "the board wants a reliable forecast before the Q4 raise", Fit: deal.FitStrong}
			d.Stakeholders = []deal.Stakeholder{
				{Name: "Lee Park", Title: "VP Sales", Role: deal.RoleChampion, Engaged: true, EngagedAt: now},
				{Name: "Kim Ode", Title: "CFO", Role: deal.RoleEconomicBuyer},
			}
			return nil
		}, nil},
		{rep, 9, "documents the problem, the outcome, the success criteria, constraints, stack and requirements of every kind", func(d *deal.Deal, now time.Time) error {
			d.Discovery = deal.Discovery{
				Problem:         "the quarterly forecast misses by 30%",
				DesiredOutcome:  "a weekly forecast within 5%",
				SuccessCriteria: []string{"forecast within 5% for one full quarter", "pipeline review in under 30 minutes"},
				Constraints: deal.Constraints{
					Security: "SSO and a DPA", Timeline: "live before September 1",
					Integrations: "Salesforce, HubSpot marketing", Legal: "EU data residency",
				},
				CurrentStack: "Salesforce, Google Sheets",
				Blockers:     "none",
				Requirements: requirements(now),
			}
			return nil
		}, nil},
		{rep, 6, "records that Lee Park agreed today that the solution meets the criteria, and books the next step", func(d *deal.Deal, now time.Time) error {
			// The agreement is evidence: who on the buyer's side agreed,
			// and when; a ticked box would not pass.
			d.Alignment = deal.Alignment{AgreedBy: "Lee Park", AgreedAt: now}
			d.NextStep = deal.NextStep{At: now.AddDate(0, 0, 5), Purpose: "review the business case with the CFO"}
			d.Stakeholders[0].EngagedAt = now
			d.Stakeholders[1].Engaged, d.Stakeholders[1].EngagedAt = true, now
			return nil
		}, nil},
		{rep, 8, "quantifies the business case, grades the champion, engages a sponsor and agrees the decision plan", func(d *deal.Deal, now time.Time) error {
			d.BusinessCase = deal.BusinessCase{
				Summary: "two analysts' time back and a forecast the board trusts", Impact: money("210000"),
				ChampionStrength: deal.StrengthStrong, DecisionPlan: "CFO approval June 19, signature by June 30",
			}
			d.Stakeholders = append(d.Stakeholders, deal.Stakeholder{Name: "Ana Ruiz", Title: "COO", Role: deal.RoleExecutiveSponsor, Engaged: true, EngagedAt: now})
			d.Commercials.DecisionPath = "VP Sales → CFO → legal → signature"
			d.Commercials.Procurement = "vendor security questionnaire"
			d.Commercials.Legal = "MSA with EU DPA"
			return nil
		}, &fixup{rep, "records that Kim Ode, the CFO, validated the numbers today", func(d *deal.Deal, now time.Time) error {
			d.BusinessCase.AgreedBy, d.BusinessCase.AgreedAt = "Kim Ode", now
			return nil
		}}},
		{rep, 10, "attaches the signed agreement and records the quote, the discount, price, term, concessions and start date", func(d *deal.Deal, _ time.Time) error {
			// The Scope of Work takes some days; the story's clock moves on
			// to June 30.
			if err := s.scopeOfWork(w); err != nil {
				return err
			}
			now := s.now
			d.Artifacts = append(d.Artifacts,
				deal.Artifact{Kind: deal.ArtifactSignedAgreement, Name: "Order form", Ref: "docs/order-form-0042.pdf", AddedAt: now},
				deal.Artifact{Kind: deal.ArtifactExecutedContract, Name: "MSA", Ref: "docs/msa-0042.pdf", AddedAt: now},
			)
			d.Commercials.ImplementationStart = implementationStart
			return s.panicDiscount(w, d, now)
		}, &fixup{manager, "withdraws the period-end discount and trades a discount for a two-year term", func(d *deal.Deal, now time.Time) error {
			return s.multiYear(w, d, now)
		}}},
		{lead, 20, "attaches the success plan and records the first milestone", func(d *deal.Deal, now time.Time) error {
			d.Artifacts = append(d.Artifacts, deal.Artifact{Kind: deal.ArtifactSuccessPlan, Name: "Success plan", Ref: "docs/success-0042.pdf", AddedAt: now})
			d.Onboarding.FirstMilestoneAt = now.AddDate(0, 0, -1)
			return nil
		}, nil},
	}

	for _, step := range steps {
		s.now = s.now.AddDate(0, 0, step.days)
		s.report(w)
		if err := s.refused(w, step.by); err != nil {
			return err
		}
		if err := step.do(&s.d, s.now); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s %s.\n", step.by.Name, step.fix)
		if f := step.then; f != nil {
			if err := s.refused(w, step.by); err != nil {
				return err
			}
			if err := f.do(&s.d, s.now); err != nil {
				return err
			}
			fmt.Fprintf(w, "%s %s.\n", f.by.Name, f.fix)
		}
		from := s.d.Stage
		if next, _ := s.p.StageAfter(from); next == s.p.ClosedWon() {
			// The close presents the Scope of Work itself: the gate checks
			// the document, not the deal's copy of its facts.
			if err := s.staleClose(w, step.by); err != nil {
				return err
			}
			closing := deal.Closing{Scope: s.scope, Proposal: s.prop, Feasibility: s.feas}
			if err := s.p.Close(&s.d, closing, step.by, s.now); err != nil {
				return err
			}
			on, _ := s.d.ClosedOn()
			fmt.Fprintf(w, "%s closes the deal presenting %s, revision %d: it is the deal's, approved by the lead and then the client, every discrepancy decided.\n", step.by.Name, on.ID, on.Revision)
		} else if err := s.p.Advance(&s.d, step.by, s.now); err != nil {
			return err
		}
		ev := s.d.History[len(s.d.History)-1]
		fmt.Fprintf(w, "Advanced %s → %s (%s, version %d).\n", from, s.d.Stage, ev.Kind, s.d.Version)
		for _, a := range s.p.Triggers(&s.d, s.now) {
			fmt.Fprintf(w, "  automation for the host: %s to %s: %s\n", a.Kind, a.To, a.Message)
		}
		if ev.Kind == deal.EventWon {
			if err := s.sign(w); err != nil {
				return err
			}
		}
	}

	fmt.Fprintln(w, "\nHistory:")
	for _, ev := range s.d.History {
		fmt.Fprintf(w, "  %s  %-7s %-18s → %-18s by %s\n", ev.At.Format("2006-01-02"), ev.Kind, ev.From, ev.To, ev.By.ID)
	}
	fmt.Fprintln(w, "\nTime in each stage:")
	byStage := s.d.TimeByStage(s.now)
	for _, st := range s.p.Stages() {
		fmt.Fprintf(w, "  %-18s %3.0f days (healthy: up to %d)\n", st.ID, byStage[st.ID].Hours()/24, st.HealthyDays)
	}
	return s.relationship(w)
}

// staleClose shows the close refused on a stale reference: a copy of the
// scope edited after the deal took its reference, presented as the deal's.
func (s *story) staleClose(w io.Writer, by accord.Actor) error {
	raw, err := json.Marshal(s.scope)
	if err != nil {
		return err
	}
	var edited scope.SOW
	if err := json.Unmarshal(raw, &edited); err != nil {
		return err
	}
	edited.Assumptions = append(edited.Assumptions, "weekend cut-over")
	if err := edited.Revise(rep, s.now); err != nil {
		return err
	}
	before := s.d.Version
	err = s.p.Close(&s.d, deal.Closing{Scope: &edited, Proposal: s.prop, Feasibility: s.feas}, by, s.now)
	if !errors.Is(err, accord.ErrConflict) || s.d.Version != before {
		return fmt.Errorf("expected the close on a stale reference to be refused, got %v", err)
	}
	fmt.Fprintf(w, "%s tries to close presenting the scope edited since the reference was taken: refused:\n  %v\n", by.Name, err)
	return nil
}

// fixup is what the team does about a refusal.
type fixup struct {
	by  accord.Actor
	fix string
	do  func(d *deal.Deal, now time.Time) error
}

// refused tries to advance the deal, expects a refusal and prints every
// unmet criterion.
func (s *story) refused(w io.Writer, by accord.Actor) error {
	err := s.p.Advance(&s.d, by, s.now)
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) {
		return fmt.Errorf("expected a refusal in %s, got %v", s.d.Stage, err)
	}
	fmt.Fprintf(w, "\n%s tries to advance from %s: refused, %d unmet:\n", by.Name, blocked.From, len(blocked.Unmet))
	printUnmet(w, "  ", blocked.Unmet)
	return nil
}

// report prints the risk flags and automation the host would see on the
// day, before the rep acts.
func (s *story) report(w io.Writer) {
	for _, r := range s.p.Risks(&s.d, s.now) {
		fmt.Fprintf(w, "  risk on %s: %s: %s\n", s.now.Format("Jan 2"), r.Kind, r.Message)
	}
	for _, a := range s.p.Triggers(&s.d, s.now) {
		fmt.Fprintf(w, "  automation for the host: %s to %s: %s\n", a.Kind, a.To, a.Message)
	}
}

func money(amount string) accord.Money {
	m, err := accord.ParseMoney(amount, "USD")
	if err != nil {
		panic(err) // the literals above are valid
	}
	return m
}
