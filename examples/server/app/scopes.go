package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/scope"
)

// Scope is the library's Scope of Work, named here so that the other
// packages of the service need not import the library.
type Scope = scope.SOW

// scopeState is what a scope command reads beside the scope: the deal it
// belongs to, the deal's proposal and the capacity the scope was last
// judged against. A command may set capacity.
type scopeState struct {
	dealRec  store.Deal
	deal     deal.Deal
	proposal *scope.Proposal
	propRev  int64
	capacity *scope.Capacity
}

// feasibility is the scope's feasibility against the capacity it was last
// judged against (none: a team with no hours), or the zero Feasibility when
// its sequence cannot be scheduled. It is what the scope is reconciled with.
func (a *App) feasibility(s *scope.SOW, c *scope.Capacity) scope.Feasibility {
	var capacity scope.Capacity
	if c != nil {
		capacity = *c
	}
	f, err := s.Feasibility(a.calendar, capacity)
	if err != nil {
		return scope.Feasibility{}
	}
	return f
}

// ref is the reference the deal keeps of s, with the deal's proposal.
func (a *App) ref(s *scope.SOW, st *scopeState) scope.Ref {
	var p scope.Proposal
	if st.proposal != nil {
		p = *st.proposal
	}
	return s.Ref(p, a.feasibility(s, st.capacity))
}

// loadScope reads a scope the caller may see.
func loadScope(ctx context.Context, tx store.Tx, p Principal, id string) (store.Scope, scope.SOW, error) {
	rec, err := tx.Scopes().Get(ctx, id)
	if err != nil {
		return store.Scope{}, scope.SOW{}, classify(err)
	}
	if p.client() && (p.Account == "" || rec.AccountID != p.Account) {
		return store.Scope{}, scope.SOW{}, notFound("scope", id)
	}
	var s scope.SOW
	if err := json.Unmarshal(rec.Doc, &s); err != nil {
		return store.Scope{}, scope.SOW{}, fmt.Errorf("scope %s: stored document: %w", id, err)
	}
	return rec, s, nil
}

// loadState reads the deal of a scope, its proposal and the capacity of rec.
func loadState(ctx context.Context, tx store.Tx, dealID string, capacity []byte) (*scopeState, error) {
	st := &scopeState{}
	var err error
	if st.dealRec, st.deal, err = loadDeal(ctx, tx, Principal{}, dealID); err != nil {
		return nil, err
	}
	prec, err := tx.Proposals().Get(ctx, dealID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		var prop scope.Proposal
		if err := json.Unmarshal(prec.Doc, &prop); err != nil {
			return nil, fmt.Errorf("proposal of deal %s: stored document: %w", dealID, err)
		}
		st.proposal, st.propRev = &prop, prec.Rev
	}
	if capacity != nil {
		var c scope.Capacity
		if err := json.Unmarshal(capacity, &c); err != nil {
			return nil, fmt.Errorf("scope of deal %s: stored capacity: %w", dealID, err)
		}
		st.capacity = &c
	}
	return st, nil
}

// scopeWrite is everything a change of a scope writes: the scope, the
// revision it recorded, its new review events, and the deal whose
// reference to it changed with its triggers, encoded before the
// transaction.
type scopeWrite struct {
	rec      store.Scope
	revision *store.ScopeRevision
	events   []store.Event
	deal     *dealWrite
	rev      int64
}

// errDealMoved marks a deal written since it was read by a scope command:
// the command is decided again on the deal as it is now.
type errDealMoved struct{ err error }

func (e errDealMoved) Error() string { return e.err.Error() }
func (e errDealMoved) Unwrap() error { return e.err }

