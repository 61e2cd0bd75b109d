package deal

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
)

// Deal is the record a host stores: one opportunity, its structured fields,
// and the history of every move it made.
//
// A Deal is a plain value. The host stores it as it likes (its JSON form has
// stable snake_case keys and round-trips to an equal value) and edits its
// fields directly; moves between stages go through a [Process], which checks
// the criteria, appends an [Event] and bumps Version.
type Deal struct {
	ID        string       `json:"id"`
	AccountID string       `json:"account_id"`
	Account   string       `json:"account"`
	Owner     string       `json:"owner"` // actor ID of the owning rep
	Segment   string       `json:"segment"`
	Value     accord.Money `json:"value"`

	// CloseDate is the expected close date. Change it with
	// [Deal.SetCloseDate] so that CloseDateChanges records every move.
	CloseDate        time.Time         `json:"close_date"`
	CloseDateChanges []CloseDateChange `json:"close_date_changes"`

	// Stage is the current stage, entered at StageEnteredAt. Version counts
	// the successful moves since the deal was opened; a host can use it for
	// optimistic locking. All three are maintained by the Process.
	Stage          StageID   `json:"stage"`
	StageEnteredAt time.Time `json:"stage_entered_at"`
	Version        int       `json:"version"`

	// The structured fields each stage of the default process asks for.
	Targeting     Targeting     `json:"targeting"`
	Qualification Qualification `json:"qualification"`
	Discovery     Discovery     `json:"discovery"`
	Alignment     Alignment     `json:"alignment"`
	BusinessCase  BusinessCase  `json:"business_case"`
	Commercials   Commercials   `json:"commercials"`
	Onboarding    Onboarding    `json:"onboarding"`

	// Lead records where the deal came from and how fast it was answered.
	Lead Lead `json:"lead"`
	// Quote is what the deal offers the buyer: the lines quoted and the
	// discounts conceded. Package policy checks it against the commercial
	// policies (one edition, no period-end discounts).
	Quote Quote `json:"quote"`

	// Fields holds a host's own fields, addressed in criteria as
	// "fields.<name>".
	Fields map[string]string `json:"fields"`

	Stakeholders []Stakeholder `json:"stakeholders"`
	Activities   []Activity    `json:"activities"`
	NextStep     NextStep      `json:"next_step"`
	Artifacts    []Artifact    `json:"artifacts"`

	// Scope holds the facts about the deal's Scope of Work that the unified
	// process gates on: its revision, its approvals and its reconciliation
	// with the proposal. The host refreshes it with [scope.SOW.Ref] whenever
	// the scope, its review or the proposal changes. The zero Ref means the
	// deal has no scope yet.
	//
	// The deal keeps a reference rather than the scope itself because the
	// scope is a document with its own lifecycle, store and reviewers: a
	// 300-step sequence has no business in every load of a deal, and the
	// close gate needs only the facts. Whatever acts on the scope itself
	// (taking a payment, creating the contract) checks the scope, not this
	// reference.
	Scope scope.Ref `json:"scope"`

	// ContractID is the ID of the contract made from the deal once it is
	// won; package contract records it when it creates the contract
	// ([Process.SetContract]), with an [EventContract] event in History. It
	// is a cache of that event: Read, Verify and every move refuse a
	// ContractID the history does not record ([accord.ErrConflict]). While
	// the history records a contract, a move that undoes the win needs the
	// contract, ended ([WithContract]).
	ContractID string `json:"contract_id,omitempty"`

	// Loss is set while the deal is lost and cleared when it is reopened;
	// the history keeps every loss.
	Loss *Loss `json:"loss"`

	// History lists every move in time order, starting with the open event.
	// It is the source of truth for metrics.
	History []Event `json:"history"`
}

// Targeting holds what the targeting stage needs before qualification.
type Targeting struct {
	// Trigger is the event that makes the account worth contacting now.
	Trigger string `json:"trigger"`
	// Hypothesis is the account hypothesis: the problem we believe it has.
	Hypothesis string `json:"hypothesis"`
}

// Qualification holds what qualification establishes.
type Qualification struct {
	WhyNow string `json:"why_now"`
	Fit    Fit    `json:"fit"`
}

