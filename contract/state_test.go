package contract_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/internal/datetest"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// moves is the table of the package doc: the statuses Move may go to from
// each status.
var moves = map[contract.Status][]contract.Status{
	contract.StatusOnboarding: {contract.StatusActive},
	contract.StatusActive:     {contract.StatusPaused, contract.StatusAtRisk, contract.StatusLapsed},
	contract.StatusPaused:     {contract.StatusActive},
	contract.StatusAtRisk:     {contract.StatusActive, contract.StatusLapsed},
}

func genActor() *rapid.Generator[accord.Actor] {
	return rapid.Custom(func(t *rapid.T) accord.Actor {
		role := rapid.SampledFrom(append(accord.Roles(), "")).Draw(t, "role")
		return accord.Actor{ID: rapid.SampledFrom([]string{"u-1", "u-2", ""}).Draw(t, "id"), Role: role}
	})
}

// TestStatusMachine drives a contract through random status moves, churns,
// refunds, renewals, payments and edits, checking each against a model:
// status changes only along allowed moves, a refused action changes nothing,
// a refund is granted exactly once, and a refunded contract never renews.
func TestStatusMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tm := terms()
		tm.Start = datetest.Gen(2020, 2030).Draw(t, "start")
		tm.Months = rapid.IntRange(1, 24).Draw(t, "months")
		tm.WindowDays = rapid.IntRange(31, 120).Draw(t, "window") // notice is 30 days
		now := tm.Start.In(time.UTC)
		c, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: approvedSOW()}, tm, rep, now.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		refunds, payments := 0, 0

		// try runs action; a refusal must leave c as it was, a success must
		// be one the model allows.
		try := func(name string, allowed bool, action func() error) {
			before := jsontest.Copy(t, c)
			err := action()
			if (err == nil) != allowed {
				t.Fatalf("%s: err = %v; the model allows it: %v (status %s, today %s, term %+v)", name, err, allowed, before.Status, accord.DateOf(now), before.Term)
			}
			if err != nil {
				if diff := cmp.Diff(before, c); diff != "" {
					t.Fatalf("%s: a refusal (%v) changed the contract:\n%s", name, err, diff)
				}
				return
			}
			if c.Version != before.Version+len(c.History)-len(before.History) || len(c.History) == len(before.History) {
				t.Fatalf("%s: version %d → %d with %d → %d events", name, before.Version, c.Version, len(before.History), len(c.History))
			}
			if c.Status != before.Status {
				if ev := c.History[len(c.History)-1]; ev.Kind != contract.EventStatus || ev.From != before.Status || ev.To != c.Status || ev.Reason == "" {
					t.Fatalf("%s: status %s → %s recorded as %+v", name, before.Status, c.Status, ev)
				}
			}
		}

		t.Repeat(map[string]func(*rapid.T){
			"clock": func(t *rapid.T) {
				now = now.Add(time.Duration(rapid.IntRange(0, 24*200).Draw(t, "hours")) * time.Hour)
			},
			"go_live": func(t *rapid.T) {
				if rapid.Bool().Draw(t, "clear") {
					c.GoLiveAt = time.Time{}
				} else {
					c.GoLiveAt = now.Add(time.Duration(rapid.IntRange(-48, 48).Draw(t, "offset")) * time.Hour)
				}
			},
			"auto_renew_flag": func(t *rapid.T) { c.AutoRenew = !c.AutoRenew },
			"move": func(t *rapid.T) {
				to := rapid.SampledFrom(append(contract.Statuses(), "gone")).Draw(t, "to")
				by := genActor().Draw(t, "by")
				why := rapid.SampledFrom([]string{"", " ", "because"}).Draw(t, "why")
				ok := by.ID != "" && by.Role.Valid() && by.Role != accord.RoleClient && strings.TrimSpace(why) != "" &&
					slices.Contains(moves[c.Status], to)
				switch to {
				case contract.StatusActive:
					ok = ok && !c.GoLiveAt.IsZero() && !c.GoLiveAt.After(now)
				case contract.StatusLapsed:
					ok = ok && accord.DateOf(now).After(c.Term.End) && !c.AutoRenew
				}
				try("move to "+string(to), ok, func() error { return c.Move(to, why, by, now) })
			},
			"churn": func(t *rapid.T) {
				reason := rapid.SampledFrom(append(contract.ChurnReasons(), "bored")).Draw(t, "reason")
				by := genActor().Draw(t, "by")
				ok := by.ID != "" && by.Role.Valid() && by.Role != accord.RoleClient && reason != "bored" &&
					reason != contract.ChurnOther && c.Status != contract.StatusChurned && c.Status != contract.StatusRefunded
				try("churn", ok, func() error { return c.Churn(reason, "", by, now) })
			},
			"refund": func(t *rapid.T) {
				by := genActor().Draw(t, "by")
				ok := by.ID != "" && by.Role.Valid() && refunds == 0
				try("refund", ok, func() error {
					r, err := c.RequestRefund("", by, now)
					if err == nil {
						refunds++
						if !r.GrantedAt.Equal(now) || !r.Amount.Equal(c.Paid()) || c.Status != contract.StatusRefunded { // basis: all paid
							t.Fatalf("refund %+v at %s, paid %s, status %s", r, now, c.Paid(), c.Status)
						}
					}
					return err
				})
			},
			"renew": func(t *rapid.T) {
				by := genActor().Draw(t, "by")
				months := rapid.IntRange(0, 36).Draw(t, "months")
				today := accord.DateOf(now)
				ok := by.ID != "" && (by.Role == accord.RoleSalesRep || by.Role == accord.RoleSalesManager || by.Role == accord.RoleAdmin) &&
					months >= 1 && renewable(c.Status) && !today.Before(c.WindowOpens())
				try("renew", ok, func() error { return c.Renew(months, usd("1000.00"), by, now) })
			},
			"auto_renew": func(t *rapid.T) {
				by := genActor().Draw(t, "by")
				ok := by.ID != "" && by.Role.Valid() && by.Role != accord.RoleClient && renewable(c.Status) &&
					c.AutoRenew && !accord.DateOf(now).Before(c.Term.Renewal)
				try("auto-renew", ok, func() error { return c.AutoRenewal(by, now) })
			},
			"pay": func(t *rapid.T) {
				ok := c.Refunded == nil
				try("pay", ok, func() error {
					err := c.RecordPayment("p"+strings.Repeat("i", payments), usd("100.00"), finance, now)
					if err == nil {
						payments++
					}
					return err
				})
			},
			"": func(t *rapid.T) {
				if err := c.Validate(); err != nil {
					t.Fatalf("invalid after the actions: %v", err)
				}
				if (c.Refunded != nil) != (c.Status == contract.StatusRefunded) || refunds > 1 {
					t.Fatalf("refunded %v, status %s, refunds granted %d", c.Refunded != nil, c.Status, refunds)
				}
				for i := 1; i < len(c.History); i++ {
					if c.History[i].At.Before(c.History[i-1].At) {
						t.Fatalf("events out of order at %d", i)
					}
				}
				if c.Refunded != nil {
					for _, r := range c.Renewals {
						if r.At.After(c.Refunded.GrantedAt) {
							t.Fatalf("renewal %+v after the refund at %s", r, c.Refunded.GrantedAt)
						}
					}
				}
				if diff := cmp.Diff(c, jsontest.Copy(t, c)); diff != "" {
					t.Fatalf("JSON round trip differs:\n%s", diff)
				}
			},
		})
	})
}

