package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/server/store"
)

// editors are the roles that may edit a deal's fields. The library decides
// who may move a deal; who may edit its fields is the service's rule.
var editors = map[accord.Role]bool{
	accord.RoleSalesRep: true, accord.RoleSalesManager: true, accord.RoleAdmin: true,
	accord.RoleImplementationLead: true,
}

// managed are the keys of a deal that only the process writes.
var managed = []string{"stage", "stage_entered_at", "version", "history", "loss", "scope", "close_date_changes", "contract_id"}

// CreateDeal creates a deal from its JSON and opens it in the first stage.
// The ID is made when the body has none; the owner defaults to the caller.
func (a *App) CreateDeal(ctx context.Context, p Principal, body []byte) (Doc[deal.Deal], error) {
	if p.client() {
		return Doc[deal.Deal]{}, forbidden("role %s may not create deals", p.Role)
	}
	var raw map[string]json.RawMessage
	if err := decode(body, &raw); err != nil {
		return Doc[deal.Deal]{}, err
	}
	var fields []FieldError
	for _, k := range managed {
		if _, ok := raw[k]; ok {
			fields = append(fields, FieldError{Field: k, Rule: "is set by the process, not by a request"})
		}
	}
	if len(fields) > 0 {
		return Doc[deal.Deal]{}, invalid(fields...)
	}
	var d deal.Deal
	if err := decode(body, &d); err != nil {
		return Doc[deal.Deal]{}, err
	}
	if d.ID == "" {
		d.ID = newID("d-")
	}
	if d.Owner == "" {
		d.Owner = p.ID
	}
	now := a.now()
	if err := a.process.Open(&d, p.actor(), now); err != nil {
		return Doc[deal.Deal]{}, classify(err)
	}
	w, err := a.dealWrite(store.Deal{}, &d, 0, now)
	if err != nil {
		return Doc[deal.Deal]{}, classify(err)
	}
	err = a.store.InTx(ctx, func(tx store.Tx) error { return w.apply(ctx, tx) })
	return Doc[deal.Deal]{Rev: w.rev, Value: d, JSON: w.rec.Doc}, classify(err)
}

// dealWrite is everything a change of a deal writes, encoded before the
// transaction so that the transaction holds the writer for the writes only.
type dealWrite struct {
	rec store.Deal
	// was is the deal as read, zero for a new one.
	was    store.Deal
	events []store.Event
	msgs   []store.Message
	// rev is the deal's revision once apply succeeded.
	rev int64
}

// dealWrite prepares the creation (was is zero) or the update of the deal
// was as read, the events of its history from position from, and its triggers.
func (a *App) dealWrite(was store.Deal, d *deal.Deal, from int, now time.Time) (*dealWrite, error) {
	doc, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	w := &dealWrite{was: was, rec: store.Deal{ID: d.ID, AccountID: d.AccountID, Owner: d.Owner, Segment: d.Segment,
		Stage: string(d.Stage), Rev: was.Rev, UpdatedAt: now, Doc: doc}}
	if from < len(d.History) {
		w.events = make([]store.Event, 0, len(d.History)-from)
		for i, e := range d.History[from:] {
			b, err := json.Marshal(e)
			if err != nil {
				return nil, err
			}
			w.events = append(w.events, store.Event{Subject: store.SubjectDeal, SubjectID: d.ID, Seq: from + i,
				Kind: string(e.Kind), At: e.At, ActorID: e.By.ID, Doc: b})
		}
	}
	for _, act := range a.process.Triggers(d, now) {
		b, err := json.Marshal(act)
		if err != nil {
			return nil, err
		}
		w.msgs = append(w.msgs, store.Message{Key: act.Key, Kind: string(act.Kind), Subject: store.SubjectDeal,
			SubjectID: d.ID, CreatedAt: now, Payload: b})
	}
	return w, nil
}

