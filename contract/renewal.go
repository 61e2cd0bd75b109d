package contract

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
)

// Outcome is how a term ended. Its codes are stable.
type Outcome string

// The outcomes.
const (
	OutcomeRenewed     Outcome = "renewed"
	OutcomeAutoRenewed Outcome = "auto_renewed"
	OutcomeChurned     Outcome = "churned"
)

// ChurnReason says why a customer left, from a controlled vocabulary so that
// churn can be counted by reason. Its codes are stable.
type ChurnReason string

// The churn reasons.
const (
	ChurnPrice      ChurnReason = "price"
	ChurnNoValue    ChurnReason = "no_value"
	ChurnNoAdoption ChurnReason = "no_adoption"
	ChurnBudget     ChurnReason = "budget"
	ChurnCompetitor ChurnReason = "competitor"
	ChurnProductGap ChurnReason = "product_gap"
	ChurnService    ChurnReason = "service"
	ChurnAcquired   ChurnReason = "acquired"
	ChurnClosed     ChurnReason = "business_closed"
	ChurnOther      ChurnReason = "other"
)

// ChurnReasons lists every churn reason in a fixed order.
func ChurnReasons() []ChurnReason { return churnReasons.Codes() }

// Renewal records how a term ended: renewed into a new term (with a new
// value, which may be an expansion or a contraction), renewed by itself, or
// churned with a reason.
type Renewal struct {
	Outcome Outcome `json:"outcome"`
	// Previous is the term that ended; Next the term that follows it, zero
	// when the customer churned.
	Previous Term `json:"previous"`
	Next     Term `json:"next"`
	// Reason and Note say why a customer churned.
	Reason ChurnReason  `json:"reason,omitempty"`
	Note   string       `json:"note,omitempty"`
	By     accord.Actor `json:"by"`
	At     time.Time    `json:"at"`
}

// Change returns the change of value from the previous term to the next:
// positive for an expansion, negative for a contraction, and minus the
// previous value when the customer churned.
func (r Renewal) Change() (accord.Money, error) {
	next := r.Next.Value
	if !next.IsSet() {
		next = accord.Money{Currency: r.Previous.Value.Currency}
	}
	return next.Sub(r.Previous.Value)
}

// Alert tells a contract's owner that its renewal is coming.
//
// [Due] returns an alert for a contract on every day of its renewal
// window; what changes from one day to the next is DaysLeft. Kind,
// Threshold and Key say which occurrence an alert is, so that a host that
// calls Due every day delivers each occurrence once (see [Alert.Key]).
type Alert struct {
	// Kind is what the alert is about, and Threshold the step of the
	// alert ladder it has reached (see [AlertThresholds]).
	Kind      AlertKind `json:"kind"`
	Threshold int       `json:"threshold_days"`
	// Key identifies this occurrence: the same contract, term, kind and
	// threshold give the same key on every call, and any other give
	// another. It is formed as
	//
	//	renewal:<contract ID>:<first day of the term>:<kind>:<threshold>
	//
	// such as "renewal:ctr-1:2026-03-02:notice:30". Read from the right,
	// the threshold is digits, the kind has no colon and the day is ten
	// characters, so the contract ID is what is left, colons and all: two
	// different occurrences never share a key. A renewal starts a new term,
	// so the next term's alerts have keys of their own.
	Key      string `json:"key"`
	Contract string `json:"contract"`
	DealID   string `json:"deal_id"`
	Owner    string `json:"owner"`
	Client   string `json:"client"`
	// End is the last day of the term and Renewal the day after it.
	End     accord.Date `json:"end"`
	Renewal accord.Date `json:"renewal"`
	// DaysLeft counts the days from today to End: 0 on the last day.
	DaysLeft int `json:"days_left"`
	// NoticeDeadline is the last day notice can be given, and
	// NoticeDaysLeft the days from today to it, negative once it has
	// passed.
	NoticeDeadline accord.Date  `json:"notice_deadline"`
	NoticeDaysLeft int          `json:"notice_days_left"`
	AutoRenew      bool         `json:"auto_renew"`
	Value          accord.Money `json:"value"`
}

// AlertKind says which deadline an [Alert] counts down to. Its codes are
// stable.
type AlertKind string

// The alert kinds.
const (
	// AlertNotice counts down to the notice deadline, while notice can
	// still be given: the last chance to renegotiate or to stop an
	// auto-renewal.
	AlertNotice AlertKind = "notice"
	// AlertTermEnd counts down to the last day of the term, once the
	// notice deadline has passed or when the contract has no notice
	// period.
	AlertTermEnd AlertKind = "term_end"
)

// alertLadder is the steps of the alert ladder, in days left, largest
// first.
var alertLadder = [...]int{90, 60, 30, 14, 7, 3, 1, 0}

