package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/scope"
)

// Contract is the library's contract, named here so that the other
// packages of the service need not import the library.
type Contract = contract.Contract

// Alert is a renewal alert, as the library reports it.
type Alert = contract.Alert

// ContractInput is the body of a contract's creation: what the parties
// agreed beyond the deal and its scope (contract.Agreement). Zero fields
// take the library's defaults: the client is the deal's account, the owner
// the deal's owner, the start the deal's implementation start read in
// time_zone (UTC when empty), the term the deal's. The vendor defaults to
// the service's.
type ContractInput struct {
	ID         string               `json:"id"`
	Vendor     contract.Party       `json:"vendor"`
	Client     contract.Party       `json:"client"`
	Owner      string               `json:"owner"`
	Start      accord.Date          `json:"start"`
	Months     int                  `json:"months"`
	Billing    contract.Billing     `json:"billing"`
	Commitment contract.Commitment  `json:"commitment"`
	AutoRenew  bool                 `json:"auto_renew"`
	NoticeDays int                  `json:"notice_days"`
	WindowDays int                  `json:"window_days"`
	Refund     contract.RefundTerms `json:"refund_terms"`
	TimeZone   string               `json:"time_zone"`
}

// CreateContract creates the contract of a won deal (contract.New) from the
// deal at revision rev, the revision of its Scope of Work it closed on and
// its proposal, all as stored. The library records the contract's ID on the
// deal; the contract, its first event and the deal are written in one
// transaction, the deal only at the revision read.
func (a *App) CreateContract(ctx context.Context, p Principal, dealID string, rev int64, body []byte) (Doc[Contract], error) {
	if rev <= 0 {
		return Doc[Contract]{}, &Error{Kind: KindPrecondition, Detail: "creating a contract writes the deal: it needs the deal's revision (If-Match)"}
	}
	var in ContractInput
	if err := decode(body, &in); err != nil {
		return Doc[Contract]{}, err
	}
	loc := time.UTC
	if in.TimeZone != "" {
		var err error
		if loc, err = a.zone(in.TimeZone); err != nil {
			return Doc[Contract]{}, invalid(FieldError{Field: "time_zone", Rule: "is not a known time zone"})
		}
	}
	if in.ID == "" {
		in.ID = newID("ctr-")
	}
	if in.Vendor == (contract.Party{}) {
		in.Vendor = a.vendor
	}
	now := a.now()
	var drec store.Deal
	var d deal.Deal
	var sow *scope.SOW
	var prop scope.Proposal
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		if drec, d, err = loadDeal(ctx, tx, p, dealID); err != nil || drec.Rev != rev {
			return err
		}
		id := d.Scope.ID
		if on, ok := d.ClosedOn(); ok {
			id = on.ID
		}
		if id != "" {
			if sow, _, err = storedScope(ctx, tx, dealID, id); err != nil {
				return err
			}
		}
		prop, err = storedProposal(ctx, tx, dealID)
		return err
	})
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	if drec.Rev != rev {
		return Doc[Contract]{}, stale(dealID, drec.Rev, rev, d)
	}
	from := len(d.History)
	c, err := contract.New(contract.Signing{Process: a.process, Deal: &d, Scope: sow, Proposal: prop}, contract.Agreement{
		ID: in.ID, Vendor: in.Vendor, Client: in.Client, Owner: in.Owner, Start: in.Start, Months: in.Months,
		Billing: in.Billing, Commitment: in.Commitment, AutoRenew: in.AutoRenew, NoticeDays: in.NoticeDays,
		WindowDays: in.WindowDays, Refund: in.Refund, Calendar: a.calendar, Location: loc,
	}, p.actor(), now)
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	dw, err := a.dealWrite(drec, &d, from, now)
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	cw, err := contractWrite(store.Contract{AccountID: drec.AccountID}, &c, 0, now)
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	err = a.store.InTx(ctx, func(tx store.Tx) error {
		if err := cw.apply(ctx, tx); err != nil {
			return err
		}
		return dw.apply(ctx, tx)
	})
	if errors.Is(err, store.ErrStale) {
		cur, gerr := a.GetDeal(ctx, p, dealID)
		if gerr != nil {
			return Doc[Contract]{}, gerr
		}
		return Doc[Contract]{}, stale(dealID, cur.Rev, rev, cur.Value)
	}
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	return Doc[Contract]{Rev: cw.rev, Value: c, JSON: cw.rec.Doc}, nil
}