// apply writes w in tx. The update is refused with store.ErrStale when the
// deal was written since the revision it was read at.
func (w *dealWrite) apply(ctx context.Context, tx store.Tx) (err error) {
	if w.rec.Rev == 0 {
		w.rev, err = tx.Deals().Create(ctx, w.rec)
	} else {
		w.rev, err = tx.Deals().Update(ctx, w.rec, w.was)
	}
	if err != nil {
		return err
	}
	if len(w.events) > 0 {
		if err := tx.Events().Append(ctx, w.events); err != nil {
			return err
		}
	}
	if len(w.msgs) > 0 {
		if _, err := tx.Outbox().Enqueue(ctx, w.msgs); err != nil {
			return err
		}
	}
	return nil
}

// dealSaver is a store that writes the update of a deal with its events
// and messages in fewer round trips than a transaction of the three calls
// (sqlstore.DB on PostgreSQL: one statement), with the same outcome.
type dealSaver interface {
	SaveDeal(ctx context.Context, d, was store.Deal, es []store.Event, ms []store.Message) (int64, error)
}

// saveDeal writes the update w, as apply in a transaction would.
func (a *App) saveDeal(ctx context.Context, w *dealWrite) (err error) {
	if s, ok := a.store.(dealSaver); ok && w.rec.Rev != 0 {
		w.rev, err = s.SaveDeal(ctx, w.rec, w.was, w.events, w.msgs)
		return err
	}
	return a.store.InTx(ctx, func(tx store.Tx) error { return w.apply(ctx, tx) })
}

// loadDeal reads a deal the caller may see.
func loadDeal(ctx context.Context, tx store.Tx, p Principal, id string) (store.Deal, deal.Deal, error) {
	rec, err := tx.Deals().Get(ctx, id)
	if err != nil {
		return store.Deal{}, deal.Deal{}, classify(err)
	}
	if p.client() && (p.Account == "" || rec.AccountID != p.Account) {
		return store.Deal{}, deal.Deal{}, notFound("deal", id)
	}
	var d deal.Deal
	if err := json.Unmarshal(rec.Doc, &d); err != nil {
		return store.Deal{}, deal.Deal{}, fmt.Errorf("deal %s: stored document: %w", id, err)
	}
	return rec, d, nil
}

// GetDeal returns a deal.
func (a *App) GetDeal(ctx context.Context, p Principal, id string) (Doc[deal.Deal], error) {
	var out Doc[deal.Deal]
	err := a.store.View(ctx, func(tx store.Tx) error {
		rec, d, err := loadDeal(ctx, tx, p, id)
		out = Doc[deal.Deal]{Rev: rec.Rev, Value: d}
		return err
	})
	return out, classify(err)
}

// DealQuery filters and pages a list of deals.
type DealQuery struct {
	Stage, Owner, Segment string
	// After is the cursor: the ID of the last deal of the previous page.
	After string
	// Limit is the page size: 50 when 0, at most 200.
	Limit int
}

// ListDeals lists the deals the caller may see, by ID.
func (a *App) ListDeals(ctx context.Context, p Principal, q DealQuery) (Page[deal.Deal], error) {
	switch {
	case q.Limit == 0:
		q.Limit = 50
	case q.Limit < 0 || q.Limit > 200:
		return Page[deal.Deal]{}, invalid(FieldError{Field: "limit", Rule: "must be between 1 and 200"})
	}
	f := store.DealFilter{Stage: q.Stage, Owner: q.Owner, Segment: q.Segment, After: q.After, Limit: q.Limit + 1}
	if p.client() {
		if p.Account == "" {
			return Page[deal.Deal]{Items: []Doc[deal.Deal]{}}, nil
		}
		f.AccountID = p.Account
	}
	var recs []store.Deal
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		recs, err = tx.Deals().List(ctx, f)
		return err
	})
	if err != nil {
		return Page[deal.Deal]{}, classify(err)
	}
	page := Page[deal.Deal]{Items: make([]Doc[deal.Deal], 0, len(recs))}
	if len(recs) > q.Limit {
		recs = recs[:q.Limit]
		page.Next = recs[len(recs)-1].ID
	}
	for _, rec := range recs {
		var d deal.Deal
		if err := json.Unmarshal(rec.Doc, &d); err != nil {
			return Page[deal.Deal]{}, classify(fmt.Errorf("deal %s: stored document: %w", rec.ID, err))
		}
		page.Items = append(page.Items, Doc[deal.Deal]{Rev: rec.Rev, Value: d})
	}
	return page, nil
}