// AlertThresholds lists the steps of the alert ladder, in days left to the
// deadline of the alert's kind, largest first: 90, 60, 30, 14, 7, 3, 1 and
// 0. An alert's Threshold is the smallest step at or above its days left;
// while more than 90 days are left (a renewal window longer than 90 days),
// it is the window's length in days, so the alert of a window's opening is
// one occurrence. A step above the window's length is the window's length.
func AlertThresholds() []int { return alertLadder[:] }

// threshold returns the step of the ladder reached with left days left in
// a window of window days.
func threshold(left, window int) int {
	t := window
	for _, step := range alertLadder {
		if step >= left {
			t = step
		}
	}
	return min(t, window)
}

// alertKey forms an alert's key; see [Alert].
func alertKey(contract string, term accord.Date, kind AlertKind, threshold int) string {
	return "renewal:" + contract + ":" + term.String() + ":" + string(kind) + ":" + strconv.Itoa(threshold)
}

// Due returns an alert for every contract in its renewal window at now
// (see [Contract.InWindow]), the soonest end first and then by contract ID.
// Days are counted in now's location: pass now.In(loc) to count them in
// the caller's time zone.
//
// An alert counts down to the notice deadline ([AlertNotice]) while the
// contract has a notice period and the deadline has not passed, and to the
// term's last day ([AlertTermEnd]) otherwise; its Threshold and Key say
// which step of the ladder it has reached (see [AlertThresholds]), so a
// host that stores the keys it delivered tells each contract's owner once
// per step.
func Due(contracts []Contract, now time.Time) []Alert {
	today := accord.DateOf(now)
	// Find the contracts first, so that the alerts are allocated once.
	var due []int
	for i := range contracts {
		if contracts[i].inWindow(today) {
			due = append(due, i)
		}
	}
	if len(due) == 0 {
		return nil
	}
	out := make([]Alert, len(due))
	for j, i := range due {
		c := &contracts[i]
		end := c.Term.End
		deadline := c.NoticeDeadline()
		left, notice := today.DaysUntil(end), today.DaysUntil(deadline)
		kind, counted := AlertTermEnd, left
		if c.NoticeDays > 0 && notice >= 0 {
			kind, counted = AlertNotice, notice
		}
		th := threshold(counted, c.window())
		out[j] = Alert{
			Kind: kind, Threshold: th, Key: alertKey(c.ID, c.Term.Start, kind, th),
			Contract: c.ID, DealID: c.DealID, Owner: c.Owner, Client: c.Client.Name,
			End: end, Renewal: c.Term.Renewal, DaysLeft: left,
			NoticeDeadline: deadline, NoticeDaysLeft: notice,
			AutoRenew: c.AutoRenew, Value: c.Term.Value,
		}
	}
	slices.SortStableFunc(out, func(a, b Alert) int {
		return cmp.Or(cmp.Compare(a.DaysLeft, b.DaysLeft), cmp.Compare(a.Contract, b.Contract))
	})
	return out
}

// WindowOpens returns the first day of the current term's renewal window:
// WindowDays days before its last day (DefaultWindowDays when WindowDays is
// not positive), or the term's first day when the term is shorter than the
// window, so that a term renewed early is not due again before it starts.
func (c *Contract) WindowOpens() accord.Date {
	if c == nil {
		return accord.Date{}
	}
	if opens := c.Term.End.AddDays(-c.window()); opens.After(c.Term.Start) {
		return opens
	}
	return c.Term.Start
}

func (c *Contract) window() int {
	if c.WindowDays <= 0 {
		return DefaultWindowDays
	}
	return c.WindowDays
}

// NoticeDeadline returns the last day on which notice can be given for the
// current term: NoticeDays days before its last day.
func (c *Contract) NoticeDeadline() accord.Date {
	if c == nil {
		return accord.Date{}
	}
	return c.Term.End.AddDays(-max(c.NoticeDays, 0))
}

// InWindow reports whether c is in its renewal window at now, in now's
// location: the day is between WindowOpens and the term's last day, both
// included, and the contract can still renew (it is not lapsed, churned or
// refunded).
func (c *Contract) InWindow(now time.Time) bool {
	return c != nil && c.inWindow(accord.DateOf(now))
}

// inWindow is InWindow for today.
func (c *Contract) inWindow(today accord.Date) bool {
	if !renewable(c.Status) {
		return false
	}
	return !today.Before(c.WindowOpens()) && !today.After(c.Term.End)
}

// renewable reports whether a contract in status s can renew.
func renewable(s Status) bool {
	switch s {
	case StatusOnboarding, StatusActive, StatusPaused, StatusAtRisk:
		return true
	}
	return false
}

