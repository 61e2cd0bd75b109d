package contract

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/vocab"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// DefaultWindowDays is how many days before the end of a term its renewal
// window opens when the terms do not say.
const DefaultWindowDays = 90

// MaxTermMonths bounds a term: 1200 months is a century.
const MaxTermMonths = 1200

// Contract is what the business promised a client, as data: the parties and
// the value, the billing, the current term and how it renews, the scope and
// entitlements taken from the client-approved Scope of Work, the refund
// terms, the customer's status and the record of everything that happened
// to it.
//
// A Contract is a plain value with stable snake_case JSON; the host stores it
// as it likes. Create it with [New]. Its status, renewals, payments, refund,
// change requests and usage change only through its methods, each of which
// records an [Event]; the host may edit the descriptive fields (the parties,
// the owner, go-live) directly.
type Contract struct {
	ID     string `json:"id"`
	DealID string `json:"deal_id"`
	// Owner is the actor ID of whoever owns the relationship and receives
	// the renewal alerts.
	Owner   string  `json:"owner"`
	Vendor  Party   `json:"vendor"`
	Client  Party   `json:"client"`
	Billing Billing `json:"billing"`
	// Commitment says what the client committed to: see [Commitment].
	Commitment Commitment `json:"commitment"`

	// Since is the first day of the first term. Renewal dates count whole
	// months from it, so a contract that started on the 31st renews on the
	// last day of shorter months and on the 31st again after them.
	Since accord.Date `json:"since"`
	// Term is the current term: its days and its value.
	Term Term `json:"term"`
	// AutoRenew says whether the term renews by itself unless notice is
	// given by the notice deadline.
	AutoRenew bool `json:"auto_renew"`
	// NoticeDays is how many days before the end of a term notice must be
	// given (see [Contract.NoticeDeadline]).
	NoticeDays int `json:"notice_days"`
	// WindowDays is how many days before the end of a term the renewal
	// window opens (see [Contract.WindowOpens]).
	WindowDays int `json:"window_days"`

	// Scope is what was contracted, taken from the client-approved Scope of
	// Work.
	Scope Scope `json:"scope"`
	// Refund holds the refund terms.
	Refund RefundTerms `json:"refund_terms"`

	// WonAt is when the deal was won, and GoLiveAt when the customer went
	// live; going active needs GoLiveAt.
	WonAt    time.Time `json:"won_at"`
	GoLiveAt time.Time `json:"go_live_at"`

	// Status is the customer's status. Change it with [Contract.Move],
	// [Contract.Churn] or [Contract.RequestRefund].
	Status Status `json:"status"`
	// Expansion and Dispute are conditions that hold alongside any status.
	// Change them with [Contract.Flag]; see also [Contract.Conditions].
	Expansion bool `json:"expansion"`
	Dispute   bool `json:"dispute"`

	Payments       []Payment       `json:"payments"`
	Refunded       *Refund         `json:"refunded"`
	Renewals       []Renewal       `json:"renewals"`
	ChangeRequests []ChangeRequest `json:"change_requests"`
	Usage          []Usage         `json:"usage"`
	// Consent is the customer's consent to act as a reference, nil when
	// none is recorded; References lists every time they vouched for the
	// vendor. Change them with [Contract.RecordConsent],
	// [Contract.WithdrawConsent] and [Contract.RecordReference].
	Consent    *Consent    `json:"consent"`
	References []Reference `json:"references"`

	// Version counts the recorded events after creation; a host can use it
	// for optimistic locking.
	Version int `json:"version"`
	// History lists every event in time order, starting with the creation.
	History []Event `json:"history"`
}

// Party is one side of a contract.
type Party struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Term is one term of a contract.
type Term struct {
	// Start is the first day of the term and End its last.
	Start accord.Date `json:"start"`
	End   accord.Date `json:"end"`
	// Months is the length of the term.
	Months int `json:"months"`
	// Renewal is the renewal date: the day after End, on which the next term
	// starts.
	Renewal accord.Date `json:"renewal"`
	// Value is what the term is worth.
	Value accord.Money `json:"value"`
}

// Billing says how the client pays. Its codes are stable.
type Billing string

