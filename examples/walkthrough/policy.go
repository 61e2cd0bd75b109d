package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
)

// gatedProcess returns the company's policies and the unified process
// whose close is gated with those a close can break: one edition, no
// period-end discounts, and Closed Won only on structure. The others are
// checked where their subject is handled: the payment policy when finance
// asks to take money, the lead response time when a lead comes in.
//
// Accord Inc.'s fiscal year is the calendar year, so its quarters end on
// March 31, June 30, September 30 and December 31, and June 30, the close
// date the rep set, is the last day of the second quarter: the last day of
// a month, of a quarter and of the first half, when a discount is most
// tempting and the policy refuses one.
func gatedProcess() (*policy.Set, *deal.Process, error) {
	set, err := policy.Default(policy.DefaultOptions{Location: time.UTC, FiscalYearStart: time.January})
	if err != nil {
		return nil, nil, err
	}
	closing, err := set.Only(policy.IDSingleEdition, policy.IDNoPanicDiscounts, policy.IDClosedWonOnStructure)
	if err != nil {
		return nil, nil, err
	}
	p, err := policy.Gated(deal.Unified(), closing)
	if err != nil {
		return nil, nil, err
	}
	return set, p, nil
}

// guards prints the policies that guard the close: the criteria the gate
// added to the Closed Won stage's entry.
func (s *story) guards(w io.Writer) {
	won, _ := s.p.Stage(s.p.ClosedWon())
	var ids []string
	for _, c := range won.Entry {
		if id, ok := strings.CutPrefix(c.ID, policy.CriterionPrefix); ok {
			ids = append(ids, id)
		}
	}
	fmt.Fprintf(w, "The company has %d policies; Closed Won (entering %s) is gated by the %d a close can break: %s.\n",
		len(s.set.Policies()), s.p.ClosedWon(), len(ids), strings.Join(ids, ", "))
}

// checkLead checks the new deal against the company's policies, as a host
// does when a lead comes in: the lead response time is the one with
// something to say so early.
func (s *story) checkLead(w io.Writer) {
	vs := s.set.Check(policy.Subject{Deal: &s.d}, s.now)
	if len(vs) == 0 {
		fmt.Fprintf(w, "  policies: none broken (%s).\n", strings.TrimSuffix(policy.LeadResponseSLA(policy.DefaultResponseMinutes).Description(), "."))
		return
	}
	for _, v := range vs {
		fmt.Fprintf(w, "  policy broken: %s\n", v)
	}
}

// untouchedLead shows the lead response SLA as automation: a second demo
// request that no one touches. The process's definition sets the two
// thresholds (lead_response in its JSON form), so RevOps changes them
// without a deploy; the host asks Triggers on a schedule and carries out
// each action once, by its key.
func (s *story) untouchedLead(w io.Writer) error {
	received := s.now.Add(2 * time.Minute)
	d := deal.Deal{ID: "deal-0043", Account: "Contoso Freight", Owner: rep.ID, Lead: deal.Lead{Inbound: true, ReceivedAt: received}}
	if err := s.p.Open(&d, rep, received); err != nil {
		return err
	}
	lr := s.p.Config().LeadResponse
	fmt.Fprintf(w, "Another demo request, %s from %s, came in at %s; the process alerts at %d and escalates at %d minutes untouched.\n",
		d.ID, d.Account, received.Format("15:04"), lr.AlertMinutes, lr.EscalateMinutes)
	done := map[string]bool{}
	for _, after := range []time.Duration{4 * time.Minute, 6 * time.Minute, 20 * time.Minute, 31 * time.Minute} {
		now := received.Add(after)
		for _, a := range s.p.Triggers(&d, now) {
			if done[a.Key] {
				continue // carried out already
			}
			done[a.Key] = true
			fmt.Fprintf(w, "  %s automation for the host: %s to %s (key %s): %s\n", now.Format("15:04"), a.Kind, a.To, a.Key, a.Message)
		}
	}
	return nil
}

// inboundLead is the demo request the deal comes from, answered within the
// 5 minutes the lead response policy allows.
func inboundLead(openedAt time.Time) deal.Lead {
	return deal.Lead{Inbound: true, ReceivedAt: openedAt.Add(-4 * time.Minute), FirstTouchAt: openedAt}
}

// deposit is the deposit finance would like to take while the Scope of Work
// is in review.
func (s *story) deposit(at time.Time) policy.PaymentRequest {
	return policy.PaymentRequest{
		ID: "pay-0042-deposit", DealID: s.d.ID, Amount: money("9200.00"), RequestedAt: at, By: finance.ID,
	}
}