// Discovery holds what discovery documents.
type Discovery struct {
	Problem         string      `json:"problem"`
	DesiredOutcome  string      `json:"desired_outcome"`
	SuccessCriteria []string    `json:"success_criteria"`
	Constraints     Constraints `json:"constraints"`
	CurrentStack    string      `json:"current_stack"`
	// Blockers lists what could stop the deal; write "none" when there are
	// none, so that the gap is closed on purpose.
	Blockers string `json:"blockers"`
	// Requirements lists the requirements gathered for implementation:
	// current and future state, workflows, integrations, data structures,
	// edge cases and constraints. They become the requirements of the
	// deal's Scope of Work.
	Requirements []scope.Requirement `json:"requirements"`
}

// Constraints are the limits a solution must respect.
type Constraints struct {
	Security     string `json:"security"`
	Timeline     string `json:"timeline"`
	Integrations string `json:"integrations"`
	Legal        string `json:"legal"`
}

// Alignment records the prospect's agreement that the solution meets the
// success criteria: who on the buyer's side agreed, and when. The
// agreement is the two together; a name with no date, or a date with no
// name, is not one (see [Confirmed]).
type Alignment struct {
	// AgreedBy is the name of the stakeholder who agreed: [Deal.Validate]
	// holds it to name one of Deal.Stakeholders.
	AgreedBy string `json:"agreed_by"`
	// AgreedAt is when they agreed.
	AgreedAt time.Time `json:"agreed_at"`
}

// BusinessCase holds the quantified case for buying.
type BusinessCase struct {
	Summary string `json:"summary"`
	// Impact is the quantified value of the outcome to the buyer.
	Impact accord.Money `json:"impact"`
	// AgreedBy is the name of the stakeholder who validated the numbers,
	// and AgreedAt when: the buyer's agreement to the business case.
	AgreedBy string    `json:"agreed_by"`
	AgreedAt time.Time `json:"agreed_at"`
	// ChampionStrength grades the champion. A grade other than none needs
	// a stakeholder whose role is champion ([Deal.Validate]).
	ChampionStrength Strength `json:"champion_strength"`
	// NoExecutiveSponsor records the fact that there is no executive
	// sponsor, which closes that gap as deliberately as naming one; the
	// fact is evidence once NoExecutiveSponsorBy names the stakeholder who
	// confirmed it and NoExecutiveSponsorAt says when.
	NoExecutiveSponsor   bool      `json:"no_executive_sponsor"`
	NoExecutiveSponsorBy string    `json:"no_executive_sponsor_by"`
	NoExecutiveSponsorAt time.Time `json:"no_executive_sponsor_at"`
	DecisionPlan         string    `json:"decision_plan"`
}

// Commercials holds what proposal and close settle.
type Commercials struct {
	DecisionPath        string       `json:"decision_path"`
	Procurement         string       `json:"procurement"`
	Legal               string       `json:"legal"`
	ImplementationStart time.Time    `json:"implementation_start"`
	FinalPrice          accord.Money `json:"final_price"`
	TermMonths          int          `json:"term_months"`
	// Concessions lists what was conceded; write "none" when nothing was.
	Concessions string `json:"concessions"`
}

// Onboarding holds the dates that end handoff.
type Onboarding struct {
	FirstMilestoneAt time.Time `json:"first_milestone_at"`
	LiveAt           time.Time `json:"live_at"`
}

// Stakeholder is a person on the buyer's side. The Name identifies the
// person within the deal: the deal's confirmations (Alignment.AgreedBy,
// BusinessCase.AgreedBy, BusinessCase.NoExecutiveSponsorBy) refer to a
// stakeholder by it, so no two stakeholders of a deal share one.
type Stakeholder struct {
	Name    string          `json:"name"`
	Title   string          `json:"title"`
	Email   string          `json:"email"`
	Role    StakeholderRole `json:"role"`
	Engaged bool            `json:"engaged"`
	// EngagedAt is the date of the person's last engagement: the last
	// meeting, call or reply. [EngagedWithin] reads it.
	EngagedAt time.Time `json:"engaged_at"`
}

// Activity is something a rep did on the deal: a call, an email, a meeting.
type Activity struct {
	Kind    string    `json:"kind"`
	At      time.Time `json:"at"`
	By      string    `json:"by"` // actor ID
	Summary string    `json:"summary"`
}

// NextStep is the next scheduled interaction with the buyer. The zero value
// means none is scheduled.
type NextStep struct {
	At      time.Time `json:"at"`
	Purpose string    `json:"purpose"`
}