// Renew records that the client renewed for a new term of months months
// worth value, which starts on the current term's renewal date. A value
// above the current one is an expansion, below it a contraction.
//
// Renewing needs the renewal window to have opened (see
// [Contract.WindowOpens]). A renewal signed after the last day is still a
// renewal, from the renewal date, until someone records that the contract
// lapsed: a lapsed, churned or refunded contract cannot renew
// ([accord.ErrConflict]). Only sales roles and admins record renewals.
func (c *Contract) Renew(months int, value accord.Money, by accord.Actor, at time.Time) error {
	var problems []error
	problems = append(problems, checkMonths("months", months), checkValue("value", value))
	if c != nil && value.IsSet() && value.Currency != c.Term.Value.Currency {
		problems = append(problems, accord.Invalid("value.currency", "must be the contract's currency, %s; got %s", c.Term.Value.Currency, value.Currency))
	}
	if err := c.precheck("renew", by, at, seller, "may not record a renewal", problems...); err != nil {
		return err
	}
	if err := c.canRenew("renew"); err != nil {
		return err
	}
	if today := accord.DateOf(at); today.Before(c.WindowOpens()) {
		return &accord.BlockedError{Op: accord.OpRenew, Subject: c.ID, Unmet: []accord.Unmet{{
			Criterion: "renewal_window", Field: "term.end",
			Message: fmt.Sprintf("Wait for the renewal window, which opens on %s; today is %s.", c.WindowOpens(), today),
		}}}
	}
	c.renew(OutcomeRenewed, months, value, by, at)
	return nil
}

// AutoRenewal records that the term renewed by itself: a new term of the
// same length and value, from its renewal date. It needs the auto-renewal
// flag and the renewal date to have come; a customer who gave notice is
// churned with [Contract.Churn] instead. A lapsed, churned or refunded
// contract cannot renew ([accord.ErrConflict]).
func (c *Contract) AutoRenewal(by accord.Actor, at time.Time) error {
	if err := c.precheck("auto-renew", by, at, manager, "may not record a renewal"); err != nil {
		return err
	}
	if err := c.canRenew("auto-renew"); err != nil {
		return err
	}
	var unmet []accord.Unmet
	if !c.AutoRenew {
		unmet = append(unmet, accord.Unmet{Criterion: "auto_renew", Field: "auto_renew",
			Message: "The contract does not renew by itself: record the renewal with Renew."})
	}
	if today := accord.DateOf(at); today.Before(c.Term.Renewal) {
		unmet = append(unmet, accord.Unmet{Criterion: "renewal_date_reached", Field: "term.renewal",
			Message: fmt.Sprintf("Wait for the renewal date, %s; today is %s.", c.Term.Renewal, today)})
	}
	if len(unmet) > 0 {
		return &accord.BlockedError{Op: accord.OpRenew, Subject: c.ID, Unmet: unmet}
	}
	c.renew(OutcomeAutoRenewed, c.Term.Months, c.Term.Value, by, at)
	return nil
}

func (c *Contract) canRenew(action string) error {
	switch {
	case c.Status == StatusRefunded:
		return fmt.Errorf("%w: contract %q: cannot %s: the contract was refunded", accord.ErrConflict, c.ID, action)
	case !renewable(c.Status):
		return fmt.Errorf("%w: contract %q: cannot %s a contract that is %s", accord.ErrConflict, c.ID, action, c.Status)
	}
	return nil
}

func (c *Contract) renew(o Outcome, months int, value accord.Money, by accord.Actor, at time.Time) {
	next := c.termAfter(c.monthsServed()+c.Term.Months, months, value)
	c.Renewals = append(c.Renewals, Renewal{Outcome: o, Previous: c.Term, Next: next, By: by, At: at})
	c.record(Event{Kind: EventRenewal, Reason: string(o), By: by, At: at})
	c.Term = next
}

// Churn records that the customer left, for reason (note is required for
// ChurnOther), and moves the status to churned. Any status but churned and
// refunded can churn.
func (c *Contract) Churn(reason ChurnReason, note string, by accord.Actor, at time.Time) error {
	var problems []error
	if err := checkCode("reason", reason, churnReasons); err != nil {
		problems = append(problems, err)
	} else if reason == ChurnOther && note == "" {
		problems = append(problems, accord.Invalid("note", "is required when the reason is %s", ChurnOther))
	}
	if err := c.precheck("churn", by, at, manager, "may not churn a customer", problems...); err != nil {
		return err
	}
	t, ok := transition(c.Status, StatusChurned)
	if !ok {
		return fmt.Errorf("%w: contract %q: a contract that is %s cannot churn", accord.ErrConflict, c.ID, c.Status)
	}
	text := string(reason)
	if note != "" {
		text += ": " + note
	}
	// The move to churned has no gates: it always records.
	ev := Event{Kind: EventStatus, Reason: text, By: by, At: at}
	if err := engine.Apply(c, c.ID, t, at, func() { journal{}.Append(c, t, ev) }); err != nil {
		return err
	}
	c.Renewals = append(c.Renewals, Renewal{Outcome: OutcomeChurned, Previous: c.Term, Reason: reason, Note: note, By: by, At: at})
	return nil
}