// The billing schedules.
const (
	BillingOneOff  Billing = "one_off"
	BillingMonthly Billing = "monthly"
	BillingAnnual  Billing = "annual"
)

// Commitment says what a client committed to, and is how churn is grouped by
// contract type. Its codes are stable.
type Commitment string

// The commitment types.
const (
	// CommitMonthToMonth can end at the end of any month, with notice.
	CommitMonthToMonth Commitment = "month_to_month"
	// CommitTerm is committed for the whole term.
	CommitTerm Commitment = "term"
	// CommitMultiYear is committed for a term of more than a year, usually
	// in exchange for a concession.
	CommitMultiYear Commitment = "multi_year"
)

// Scope is what a contract covers, taken from its Scope of Work.
type Scope struct {
	// SOW, Revision and Digest identify the client-approved revision of the
	// Scope of Work the contract was created from.
	SOW      string `json:"sow"`
	Revision int    `json:"revision"`
	Digest   string `json:"digest"`
	// Categories are the kinds of work contracted: the activities of the
	// scope's implementation steps, in the framework's order. A change
	// request outside them is scope creep.
	Categories []scope.Activity `json:"categories"`
	// Deliverables are the IDs of the contracted deliverables.
	Deliverables []string `json:"deliverables"`
	// Entitlements are what the client is entitled to, such as 4 hours of
	// support per week.
	Entitlements []scope.Entitlement `json:"entitlements"`
	// Finish is the last day of the implementation sequence as scoped,
	// against which the go-live is measured; zero when the scope's
	// sequence could not be scheduled.
	Finish accord.Date `json:"finish"`
}

// RefundBasis says what a refund pays back. Its codes are stable.
type RefundBasis string

// The refund bases.
const (
	// RefundAllPaid pays back everything the client paid. It is the
	// default.
	RefundAllPaid RefundBasis = "all_paid"
	// RefundCurrentTerm pays back what was paid for the term in force on
	// the day of the request: the payments recorded since the renewal that
	// made it, or every payment during the first term (see
	// [Contract.RefundAmount]).
	RefundCurrentTerm RefundBasis = "current_term"
)

// RefundTerms are the refund terms of a contract. The guarantee itself is
// not negotiable: a refund is granted on the day it is asked for, with no
// waiting period and no penalty, so the terms have no field for either.
// They say only how much is paid back.
type RefundTerms struct {
	// Basis is what is paid back; empty means RefundAllPaid.
	Basis RefundBasis `json:"basis"`
}

// Agreement are what the parties agreed on beyond what the deal and the scope
// already say. Zero fields take the defaults documented on each.
type Agreement struct {
	// ID is the contract's ID. Required.
	ID string
	// Vendor is the selling party. Required.
	Vendor Party
	// Client is the buying party; by default the deal's account.
	Client Party
	// Owner receives the renewal alerts; by default the deal's owner.
	Owner string
	// Start is the first day of the first term; by default the deal's
	// implementation start, read in the location given to New.
	Start accord.Date
	// Months is the length of the term; by default the deal's term.
	Months int
	// Billing is required.
	Billing Billing
	// Commitment is required.
	Commitment Commitment
	AutoRenew  bool
	// NoticeDays is how many days before the end of a term notice must be
	// given; 0 means notice may be given up to the last day. It must be
	// less than WindowDays, so that the first alert comes in time.
	NoticeDays int
	// WindowDays is how many days before the end of a term the renewal
	// window opens; 0 means DefaultWindowDays.
	WindowDays int
	Refund     RefundTerms
	// Calendar is the implementation calendar the scope was reviewed
	// under; the scoped finish is computed in it. The zero Calendar is
	// Monday to Friday in UTC with no holidays.
	Calendar accord.Calendar
	// Location is the zone in which the deal's implementation start, an
	// instant, is read as the first day; nil means UTC.
	Location *time.Location
}

// Signing is what a contract is made from: the won deal, the process it
// follows, its Scope of Work (the document, at the revision the deal closed
// on) and the proposal it was sold on. The term's value is not an
// agreement: it is the price the client approved, the scope's, unless a
// decision recorded on the scope ([scope.SOW.Resolve]) says the
// proposal's price stands, which is then taken from Proposal.
type Signing struct {
	Process *deal.Process
	Deal    *deal.Deal
	Scope   *scope.SOW
	// Proposal is needed only when a recorded decision on a price
	// discrepancy says the proposal's price stands.
	Proposal scope.Proposal
}

