package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/policy"
)

// The company's policy set is stored as the library writes it (policy.Set's
// JSON) and read with policy.Load, time zones resolved by the service's
// zone resolver. Until an admin stores one, the set is the library's
// default (policy.Default) in the implementation calendar's zone.

// defaultPolicies is the set in force while none is stored.
func (a *App) defaultPolicies() (*policy.Set, error) {
	return policy.Default(policy.DefaultOptions{Location: a.calendar.Location})
}

// policies reads the set in force and its revision (0: the default).
func (a *App) policies(ctx context.Context) (*policy.Set, store.PolicySet, error) {
	var rec store.PolicySet
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		rec, err = tx.Policies().Get(ctx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		set, err := a.defaultPolicies()
		return set, store.PolicySet{}, err
	}
	if err != nil {
		return nil, rec, err
	}
	set, err := policy.Load(rec.Doc, policy.LoadOptions{Zone: a.zone})
	if err != nil {
		return nil, rec, fmt.Errorf("stored policy set: %w", err)
	}
	return set, rec, nil
}

// GetPolicies returns the company's policy set as JSON, with its revision:
// 0 while the default is in force.
func (a *App) GetPolicies(ctx context.Context, p Principal) (Doc[json.RawMessage], error) {
	set, rec, err := a.policies(ctx)
	if err != nil {
		return Doc[json.RawMessage]{}, classify(err)
	}
	b, err := set.MarshalJSON()
	if err != nil {
		return Doc[json.RawMessage]{}, classify(err)
	}
	return Doc[json.RawMessage]{Rev: rec.Rev, Value: b, JSON: b}, nil
}

// PutPolicies replaces the company's policy set with the body, read by
// policy.Load (every problem reported with its path): only an admin may.
// The first set stored needs no revision (created reports it); replacing a
// stored one needs its revision rev.
func (a *App) PutPolicies(ctx context.Context, p Principal, rev int64, body []byte) (doc Doc[json.RawMessage], created bool, err error) {
	if accord.Role(p.Role) != accord.RoleAdmin {
		return Doc[json.RawMessage]{}, false, forbidden("role %s may not change the policy set; an admin may", p.Role)
	}
	set, err := policy.Load(body, policy.LoadOptions{Zone: a.zone})
	if err != nil {
		return Doc[json.RawMessage]{}, false, classify(err)
	}
	b, err := set.MarshalJSON()
	if err != nil {
		return Doc[json.RawMessage]{}, false, classify(err)
	}
	var cur store.PolicySet
	err = a.store.View(ctx, func(tx store.Tx) (err error) {
		cur, err = tx.Policies().Get(ctx)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return Doc[json.RawMessage]{}, false, classify(err)
	case rev == 0:
		return Doc[json.RawMessage]{}, false, &Error{Kind: KindPrecondition, Detail: "replacing the policy set needs the revision it replaces (If-Match)"}
	}
	if cur.Rev != 0 && rev != cur.Rev {
		return Doc[json.RawMessage]{}, false, stalePolicies(cur, rev)
	}
	rec := store.PolicySet{Rev: cur.Rev, UpdatedAt: a.now(), By: p.ID, Doc: b}
	var newRev int64
	err = a.store.InTx(ctx, func(tx store.Tx) (err error) {
		newRev, err = tx.Policies().Put(ctx, rec)
		return err
	})
	if errors.Is(err, store.ErrStale) || errors.Is(err, store.ErrExists) {
		err = a.store.View(ctx, func(tx store.Tx) (err error) {
			cur, err = tx.Policies().Get(ctx)
			return err
		})
		if err != nil {
			return Doc[json.RawMessage]{}, false, classify(err)
		}
		return Doc[json.RawMessage]{}, false, stalePolicies(cur, rev)
	}
	if err != nil {
		return Doc[json.RawMessage]{}, false, classify(err)
	}
	return Doc[json.RawMessage]{Rev: newRev, Value: b, JSON: b}, rec.Rev == 0, nil
}

func stalePolicies(cur store.PolicySet, rev int64) *Error {
	return &Error{Kind: KindStale, Detail: fmt.Sprintf("the policy set is at revision %d, not %d", cur.Rev, rev),
		Rev: cur.Rev, Current: json.RawMessage(cur.Doc)}
}

// PolicyCheckInput is a subject to check against the company's policies:
// the parts there are. A deal is named by its ID and read as stored, with
// its Scope of Work; the other parts are given as the library's JSON.
type PolicyCheckInput struct {
	DealID   string                 `json:"deal_id"`
	Closing  bool                   `json:"closing"`
	Discount *deal.Discount         `json:"discount"`
	Lead     *deal.Lead             `json:"lead"`
	Payment  *policy.PaymentRequest `json:"payment"`
	Refund   *policy.RefundRequest  `json:"refund"`
	Terms    *policy.ProposedTerms  `json:"terms"`
	Plan     *policy.Plan           `json:"plan"`
	Catalog  *policy.Catalog        `json:"catalog"`
}

// PolicyCheck is every violation of the company's policies by a subject.
type PolicyCheck struct {
	Allowed    bool               `json:"allowed"`
	Violations []policy.Violation `json:"violations"`
}

// CheckPolicies checks a subject against the company's policy set
// (policy.Set.Check) and lists every violation. Clients may not.
func (a *App) CheckPolicies(ctx context.Context, p Principal, body []byte) (PolicyCheck, error) {
	if p.client() {
		return PolicyCheck{}, forbidden("role %s may not check policies", p.Role)
	}
	var in PolicyCheckInput
	if err := decode(body, &in); err != nil {
		return PolicyCheck{}, err
	}
	s := policy.Subject{Closing: in.Closing, Discount: in.Discount, Lead: in.Lead, Payment: in.Payment,
		Refund: in.Refund, Terms: in.Terms, Plan: in.Plan, Catalog: in.Catalog}
	if in.DealID != "" {
		err := a.store.View(ctx, func(tx store.Tx) error {
			_, d, err := loadDeal(ctx, tx, p, in.DealID)
			if err != nil {
				return err
			}
			s.Deal, s.Won = &d, a.process.Won(&d)
			if d.Scope.ID == "" {
				return nil
			}
			sow, _, err := storedScope(ctx, tx, d.ID, d.Scope.ID)
			s.Scope = sow
			return err
		})
		if err != nil {
			return PolicyCheck{}, classify(err)
		}
	}
	set, _, err := a.policies(ctx)
	if err != nil {
		return PolicyCheck{}, classify(err)
	}
	vs := set.Check(s, a.now())
	return PolicyCheck{Allowed: len(vs) == 0, Violations: orEmpty(vs)}, nil
}