// Artifact is a document attached to the deal, by kind (see the Artifact
// constants) and reference.
type Artifact struct {
	Kind    string    `json:"kind"`
	Name    string    `json:"name"`
	Ref     string    `json:"ref"`
	AddedAt time.Time `json:"added_at"`
}

// Loss records why and where a deal was lost.
type Loss struct {
	Reason LossReason `json:"reason"`
	Stage  StageID    `json:"stage"`
	Note   string     `json:"note"`
}

// CloseDateChange records one change of the expected close date.
type CloseDateChange struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	At   time.Time `json:"at"`
	By   string    `json:"by"` // actor ID
}

// Event records one move of a deal.
type Event struct {
	Kind EventKind    `json:"kind"`
	From StageID      `json:"from"`
	To   StageID      `json:"to"`
	At   time.Time    `json:"at"`
	By   accord.Actor `json:"by"`
	// Reason explains a revert, a reopen or a loss.
	Reason string `json:"reason"`
	// LossReason is set on EventLost events.
	LossReason LossReason `json:"loss_reason"`
	// Scope is set on the won events [Process.Close] records: the Scope of
	// Work revision the deal closed on.
	Scope *ScopeRevision `json:"scope,omitempty"`
	// Contract is set on EventContract events: the ID of the contract
	// made from the deal.
	Contract string `json:"contract,omitempty"`
}

// SetCloseDate changes the expected close date to date, recording the change
// when a date was already set. Setting the same date again records nothing.
// It does not change Version, which counts moves only.
func (d *Deal) SetCloseDate(date time.Time, by accord.Actor, at time.Time) error {
	if d == nil {
		return accord.Invalid("deal", "is nil")
	}
	var errs []error
	if date.IsZero() {
		errs = append(errs, accord.Invalid("close_date", "is required"))
	}
	if at.IsZero() {
		errs = append(errs, accord.Invalid("at", "is required"))
	}
	errs = append(errs, by.Validate("by"))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("deal %q: set close date: %w", d.ID, err)
	}
	if d.CloseDate.Equal(date) {
		return nil
	}
	if !d.CloseDate.IsZero() {
		d.CloseDateChanges = append(d.CloseDateChanges, CloseDateChange{From: d.CloseDate, To: date, At: at, By: by.ID})
	}
	d.CloseDate = date
	return nil
}

// Slips counts the changes of the expected close date to a later date.
func (d *Deal) Slips() int {
	if d == nil {
		return 0
	}
	n := 0
	for _, c := range d.CloseDateChanges {
		if c.To.After(c.From) {
			n++
		}
	}
	return n
}