// changeDeal loads the deal at rev, applies fn and saves the result with its
// new events and triggers, in one transaction.
//
// The deal is read and decided on outside the transaction, and the
// transaction writes it back only if it is still at the revision read (a
// versioned update): the result is the same as reading it inside, but the
// transaction, which on SQLite holds the only writer, does no reading,
// decoding, deciding or encoding.
func (a *App) changeDeal(ctx context.Context, p Principal, id string, rev int64,
	fn func(d *deal.Deal, by accord.Actor, now time.Time) error) (Doc[deal.Deal], error) {
	if rev <= 0 {
		return Doc[deal.Deal]{}, &Error{Kind: KindPrecondition, Detail: "a write needs the revision it changes (If-Match)"}
	}
	now := a.now()
	var rec store.Deal
	var d deal.Deal
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		rec, d, err = loadDeal(ctx, tx, p, id)
		return err
	})
	if err != nil {
		return Doc[deal.Deal]{}, classify(err)
	}
	if rec.Rev != rev {
		return Doc[deal.Deal]{}, stale(id, rec.Rev, rev, d)
	}
	from := len(d.History)
	if err := fn(&d, p.actor(), now); err != nil {
		return Doc[deal.Deal]{}, classify(err)
	}
	w, err := a.dealWrite(rec, &d, from, now)
	if err != nil {
		return Doc[deal.Deal]{}, classify(err)
	}
	err = a.saveDeal(ctx, w)
	if errors.Is(err, store.ErrStale) {
		// Written since it was read: answer as if the If-Match had been
		// stale, with the deal as it is now.
		cur, gerr := a.GetDeal(ctx, p, id)
		if gerr != nil {
			return Doc[deal.Deal]{}, gerr
		}
		return Doc[deal.Deal]{}, stale(id, cur.Rev, rev, cur.Value)
	}
	if err != nil {
		return Doc[deal.Deal]{}, classify(err)
	}
	return Doc[deal.Deal]{Rev: w.rev, Value: d, JSON: w.rec.Doc}, nil
}

func stale(id string, cur, rev int64, d deal.Deal) *Error {
	return &Error{Kind: KindStale, Detail: fmt.Sprintf("deal %s is at revision %d, not %d", id, cur, rev), Rev: cur, Current: d}
}

// Advance moves a deal forward one stage.
func (a *App) Advance(ctx context.Context, p Principal, id string, rev int64) (Doc[deal.Deal], error) {
	return a.changeDeal(ctx, p, id, rev, func(d *deal.Deal, by accord.Actor, now time.Time) error {
		return a.process.Advance(d, by, now)
	})
}

// RevertInput is the body of a revert.
type RevertInput struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// Revert moves a deal back to an earlier stage. A deal that records a
// contract presents it, as stored, and the process decides whether the
// win may be undone (only once the contract has ended).
func (a *App) Revert(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[deal.Deal], error) {
	var in RevertInput
	if err := decode(body, &in); err != nil {
		return Doc[deal.Deal]{}, err
	}
	return a.undoing(ctx, p, id, rev, func(d *deal.Deal, by accord.Actor, now time.Time, opts ...deal.MoveOption) error {
		return a.process.Revert(d, deal.StageID(in.To), in.Reason, by, now, opts...)
	})
}

// LoseInput is the body of a loss.
type LoseInput struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// Lose moves a deal to lost. A deal that records a contract presents it,
// as stored, as Revert does.
func (a *App) Lose(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[deal.Deal], error) {
	var in LoseInput
	if err := decode(body, &in); err != nil {
		return Doc[deal.Deal]{}, err
	}
	return a.undoing(ctx, p, id, rev, func(d *deal.Deal, by accord.Actor, now time.Time, opts ...deal.MoveOption) error {
		return a.process.Lose(d, deal.LossReason(in.Reason), in.Note, by, now, opts...)
	})
}