// contractWriter is everything a change of a contract writes: the contract
// with the columns lists need, and its new events.
type contractWriter struct {
	rec    store.Contract
	events []store.Event
	rev    int64
}

// contractWrite prepares the creation (was.Rev is 0; was carries the
// account) or the update of the contract read as was, with the events of
// its history from position from.
func contractWrite(was store.Contract, c *Contract, from int, now time.Time) (*contractWriter, error) {
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	w := &contractWriter{rec: store.Contract{ID: c.ID, DealID: c.DealID, AccountID: was.AccountID, Owner: c.Owner,
		Status: string(c.Status), Renewal: c.Term.Renewal.String(), Rev: was.Rev, UpdatedAt: now, Doc: doc}}
	for i, e := range c.History[from:] {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		w.events = append(w.events, store.Event{Subject: store.SubjectContract, SubjectID: c.ID, Seq: from + i,
			Kind: string(e.Kind), At: e.At, ActorID: e.By.ID, Doc: b})
	}
	return w, nil
}

func (w *contractWriter) apply(ctx context.Context, tx store.Tx) (err error) {
	if w.rec.Rev == 0 {
		w.rev, err = tx.Contracts().Create(ctx, w.rec)
	} else {
		w.rev, err = tx.Contracts().Update(ctx, w.rec)
	}
	if err != nil {
		return err
	}
	if len(w.events) > 0 {
		return tx.Events().Append(ctx, w.events)
	}
	return nil
}

// loadContract reads a contract the caller may see: a client, its own
// account's only.
func loadContract(ctx context.Context, tx store.Tx, p Principal, id string) (store.Contract, Contract, error) {
	rec, err := tx.Contracts().Get(ctx, id)
	if err != nil {
		return store.Contract{}, Contract{}, classify(err)
	}
	if p.client() && (p.Account == "" || rec.AccountID != p.Account) {
		return store.Contract{}, Contract{}, notFound("contract", id)
	}
	var c Contract
	if err := json.Unmarshal(rec.Doc, &c); err != nil {
		return store.Contract{}, Contract{}, fmt.Errorf("contract %s: stored document: %w", id, err)
	}
	return rec, c, nil
}

// GetContract returns a contract.
func (a *App) GetContract(ctx context.Context, p Principal, id string) (Doc[Contract], error) {
	var out Doc[Contract]
	err := a.store.View(ctx, func(tx store.Tx) error {
		rec, c, err := loadContract(ctx, tx, p, id)
		out = Doc[Contract]{Rev: rec.Rev, Value: c, JSON: rec.Doc}
		return err
	})
	return out, classify(err)
}

// changeContract loads the contract at rev, applies fn and saves it with
// its new events in one transaction, only at the revision read.
func (a *App) changeContract(ctx context.Context, p Principal, id string, rev int64,
	fn func(c *Contract, by accord.Actor, now time.Time) error) (Doc[Contract], error) {
	if rev <= 0 {
		return Doc[Contract]{}, &Error{Kind: KindPrecondition, Detail: "a write needs the revision it changes (If-Match)"}
	}
	now := a.now()
	var rec store.Contract
	var c Contract
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		rec, c, err = loadContract(ctx, tx, p, id)
		return err
	})
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	if rec.Rev != rev {
		return Doc[Contract]{}, staleContract(id, rec.Rev, rev, c)
	}
	from := len(c.History)
	if err := fn(&c, p.actor(), now); err != nil {
		return Doc[Contract]{}, classify(err)
	}
	w, err := contractWrite(rec, &c, from, now)
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	err = a.store.InTx(ctx, func(tx store.Tx) error { return w.apply(ctx, tx) })
	if errors.Is(err, store.ErrStale) {
		cur, gerr := a.GetContract(ctx, p, id)
		if gerr != nil {
			return Doc[Contract]{}, gerr
		}
		return Doc[Contract]{}, staleContract(id, cur.Rev, rev, cur.Value)
	}
	if err != nil {
		return Doc[Contract]{}, classify(err)
	}
	return Doc[Contract]{Rev: w.rev, Value: c, JSON: w.rec.Doc}, nil
}