// New creates the contract for the won deal s.Deal from the revision of its
// Scope of Work it closed on, recording the creation by by at at, and
// records the contract's ID on the deal ([deal.Process.SetContract]): the
// caller stores both. The deal's implementation start is read as a day in
// a.Location; its go-live, when set, is copied as it is.
//
// The deal and the contract never disagree:
//
//   - the deal must agree with its history ([deal.Process.Verify]) and be
//     won; the contract's WonAt is when it was;
//   - the scope must agree with its review history ([scope.SOW.Verify]),
//     be the very revision the deal closed on (ID, revision and digest of
//     [deal.Deal.ClosedOn], recorded by [deal.Process.Close]) and have the
//     implementation lead's and then the client's approval of it
//     ([scope.SOW.Approved]);
//   - the term's value is the scope's price, the one the client approved,
//     unless a decision on the price discrepancy recorded on the scope says
//     the proposal's price stands (the scope was to change): then it is
//     s.Proposal's price, which must be the one decided on; the currency is
//     always the scope's;
//   - a deal has one contract at a time: a deal that records another is
//     refused.
//
// The revision the deal closed on is compared only while the deal is won:
// a deal that is not won now (say won, then reverted) is refused as unmet
// (deal_won), not as a conflict with its last close.
//
// Errors come one class at a time, in this order: invalid input (a
// *[accord.FieldError] for each problem with the signing (a missing or
// zero process among them), the actor, the
// time, the agreement and the scope's entitlements, joined;
// [accord.ErrInvalid]), a role that may not create contracts
// ([accord.ErrForbidden]; only sales roles and admins may), a deal, scope
// or proposal that disagrees with its history or with each other
// ([accord.ErrConflict], saying what), and only then the refusal: a
// *[accord.BlockedError] with op [accord.OpCreateContract] listing every
// unmet condition ([accord.ErrBlocked]). A refusal changes nothing.
func New(s Signing, a Agreement, by accord.Actor, at time.Time) (Contract, error) {
	loc := a.Location
	if loc == nil {
		loc = time.UTC
	}
	d, sow, p := s.Deal, s.Scope, s.Process
	var errs []error
	switch {
	case p == nil:
		errs = append(errs, accord.Invalid("signing.process", "is required"))
	case p.ClosedWon() == "":
		errs = append(errs, accord.Invalid("signing.process", "is not built: use deal.Default or deal.NewProcess"))
	}
	if d == nil {
		errs = append(errs, accord.Invalid("signing.deal", "is required"))
	}
	if sow == nil {
		errs = append(errs, accord.Invalid("signing.scope", "is required: the contract is made from the Scope of Work the deal closed on"))
	}
	if err := errors.Join(errs...); err != nil {
		return Contract{}, fmt.Errorf("contract %q: create: %w", a.ID, err)
	}
	a = a.withDefaults(d, loc)
	errs = []error{actorAt(by, at), a.validate()}
	errs = append(errs, checkEntitlements("scope.entitlements", sow.Entitlements)...)
	if err := errors.Join(errs...); err != nil {
		return Contract{}, fmt.Errorf("contract %q: create: %w", a.ID, err)
	}
	if !seller(by.Role) {
		return Contract{}, fmt.Errorf("%w: contract %q: role %s may not create a contract", accord.ErrForbidden, a.ID, by.Role)
	}
	if err := p.Verify(d); err != nil {
		return Contract{}, fmt.Errorf("contract %q: create: %w", a.ID, err)
	}
	if err := sow.Verify(); err != nil {
		return Contract{}, fmt.Errorf("contract %q: create: %w", a.ID, err)
	}
	var read deal.Reading
	if err := p.Read(d, &read); err != nil {
		// Unreachable: Verify read the history.
		return Contract{}, err
	}
	if read.Contract != "" {
		return Contract{}, fmt.Errorf("%w: contract %q: create: the deal's history records contract %q already", accord.ErrConflict, a.ID, read.Contract)
	}
	if err := s.agrees(a.ID); err != nil {
		return Contract{}, err
	}
	value, err := s.value(a.ID)
	if err != nil {
		return Contract{}, err
	}
	if err := checkValue("term.value", value); err != nil {
		return Contract{}, fmt.Errorf("contract %q: create: %w", a.ID, err)
	}
	if unmet := creationGaps(read.Won(), sow); len(unmet) > 0 {
		return Contract{}, &accord.BlockedError{Op: accord.OpCreateContract, Subject: d.ID, Unmet: unmet}
	}
	c := Contract{
		ID:         a.ID,
		DealID:     d.ID,
		Owner:      a.Owner,
		Vendor:     a.Vendor,
		Client:     a.Client,
		Billing:    a.Billing,
		Commitment: a.Commitment,
		Since:      a.Start,
		AutoRenew:  a.AutoRenew,
		NoticeDays: a.NoticeDays,
		WindowDays: a.WindowDays,
		Refund:     a.Refund,
		Scope:      scopeOf(sow, a.Calendar),
		WonAt:      read.WonAt,
		Status:     StatusOnboarding,
	}
	c.Term = c.termAfter(0, a.Months, value)
	if !d.Onboarding.LiveAt.IsZero() {
		c.GoLiveAt = d.Onboarding.LiveAt
	}
	c.History = []Event{{Kind: EventCreated, To: StatusOnboarding, By: by, At: at}}
	if err := p.SetContract(d, c.ID, by, at); err != nil {
		// Unreachable: agrees checked the deal's contract and creationGaps
		// that it is won.
		return Contract{}, err
	}
	return c, nil
}

