package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
)

// Proposal is the library's commercial proposal, named here so that the
// other packages of the service need not import the library.
type Proposal = scope.Proposal

// proposers are the roles that may write a deal's proposal: it is the
// commercial offer, sales' to make. (The library leaves this to the host.)
var proposers = map[accord.Role]bool{
	accord.RoleSalesRep: true, accord.RoleSalesManager: true, accord.RoleAdmin: true,
}

// GetProposal returns the proposal of a deal the caller may see.
func (a *App) GetProposal(ctx context.Context, p Principal, dealID string) (Doc[scope.Proposal], error) {
	var out Doc[scope.Proposal]
	err := a.store.View(ctx, func(tx store.Tx) error {
		if _, _, err := loadDeal(ctx, tx, p, dealID); err != nil {
			return err
		}
		rec, err := tx.Proposals().Get(ctx, dealID)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("proposal of deal", dealID)
		}
		if err != nil {
			return err
		}
		out = Doc[scope.Proposal]{Rev: rec.Rev, JSON: rec.Doc}
		return json.Unmarshal(rec.Doc, &out.Value)
	})
	return out, classify(err)
}

// PutProposal stores the JSON of the body as the deal's proposal: a new
// one needs no revision (created reports it), a stored one is replaced only
// at the revision rev. The deal's reference to its scope, whose
// reconciliation depends on the proposal, is refreshed in the same
// transaction.
func (a *App) PutProposal(ctx context.Context, p Principal, dealID string, rev int64, body []byte) (doc Doc[scope.Proposal], created bool, err error) {
	if !proposers[accord.Role(p.Role)] {
		return Doc[scope.Proposal]{}, false, forbidden("role %s may not write proposals", p.Role)
	}
	var prop scope.Proposal
	if err := decode(body, &prop); err != nil {
		return Doc[scope.Proposal]{}, false, err
	}
	if prop.DealID != "" && prop.DealID != dealID {
		return Doc[scope.Proposal]{}, false, invalid(FieldError{Field: "deal_id", Rule: fmt.Sprintf("must be the deal of the path, %q", dealID)})
	}
	prop.DealID = dealID
	for range attempts {
		now := a.now()
		var st *scopeState
		var s *scope.SOW
		var srec store.Scope
		err := a.store.View(ctx, func(tx store.Tx) (err error) {
			if _, _, err := loadDeal(ctx, tx, p, dealID); err != nil {
				return err
			}
			if st, err = loadState(ctx, tx, dealID, nil); err != nil || st.deal.Scope.ID == "" {
				return err
			}
			var sow scope.SOW
			if srec, sow, err = loadScope(ctx, tx, p, st.deal.Scope.ID); err != nil {
				return err
			}
			s = &sow
			if srec.Capacity != nil {
				var c scope.Capacity
				if err := json.Unmarshal(srec.Capacity, &c); err != nil {
					return fmt.Errorf("scope %s: stored capacity: %w", srec.ID, err)
				}
				st.capacity = &c
			}
			return nil
		})
		if err != nil {
			return Doc[scope.Proposal]{}, false, classify(err)
		}
		switch {
		case st.proposal == nil:
		case rev == 0:
			return Doc[scope.Proposal]{}, false, &Error{Kind: KindPrecondition, Detail: "replacing a proposal needs the revision it replaces (If-Match)"}
		case rev != st.propRev:
			return Doc[scope.Proposal]{}, false, &Error{Kind: KindStale, Rev: st.propRev, Current: st.proposal,
				Detail: fmt.Sprintf("the proposal of deal %s is at revision %d, not %d", dealID, st.propRev, rev)}
		}
		if prop.ID == "" {
			prop.ID = newID("p-")
			if st.proposal != nil {
				prop.ID = st.proposal.ID
			}
		}
		b, err := json.Marshal(prop)
		if err != nil {
			return Doc[scope.Proposal]{}, false, classify(err)
		}
		rec := store.Proposal{DealID: dealID, ID: prop.ID, Rev: st.propRev, UpdatedAt: now, Doc: b}
		var dw *dealWrite
		if s != nil {
			st.proposal = &prop
			if ref := a.ref(s, st); !reflect.DeepEqual(ref, st.deal.Scope) {
				d := st.deal
				d.Scope = ref
				if dw, err = a.dealWrite(st.dealRec, &d, len(d.History), now); err != nil {
					return Doc[scope.Proposal]{}, false, classify(err)
				}
			}
		}
		var newRev int64
		err = a.store.InTx(ctx, func(tx store.Tx) (err error) {
			if rec.Rev == 0 {
				newRev, err = tx.Proposals().Create(ctx, rec)
			} else {
				newRev, err = tx.Proposals().Update(ctx, rec)
			}
			if err != nil || dw == nil {
				return err
			}
			if err := dw.apply(ctx, tx); err != nil {
				return errDealMoved{err}
			}
			return nil
		})
		switch {
		case errors.As(err, new(errDealMoved)), errors.Is(err, store.ErrExists):
			continue // the deal, or a first proposal, was written meanwhile: decide again
		case errors.Is(err, store.ErrStale):
			cur, gerr := a.GetProposal(ctx, p, dealID)
			if gerr != nil {
				return Doc[scope.Proposal]{}, false, gerr
			}
			return Doc[scope.Proposal]{}, false, &Error{Kind: KindStale, Rev: cur.Rev, Current: cur.Value,
				Detail: fmt.Sprintf("the proposal of deal %s is at revision %d, not %d", dealID, cur.Rev, rev)}
		case err != nil:
			return Doc[scope.Proposal]{}, false, classify(err)
		}
		return Doc[scope.Proposal]{Rev: newRev, Value: prop, JSON: b}, rec.Rev == 0, nil
	}
	return Doc[scope.Proposal]{}, false, &Error{Kind: KindConflict, Detail: fmt.Sprintf("deal %s kept changing; try again", dealID)}
}