// undoing runs move, a move that may undo the deal's win, as changeDeal
// does, presenting the contract the deal records (see contractOf), so
// that the process decides whether the win may be undone.
func (a *App) undoing(ctx context.Context, p Principal, id string, rev int64, move func(d *deal.Deal, by accord.Actor, now time.Time, opts ...deal.MoveOption) error) (Doc[deal.Deal], error) {
	return a.changeDeal(ctx, p, id, rev, func(d *deal.Deal, by accord.Actor, now time.Time) error {
		opts, err := a.contractOf(ctx, d)
		if err != nil {
			return err
		}
		return move(d, by, now, opts...)
	})
}

// Reopen brings a lost deal back to a stage.
func (a *App) Reopen(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[deal.Deal], error) {
	var in RevertInput
	if err := decode(body, &in); err != nil {
		return Doc[deal.Deal]{}, err
	}
	return a.changeDeal(ctx, p, id, rev, func(d *deal.Deal, by accord.Actor, now time.Time) error {
		return a.process.Reopen(d, deal.StageID(in.To), in.Reason, by, now)
	})
}

// PatchDeal edits a deal's fields with a JSON merge patch (RFC 7396).
// The fields the process maintains (the stage, the history, ...) are
// refused; a new close date is recorded with deal.Deal.SetCloseDate.
func (a *App) PatchDeal(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[deal.Deal], error) {
	if !editors[accord.Role(p.Role)] {
		return Doc[deal.Deal]{}, forbidden("role %s may not edit deals", p.Role)
	}
	var patch map[string]any
	if err := decode(body, &patch); err != nil {
		return Doc[deal.Deal]{}, err
	}
	var fields []FieldError
	for _, k := range append([]string{"id"}, managed...) {
		if _, ok := patch[k]; ok {
			fields = append(fields, FieldError{Field: k, Rule: "cannot be changed by a patch"})
		}
	}
	if len(fields) > 0 {
		return Doc[deal.Deal]{}, invalid(fields...)
	}
	closeDate, setClose := patch["close_date"]
	delete(patch, "close_date")
	return a.changeDeal(ctx, p, id, rev, func(d *deal.Deal, by accord.Actor, now time.Time) error {
		nd, err := patched(d, patch)
		if err != nil {
			return err
		}
		if setClose {
			var t time.Time
			b, _ := json.Marshal(closeDate)
			if closeDate != nil {
				if err := json.Unmarshal(b, &t); err != nil {
					return invalid(FieldError{Field: "close_date", Rule: "must be an RFC 3339 time"})
				}
			}
			if err := nd.SetCloseDate(t, by, now); err != nil {
				return err
			}
		}
		if err := nd.Validate(); err != nil {
			return err
		}
		*d = nd
		return nil
	})
}

// Unmet lists what the deal lacks to advance, as the library reports it.
func (a *App) Unmet(ctx context.Context, p Principal, id string) ([]accord.Unmet, error) {
	d, err := a.GetDeal(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return orEmpty(a.process.Unmet(&d.Value, a.now())), nil
}

// Moves lists every move the deal can make now, with what blocks each.
func (a *App) Moves(ctx context.Context, p Principal, id string) ([]deal.Move, error) {
	d, err := a.GetDeal(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return orEmpty(a.process.Moves(&d.Value, a.now())), nil
}

// Risks lists the deal's risk flags now.
func (a *App) Risks(ctx context.Context, p Principal, id string) ([]deal.Risk, error) {
	d, err := a.GetDeal(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return orEmpty(a.process.Risks(&d.Value, a.now())), nil
}

// History lists every move of the deal.
func (a *App) History(ctx context.Context, p Principal, id string) ([]deal.Event, error) {
	d, err := a.GetDeal(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return orEmpty(d.Value.History), nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