// agrees reports, as one [accord.ErrConflict], every way the signing's
// deal and scope disagree: the scope must be the deal's, at the revision
// the deal closed on, and the deal must record no other contract.
func (s Signing) agrees(id string) error {
	d, sow := s.Deal, s.Scope
	var why []string
	add := func(format string, args ...any) { why = append(why, fmt.Sprintf(format, args...)) }
	if d.ContractID != "" {
		add("the deal records contract %q already", d.ContractID)
	}
	if sow.DealID != d.ID {
		add("scope %q belongs to deal %q", sow.ID, sow.DealID)
	}
	// The revision the deal closed on matters only while it is won: a deal
	// that is not won now is refused for that (deal_won), whatever its
	// last close recorded.
	if on, ok := d.ClosedOn(); !s.Process.Won(d) {
		// Not won: refused as unmet, not as a conflict.
	} else if !ok {
		add("the deal closed without presenting a Scope of Work (close it with deal.Process.Close)")
	} else {
		switch {
		case on.ID != sow.ID:
			add("the deal closed on scope %q, not %q", on.ID, sow.ID)
		case on.Revision != sow.Review.Revision:
			add("the deal closed on revision %d of scope %q, which is at revision %d now", on.Revision, on.ID, sow.Review.Revision)
		case on.Digest != sow.Review.Digest:
			add("the deal closed on revision %d of scope %q with digest %.12s; it has digest %.12s", on.Revision, on.ID, on.Digest, sow.Review.Digest)
		}
	}
	if sow.Digest() != sow.Review.Digest {
		add("the scope has edits not recorded as a revision")
	}
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%w: contract %q: create: the deal and the scope disagree: %s", accord.ErrConflict, id, strings.Join(why, "; "))
}

// value returns the term's value: the scope's price, or the proposal's
// when a decision recorded on the scope says the proposal's price stands.
func (s Signing) value(id string) (accord.Money, error) {
	sow := s.Scope
	price := sow.Price
	for _, r := range sow.Review.Resolutions {
		if r.Kind != scope.PriceMismatch || r.Change != scope.ChangeScope || r.Scoped != price.String() {
			continue
		}
		p := s.Proposal
		switch {
		case p.DealID != s.Deal.ID || p.Price.String() != r.Proposed:
			return accord.Money{}, fmt.Errorf("%w: contract %q: create: a decision recorded on scope %q says the proposal's price, %s, stands: present that proposal (got %s for deal %q)",
				accord.ErrConflict, id, sow.ID, r.Proposed, p.Price, p.DealID)
		case p.Price.Currency != price.Currency:
			return accord.Money{}, fmt.Errorf("%w: contract %q: create: the proposal's price is in %s, the scope's in %s: a contract is in the scope's currency",
				accord.ErrConflict, id, p.Price.Currency, price.Currency)
		}
		return p.Price, nil
	}
	return price, nil
}