// scopeWrite prepares the creation (was.Rev is 0) or the update of a scope
// read as was, whose review had from events and revision fromRev, and the
// refresh of its deal's reference.
func (a *App) scopeWrite(was store.Scope, s *scope.SOW, st *scopeState, from, fromRev int, now time.Time) (*scopeWrite, error) {
	doc, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	w := &scopeWrite{rec: store.Scope{ID: s.ID, DealID: s.DealID, AccountID: st.dealRec.AccountID,
		Status: string(s.Review.Status), Revision: s.Review.Revision, Rev: was.Rev, UpdatedAt: now, Doc: doc}}
	if st.capacity != nil {
		if w.rec.Capacity, err = json.Marshal(st.capacity); err != nil {
			return nil, err
		}
	}
	if s.Review.Revision > fromRev {
		content, err := contentOf(s)
		if err != nil {
			return nil, err
		}
		w.revision = &store.ScopeRevision{ScopeID: s.ID, Revision: s.Review.Revision, Digest: s.Review.Digest,
			At: now, By: s.Review.RevisedBy, Doc: content}
	}
	for i, e := range s.Review.History[from:] {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		w.events = append(w.events, store.Event{Subject: store.SubjectScope, SubjectID: s.ID, Seq: from + i,
			Kind: string(e.Kind), At: e.At, ActorID: e.By.ID, Doc: b})
	}
	if ref := a.ref(s, st); !reflect.DeepEqual(ref, st.deal.Scope) {
		d := st.deal
		d.Scope = ref
		if w.deal, err = a.dealWrite(st.dealRec, &d, len(d.History), now); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// contentOf is the content of s, everything but its review: what a
// revision records.
func contentOf(s *scope.SOW) ([]byte, error) {
	c := *s
	c.Review = scope.Review{}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	delete(m, "review")
	return json.Marshal(m)
}

func (w *scopeWrite) apply(ctx context.Context, tx store.Tx) (err error) {
	if w.rec.Rev == 0 {
		w.rev, err = tx.Scopes().Create(ctx, w.rec)
	} else {
		w.rev, err = tx.Scopes().Update(ctx, w.rec)
	}
	if err != nil {
		return err
	}
	if w.revision != nil {
		if err := tx.Scopes().AddRevision(ctx, *w.revision); err != nil {
			return err
		}
	}
	if len(w.events) > 0 {
		if err := tx.Events().Append(ctx, w.events); err != nil {
			return err
		}
	}
	if w.deal != nil {
		if err := w.deal.apply(ctx, tx); err != nil {
			return errDealMoved{err}
		}
	}
	return nil
}

// attempts bounds how often a scope command is decided again because its
// deal was written meanwhile (the caller's revision was of the scope, so
// that is no reason to refuse it).
const attempts = 3

// CreateScope opens a Scope of Work for a deal the caller may see, from
// the JSON of its content. The ID is made when the body has none. A deal
// has one scope; its reference to it is set in the same transaction.
func (a *App) CreateScope(ctx context.Context, p Principal, dealID string, body []byte) (Doc[scope.SOW], error) {
	var raw map[string]json.RawMessage
	if err := decode(body, &raw); err != nil {
		return Doc[scope.SOW]{}, err
	}
	if _, ok := raw["review"]; ok {
		return Doc[scope.SOW]{}, invalid(FieldError{Field: "review", Rule: "is set by the review, not by a request"})
	}
	var s scope.SOW
	if err := decode(body, &s); err != nil {
		return Doc[scope.SOW]{}, err
	}
	if s.DealID != "" && s.DealID != dealID {
		return Doc[scope.SOW]{}, invalid(FieldError{Field: "deal_id", Rule: fmt.Sprintf("must be the deal of the path, %q", dealID)})
	}
	s.DealID = dealID
	if s.ID == "" {
		s.ID = newID("s-")
	}
	for range attempts {
		now := a.now()
		var st *scopeState
		err := a.store.View(ctx, func(tx store.Tx) (err error) {
			if _, _, err := loadDeal(ctx, tx, p, dealID); err != nil {
				return err
			}
			st, err = loadState(ctx, tx, dealID, nil)
			return err
		})
		if err != nil {
			return Doc[scope.SOW]{}, classify(err)
		}
		if st.deal.Scope.ID != "" {
			return Doc[scope.SOW]{}, &Error{Kind: KindConflict,
				Detail: fmt.Sprintf("deal %s already has Scope of Work %s", dealID, st.deal.Scope.ID)}
		}
		sow := s
		if err := sow.Open(p.actor(), now); err != nil {
			return Doc[scope.SOW]{}, classify(err)
		}
		w, err := a.scopeWrite(store.Scope{}, &sow, st, 0, 0, now)
		if err != nil {
			return Doc[scope.SOW]{}, classify(err)
		}
		err = a.store.InTx(ctx, func(tx store.Tx) error { return w.apply(ctx, tx) })
		if errors.As(err, new(errDealMoved)) {
			continue
		}
		if err != nil {
			return Doc[scope.SOW]{}, classify(err)
		}
		return Doc[scope.SOW]{Rev: w.rev, Value: sow, JSON: w.rec.Doc}, nil
	}
	return Doc[scope.SOW]{}, &Error{Kind: KindConflict, Detail: fmt.Sprintf("deal %s kept changing; try again", dealID)}
}

// GetScope returns a scope.
func (a *App) GetScope(ctx context.Context, p Principal, id string) (Doc[scope.SOW], error) {
	var out Doc[scope.SOW]
	err := a.store.View(ctx, func(tx store.Tx) error {
		rec, s, err := loadScope(ctx, tx, p, id)
		out = Doc[scope.SOW]{Rev: rec.Rev, Value: s, JSON: rec.Doc}
		return err
	})
	return out, classify(err)
}

// Revision is one recorded revision of a scope's content.
type Revision struct {
	Revision int             `json:"revision"`
	Digest   string          `json:"digest"`
	At       time.Time       `json:"at"`
	By       string          `json:"by"`
	Content  json.RawMessage `json:"content"`
}

// Revisions lists every recorded revision of a scope with its content,
// oldest first: the library's scope keeps only the current content.
func (a *App) Revisions(ctx context.Context, p Principal, id string) ([]Revision, error) {
	out := []Revision{}
	err := a.store.View(ctx, func(tx store.Tx) error {
		if _, _, err := loadScope(ctx, tx, p, id); err != nil {
			return err
		}
		rs, err := tx.Scopes().Revisions(ctx, id)
		for _, r := range rs {
			out = append(out, Revision{Revision: r.Revision, Digest: r.Digest, At: r.At, By: r.By, Content: r.Doc})
		}
		return err
	})
	return out, classify(err)
}

// changeScope loads the scope at rev with its deal and proposal, applies
// fn and saves the scope, its new revision and events, and the deal's
// refreshed reference with the deal's triggers, in one transaction.
func (a *App) changeScope(ctx context.Context, p Principal, id string, rev int64,
	fn func(s *scope.SOW, st *scopeState, by accord.Actor, now time.Time) error) (Doc[scope.SOW], error) {
	if rev <= 0 {
		return Doc[scope.SOW]{}, &Error{Kind: KindPrecondition, Detail: "a write needs the revision it changes (If-Match)"}
	}
	for range attempts {
		now := a.now()
		var rec store.Scope
		var s scope.SOW
		var st *scopeState
		err := a.store.View(ctx, func(tx store.Tx) (err error) {
			if rec, s, err = loadScope(ctx, tx, p, id); err != nil {
				return err
			}
			st, err = loadState(ctx, tx, rec.DealID, rec.Capacity)
			return err
		})
		if err != nil {
			return Doc[scope.SOW]{}, classify(err)
		}
		if rec.Rev != rev {
			return Doc[scope.SOW]{}, staleScope(id, rec.Rev, rev, s)
		}
		from, fromRev := len(s.Review.History), s.Review.Revision
		if err := fn(&s, st, p.actor(), now); err != nil {
			return Doc[scope.SOW]{}, classify(err)
		}
		w, err := a.scopeWrite(rec, &s, st, from, fromRev, now)
		if err != nil {
			return Doc[scope.SOW]{}, classify(err)
		}
		err = a.store.InTx(ctx, func(tx store.Tx) error { return w.apply(ctx, tx) })
		switch {
		case errors.As(err, new(errDealMoved)):
			continue
		case errors.Is(err, store.ErrStale):
			cur, gerr := a.GetScope(ctx, p, id)
			if gerr != nil {
				return Doc[scope.SOW]{}, gerr
			}
			return Doc[scope.SOW]{}, staleScope(id, cur.Rev, rev, cur.Value)
		case err != nil:
			return Doc[scope.SOW]{}, classify(err)
		}
		return Doc[scope.SOW]{Rev: w.rev, Value: s, JSON: w.rec.Doc}, nil
	}
	return Doc[scope.SOW]{}, &Error{Kind: KindConflict, Detail: fmt.Sprintf("the deal of scope %s kept changing; try again", id)}
}

func staleScope(id string, cur, rev int64, s scope.SOW) *Error {
	return &Error{Kind: KindStale, Detail: fmt.Sprintf("scope %s is at revision %d, not %d", id, cur, rev), Rev: cur, Current: s}
}

// fixed are the keys of a scope that an edit cannot change.
var fixed = []string{"id", "deal_id", "review"}

// PutScope replaces a scope's content with the JSON of the body and
// records it as a revision (scope.SOW.Revise). The ID, deal and review
// stay; the body may repeat the ID and deal but not change them.
func (a *App) PutScope(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[scope.SOW], error) {
	var raw map[string]json.RawMessage
	if err := decode(body, &raw); err != nil {
		return Doc[scope.SOW]{}, err
	}
	if _, ok := raw["review"]; ok {
		return Doc[scope.SOW]{}, invalid(FieldError{Field: "review", Rule: "is set by the review, not by a request"})
	}
	var next scope.SOW
	if err := decode(body, &next); err != nil {
		return Doc[scope.SOW]{}, err
	}
	return a.changeScope(ctx, p, id, rev, func(s *scope.SOW, _ *scopeState, by accord.Actor, now time.Time) error {
		var fields []FieldError
		if next.ID != "" && next.ID != s.ID {
			fields = append(fields, FieldError{Field: "id", Rule: "cannot be changed"})
		}
		if next.DealID != "" && next.DealID != s.DealID {
			fields = append(fields, FieldError{Field: "deal_id", Rule: "cannot be changed"})
		}
		if len(fields) > 0 {
			return invalid(fields...)
		}
		next.ID, next.DealID, next.Review = s.ID, s.DealID, s.Review
		*s = next
		return s.Revise(by, now)
	})
}

// PatchScope edits a scope's content with a JSON merge patch (RFC 7396)
// and records it as a revision (scope.SOW.Revise).
func (a *App) PatchScope(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[scope.SOW], error) {
	var patch map[string]any
	if err := decode(body, &patch); err != nil {
		return Doc[scope.SOW]{}, err
	}
	var fields []FieldError
	for _, k := range fixed {
		if _, ok := patch[k]; ok {
			fields = append(fields, FieldError{Field: k, Rule: "cannot be changed by a patch"})
		}
	}
	if len(fields) > 0 {
		return Doc[scope.SOW]{}, invalid(fields...)
	}
	return a.changeScope(ctx, p, id, rev, func(s *scope.SOW, _ *scopeState, by accord.Actor, now time.Time) error {
		next, err := patched(s, patch)
		if err != nil {
			return err
		}
		next.Review = s.Review
		*s = next
		return s.Revise(by, now)
	})
}

// Submit sends a scope to the implementation lead, validated under the
// implementation's calendar (the service's configuration).
func (a *App) Submit(ctx context.Context, p Principal, id string, rev int64, _ []byte) (Doc[scope.SOW], error) {
	return a.changeScope(ctx, p, id, rev, func(s *scope.SOW, _ *scopeState, by accord.Actor, now time.Time) error {
		return s.Submit(a.calendar, by, now)
	})
}

// CommentInput is one change the implementation lead asks for.
type CommentInput struct {
	Step        string `json:"step"`
	Deliverable string `json:"deliverable"`
	Text        string `json:"text"`
}

// RequestChangesInput is the body of a request for changes.
type RequestChangesInput struct {
	Comments []CommentInput `json:"comments"`
}

// RequestChanges sends a submitted scope back to sales with comments.
func (a *App) RequestChanges(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[scope.SOW], error) {
	var in RequestChangesInput
	if err := decode(body, &in); err != nil {
		return Doc[scope.SOW]{}, err
	}
	comments := make([]scope.Comment, 0, len(in.Comments))
	for _, c := range in.Comments {
		comments = append(comments, scope.Comment{Step: c.Step, Deliverable: c.Deliverable, Text: c.Text})
	}
	return a.changeScope(ctx, p, id, rev, func(s *scope.SOW, _ *scopeState, by accord.Actor, now time.Time) error {
		return s.RequestChanges(comments, by, now)
	})
}

// LeadApprovalInput is the body of the implementation lead's approval: the
// revision approved (0: the current one, which the If-Match pins), the
// team's capacity it is judged against, and the override reason for a
// revision that does not fit it.
type LeadApprovalInput struct {
	Revision int            `json:"revision"`
	Capacity scope.Capacity `json:"capacity"`
	Override string         `json:"override"`
}

// ApproveAsLead records the implementation lead's approval, judged against
// the service's calendar and the capacity in the body, which the scope
// keeps as the capacity it was judged against.
func (a *App) ApproveAsLead(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[scope.SOW], error) {
	var in LeadApprovalInput
	if err := decode(body, &in); err != nil {
		return Doc[scope.SOW]{}, err
	}
	return a.changeScope(ctx, p, id, rev, func(s *scope.SOW, st *scopeState, by accord.Actor, now time.Time) error {
		revision := in.Revision
		if revision == 0 {
			revision = s.Review.Revision
		}
		err := s.ApproveAsLead(scope.LeadReview{Revision: revision, Calendar: a.calendar, Capacity: in.Capacity,
			Override: in.Override}, by, now)
		if err == nil {
			st.capacity = &in.Capacity
		}
		return err
	})
}

// ClientApprovalInput is the body of the client's approval: the revision
// approved (0: the current one, which the If-Match pins).
type ClientApprovalInput struct {
	Revision int `json:"revision"`
}

// ApproveAsClient records the client's approval. A client sees only its own
// account's scopes, so another account's scope is not found.
func (a *App) ApproveAsClient(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[scope.SOW], error) {
	var in ClientApprovalInput
	if len(body) > 0 {
		if err := decode(body, &in); err != nil {
			return Doc[scope.SOW]{}, err
		}
	}
	return a.changeScope(ctx, p, id, rev, func(s *scope.SOW, _ *scopeState, by accord.Actor, now time.Time) error {
		revision := in.Revision
		if revision == 0 {
			revision = s.Review.Revision
		}
		return s.ApproveAsClient(revision, by, now)
	})
}

// FeasibilityInput is the body of a feasibility question: the capacity to
// judge against; without one, the capacity the scope was last judged
// against.
type FeasibilityInput struct {
	Capacity *scope.Capacity `json:"capacity"`
}

// FeasibilityAnswer is the library's feasibility with its verdict.
type FeasibilityAnswer struct {
	Feasible bool `json:"feasible"`
	scope.Feasibility
}

// Feasibility schedules a scope against a capacity under the service's
// calendar. A sequence that cannot be scheduled is a conflict naming every
// problem.
func (a *App) Feasibility(ctx context.Context, p Principal, id string, body []byte) (FeasibilityAnswer, error) {
	var in FeasibilityInput
	if len(body) > 0 {
		if err := decode(body, &in); err != nil {
			return FeasibilityAnswer{}, err
		}
	}
	var rec store.Scope
	var s scope.SOW
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		rec, s, err = loadScope(ctx, tx, p, id)
		return err
	})
	if err != nil {
		return FeasibilityAnswer{}, classify(err)
	}
	var capacity scope.Capacity
	switch {
	case in.Capacity != nil:
		capacity = *in.Capacity
	case rec.Capacity != nil:
		if err := json.Unmarshal(rec.Capacity, &capacity); err != nil {
			return FeasibilityAnswer{}, classify(fmt.Errorf("scope %s: stored capacity: %w", id, err))
		}
	}
	f, err := s.Feasibility(a.calendar, capacity)
	if err != nil {
		return FeasibilityAnswer{}, &Error{Kind: KindConflict, Detail: fmt.Sprintf("scope %s cannot be scheduled", id),
			Fields: fieldErrors(err), Err: err}
	}
	return FeasibilityAnswer{Feasible: f.Feasible(), Feasibility: f}, nil
}