// askForDeposit checks finance's request to take a deposit against the
// company's policies, with the Scope of Work it is for, and prints the
// answer: the refusal with every unmet item, or the permission.
func (s *story) askForDeposit(w io.Writer, sow *scope.SOW, at time.Time) error {
	pr := s.deposit(at)
	err := s.set.Allow(policy.Subject{Payment: &pr, Scope: sow}, at)
	if err == nil {
		fmt.Fprintf(w, "  %s asks again to take the %s deposit (%s): allowed.\n", finance.Name, pr.Amount, pr.ID)
		return nil
	}
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) {
		return err
	}
	fmt.Fprintf(w, "  %s asks to take a %s deposit (%s) now: refused, %d unmet:\n", finance.Name, pr.Amount, pr.ID, len(blocked.Unmet))
	printUnmet(w, "    ", blocked.Unmet)
	return nil
}

// printUnmet prints refused criteria, one a line, with the field at fault
// when there is one.
func printUnmet(w io.Writer, indent string, unmet []accord.Unmet) {
	for _, u := range unmet {
		fmt.Fprint(w, indent+"- ")
		if u.State != "" {
			fmt.Fprintf(w, "%s %s ", u.State, u.Side)
		}
		fmt.Fprint(w, u.Criterion)
		if strings.HasPrefix(u.Criterion, policy.CriterionPrefix) && u.Field != "" {
			fmt.Fprintf(w, " (%s)", u.Field)
		}
		fmt.Fprintf(w, ": %s\n", u.Message)
	}
}

// The list price is 24000.00 USD a year, implementation included.
const listPerYear = 24000

// quote is the quote for a term of months: one line, for the one edition.
func quote(months int) deal.Quote {
	return deal.Quote{
		ID: "q-0042",
		Lines: []deal.QuoteLine{{
			Product: fmt.Sprintf("Accord Forecasting, %d months", months), Edition: "Complete",
			Price: money(fmt.Sprintf("%d.00", listPerYear*months/12)),
		}},
	}
}

// panicDiscount is what Asha offers on the last day of the quarter, on a
// one-year quote: money off if Northwind signs today, for nothing in
// return.
func (s *story) panicDiscount(w io.Writer, d *deal.Deal, now time.Time) error {
	d.Quote = quote(12)
	disc := deal.Discount{
		ID: "disc-1", Amount: money("2000.00"), OfferedAt: now, By: rep.ID,
		Note: "if Northwind signs before the quarter ends",
	}
	d.Quote.Discounts = []deal.Discount{disc}
	price, err := d.Quote.Lines[0].Price.Sub(disc.Amount)
	if err != nil {
		return err
	}
	d.Commercials.TermMonths = 12
	d.Commercials.FinalPrice = price
	d.Commercials.Concessions = "2000.00 USD off to sign by June 30"
	l := d.Quote.Lines[0]
	fmt.Fprintf(w, "  %s, the last day of the quarter: quote %s has one line, %q (%s edition), %s.\n", now.Format("Jan 2"), d.Quote.ID, l.Product, l.Edition, l.Price)
	fmt.Fprintf(w, "  %s offers Lee %s off (%s) %s, and asks for nothing in return: final price %s.\n",
		rep.Name, disc.Amount, disc.ID, disc.Note, price)
	return nil
}

// multiYear replaces the period-end discount with one the buyer pays for
// with a two-year term, the next day, and moves the close date to it.
func (s *story) multiYear(w io.Writer, d *deal.Deal, now time.Time) error {
	d.Quote.Discounts = nil
	fmt.Fprintf(w, "  %s, %s withdraws disc-1: no discount pulls a deal into a quarter.\n", now.Format("Jan 2"), manager.Name)

	now = now.AddDate(0, 0, 1)
	s.now = now
	d.Quote = quote(24)
	disc := deal.Discount{
		ID: "disc-2", Amount: money("2000.00"), OfferedAt: now, By: manager.ID,
		Concession: deal.ConcessionMultiYear, Note: "for a 24-month term",
	}
	d.Quote.Discounts = []deal.Discount{disc}
	price, err := d.Quote.Lines[0].Price.Sub(disc.Amount)
	if err != nil {
		return err
	}
	d.Commercials.TermMonths = 24
	d.Commercials.FinalPrice = price
	d.Commercials.Concessions = "2000.00 USD off for a 24-month term"
	l := d.Quote.Lines[0]
	fmt.Fprintf(w, "  %s, Lee agrees to two years: the quote's line becomes %q, %s; %s offers %s off (%s) %s, concession %s: final price %s.\n",
		now.Format("Jan 2"), l.Product, l.Price, manager.Name, disc.Amount, disc.ID, disc.Note, disc.Concession, price)

	from := d.CloseDate
	if err := d.SetCloseDate(now, rep, now); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s moves the expected close date from %s to %s: the deal closes in the third quarter.\n",
		rep.Name, from.Format("Jan 2"), d.CloseDate.Format("Jan 2"))
	return nil
}