// withDefaults fills the zero fields of t from the deal.
func (t Agreement) withDefaults(d *deal.Deal, loc *time.Location) Agreement {
	if t.Client == (Party{}) {
		t.Client = Party{ID: d.AccountID, Name: d.Account}
	}
	if t.Owner == "" {
		t.Owner = d.Owner
	}
	if t.Start.IsZero() && !d.Commercials.ImplementationStart.IsZero() {
		t.Start = accord.Today(d.Commercials.ImplementationStart, loc)
	}
	if t.Months == 0 {
		t.Months = d.Commercials.TermMonths
	}
	if t.WindowDays == 0 {
		t.WindowDays = DefaultWindowDays
	}
	if t.Refund.Basis == "" {
		t.Refund.Basis = RefundAllPaid
	}
	return t
}

// validate reports every problem with t, each naming its field.
func (t Agreement) validate() error {
	var errs []error
	if strings.TrimSpace(t.ID) == "" {
		errs = append(errs, accord.Invalid("id", "is required"))
	}
	if t.Vendor.Name == "" {
		errs = append(errs, accord.Invalid("vendor.name", "is required"))
	}
	if t.Client.Name == "" {
		errs = append(errs, accord.Invalid("client.name", "is required: name the client or the deal's account"))
	}
	if strings.TrimSpace(t.Owner) == "" {
		errs = append(errs, accord.Invalid("owner", "is required: name the owner or the deal's owner"))
	}
	errs = append(errs, checkStart(t.Start), checkMonths("months", t.Months))
	errs = append(errs, checkCode("billing", t.Billing, billings), checkCode("commitment", t.Commitment, commitments))
	if t.NoticeDays < 0 || t.NoticeDays > 3650 {
		errs = append(errs, accord.Invalid("notice_days", "must be between 0 and 3650; got %d", t.NoticeDays))
	}
	if t.WindowDays < 1 || t.WindowDays > 3650 {
		errs = append(errs, accord.Invalid("window_days", "must be between 1 and 3650; got %d", t.WindowDays))
	} else if t.NoticeDays >= t.WindowDays {
		errs = append(errs, accord.Invalid("notice_days", "must be less than window_days, %d, so that the first renewal alert comes before the notice deadline; got %d", t.WindowDays, t.NoticeDays))
	}
	errs = append(errs, checkCode("refund_terms.basis", t.Refund.Basis, bases))
	return errors.Join(errs...)
}

// The vocabularies of a contract.
var (
	billings       = vocab.Of(BillingOneOff, BillingMonthly, BillingAnnual)
	commitments    = vocab.Of(CommitMonthToMonth, CommitTerm, CommitMultiYear)
	bases          = vocab.Of(RefundAllPaid, RefundCurrentTerm)
	statuses       = vocab.Of(StatusOnboarding, StatusActive, StatusPaused, StatusAtRisk, StatusLapsed, StatusChurned, StatusRefunded)
	outcomes       = vocab.Of(OutcomeRenewed, OutcomeAutoRenewed, OutcomeChurned)
	churnReasons   = vocab.Of(ChurnPrice, ChurnNoValue, ChurnNoAdoption, ChurnBudget, ChurnCompetitor, ChurnProductGap, ChurnService, ChurnAcquired, ChurnClosed, ChurnOther)
	referenceKinds = vocab.Of(ReferenceCaseStudy, ReferenceCall, ReferenceReferral, ReferenceReview)
)

func checkCode[T ~string](field string, v T, allowed vocab.Set[T]) error {
	if allowed.Has(v) {
		return nil
	}
	return accord.Invalid(field, "%s", allowed.ListRule(v))
}

func checkStart(d accord.Date) error {
	switch {
	case d.IsZero():
		return accord.Invalid("start", "is required: give the first day of the term or the deal's implementation start")
	case !d.Valid():
		return accord.Invalid("start", "must be a real day between the years 1 and 9999")
	case d.Year > 9999-MaxTermMonths/12*4:
		// Leave room for renewals.
		return accord.Invalid("start", "must be before the year %d", 9999-MaxTermMonths/12*4+1)
	}
	return nil
}