// Validate checks the parts of a deal a host fills in: an ID and an owner,
// a valid value, known stakeholder roles, fit, champion strength, loss
// reason, and requirements with a title, a known kind and, once set, a known
// priority (the Scope of Work asks for the rest). It checks the evidence
// the deal records for structure (see "Evidence" in the package doc):
// stakeholder names are unique; each confirmation (alignment.agreed_by,
// business_case.agreed_by, business_case.no_executive_sponsor_by) names a
// stakeholder of the deal, and is given whenever its date is; a confirmed
// absence of an executive sponsor sets no_executive_sponsor; and a
// champion strength other than none has a stakeholder whose role is
// champion. It reads no clock: whether a date has come is for the rules
// to judge at the time they are asked. Every problem is reported, joined,
// each naming its field.
func (d *Deal) Validate() error {
	if d == nil {
		return accord.Invalid("deal", "is nil")
	}
	var errs []error
	if !text(d.ID) {
		errs = append(errs, accord.Invalid("id", "is required"))
	}
	if !text(d.Owner) {
		errs = append(errs, accord.Invalid("owner", "is required"))
	}
	errs = appendErr(errs, d.Value.Validate("value"))
	errs = appendErr(errs, d.BusinessCase.Impact.Validate("business_case.impact"))
	errs = appendErr(errs, d.Commercials.FinalPrice.Validate("commercials.final_price"))
	if f := d.Qualification.Fit; f != "" && !f.valid() {
		errs = append(errs, accord.Invalid("qualification.fit", "must be strong, possible or not_a_fit; got %q", f))
	}
	if s := d.BusinessCase.ChampionStrength; s != "" && !s.valid() {
		errs = append(errs, accord.Invalid("business_case.champion_strength", "must be strong, moderate, weak or none; got %q", s))
	}
	if d.Commercials.TermMonths < 0 {
		errs = append(errs, accord.Invalid("commercials.term_months", "must not be negative"))
	}
	// Each list is first run through by a loop that only looks for a
	// problem, and the errors are built from the first one found: every
	// move validates the deal, and its lists are usually valid.
	if i := d.badStakeholder(); i >= 0 {
		errs = d.stakeholderProblems(errs, i)
	}
	errs = d.validateEvidence(errs)
	if i := badRequirement(d.Discovery.Requirements); i >= 0 {
		errs = requirementProblems(errs, d.Discovery.Requirements, i)
	}
	if len(d.Quote.Lines) > 0 || len(d.Quote.Discounts) > 0 {
		errs = appendErr(errs, d.Quote.validate("quote")) // nothing to check in an empty quote
	}
	if !d.Lead.FirstTouchAt.IsZero() && d.Lead.ReceivedAt.IsZero() {
		errs = append(errs, accord.Invalid("lead.received_at", "is required once lead.first_touch_at is set"))
	}
	if d.Loss != nil && !d.Loss.Reason.Valid() {
		errs = append(errs, accord.Invalid("loss.reason", "must be one of the loss reasons; got %q", d.Loss.Reason))
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// badStakeholder returns the index of the first stakeholder with a
// problem stakeholderProblems reports, or -1.
func (d *Deal) badStakeholder() int {
	for i := range d.Stakeholders {
		s := &d.Stakeholders[i]
		if !text(s.Name) || !s.Role.valid() || d.stakeholderBefore(i) >= 0 {
			return i
		}
	}
	return -1
}

// stakeholderProblems appends the problems of the stakeholders from the
// one at from on, for Validate.
func (d *Deal) stakeholderProblems(errs []error, from int) []error {
	for i := from; i < len(d.Stakeholders); i++ {
		s := &d.Stakeholders[i]
		if !text(s.Name) {
			errs = append(errs, accord.Invalid(fmt.Sprintf("stakeholders[%d].name", i), "is required"))
		} else if j := d.stakeholderBefore(i); j >= 0 {
			errs = append(errs, accord.Invalid(fmt.Sprintf("stakeholders[%d].name", i), "duplicates stakeholders[%d].name %q: a confirmation names one person", j, s.Name))
		}
		if !s.Role.valid() {
			errs = append(errs, accord.Invalid(fmt.Sprintf("stakeholders[%d].role", i), "must be a stakeholder role; got %q", s.Role))
		}
	}
	return errs
}

// badRequirement returns the index of the first requirement of rs with a
// problem requirementProblems reports, or -1.
func badRequirement(rs []scope.Requirement) int {
	for i := range rs {
		r := &rs[i]
		if !text(r.Title) || !r.Kind.Valid() || r.Priority != "" && !r.Priority.Valid() {
			return i
		}
	}
	return -1
}

// requirementProblems appends the problems of the requirements of rs from
// the one at from on, for Validate.
func requirementProblems(errs []error, rs []scope.Requirement, from int) []error {
	for i := from; i < len(rs); i++ {
		r := &rs[i]
		if text(r.Title) && r.Kind.Valid() && (r.Priority == "" || r.Priority.Valid()) {
			continue // the path below is built only for a problem
		}
		p := fmt.Sprintf("discovery.requirements[%d]", i)
		if !text(r.Title) {
			errs = append(errs, accord.Invalid(p+".title", "is required"))
		}
		if !r.Kind.Valid() {
			errs = append(errs, accord.Invalid(p+".kind", "must be a requirement kind; got %q", r.Kind))
		}
		if r.Priority != "" && !r.Priority.Valid() {
			errs = append(errs, accord.Invalid(p+".priority", "must be must, should or could; got %q", r.Priority))
		}
	}
	return errs
}

// stakeholderBefore returns the first stakeholder before i with the name of
// stakeholder i, or -1.
func (d *Deal) stakeholderBefore(i int) int {
	name := d.Stakeholders[i].Name
	for j := range d.Stakeholders[:i] {
		if sameName(d.Stakeholders[j].Name, name) {
			return j
		}
	}
	return -1
}

// appendErr appends err to errs when it is not nil, so that a valid deal
// validates without allocating: every move validates the deal.
func appendErr(errs []error, err error) []error {
	if err == nil {
		return errs
	}
	return append(errs, err)
}