// Discrepancies reconciles a scope with its deal's proposal, reckoning the
// timeline with the capacity the scope was last judged against, and lists
// every discrepancy with the decision that settles it, if any.
func (a *App) Discrepancies(ctx context.Context, p Principal, id string) ([]scope.Discrepancy, error) {
	var s scope.SOW
	var st *scopeState
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		var rec store.Scope
		if rec, s, err = loadScope(ctx, tx, p, id); err != nil {
			return err
		}
		st, err = loadState(ctx, tx, rec.DealID, rec.Capacity)
		return err
	})
	if err != nil {
		return nil, classify(err)
	}
	if st.proposal == nil {
		return nil, notFound("proposal of deal", s.DealID)
	}
	return orEmpty(scope.Reconcile(*st.proposal, &s, a.feasibility(&s, st.capacity))), nil
}

// DecisionInput is the body of a decision on a discrepancy: the
// discrepancy as Discrepancies listed it, which side changes, and why.
type DecisionInput struct {
	Discrepancy scope.Discrepancy `json:"discrepancy"`
	Change      scope.Change      `json:"change"`
	Note        string            `json:"note"`
}

// Decide records the decision that settles a discrepancy between the scope
// and its deal's proposal (scope.SOW.Resolve).
func (a *App) Decide(ctx context.Context, p Principal, id string, rev int64, body []byte) (Doc[scope.SOW], error) {
	var in DecisionInput
	if err := decode(body, &in); err != nil {
		return Doc[scope.SOW]{}, err
	}
	return a.changeScope(ctx, p, id, rev, func(s *scope.SOW, st *scopeState, by accord.Actor, now time.Time) error {
		if st.proposal == nil {
			return notFound("proposal of deal", s.DealID)
		}
		return s.Resolve(*st.proposal, a.feasibility(s, st.capacity), in.Discrepancy, in.Change, in.Note, by, now)
	})
}
