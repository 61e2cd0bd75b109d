package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/shopspring/decimal"
)

var finance = accord.Actor{ID: "u-femi", Name: "Femi (finance)", Role: accord.RoleFinance}

// sign creates the contract from the deal just won and its approved scope.
func (s *story) sign(w io.Writer) error {
	// The contract is made from the revision the deal closed on; its value
	// is the price the client approved, and the deal records its ID.
	c, err := contract.New(contract.Signing{Process: s.p, Deal: &s.d, Scope: s.scope, Proposal: s.prop}, contract.Agreement{
		ID:         "ctr-0042",
		Vendor:     contract.Party{ID: "accord", Name: "Accord Inc."},
		Billing:    contract.BillingAnnual,
		Commitment: contract.CommitMultiYear,
		NoticeDays: 60,
		Location:   time.UTC,
	}, rep, s.now)
	if err != nil {
		return err
	}
	s.c = &c
	fmt.Fprintf(w, "  %s creates contract %s from the won deal and revision %d of %s, the one it closed on (the deal records contract %s):\n", rep.Name, c.ID, c.Scope.Revision, c.Scope.SOW, s.d.ContractID)
	fmt.Fprintf(w, "    %d months from %s to %s, renewal date %s, %s, billing %s, notice %d days, status %s;\n",
		c.Term.Months, c.Term.Start, c.Term.End, c.Term.Renewal, c.Term.Value, c.Billing, c.NoticeDays, c.Status)
	fmt.Fprintf(w, "    scope categories %v, deliverables %v", c.Scope.Categories, c.Scope.Deliverables)
	for _, e := range c.Scope.Entitlements {
		fmt.Fprintf(w, ", %s %s %s per %s", e.Name, e.Quantity, e.Unit, e.Per)
	}
	fmt.Fprintln(w, ".")
	// Two years billed annually: half the value now. The scope's approvals
	// are what made taking it allowed.
	if err := c.RecordPayment("inv-0042-1", c.Term.Value.Mul(decimal.New(5, -1)).Round(), finance, s.now); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s records the first annual payment, %s (payment allowed by the scope: %v).\n", finance.Name, c.Paid(), s.scope.Approved())
	return nil
}

// relationship follows the customer from onboarding to its first renewal.
func (s *story) relationship(w io.Writer) error {
	c := s.c
	fmt.Fprintf(w, "\nThe relationship, contract %s (customer status %s):\n", c.ID, c.Status)

	at := s.now
	err := c.Move(contract.StatusActive, "using the pipeline", lead, at)
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) {
		return fmt.Errorf("expected going active to be refused before the go-live, got %v", err)
	}
	fmt.Fprintf(w, "  %s tries to mark the customer active: refused: %s: %s\n", lead.Name, blocked.Unmet[0].Criterion, blocked.Unmet[0].Message)
	c.GoLiveAt = s.d.History[len(s.d.History)-1].At
	if err := c.Move(contract.StatusActive, "both teams forecast from one pipeline", lead, at); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s records the go-live of %s: status %s.\n", lead.Name, c.GoLiveAt.Format(time.DateOnly), c.Status)

	// The host runs the alert job every morning; the first alert comes on
	// the day the window opens.
	for day := c.WindowOpens().AddDays(-1); ; day = day.AddDays(1) {
		alerts := contract.Due([]contract.Contract{*c}, day.In(time.UTC).Add(8*time.Hour))
		if len(alerts) == 0 {
			continue
		}
		a := alerts[0]
		fmt.Fprintf(w, "  %s, renewal alert for %s: %s ends in %d days (%s); notice deadline %s; auto-renew %v.\n",
			day, a.Owner, a.Contract, a.DaysLeft, a.End, a.NoticeDeadline, a.AutoRenew)
		// The job runs again tomorrow: the alert is the same occurrence,
		// with the same key, so the host delivers it once.
		next := contract.Due([]contract.Contract{*c}, day.AddDays(1).In(time.UTC).Add(8*time.Hour))[0]
		fmt.Fprintf(w, "    idempotency key %s (%s, %d days step); the next morning's alert has the same key: %v.\n",
			a.Key, a.Kind, a.Threshold, next.Key == a.Key)
		at = day.In(time.UTC).Add(10 * time.Hour)
		break
	}
	if err := c.Flag(contract.Expansion, true, "the marketing team wants the forecast too", rep, at); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s flags an expansion opportunity: conditions %v.\n", rep.Name, c.Conditions(at))

	at = at.AddDate(0, 0, 30)
	if err := c.Renew(24, money("58000.00"), rep, at); err != nil {
		return err
	}
	r := c.Renewals[len(c.Renewals)-1]
	change, err := r.Change()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s, %s records the renewal: %s for %d months from %s to %s, %s (expansion %s).\n",
		at.Format(time.DateOnly), rep.Name, r.Outcome, c.Term.Months, c.Term.Start, c.Term.End, c.Term.Value, change)

	// A happy customer becomes a reference: a reference call needs their
	// consent; a referral is their own act.
	at = at.AddDate(0, 0, 7)
	err = c.RecordReference(contract.ReferenceCall, "Dana Ruiz", "", "", rep, at)
	if !errors.As(err, &blocked) {
		return fmt.Errorf("expected a reference call without consent to be refused, got %v", err)
	}
	fmt.Fprintf(w, "  %s asks Northwind to take a reference call: refused: %s: %s\n", rep.Name, blocked.Unmet[0].Criterion, blocked.Unmet[0].Message)
	if err := c.RecordConsent([]contract.ReferenceKind{contract.ReferenceCall, contract.ReferenceCaseStudy}, "Dana Ruiz, Head of Sales Ops", rep, at); err != nil {
		return err
	}
	if err := c.RecordReference(contract.ReferenceCall, "Dana Ruiz", "", "took Fabrikam's call", rep, at.Add(time.Hour)); err != nil {
		return err
	}
	if err := c.RecordReference(contract.ReferenceReferral, "Dana Ruiz", "acc-fabrikam", "", rep, at.Add(2*time.Hour)); err != nil {
		return err
	}
	fmt.Fprintf(w, "  Dana consents to %v; %s records a reference call and a referral (acc-fabrikam): reference %v, %d referral.\n",
		c.Consent.Kinds, rep.Name, c.IsReference(), c.Referrals())
	return nil
}