func renewable(s contract.Status) bool {
	return s == contract.StatusOnboarding || s == contract.StatusActive || s == contract.StatusPaused || s == contract.StatusAtRisk
}

// TestNilContract: every method refuses a nil contract instead of
// panicking.
func TestNilContract(t *testing.T) {
	var c *contract.Contract
	now := created
	errs := []error{
		c.Move(contract.StatusActive, "x", rep, now), c.Flag(contract.Dispute, true, "x", rep, now),
		c.Renew(12, usd("1.00"), rep, now), c.AutoRenewal(rep, now), c.Churn(contract.ChurnPrice, "", rep, now),
		c.RecordPayment("p", usd("1.00"), finance, now), c.RecordReference(contract.ReferenceReferral, "Dana", "acc-9", "", rep, now),
		c.RecordChange(contract.ChangeRequest{}, rep, now), c.RecordUsage(contract.Usage{}, rep, now), c.Validate(),
	}
	_, err := c.RequestRefund("", client, now)
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, accord.ErrInvalid) {
			t.Errorf("call %d on a nil contract: %v; want ErrInvalid", i, err)
		}
	}
	if c.Moves(now) != nil || c.Conditions(now) != nil || c.InWindow(now) || len(c.Drift(now).Creep) != 0 {
		t.Error("questions on a nil contract answered")
	}
}