func staleContract(id string, cur, rev int64, c Contract) *Error {
	return &Error{Kind: KindStale, Detail: fmt.Sprintf("contract %s is at revision %d, not %d", id, cur, rev), Rev: cur, Current: c}
}

// GoLiveInput is the body of a go-live: when the customer went live (now
// when absent) and why the status changes.
type GoLiveInput struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// GoLive records the customer's go-live on the contract and moves it to
// active (contract.Contract.Move, which needs the go-live). The go-live is
// recorded once, and not in the future.
func (a *App) GoLive(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[Contract], error) {
	var in GoLiveInput
	if len(body) > 0 {
		if err := decode(body, &in); err != nil {
			return Doc[Contract]{}, err
		}
	}
	return a.changeContract(ctx, p, id, rev, func(c *Contract, by accord.Actor, now time.Time) error {
		at := in.At
		if at.IsZero() {
			at = now
		}
		if at.After(now) {
			return invalid(FieldError{Field: "at", Rule: "must not be in the future"})
		}
		if !c.GoLiveAt.IsZero() {
			return &Error{Kind: KindConflict, Detail: fmt.Sprintf("contract %s went live on %s", c.ID, c.GoLiveAt.Format(time.DateOnly))}
		}
		reason := in.Reason
		if reason == "" {
			reason = "went live"
		}
		c.GoLiveAt = at
		return c.Move(contract.StatusActive, reason, by, now)
	})
}

// MoveInput is the body of a status change.
type MoveInput struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// MoveContract changes the customer's status (contract.Contract.Move).
func (a *App) MoveContract(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[Contract], error) {
	var in MoveInput
	if err := decode(body, &in); err != nil {
		return Doc[Contract]{}, err
	}
	return a.changeContract(ctx, p, id, rev, func(c *Contract, by accord.Actor, now time.Time) error {
		return c.Move(contract.Status(in.To), in.Reason, by, now)
	})
}

// RenewInput is the body of a renewal: the new term's months and value.
type RenewInput struct {
	Months int          `json:"months"`
	Value  accord.Money `json:"value"`
}

// Renew records a renewal with a new term (contract.Contract.Renew).
func (a *App) Renew(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[Contract], error) {
	var in RenewInput
	if err := decode(body, &in); err != nil {
		return Doc[Contract]{}, err
	}
	return a.changeContract(ctx, p, id, rev, func(c *Contract, by accord.Actor, now time.Time) error {
		return c.Renew(in.Months, in.Value, by, now)
	})
}

// AutoRenew records that the term renewed by itself
// (contract.Contract.AutoRenewal).
func (a *App) AutoRenew(ctx context.Context, p Principal, id string, rev int64, _ []byte) (Doc[Contract], error) {
	return a.changeContract(ctx, p, id, rev, func(c *Contract, by accord.Actor, now time.Time) error {
		return c.AutoRenewal(by, now)
	})
}

// ChurnInput is the body of a churn.
type ChurnInput struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// Churn records that the customer left (contract.Contract.Churn).
func (a *App) Churn(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[Contract], error) {
	var in ChurnInput
	if err := decode(body, &in); err != nil {
		return Doc[Contract]{}, err
	}
	return a.changeContract(ctx, p, id, rev, func(c *Contract, by accord.Actor, now time.Time) error {
		return c.Churn(contract.ChurnReason(in.Reason), in.Note, by, now)
	})
}

// RefundInput is the body of a refund request: a reason, which the
// guarantee does not ask for.
type RefundInput struct {
	Reason string `json:"reason"`
}

// Refund honours the refund guarantee (contract.Contract.RequestRefund):
// granted on the day; the client may ask.
func (a *App) Refund(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[Contract], error) {
	var in RefundInput
	if len(body) > 0 {
		if err := decode(body, &in); err != nil {
			return Doc[Contract]{}, err
		}
	}
	return a.changeContract(ctx, p, id, rev, func(c *Contract, by accord.Actor, now time.Time) error {
		_, err := c.RequestRefund(in.Reason, by, now)
		return err
	})
}