// PaymentInput is the body of a payment check: the payment to take.
type PaymentInput struct {
	ID     string       `json:"id"`
	Amount accord.Money `json:"amount"`
}

// PaymentCheck is the answer of a payment check that allows the payment.
type PaymentCheck struct {
	Allowed  bool   `json:"allowed"`
	DealID   string `json:"deal_id"`
	ScopeID  string `json:"scope_id"`
	Revision int    `json:"revision"`
}

// CheckPayment runs the check a payment for a deal runs before money is
// taken: the policy payment_after_client_approval, against the deal and its
// Scope of Work as stored. A refusal is the policy set's *accord.BlockedError.
func (a *App) CheckPayment(ctx context.Context, p Principal, dealID string, body []byte) (PaymentCheck, error) {
	if p.client() {
		return PaymentCheck{}, forbidden("role %s may not take payments", p.Role)
	}
	var in PaymentInput
	if err := decode(body, &in); err != nil {
		return PaymentCheck{}, err
	}
	now := a.now()
	subject := policy.Subject{Payment: &policy.PaymentRequest{ID: in.ID, DealID: dealID, Amount: in.Amount, RequestedAt: now, By: p.ID}}
	err := a.store.View(ctx, func(tx store.Tx) error {
		_, d, err := loadDeal(ctx, tx, p, dealID)
		if err != nil {
			return err
		}
		subject.Deal = &d
		if d.Scope.ID == "" {
			return nil
		}
		_, s, err := loadScope(ctx, tx, p, d.Scope.ID)
		subject.Scope = &s
		return err
	})
	if err != nil {
		return PaymentCheck{}, classify(err)
	}
	set, err := policy.NewSet(policy.PaymentAfterClientApproval())
	if err != nil {
		return PaymentCheck{}, classify(err)
	}
	if err := set.Allow(subject, now); err != nil {
		return PaymentCheck{}, classify(err)
	}
	out := PaymentCheck{Allowed: true, DealID: dealID}
	if subject.Scope != nil {
		out.ScopeID, out.Revision = subject.Scope.ID, subject.Scope.Review.Revision
	}
	return out, nil
}
