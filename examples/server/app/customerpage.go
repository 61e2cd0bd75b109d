package app

import (
	"context"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/examples/server/store"
)

// What the customer page shows of a contract is read here, where the
// library is called, so that the page only lays it out.

// StatusMove is a status a contract can move to now with
// contract.Contract.Move, with the criteria still unmet (none when the move
// would succeed).
type StatusMove struct {
	To    string
	Unmet []accord.Unmet
}

// CustomerPage is a contract as the customer page shows it.
type CustomerPage struct {
	Doc Doc[Contract]
	// Account is the name of the deal's account.
	Account string
	// Conditions hold now alongside the status.
	Conditions []contract.Condition
	// WindowOpens is the first day of the renewal window, NoticeDeadline the
	// last day notice can be given; DaysLeft and NoticeDaysLeft count the
	// days from today to the term's last day and to the deadline (negative
	// once passed).
	WindowOpens, NoticeDeadline accord.Date
	DaysLeft, NoticeDaysLeft    int
	InWindow                    bool
	// Drift is the scope creep and the use of each entitlement.
	Drift contract.Drift
	// Moves are the statuses the caller may move the contract to; empty for
	// a client, who may not change a customer's status.
	Moves []StatusMove
	// GoLive tells whether the caller may record the go-live now.
	GoLive bool
	// Renew tells whether the caller may record a renewal now (see
	// mayRenew).
	Renew bool
	// Refund tells whether the caller may ask for the refund the guarantee
	// gives (anyone may, the client included, once); RefundAmount is what
	// it would pay back today, by RefundBasis.
	Refund       bool
	RefundAmount accord.Money
	RefundBasis  contract.RefundBasis
	// ChurnReasons are the reasons a churn may give.
	ChurnReasons []contract.ChurnReason
}

// CustomerPage reads a contract and what the library says of it today, in
// the implementation calendar's zone.
func (a *App) CustomerPage(ctx context.Context, p Principal, id string) (CustomerPage, error) {
	doc, err := a.GetContract(ctx, p, id)
	if err != nil {
		return CustomerPage{}, err
	}
	now := a.now()
	if a.calendar.Location != nil {
		now = now.In(a.calendar.Location)
	}
	c := &doc.Value
	today := accord.DateOf(now)
	pg := CustomerPage{Doc: doc, Account: c.Client.Name, Conditions: c.Conditions(now),
		WindowOpens: c.WindowOpens(), NoticeDeadline: c.NoticeDeadline(),
		DaysLeft: today.DaysUntil(c.Term.End), NoticeDaysLeft: today.DaysUntil(c.NoticeDeadline()),
		InWindow: c.InWindow(now), Drift: c.Drift(now),
		Refund: c.Refunded == nil, RefundAmount: c.RefundAmount(now), RefundBasis: c.Refund.Basis,
		ChurnReasons: contract.ChurnReasons(), Renew: mayRenew(*c, p, now)}
	if pg.RefundBasis == "" {
		pg.RefundBasis = contract.RefundAllPaid
	}
	if !p.client() {
		for _, st := range contract.Statuses() {
			if unmet, ok := c.Moves(now)[st]; ok {
				pg.Moves = append(pg.Moves, StatusMove{To: string(st), Unmet: unmet})
			}
		}
		pg.GoLive = c.GoLiveAt.IsZero() && c.Status == contract.StatusOnboarding
	}
	return pg, nil
}

// mayRenew tells whether contract.Contract.Renew would record a renewal of
// c by p at now for another term like the current one: the library judges
// the role, the status and the renewal window, on a copy of c (clipped, so
// that what Renew appends never reaches c's arrays).
func mayRenew(c Contract, p Principal, now time.Time) bool {
	c.History, c.Renewals = slices.Clip(c.History), slices.Clip(c.Renewals)
	return c.Renew(c.Term.Months, c.Term.Value, p.actor(), now) == nil
}

// DueRenewal is a renewal alert as the renewals page lists it, with what
// its renew form needs: the contract's revision and current term, and
// whether the caller may record the renewal now (see mayRenew).
type DueRenewal struct {
	Alert
	Rev   int64
	Term  contract.Term
	Renew bool
}

// RenewalsPage lists the renewals due as RenewalsDue does, each with what
// its renew form needs. Clients may not read it.
func (a *App) RenewalsPage(ctx context.Context, p Principal) ([]DueRenewal, error) {
	now, due, err := a.due(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]DueRenewal, len(due))
	for i, d := range due {
		out[i] = DueRenewal{Alert: d.alert, Rev: d.rev, Term: d.c.Term, Renew: mayRenew(d.c, p, now)}
	}
	return out, nil
}

// ContractsByDeal maps the ID of each deal the caller may see that has a
// contract to the contract's ID: a client's own account's only.
func (a *App) ContractsByDeal(ctx context.Context, p Principal) (map[string]string, error) {
	out := map[string]string{}
	if p.client() && p.Account == "" {
		return out, nil
	}
	after := ""
	for {
		var recs []store.Contract
		err := a.store.View(ctx, func(tx store.Tx) (err error) {
			f := store.ContractFilter{After: after, Limit: page}
			if p.client() {
				f.AccountID = p.Account
			}
			recs, err = tx.Contracts().List(ctx, f)
			return err
		})
		if err != nil {
			return nil, classify(err)
		}
		for _, rec := range recs {
			out[rec.DealID] = rec.ID
		}
		if len(recs) < page {
			return out, nil
		}
		after = recs[len(recs)-1].ID
	}
}

// Today is the day of now in the implementation calendar's zone.
func (a *App) Today() accord.Date {
	return accord.Today(a.now(), a.calendar.Location)
}