// RenewalKind is the outbox kind of a renewal alert.
const RenewalKind = "renewal_alert"

// Renewals is the answer of a renewals run: every alert due, and how many
// of them were new to the outbox.
type Renewals struct {
	Alerts   []Alert `json:"alerts"`
	Enqueued int     `json:"enqueued"`
}

// page is how many stored documents a report or a run reads at a time.
const page = 200

// RenewalsDue runs contract.Due over the stored contracts, a page at a
// time, with days counted in the implementation calendar's zone (UTC when
// it has none). With enqueue, the alerts go to the outbox in one
// transaction, keyed by their idempotency keys: a run repeated the same day,
// or on another day of the same step, enqueues nothing new, so each owner
// hears of each step once. Clients may not run it.
func (a *App) RenewalsDue(ctx context.Context, p Principal, enqueue bool) (Renewals, error) {
	now, due, err := a.due(ctx, p)
	if err != nil {
		return Renewals{}, err
	}
	out := Renewals{Alerts: make([]Alert, len(due))}
	for i, d := range due {
		out.Alerts[i] = d.alert
	}
	if !enqueue || len(out.Alerts) == 0 {
		return out, nil
	}
	msgs := make([]store.Message, 0, len(out.Alerts))
	for _, al := range out.Alerts {
		b, err := json.Marshal(al)
		if err != nil {
			return Renewals{}, classify(err)
		}
		msgs = append(msgs, store.Message{Key: al.Key, Kind: RenewalKind, Subject: store.SubjectContract,
			SubjectID: al.Contract, CreatedAt: now, Payload: b})
	}
	err = a.store.InTx(ctx, func(tx store.Tx) (err error) {
		out.Enqueued, err = tx.Outbox().Enqueue(ctx, msgs)
		return err
	})
	return out, classify(err)
}

// dueContract is a stored contract with a renewal alert today.
type dueContract struct {
	alert Alert
	rev   int64
	c     Contract
}

// due reads every contract with a renewal alert today (contract.Due), the
// soonest end first, with today's time in the implementation calendar's
// zone. Clients may not read it.
func (a *App) due(ctx context.Context, p Principal) (time.Time, []dueContract, error) {
	if p.client() {
		return time.Time{}, nil, forbidden("role %s may not read renewals", p.Role)
	}
	now := a.now()
	if a.calendar.Location != nil {
		now = now.In(a.calendar.Location)
	}
	var out []dueContract
	err := a.eachContract(ctx, func(recs []store.Contract, cs []Contract) error {
		at := make(map[string]int, len(cs))
		for i := range cs {
			at[cs[i].ID] = i
		}
		for _, al := range contract.Due(cs, now) {
			i := at[al.Contract]
			out = append(out, dueContract{alert: al, rev: recs[i].Rev, c: cs[i]})
		}
		return nil
	})
	if err != nil {
		return now, nil, classify(err)
	}
	slices.SortStableFunc(out, func(x, y dueContract) int {
		if c := x.alert.End.Compare(y.alert.End); c != 0 {
			return c
		}
		return strings.Compare(x.alert.Contract, y.alert.Contract)
	})
	return now, out, nil
}

// eachContract calls fn with the stored contracts, a page at a time, in
// the order of their IDs, so that no more than a page is held at once: the
// records as stored and, at the same index, their documents.
func (a *App) eachContract(ctx context.Context, fn func([]store.Contract, []Contract) error) error {
	after := ""
	for {
		var recs []store.Contract
		err := a.store.View(ctx, func(tx store.Tx) (err error) {
			recs, err = tx.Contracts().List(ctx, store.ContractFilter{After: after, Limit: page})
			return err
		})
		if err != nil || len(recs) == 0 {
			return err
		}
		cs := make([]Contract, len(recs))
		for i, rec := range recs {
			if err := json.Unmarshal(rec.Doc, &cs[i]); err != nil {
				return fmt.Errorf("contract %s: stored document: %w", rec.ID, err)
			}
		}
		if err := fn(recs, cs); err != nil {
			return err
		}
		if len(recs) < page {
			return nil
		}
		after = recs[len(recs)-1].ID
	}
}
