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
	"github.com/accordhq/accord/scope"
)

// Close records Closed Won (deal.Process.Close): the deal presents its
// Scope of Work as stored, the proposal it was sold on and the feasibility
// of the scope against the capacity the implementation lead approved it
// against, never the reference the deal keeps of them. The library checks
// the reference against the document (a disagreement is a conflict) and
// then the criteria of the move (a refusal lists them). A deal with no
// scope presents none, and the process refuses it (scope_presented).
//
// The deal is written only at the revision read, and every scope command
// rewrites the deal's reference in its own transaction: a scope edited
// since the caller read the deal makes the close stale, never a close on
// an old revision.
func (a *App) Close(ctx context.Context, p Principal, id string, rev int64, _ []byte) (Doc[deal.Deal], error) {
	return a.changeDeal(ctx, p, id, rev, func(d *deal.Deal, by accord.Actor, now time.Time) error {
		closing, err := a.closing(ctx, d)
		if err != nil {
			return err
		}
		return a.process.Close(d, closing, by, now)
	})
}

// closing reads what the deal d presents at its close: the scope its
// reference names, with its stored capacity, and the deal's proposal.
func (a *App) closing(ctx context.Context, d *deal.Deal) (deal.Closing, error) {
	var c deal.Closing
	if d.Scope.ID == "" {
		return c, nil
	}
	err := a.store.View(ctx, func(tx store.Tx) error {
		s, capacity, err := storedScope(ctx, tx, d.ID, d.Scope.ID)
		if err != nil {
			return err
		}
		prop, err := storedProposal(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		c = deal.Closing{Scope: s, Proposal: prop, Feasibility: a.feasibility(s, capacity)}
		return nil
	})
	return c, err
}

// storedScope reads the scope id that deal dealID names, with the capacity
// it was last judged against. A scope the deal names but the store does not
// hold is a conflict: the deal's reference is wrong.
func storedScope(ctx context.Context, tx store.Tx, dealID, id string) (*scope.SOW, *scope.Capacity, error) {
	rec, s, err := loadScope(ctx, tx, Principal{}, id)
	var e *Error
	if errors.As(err, &e) && e.Kind == KindNotFound {
		return nil, nil, &Error{Kind: KindConflict, Detail: fmt.Sprintf("deal %s names Scope of Work %s, which is not stored", dealID, id)}
	}
	if err != nil {
		return nil, nil, err
	}
	var capacity *scope.Capacity
	if rec.Capacity != nil {
		capacity = new(scope.Capacity)
		if err := json.Unmarshal(rec.Capacity, capacity); err != nil {
			return nil, nil, fmt.Errorf("scope %s: stored capacity: %w", id, err)
		}
	}
	return &s, capacity, nil
}

// storedProposal reads the proposal of a deal; the zero proposal when it
// has none.
func storedProposal(ctx context.Context, tx store.Tx, dealID string) (scope.Proposal, error) {
	var prop scope.Proposal
	rec, err := tx.Proposals().Get(ctx, dealID)
	if errors.Is(err, store.ErrNotFound) {
		return prop, nil
	}
	if err != nil {
		return prop, err
	}
	if err := json.Unmarshal(rec.Doc, &prop); err != nil {
		return prop, fmt.Errorf("proposal of deal %s: stored document: %w", dealID, err)
	}
	return prop, nil
}

// contractOf is what a move that undoes the win of d presents: the
// contract d records, as stored (deal.WithContract). A deal with no
// contract presents nothing; one whose contract is not stored presents
// nothing either, and the process refuses the move.
func (a *App) contractOf(ctx context.Context, d *deal.Deal) ([]deal.MoveOption, error) {
	if d.ContractID == "" {
		return nil, nil
	}
	var opts []deal.MoveOption
	err := a.store.View(ctx, func(tx store.Tx) error {
		rec, err := tx.Contracts().Get(ctx, d.ContractID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		c := new(Contract)
		if err := json.Unmarshal(rec.Doc, c); err != nil {
			return fmt.Errorf("contract %s: stored document: %w", rec.ID, err)
		}
		opts = append(opts, deal.WithContract(c))
		return nil
	})
	return opts, err
}