func checkMonths(field string, months int) error {
	if months < 1 || months > MaxTermMonths {
		return accord.Invalid(field, "must be between 1 and %d; got %d", MaxTermMonths, months)
	}
	return nil
}

func checkValue(field string, v accord.Money) error {
	if !v.IsSet() {
		return accord.Invalid(field, "is required: give the term's value or the deal's final price")
	}
	if err := v.Validate(field); err != nil {
		return err
	}
	if v.Amount.Sign() < 0 {
		return accord.Invalid(field, "must not be negative")
	}
	return nil
}

// creationGaps lists every unmet condition for creating a contract.
func creationGaps(won bool, sow *scope.SOW) []accord.Unmet {
	var unmet []accord.Unmet
	add := func(id, field, message string) {
		unmet = append(unmet, accord.Unmet{Criterion: id, Message: message, Field: field})
	}
	if !won {
		add("deal_won", "stage", "Close the deal won first: a contract is created from a won deal.")
	}
	if !sow.Approved() {
		add("scope_client_approved", "scope.review", "Have the implementation lead and then the client approve the scope's current revision.")
	}
	return unmet
}

// scopeOf takes what a contract keeps of its scope.
func scopeOf(s *scope.SOW, cal accord.Calendar) Scope {
	out := Scope{SOW: s.ID, Revision: s.Review.Revision, Digest: s.Review.Digest}
	// The scoped finish does not depend on capacity; give every role the
	// most a capacity can hold, so that scheduling stays short.
	unbounded := scope.Capacity{PerRole: map[string]decimal.Decimal{}}
	for _, st := range s.Steps {
		unbounded.PerRole[st.Owner] = decimal.NewFromInt(10000)
	}
	if f, err := s.Feasibility(cal, unbounded); err == nil && !f.ScopedFinish.IsZero() {
		out.Finish = cal.Day(f.ScopedFinish)
	}
	out.Categories = s.Categories()
	for _, dv := range s.Deliverables {
		out.Deliverables = append(out.Deliverables, dv.ID)
	}
	out.Entitlements = slices.Clone(s.Entitlements)
	return out
}

// termAfter returns the term that starts months after Since (the first
// term for 0) and lasts n months.
func (c *Contract) termAfter(from, n int, value accord.Money) Term {
	start := c.Since.AddMonths(from)
	renewal := c.Since.AddMonths(from + n)
	return Term{Start: start, End: renewal.AddDays(-1), Months: n, Renewal: renewal, Value: value}
}

// monthsServed returns how many months after Since the current term
// starts.
func (c *Contract) monthsServed() int { return c.monthsBefore(c.Term) }

// monthsBefore returns how many months after Since term t starts.
func (c *Contract) monthsBefore(t Term) int {
	return (t.Start.Year-c.Since.Year)*12 + int(t.Start.Month) - int(c.Since.Month)
}

// termAt returns the term in force on day: the last term that started on
// or before it, or the first term when none has started yet. A term renewed
// early is not in force before its first day. Since is the index of the
// renewal that made the term, or -1 for the first term.
func (c *Contract) termAt(day accord.Date) (t Term, since int) {
	t, since = c.Term, len(c.Renewals)-1
	for since >= 0 && c.Renewals[since].Outcome == OutcomeChurned {
		since--
	}
	for since >= 0 && day.Before(t.Start) {
		t = c.Renewals[since].Previous
		since--
		for since >= 0 && c.Renewals[since].Outcome == OutcomeChurned {
			since--
		}
	}
	return t, since
}

// seller reports whether role may create a contract and record renewals.
func seller(r accord.Role) bool {
	switch r {
	case accord.RoleSalesRep, accord.RoleSalesManager, accord.RoleAdmin:
		return true
	}
	return false
}

// actorAt checks the actor and time of an action.
func actorAt(by accord.Actor, now time.Time) error {
	var errs []error
	errs = append(errs, by.Validate("by"))
	if now.IsZero() {
		errs = append(errs, accord.Invalid("at", "is required"))
	}
	return errors.Join(errs...)
}
